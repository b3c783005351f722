"""A small, strict validator for the schemas in OpenAI's OpenAPI spec (JSON Schema 2020-12 plus OpenAPI's
`nullable`), for the contract tests. jsonschema is not a dependency of this project; this covers exactly the
keywords the extracted schemas use, and a schema with any other keyword is an error rather than a silent pass.

    errors = Contract.load(path).errors("CreateChatCompletionRequest", body)   # [] when the body conforms
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Keywords that say nothing about validity (annotations), and those checked below.
ANNOTATIONS = {"description", "title", "default", "example", "examples", "deprecated", "format", "discriminator",
               "readOnly", "writeOnly"}
CHECKED = {"$ref", "type", "nullable", "enum", "const", "properties", "required", "additionalProperties", "items",
           "minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "anyOf", "oneOf",
           "allOf"}


class SchemaError(Exception):
    """The schema uses a keyword this validator does not implement."""


def _is_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise SchemaError(f"unknown type {kind!r}")


@dataclass
class Contract:
    schemas: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Contract:
        return cls(json.loads(path.read_text(encoding="utf-8"))["components"]["schemas"])

    def errors(self, name: str, value: Any) -> list[str]:
        return self._check({"$ref": f"#/components/schemas/{name}"}, value, "$")

    def _check(self, schema: Any, value: Any, where: str) -> list[str]:
        if schema is True or schema == {}:
            return []
        if schema is False:
            return [f"{where}: no value is allowed here"]
        unknown = {k for k in schema if k not in CHECKED and k not in ANNOTATIONS and not k.startswith("x-")}
        if unknown:
            raise SchemaError(f"{where}: keyword(s) {sorted(unknown)} not implemented")
        if value is None and schema.get("nullable") is True:
            return []
        errors: list[str] = []
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            errors += self._check(self.schemas[name], value, where)
        if "type" in schema:
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, k) for k in kinds):
                return errors + [f"{where}: {value!r:.80} is not {' or '.join(kinds)}"]
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{where}: {value!r:.80} is not one of {schema['enum']}")
        if "const" in schema and value != schema["const"]:
            errors.append(f"{where}: {value!r:.80} is not {schema['const']!r}")
        if isinstance(value, dict):
            errors += self._object(schema, value, where)
        if isinstance(value, list):
            if "items" in schema:
                for index, item in enumerate(value):
                    errors += self._check(schema["items"], item, f"{where}[{index}]")
            if len(value) < schema.get("minItems", 0):
                errors.append(f"{where}: fewer than {schema['minItems']} items")
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                errors.append(f"{where}: more than {schema['maxItems']} items")
        if _is_type(value, "number"):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append(f"{where}: {value} < minimum {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                errors.append(f"{where}: {value} > maximum {schema['maximum']}")
        if isinstance(value, str):
            if len(value) < schema.get("minLength", 0):
                errors.append(f"{where}: shorter than {schema['minLength']}")
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                errors.append(f"{where}: longer than {schema['maxLength']}")
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errors.append(f"{where}: does not match {schema['pattern']!r}")
        for part in schema.get("allOf", []):
            errors += self._check(part, value, where)
        if "anyOf" in schema:
            tried = [self._check(part, value, where) for part in schema["anyOf"]]
            if all(tried):
                errors.append(f"{where}: matches none of anyOf ({min(tried, key=len)[0]})")
        if "oneOf" in schema:
            tried = [self._check(part, value, where) for part in schema["oneOf"]]
            matched = sum(1 for t in tried if not t)
            if matched != 1:
                detail = min(tried, key=len)[0] if matched == 0 else f"{matched} match"
                errors.append(f"{where}: must match exactly one of oneOf ({detail})")
        return errors

    def _object(self, schema: dict[str, Any], value: dict[str, Any], where: str) -> list[str]:
        errors = [f"{where}: missing {key!r}" for key in schema.get("required", []) if key not in value]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors += self._check(properties[key], item, f"{where}.{key}")
            elif extra is False:
                errors.append(f"{where}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += self._check(extra, item, f"{where}.{key}")
        return errors
