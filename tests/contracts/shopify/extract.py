"""Cut Shopify's Admin GraphQL schema down to what the pipeline's documents use, for the contract tests.

    .venv/bin/python tests/contracts/shopify/extract.py [path/to/admin_schema_2026-01_public.graphql] [--check]

The source is Shopify's own SDL for one API version (by default the copy in ../shared/shopify-schema/ beside the
repository; SOURCE.md says where it comes from). The output, admin_schema_<version>_subset.graphql in this
folder, keeps:

- every root field a document in pipeline/shopify/graphql/ selects (the bulk queries included), with all its
  arguments;
- of each object and interface type a document reaches, the fields the documents select (plus the fields of
  the kept interfaces it implements); of a type only reached through an abstract type, its `id`;
- every input object, enum and scalar those fields and arguments need, whole (inputs transitively), so a
  document's variables and literals are checked as strictly as against the full schema;
- the schema's directive definitions and any `@deprecated`; no descriptions.

A document is valid against the subset exactly when it is valid against the full schema, as long as it selects
nothing outside the subset; a field outside it fails validation as unknown, which is the signal to re-run this
script (after checking the field exists in Shopify's schema). The script validates every document against both
schemas and builds the subset with graphql-core's schema validation on before it writes anything. `--check`
writes nothing and exits 1 when the file in this folder differs from what the source gives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    UnionTypeDefinitionNode,
    Visitor,
    build_ast_schema,
    build_schema,
    get_named_type,
    parse,
    print_ast,
    validate,
    visit,
)
from graphql.type import assert_valid_schema

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VERSION = "2026-01"
SOURCE = ROOT.parent / "shared" / "shopify-schema" / f"admin_schema_{VERSION}_public.graphql"
OUTPUT = HERE / f"admin_schema_{VERSION}_subset.graphql"
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def our_documents() -> dict[str, str]:
    """Every GraphQL document the connector sends, as sent (the bulk queries with their placeholders filled in)."""
    sys.path.insert(0, str(ROOT))
    from pipeline.shopify import documents

    return {name: documents.sent(name) for name in documents.names()}


class _Uses(Visitor):
    """Collects, over documents, the fields selected per parent type and every named type they touch."""

    def __init__(self, type_info: TypeInfo, fields: dict[str, set[str]], types: set[str]):
        super().__init__()
        self.type_info, self.fields, self.types = type_info, fields, types

    def enter_field(self, node, *_):
        parent, definition = self.type_info.get_parent_type(), self.type_info.get_field_def()
        if node.name.value.startswith("__") or parent is None or definition is None:
            return
        self.fields[parent.name].add(node.name.value)
        self.types.add(get_named_type(definition.type).name)
        self.types.update(get_named_type(arg.type).name for arg in definition.args.values())

    def enter_variable_definition(self, *_):
        kind = self.type_info.get_input_type()
        if kind is not None:
            self.types.add(get_named_type(kind).name)

    def enter_inline_fragment(self, node, *_):
        if node.type_condition is not None:
            self.types.add(node.type_condition.name.value)

    enter_fragment_definition = enter_inline_fragment


def _closure(schema, fields: dict[str, set[str]], types: set[str]) -> None:
    """Grow `types` (and `fields`) until every kept type's dependencies are kept, in place."""
    changed = True
    while changed:
        changed = False
        for name in sorted(types):
            kind = schema.get_type(name)
            needed: set[str] = set()
            if isinstance(kind, GraphQLInputObjectType):
                needed = {get_named_type(f.type).name for f in kind.fields.values()}
            elif isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
                kept = fields[name]
                for interface in kind.interfaces:
                    if interface.name in types:
                        kept |= fields[interface.name]
                if not kept:  # reached only through an abstract type or as a fragment condition
                    kept.add("id" if "id" in kind.fields else next(iter(kind.fields)))
                for field_name in kept:
                    field = kind.fields[field_name]
                    needed.add(get_named_type(field.type).name)
                    needed.update(get_named_type(arg.type).name for arg in field.args.values())
            if not needed <= types:
                types |= needed
                changed = True
        for name in list(types):  # an interface's kept fields must be kept on its kept implementations too
            kind = schema.get_type(name)
            if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
                for interface in kind.interfaces:
                    if interface.name in types and not fields[interface.name] <= fields[name]:
                        fields[name] |= fields[interface.name]
                        changed = True


def _stripped(node, **changes):
    """`node` with `changes`, and without descriptions, in it and everything inside it (AST nodes are frozen)."""
    node = dataclasses.replace(node, **changes) if changes else node
    updates = {"description": None} if getattr(node, "description", None) is not None else {}
    for key in ("fields", "arguments", "values"):
        children = getattr(node, key, None)
        if children:
            updates[key] = tuple(_stripped(child) for child in children)
    return dataclasses.replace(node, **updates) if updates else node


def subset(source_text: str, documents: dict[str, str]) -> str:
    ast = parse(source_text, no_location=True)
    schema = build_ast_schema(ast, assume_valid=True)
    fields: dict[str, set[str]] = defaultdict(set)
    types: set[str] = {schema.query_type.name, schema.mutation_type.name}
    for name, text in documents.items():
        errors = validate(schema, parse(text))
        if errors:
            raise SystemExit(f"{name}: not valid against the full schema: {errors[0].message}")
        type_info = TypeInfo(schema)
        visit(parse(text), TypeInfoVisitor(type_info, _Uses(type_info, fields, types)))
    _closure(schema, fields, types)
    kept = []
    for definition in ast.definitions:
        if isinstance(definition, SchemaDefinitionNode) or definition.kind == "directive_definition":
            pass
        elif not hasattr(definition, "name") or definition.name.value not in types - BUILT_IN:
            continue
        elif isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            wanted = fields[definition.name.value]
            definition = dataclasses.replace(
                definition, fields=tuple(f for f in definition.fields if f.name.value in wanted),
                interfaces=tuple(i for i in definition.interfaces or () if i.name.value in types))
        elif isinstance(definition, UnionTypeDefinitionNode):
            definition = dataclasses.replace(definition,
                                             types=tuple(t for t in definition.types if t.name.value in types))
        elif not isinstance(definition, EnumTypeDefinitionNode | InputObjectTypeDefinitionNode
                            | ScalarTypeDefinitionNode):
            raise SystemExit(f"unexpected definition {definition.kind} {definition.name.value}")
        kept.append(_stripped(definition))
    for union in (schema.get_type(n) for n in types):
        if isinstance(union, GraphQLUnionType) and not any(t.name in types for t in union.types):
            raise SystemExit(f"union {union.name} would have no member")
    return print_ast(DocumentNode(definitions=tuple(kept))) + "\n"


def build(source: Path) -> str:
    raw = source.read_bytes()
    documents = our_documents()
    body = subset(raw.decode("utf-8"), documents)
    small = build_schema(body)  # no assume_valid: the subset must be a valid schema on its own
    assert_valid_schema(small)
    for name, text in documents.items():
        errors = validate(small, parse(text))
        if errors:
            raise SystemExit(f"{name}: valid against the full schema but not the subset: {errors[0].message}")
    header = (f"# Shopify Admin GraphQL API {VERSION}: the part of the schema the pipeline's GraphQL documents use.\n"
              f"# Generated by tests/contracts/shopify/extract.py from {source.name},\n"
              f"# SHA-256 {hashlib.sha256(raw).hexdigest()} (see SOURCE.md). Do not edit: re-run the script.\n\n")
    return header + body


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    source = Path(paths[0]) if paths else SOURCE
    if not source.exists():
        print(f"extract: {source} not found (pass the path to Shopify's {VERSION} SDL)", file=sys.stderr)
        return 2
    text = build(source)
    if check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"extract: {OUTPUT.name} is out of date; re-run tests/contracts/shopify/extract.py", file=sys.stderr)
            return 1
        print(f"extract: {OUTPUT.name} is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"extract: wrote {OUTPUT.relative_to(ROOT)} ({len(text.encode()):,} bytes, "
          f"{text.count(chr(10)):,} lines) from {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
