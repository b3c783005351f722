"""GraphQL plumbing of the Shopify double: answers cut to the selection, Shopify-like query costs, filters."""

from __future__ import annotations

import json
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode
from graphql.utilities import value_from_ast_untyped


class Selection:
    def __init__(self, selections: list[Any]):
        self.selections = selections


def find_operation(document: Any, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return next((o for o in operations if name and o.name and o.name.value == name), operations[0])


def fields_of(selection_set: Any) -> list[FieldNode]:
    return [s for s in selection_set.selections if isinstance(s, FieldNode)]


def connection_node(field: FieldNode) -> Any:
    """The selection of a connection's nodes (`edges { node { ... } }` or `nodes { ... }`), else None."""
    for sub in fields_of(field.selection_set) if field.selection_set else []:
        if sub.name.value == "nodes":
            return sub.selection_set
        if sub.name.value == "edges":
            node = next((n for n in fields_of(sub.selection_set) if n.name.value == "node"), None)
            return node.selection_set if node else None
    return None


def arguments_of(field: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    return {a.name.value: value_from_ast_untyped(a.value, variables) for a in field.arguments or []}


def select(value: Any, selection_set: Any, variables: dict[str, Any], fragments: dict[str, Any]) -> Any:
    """`value` cut to the selection: keys by alias, in selection order, nested objects and lists followed."""
    out: dict[str, Any] = {}
    for selection in selection_set.selections:
        if isinstance(selection, (InlineFragmentNode, FragmentSpreadNode)):
            fragment = fragments[selection.name.value] if isinstance(selection, FragmentSpreadNode) else selection
            condition = fragment.type_condition.name.value if fragment.type_condition else None
            if condition is None or condition == value.get("__typename"):
                out.update(select(value, fragment.selection_set, variables, fragments))
            continue
        name = selection.name.value
        key = selection.alias.value if selection.alias else name
        raw = value.get(name)
        if callable(raw):
            raw = raw(arguments_of(selection, variables))
        if selection.selection_set is None or raw is None:
            out[key] = raw
        elif isinstance(raw, list):
            out[key] = [None if item is None else select(item, selection.selection_set, variables, fragments)
                        for item in raw]
        else:
            out[key] = select(raw, selection.selection_set, variables, fragments)
    return out


def object_cost(selection_set: Any, variables: dict[str, Any]) -> int:
    """Shopify's estimate, roughly: objects cost 1, scalars 0, a connection 2 + first x one node."""
    total = 1
    for field in fields_of(selection_set):
        if field.selection_set is None:
            continue
        args = arguments_of(field, variables)
        node = connection_node(field)
        if node is not None and ("first" in args or "last" in args):
            total += 2 + int(args.get("first") or args.get("last") or 0) * object_cost(node, variables)
        elif field.name.value == "nodes" and "ids" in args:
            total += len(args["ids"]) * object_cost(field.selection_set, variables)
        elif field.name.value != "pageInfo":
            total += object_cost(field.selection_set, variables)
    for fragment in (s for s in selection_set.selections if isinstance(s, InlineFragmentNode)):
        total += object_cost(fragment.selection_set, variables) - 1
    return total


def mutation_cost(operation: OperationDefinitionNode) -> int:
    return 10 * len(fields_of(operation.selection_set))


def matches_search(product: dict[str, Any], search: str) -> bool:
    for term in (t.strip() for t in search.split(" AND ") if t.strip()):
        if term.startswith("status:"):
            if product["status"].lower() not in term[len("status:"):].split(","):
                return False
        elif term.startswith("updated_at:>"):
            since = term[len("updated_at:>"):].strip("'\"")
            if not product["updatedAt"] > since:
                return False
    return True


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
