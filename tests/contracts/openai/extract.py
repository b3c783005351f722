"""Writes openapi-subset.json: the schemas of OpenAI's published OpenAPI spec that this pipeline's requests and
answers use, with every schema they refer to, so that the contract tests run in a clone without ../shared.

    .venv/bin/python tests/contracts/openai/extract.py [path/to/openapi.yaml]

The default path is ../shared/openai-spec/openapi.yaml next to the repository (see SOURCE.md for its origin).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SPEC = HERE.parents[2].parent / "shared" / "openai-spec" / "openapi.yaml"
# What the pipeline sends and reads: chat completions (live and as batch lines), files, batches, errors.
ROOTS = ("CreateChatCompletionRequest", "CreateChatCompletionResponse", "CreateBatchRequest", "Batch",
         "ListBatchesResponse", "OpenAIFile", "ErrorResponse")
ANNOTATIONS = ("description", "example", "examples", "x-oaiMeta", "x-oaiTypeLabel", "x-oaiExpandable",
               "x-stainless-const", "deprecated", "title")


def strip(node: Any, in_properties: bool = False) -> Any:
    """The schema without its prose: descriptions and examples are most of the file and validate nothing."""
    if isinstance(node, dict):
        return {k: strip(v, k == "properties" and not in_properties) for k, v in node.items()
                if in_properties or k not in ANNOTATIONS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def closure(schemas: dict[str, Any], roots: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    name = value.rsplit("/", 1)[-1]
                    if name not in found:
                        found[name] = schemas[name]
                        walk(schemas[name])
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for root in roots:
        found[root] = schemas[root]
        walk(schemas[root])
    return {name: strip(found[name]) for name in sorted(found)}


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SPEC
    raw = path.read_bytes()
    spec = yaml.safe_load(raw)
    subset = {
        "source": "https://github.com/openai/openai-openapi openapi.yaml at commit "
                  "f85dbe223d40e1a31cba812ab2d755c7e98a92a3 (2026-08-21), spec version " + spec["info"]["version"],
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "licence": "MIT, Copyright (c) OpenAI; see LICENSE beside this file",
        "roots": list(ROOTS),
        "components": {"schemas": closure(spec["components"]["schemas"], ROOTS)},
    }
    out = HERE / "openapi-subset.json"
    out.write_text(json.dumps(subset, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(subset['components']['schemas'])} schemas, {out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv)
