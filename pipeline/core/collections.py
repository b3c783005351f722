"""The collections artefact: collections.parquet, and collections.csv, the same rows for the merchant to edit.

One row per collection page (workspace/<store>/collections.parquet, SCHEMA), with its `source`:

- "store": pulled from the store by a bulk query (pipeline/shopify/bulk_collections.py): title, handle, intro copy
  (`description`, HTML), SEO title and description, smart rules, translations into the shop's other locales.
  Product membership is the product query's (catalog.parquet `collections`), so it costs no second pass.
- "proposed": proposed by pull from the catalogue, where no store collection holds the same products: one per
  product type that names a product ("Floor Lamps"; never a shelf label such as "Sale", "New" or "Gifts",
  NON_NOUN_TYPES) with at least `min_products` active products; one per node of the merchant's taxonomy
  categories that gathers several such types ("Lighting", "Bedding"); one per material, style or room tag shared
  by that many active products of several types ("Linen", "Japandi", "Living Room").
- "proposed_from_query": proposed by the keywords stage for a category query with demand, enough matching
  products and no collection (pipeline/stages/keywords/collections.py); `keyword` is the query.
- "merchant": a row the merchant added to collections.csv.

`kind` is "smart" (a `rule` picks the products) or "custom" (the products are listed). A rule is text: conditions
`column relation value` joined by " AND " (all must hold) or " OR " (any may), such as
`product_type = Bath Mats AND tag = teak`. Columns are Shopify's CollectionRuleColumn in lower case, TYPE written
`product_type` (RULE_COLUMNS); relations `=`, `!=`, `contains`, `not contains`, `starts with`, `ends with`, `>`,
`<`, `is set`, `is not set`. Text comparisons ignore case, as Shopify's do.

collections.csv is the merchant's copy. Each time collections.parquet is written the CSV is written beside it, and
the CSV's SHA-256 is kept in the parquet file's metadata; a CSV whose bytes no longer match was edited (or made by
hand) and is never overwritten. `read_collections` gives the stages the parquet rows with the edits on top: a row
of the CSV replaces the row of its handle (its title, kind, rule, copy, SEO fields, products, keyword); a smart row
whose rule was changed gets its products from the rule; a proposal deleted from the CSV is dropped (a store
collection stays: the file cannot delete one from the store); a collection proposed after the CSV was edited is
added. Delete collections.csv to start again from what the pipeline proposes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.commands import command
from pipeline.core.spreadsheet import FORMULA_START, safe_cell
from pipeline.core.text import fold, handleize, strip_html
from pipeline.core.vocabulary import find_terms
from pipeline.errors import InputError
from pipeline.workspace import Workspace, atomic_path

TRANSLATION_TYPE = pa.struct([("locale", pa.string()), ("key", pa.string()), ("value", pa.string()),
                              ("outdated", pa.bool_())])
SCHEMA = pa.schema([
    ("id", pa.string()),  # the store's GID; "" for a collection that does not exist yet
    ("handle", pa.string()),
    ("title", pa.string()),
    ("kind", pa.string()),  # "smart" | "custom"
    ("rule", pa.string()),  # smart: "product_type = Bath Mats AND tag = teak"; custom: ""
    ("description", pa.string()),  # the intro copy at the top of the collection page (HTML)
    ("seo_title", pa.string()),
    ("seo_description", pa.string()),
    ("product_handles", pa.list_(pa.string())),  # its products, any status, in catalogue order
    ("active_products", pa.int64()),  # how many of them are active
    ("source", pa.string()),  # "store" | "proposed" | "proposed_from_query" | "merchant"
    ("keyword", pa.string()),  # the query a proposal was made for, else ""
    ("reason", pa.string()),  # why it was proposed, or where it came from
    ("updated_at", pa.string()),
    ("translations", pa.list_(TRANSLATION_TYPE)),  # store only: (locale, key, value, outdated)
])
SOURCES = ("store", "proposed", "proposed_from_query", "merchant")
PROPOSED_SOURCES = frozenset({"proposed", "proposed_from_query"})
KINDS = ("smart", "custom")
CSV_COLUMNS = ("handle", "title", "kind", "rule", "active_products", "product_handles", "description", "seo_title",
               "seo_description", "keyword", "source", "reason", "id")
# What a merchant's row of collections.csv sets (the others are the pipeline's, and read back only for new rows).
EDITABLE = ("title", "kind", "rule", "description", "seo_title", "seo_description", "product_handles", "keyword",
            "source")
CSV_DIGEST = b"collections_csv_sha256"
CSV_HANDLES = b"collections_csv_handles"
HANDLE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_MIN_PRODUCTS = 3  # [audit] min_collection_products (pipeline/config.py AuditSettings)
CATALOG_COLUMNS = ["id", "handle", "title", "vendor", "product_type", "product_category", "tags", "status",
                   "collections"]
# A node of the taxonomy holding at least this share of the active catalogue is the whole shop, not a category page.
BROAD_SHARE = 0.5
# A proposal is the store's collection already when their products overlap this much (Jaccard).
SAME_PRODUCTS = 0.8
TAG_KINDS = ("material", "style", "room")
_SHELF_WORDS = frozenset({"arrivals", "under", "over", "sellers", "and", "&", "the", "of"})

# -- rules ------------------------------------------------------------------------------------------------------
RULE_COLUMNS = {
    "product_type": "TYPE", "tag": "TAG", "title": "TITLE", "vendor": "VENDOR", "variant_price": "VARIANT_PRICE",
    "variant_compare_at_price": "VARIANT_COMPARE_AT_PRICE", "variant_weight": "VARIANT_WEIGHT",
    "variant_inventory": "VARIANT_INVENTORY", "variant_title": "VARIANT_TITLE", "is_price_reduced": "IS_PRICE_REDUCED",
    "product_category": "PRODUCT_CATEGORY_ID",
    "product_category_with_descendants": "PRODUCT_CATEGORY_ID_WITH_DESCENDANTS",
    "product_taxonomy_node": "PRODUCT_TAXONOMY_NODE_ID", "product_metafield": "PRODUCT_METAFIELD_DEFINITION",
    "variant_metafield": "VARIANT_METAFIELD_DEFINITION",
}
_COLUMN_OF_ENUM = {enum: text for text, enum in RULE_COLUMNS.items()}
_COLUMN_ALIASES = {"type": "product_type", "category": "product_category"}
RULE_RELATIONS = {"=": "EQUALS", "!=": "NOT_EQUALS", "contains": "CONTAINS", "not contains": "NOT_CONTAINS",
                  "starts with": "STARTS_WITH", "ends with": "ENDS_WITH", ">": "GREATER_THAN", "<": "LESS_THAN",
                  "is set": "IS_SET", "is not set": "IS_NOT_SET"}
_RELATION_OF_ENUM = {enum: text for text, enum in RULE_RELATIONS.items()}
_RELATION_WORDS = sorted(RULE_RELATIONS, key=len, reverse=True)  # "not contains" before "contains"
_NO_VALUE = frozenset({"is set", "is not set"})
_NEGATIVE = frozenset({"!=", "not contains"})
_INDEXED = frozenset({"product_type", "vendor", "tag"})  # equality by Products.rows_by
# Columns this module can evaluate on the catalogue (the others are the store's to apply).
_EVALUABLE = frozenset({"product_type", "tag", "title", "vendor", "product_category",
                        "product_category_with_descendants"})


@dataclass(frozen=True)
class Condition:
    column: str  # a key of RULE_COLUMNS (or an enum Shopify added since, in lower case)
    relation: str  # a key of RULE_RELATIONS
    value: str = ""

    def text(self) -> str:
        return f"{self.column} {self.relation}" + ("" if self.relation in _NO_VALUE else f" {self.value}")


@dataclass(frozen=True)
class Rule:
    conditions: tuple[Condition, ...]
    disjunctive: bool = False  # any condition (OR) rather than all (AND)

    def text(self) -> str:
        return (" OR " if self.disjunctive else " AND ").join(c.text() for c in self.conditions)

    @property
    def evaluable(self) -> bool:
        """Whether the catalogue alone says which products the rule picks: every condition on a column it holds,
        a category named by its path or its name (not by a taxonomy id, which only the store resolves)."""
        return bool(self.conditions) and all(
            c.column in _EVALUABLE and (not c.column.startswith("product_category") or " > " in c.value
                                        or not re.search(r"[/\d]", c.value)) for c in self.conditions)


class RuleError(ValueError):
    """A rule's text that is not `column relation value` joined by AND or OR."""


def parse_rule(text: str) -> Rule:
    text = " ".join((text or "").split())
    if not text:
        raise RuleError("the rule is empty")
    has_and, has_or = " AND " in f" {text} ", " OR " in f" {text} "
    if has_and and has_or:
        raise RuleError("a rule joins its conditions with AND or with OR, not both (Shopify's rule sets cannot mix)")
    parts = [p.strip() for p in re.split(r"\s(?:AND|OR)\s", text)]
    return Rule(tuple(_condition(part) for part in parts), disjunctive=has_or)


def _condition(text: str) -> Condition:
    match = re.match(r"([A-Za-z_]+)\s*(.*)$", text)
    column, rest = (match.group(1), match.group(2)) if match else (text, "")
    column = _COLUMN_ALIASES.get(column.lower(), column.lower())
    if column not in RULE_COLUMNS:
        raise RuleError(f"unknown column {column!r} in {text!r} (known: {', '.join(RULE_COLUMNS)})")
    rest = rest.strip()
    for relation in _RELATION_WORDS:
        if rest.lower() == relation or rest.lower().startswith(relation + " ") or (
                relation in ("=", "!=", ">", "<") and rest.startswith(relation)):
            value = rest[len(relation):].strip()
            if relation in _NO_VALUE:
                if value:
                    raise RuleError(f"{relation!r} takes no value in {text!r}")
            elif not value:
                raise RuleError(f"no value after {relation!r} in {text!r}")
            return Condition(column, relation, value)
    raise RuleError(f"no relation in {text!r} (use one of: {', '.join(RULE_RELATIONS)})")


def store_rule_text(rule_set: Mapping[str, Any] | None) -> str:
    """A smart collection's `ruleSet` (Admin API) as rule text; "" for a custom collection."""
    if not rule_set:
        return ""
    conditions = []
    for rule in rule_set.get("rules") or []:
        column = _COLUMN_OF_ENUM.get(str(rule.get("column")), str(rule.get("column") or "").lower())
        relation = _RELATION_OF_ENUM.get(str(rule.get("relation")), str(rule.get("relation") or "").lower())
        conditions.append(Condition(column, relation, " ".join(str(rule.get("condition") or "").split())))
    return Rule(tuple(conditions), disjunctive=bool(rule_set.get("appliedDisjunctively"))).text()


def rule_input(rule: Rule) -> dict[str, Any]:
    """The rule as Shopify's CollectionRuleSetInput (for collectionCreate / collectionUpdate)."""
    return {"appliedDisjunctively": rule.disjunctive,
            "rules": [{"column": RULE_COLUMNS.get(c.column, c.column.upper()), "relation": RULE_RELATIONS[c.relation],
                       "condition": c.value} for c in rule.conditions]}


# -- the catalogue, as rules read it -------------------------------------------------------------------------------
@dataclass
class Products:
    """The catalogue's products as collections see them: what rules test, status, and store membership."""

    handles: list[str]
    titles: list[str]
    types: list[str]
    vendors: list[str]
    categories: list[str]
    tags: list[list[str]]
    active: np.ndarray  # bool
    memberships: list[list[str]]  # the store collections' handles of each product (a store pull), else []
    _index: dict[str, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, catalog: Path) -> Products:
        if not Path(catalog).exists():
            raise InputError(f"no catalogue yet; run {command('pull')} first", file=str(catalog))
        file = pq.ParquetFile(catalog)  # (not pq.read_table, which imports pandas: a store pull never needs it)
        table = file.read(columns=[c for c in CATALOG_COLUMNS if c in set(file.schema_arrow.names)])
        count = table.num_rows

        def text(name: str) -> list[str]:
            if name not in table.column_names:
                return [""] * count
            return [str(v).strip() if v else "" for v in table.column(name).to_pylist()]

        def lists(name: str) -> list[list[str]]:
            # a list column's to_pylist builds a list per row through pyarrow's slow path (0.3 s at 100,000
            # products): its values are read flat, once, and cut at the offsets here
            if name not in table.column_names:
                return [[] for _ in range(count)]
            column = table.column(name).combine_chunks()
            values = [str(t).strip() for t in pc.list_flatten(column).to_pylist()]
            offsets = column.offsets.to_pylist()  # (not to_numpy, which imports pandas: a store pull never needs it)
            cuts = [o - offsets[0] for o in offsets]
            spans = zip(cuts[:-1], cuts[1:], strict=True)
            if "" not in values:
                return [values[start:end] for start, end in spans]
            return [[v for v in values[start:end] if v] for start, end in spans]

        return cls(handles=text("handle"), titles=text("title"), types=text("product_type"), vendors=text("vendor"),
                   categories=text("product_category"), tags=lists("tags"),
                   active=np.array([s.lower() == "active" for s in text("status")], dtype=bool),
                   memberships=lists("collections"))

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]]) -> Products:
        return cls.from_columns({name: [r.get(name) for r in rows] for name in CATALOG_COLUMNS}, len(rows))

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[Any]], count: int) -> Products:
        def text(name: str) -> list[str]:
            return [str(v or "").strip() for v in columns.get(name) or [None] * count]

        def lists(name: str) -> list[list[str]]:
            return [[str(t).strip() for t in (v or []) if str(t).strip()] for v in columns.get(name) or [None] * count]

        return cls(handles=text("handle"), titles=text("title"), types=text("product_type"), vendors=text("vendor"),
                   categories=text("product_category"), tags=lists("tags"),
                   active=np.array([s.lower() == "active" for s in text("status")], dtype=bool),
                   memberships=lists("collections"))

    def __len__(self) -> int:
        return len(self.handles)

    def rows_by(self, column: str) -> dict[str, np.ndarray]:
        """Lower-cased value -> the rows that have it, for "product_type", "vendor" or "tag"."""
        if column not in self._index:
            if column == "tag":
                rows = [row for row, tags in enumerate(self.tags) for _ in tags]
                values = [tag.lower() for tags in self.tags for tag in tags]
            else:
                rows, values = list(range(len(self))), [v.lower() for v in (
                    self.types if column == "product_type" else self.vendors)]
            self._index[column] = _group_rows(values, rows)
        return self._index[column]

    def mask(self, rule: Rule) -> np.ndarray:
        """The products the rule picks (evaluable rules only: see Rule.evaluable). The conditions of an AND rule
        are tested one after the other on the products the earlier ones left, equalities (an index) first."""
        if not rule.conditions:
            return np.zeros(len(self), dtype=bool)
        if rule.disjunctive:
            return np.asarray(np.logical_or.reduce([self._condition_mask(c, None) for c in rule.conditions]),
                              dtype=bool)
        ordered = sorted(rule.conditions, key=lambda c: not (c.relation == "=" and c.column in _INDEXED))
        out = self._condition_mask(ordered[0], None)
        for condition in ordered[1:]:
            out &= self._condition_mask(condition, np.flatnonzero(out))
        return out

    def _condition_mask(self, condition: Condition, within: np.ndarray | None) -> np.ndarray:
        """The condition's products among `within` (every product when None)."""
        column, relation, value = condition.column, condition.relation, condition.value.lower()
        out = np.zeros(len(self), dtype=bool)
        if column in _INDEXED and relation in ("=", "!="):
            rows = self.rows_by(column).get(value)
            if rows is not None:
                out[rows] = True
            return ~out if relation == "!=" else out
        candidates: Sequence[int] = range(len(self)) if within is None else within.tolist()
        if column == "tag":
            positive = relation.replace("not ", "").replace("!=", "=")
            hits = [r for r in candidates if any(_compare(t.lower(), positive, value) for t in self.tags[r])]
            out[hits] = True
            if relation in _NEGATIVE:
                out = ~out
        elif column in ("product_category", "product_category_with_descendants"):
            out[[r for r in candidates
                 if _category_matches(self.categories[r], column, relation, condition.value)]] = True
        else:
            values = {"product_type": self.types, "vendor": self.vendors, "title": self.titles}[column]
            out[[r for r in candidates if _compare(values[r].lower(), relation, value)]] = True
        return out  # (outside `within` a negation may read True: mask ANDs those rows away)

    def active_rows(self, rows: Iterable[int]) -> list[int]:
        return [r for r in rows if self.active[r]]


def _compare(text: str, relation: str, value: str) -> bool:
    if relation == "=":
        return text == value
    if relation == "!=":
        return text != value
    if relation == "contains":
        return value in text
    if relation == "not contains":
        return value not in text
    if relation == "starts with":
        return text.startswith(value)
    if relation == "ends with":
        return text.endswith(value)
    if relation == "is set":
        return bool(text)
    if relation == "is not set":
        return not text
    return False


def _category_matches(category: str, column: str, relation: str, value: str) -> bool:
    """A product's taxonomy category (its English full path) against a category rule's value: a full path, or a
    category name matched against the path's last part."""
    path, wanted = category.lower(), value.lower().strip()
    if relation in _NO_VALUE:
        return _compare(path, relation, "")
    if " > " in wanted:
        hit = path == wanted or (column.endswith("descendants") and path.startswith(wanted + " > "))
    else:
        parts = path.split(" > ")
        hit = parts[-1] == wanted or (column.endswith("descendants") and wanted in parts)
    return not hit if relation in _NEGATIVE else hit


@lru_cache(maxsize=4096)
def names_a_product(product_type: str) -> bool:
    """A product type that says what the product is ("Floor Lamps"), not a shelf label ("Sale", "New In")."""
    # (imported here: the content gates' package takes a tenth of a second to import, which a pull need not pay)
    from pipeline.gates.content.vocab_products import GENERIC_NOUNS, NON_NOUN_TYPES

    folded = fold(product_type).strip()
    tokens = re.findall(r"[a-z0-9]+", folded)
    return bool(tokens) and folded not in NON_NOUN_TYPES and not all(
        t in NON_NOUN_TYPES or t in GENERIC_NOUNS or t in _SHELF_WORDS or t.isdigit() for t in tokens)


# -- rows ---------------------------------------------------------------------------------------------------------
def empty_row(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"id": "", "handle": "", "title": "", "kind": "custom", "rule": "", "description": "",
                           "seo_title": "", "seo_description": "", "product_handles": [], "active_products": 0,
                           "source": "proposed", "keyword": "", "reason": "", "updated_at": "", "translations": []}
    row.update(values)
    return row


def with_members(row: dict[str, Any], products: Products, rows: Iterable[int] | np.ndarray) -> dict[str, Any]:
    members = np.unique(np.fromiter(rows, dtype=np.int64) if not isinstance(rows, np.ndarray) else rows)
    return {**row, "product_handles": [products.handles[r] for r in members.tolist()],
            "active_products": int(products.active[members].sum()) if len(members) else 0}


def _group_rows(values: Sequence[str], rows: Sequence[int]) -> dict[str, np.ndarray]:
    """value -> the rows (ascending, once each) that have it."""
    groups: dict[str, list[int]] = defaultdict(list)
    for value, row in zip(values, rows, strict=True):
        groups[value].append(row)
    return {value: np.unique(np.array(found, dtype=np.int64)) for value, found in groups.items()}


def store_rows(pulled: Sequence[Mapping[str, Any]] | None, products: Products) -> list[dict[str, Any]]:
    """The store's collections (pipeline/shopify/bulk_collections.py rows), each with its products from the
    catalogue's membership; without a collections query, the collections the products name, known by handle only."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, handles in enumerate(products.memberships):
        for handle in handles:
            members[handle].append(index)
    out = []
    seen = set()
    for item in pulled or []:
        handle = str(item.get("handle") or "")
        row = empty_row(**{k: v for k, v in item.items() if k in SCHEMA.names})
        row["source"] = "store"
        row["kind"] = "smart" if row.get("rule") else "custom"
        out.append(with_members(row, products, members.get(handle, [])))
        seen.add(handle)
    if pulled is None:
        for handle in sorted(set(members) - seen):
            out.append(with_members(empty_row(handle=handle, title=handle.replace("-", " ").title(), source="store",
                                              reason="known from product membership only (collections not read)"),
                                    products, members[handle]))
    return out


def propose(products: Products, *, min_products: int = DEFAULT_MIN_PRODUCTS,
            existing: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Collections the catalogue asks for and `existing` lacks: by product type, taxonomy category node and
    material/style/room tag (see the module docstring), each a smart collection with its rule and products."""
    taken_handles = {str(r["handle"]) for r in existing}
    index = {h: i for i, h in enumerate(products.handles)}
    taken_sets = [frozenset(index[h] for h in r.get("product_handles") or [] if h in index) for r in existing]
    active_total = int(products.active.sum())
    out: list[dict[str, Any]] = []

    code_of: dict[str, int] = {}
    type_codes = np.array([code_of.setdefault(t.lower(), len(code_of)) for t in products.types], dtype=np.int64)

    def offer(title: str, rule: Rule, reason: str, rows: np.ndarray, *, types_at_least: int = 1) -> None:
        handle = handleize(title)
        chosen = np.flatnonzero(rows)
        active = chosen[products.active[chosen]]
        if not handle or handle in taken_handles or len(active) < min_products:
            return
        if types_at_least > 1 and len(np.unique(type_codes[active])) < types_at_least:
            return
        members = frozenset(chosen.tolist())
        if any(_jaccard(members, other) >= SAME_PRODUCTS for other in taken_sets):
            return
        taken_handles.add(handle)
        taken_sets.append(members)
        out.append(with_members(empty_row(handle=handle, title=title, kind="smart", rule=rule.text(),
                                          source="proposed", reason=reason), products, chosen))

    # product types that name a product, largest first; each spelt as most of its products spell it
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for value, count in Counter(products.types).items():  # each distinct spelling once, not once per product
        if value and names_a_product(value):
            spellings[value.lower()][value] += count
    by_type = products.rows_by("product_type")
    for key in sorted(spellings, key=lambda k: (-len(by_type[k]), k)):
        title = spellings[key].most_common(1)[0][0]
        mask = np.zeros(len(products), dtype=bool)
        mask[by_type[key]] = True
        offer(title, Rule((Condition("product_type", "=", title),)),
              f"{int(products.active[mask].sum()):,} active products of type {title!r}", mask)
    # taxonomy category nodes that gather several types, the most specific first
    by_category = _group_rows(products.categories, list(range(len(products))))  # each distinct path split once
    node_parts: dict[str, list[np.ndarray]] = defaultdict(list)
    for category, category_rows in by_category.items():
        parts = [p.strip() for p in category.split(">") if p.strip()]
        for depth in range(1, len(parts) + 1):
            node_parts[" > ".join(parts[:depth])].append(category_rows)
    nodes = {path: np.sort(np.concatenate(parts)) for path, parts in node_parts.items()}
    for path in sorted(nodes, key=lambda p: (-p.count(" > "), len(nodes[p]), p)):
        rows = np.zeros(len(products), dtype=bool)
        rows[nodes[path]] = True
        name = path.rsplit(" > ", 1)[-1]
        if not names_a_product(name) or (active_total and products.active[rows].sum() >= BROAD_SHARE * active_total):
            continue
        active_rows = nodes[path][products.active[nodes[path]]]
        offer(name, Rule((Condition("product_category_with_descendants", "=", path),)),
              f"taxonomy category {path!r}: {int(products.active[rows].sum()):,} active products of "
              f"{len(np.unique(type_codes[active_rows])):,} types", rows, types_at_least=2)
    # material, style and room tags shared across types
    by_tag = products.rows_by("tag")
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for tag, count in Counter(tag for tags in products.tags for tag in tags).items():
        written[tag.lower()][tag] += count
    for key in sorted(by_tag, key=lambda k: (-len(by_tag[k]), k)):
        terms = find_terms(key)
        if len(terms) != 1 or terms[0][0] not in TAG_KINDS or " ".join(key.replace("-", " ").split()) != \
                " ".join(terms[0][1].replace("-", " ").split()):
            continue  # only a tag that is one whole material, style or room term
        rows = np.zeros(len(products), dtype=bool)
        rows[by_tag[key]] = True
        if active_total and products.active[rows].sum() >= BROAD_SHARE * active_total:
            continue
        tag = written[key].most_common(1)[0][0]
        offer(_title_case(tag), Rule((Condition("tag", "=", tag),)),
              f"{terms[0][0]} tag {tag!r} on {int(products.active[rows].sum()):,} active products of several types",
              rows, types_at_least=2)
    return out


def _title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    if min(len(a), len(b)) < SAME_PRODUCTS * max(len(a), len(b)):
        return min(len(a), len(b)) / max(len(a), len(b))  # (at most this: no need to count)
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def evaluated(row: Mapping[str, Any], products: Products) -> dict[str, Any]:
    """A smart row with its products from its rule (when the catalogue can evaluate it), else as it is."""
    if row.get("kind") != "smart" or not row.get("rule"):
        return dict(row)
    try:
        rule = parse_rule(str(row["rule"]))
    except RuleError:
        return dict(row)
    if not rule.evaluable:
        return dict(row)
    return with_members(dict(row), products, np.flatnonzero(products.mask(rule)))


# -- files --------------------------------------------------------------------------------------------------------
def collections_path(workspace: Workspace) -> Path:
    return workspace.root / "collections.parquet"


def collections_csv_path(workspace: Workspace) -> Path:
    return workspace.root / "collections.csv"


@dataclass(frozen=True)
class Written:
    rows: int
    by_source: dict[str, int]
    csv_kept: bool  # collections.csv holds the merchant's edits and was left as it was

    def summary(self) -> str:
        parts = ", ".join(f"{n:,} {s.replace('_', ' ')}" for s, n in self.by_source.items() if n)
        kept = "; collections.csv has your edits and was kept" if self.csv_kept else ""
        return f"{self.rows:,} collections" + (f" ({parts})" if parts else "") + kept


def refresh(workspace: Workspace, pulled: Sequence[Mapping[str, Any]] | None, *,
            min_products: int = DEFAULT_MIN_PRODUCTS) -> Written:
    """After a pull: the store's collections (None from a CSV pull), proposals for what they lack, and the keywords
    stage's earlier proposals still free, re-evaluated on the new catalogue -> collections.parquet and .csv."""
    products = Products.read(workspace.catalog)
    rows = store_rows(pulled, products) if pulled is not None or any(products.memberships) else []
    rows += propose(products, min_products=min_products, existing=rows)
    handles = {r["handle"] for r in rows}
    for previous in _parquet_rows(collections_path(workspace)):
        if previous["source"] == "proposed_from_query" and previous["handle"] not in handles:
            rows.append(evaluated(previous, products))
            handles.add(previous["handle"])
    return write_collections(workspace, rows)


def write_collections(workspace: Workspace, rows: Sequence[Mapping[str, Any]]) -> Written:
    """collections.parquet, and collections.csv beside it unless the merchant has edited that (then it is kept,
    and so is the record of what the pipeline last wrote to it, so the edits still read as edits)."""
    path, csv_path = collections_path(workspace), collections_csv_path(workspace)
    rows = [empty_row(**{k: v for k, v in r.items() if k in SCHEMA.names}) for r in rows]
    previous = _metadata(path)
    edited = csv_path.exists() and _sha256(csv_path) != previous.get(CSV_DIGEST, b"").decode()
    if edited:
        metadata = {k: v for k, v in previous.items() if k in (CSV_DIGEST, CSV_HANDLES)}
    else:
        text = _csv_text(rows)
        with atomic_path(csv_path) as tmp:
            tmp.write_bytes(text)
        metadata = {CSV_DIGEST: hashlib.sha256(text).hexdigest().encode(),
                    CSV_HANDLES: json.dumps([r["handle"] for r in rows]).encode()}
    table = rows_table(rows).replace_schema_metadata(metadata)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    counts = Counter(str(r["source"]) for r in rows)
    return Written(len(rows), {s: counts.get(s, 0) for s in SOURCES}, edited)


def rows_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows of SCHEMA as a table, built by pyarrow's JSON reader: pa.array on Python lists imports pandas, which a
    store pull never needs (tests/shopify/test_bulk_catalog.py checks it does not)."""
    import pyarrow.json as pa_json

    if not rows:
        return SCHEMA.empty_table()
    data = "".join(json.dumps({name: row.get(name) for name in SCHEMA.names}, ensure_ascii=False) + "\n"
                   for row in rows).encode("utf-8")
    options = pa_json.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="error")
    return pa_json.read_json(io.BytesIO(data), parse_options=options,
                             read_options=pa_json.ReadOptions(block_size=max(1 << 20, len(data) + 1)))


def read_collections(workspace: Workspace, products: Products | None = None) -> list[dict[str, Any]]:
    """The collections as the stages see them: collections.parquet with the merchant's edits to collections.csv on
    top (module docstring); [] when neither file exists. `products` (read from the catalogue when needed) gives a
    changed smart rule its products."""
    path, csv_path = collections_path(workspace), collections_csv_path(workspace)
    rows = _parquet_rows(path)
    metadata = _metadata(path)
    if not csv_path.exists() or (path.exists() and _sha256(csv_path) == metadata.get(CSV_DIGEST, b"").decode()):
        return rows
    edits = read_csv(csv_path)
    written = set(json.loads(metadata.get(CSV_HANDLES, b"[]").decode() or "[]"))
    by_handle = {r["handle"]: r for r in rows}
    out: list[dict[str, Any]] = []
    for edit in edits:
        base = by_handle.get(edit["handle"])
        row = dict(base) if base is not None else empty_row(source="merchant",
                                                            title=edit["handle"].replace("-", " ").title())
        for name in ("handle", *EDITABLE):
            if name in edit and name != "product_handles" and (name != "source" or edit[name]):
                row[name] = edit[name]
        if "product_handles" in edit and (row["kind"] == "custom" or base is None):
            row["product_handles"] = edit["product_handles"]  # (a smart one's are its rule's, or the store's)
        if row["kind"] == "smart" and (base is None or base.get("rule") != row["rule"]):
            products = products if products is not None else Products.read(workspace.catalog)
            row = evaluated(row, products)
        elif base is None or base.get("product_handles") != row["product_handles"]:
            products = products if products is not None else _products_or_none(workspace)
            if products is not None:
                index = {h: i for i, h in enumerate(products.handles)}
                row = with_members(row, products, [index[h] for h in row["product_handles"] if h in index])
        out.append(row)
    kept = {r["handle"] for r in out}
    for row in rows:
        if row["handle"] in kept:
            continue
        if row["handle"] not in written or row["source"] == "store":  # proposed since, or a store collection
            out.append(row)
    return out


def stored_rows(workspace: Workspace) -> list[dict[str, Any]]:
    """collections.parquet's rows as the pipeline last wrote them (without the merchant's edits)."""
    return _parquet_rows(collections_path(workspace))


def _products_or_none(workspace: Workspace) -> Products | None:
    return Products.read(workspace.catalog) if workspace.catalog.exists() else None


def read_csv(path: Path) -> list[dict[str, Any]]:
    """collections.csv's rows, checked: a handle Shopify accepts, once; a kind; a rule that parses."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save it again as CSV UTF-8", file=str(path)) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "handle" not in header:
        raise InputError("no 'handle' column (the columns are: " + ", ".join(CSV_COLUMNS) + ")", file=str(path),
                         row=1)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        cells = {str(k).strip(): _unquoted(v) for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        handle = cells.get("handle", "").strip()
        if not HANDLE.match(handle):
            raise InputError(f"handle {handle!r} is not a Shopify handle (lower-case letters, digits and '-')",
                             file=str(path), row=number, field="handle")
        if handle in seen:
            raise InputError(f"handle {handle!r} is also on row {seen[handle]}", file=str(path), row=number,
                             field="handle")
        seen[handle] = number
        rule = " ".join(cells.get("rule", "").split())
        kind = cells.get("kind", "").strip().lower() or ("smart" if rule else "custom")
        if kind not in KINDS:
            raise InputError(f"kind {kind!r} is neither smart nor custom", file=str(path), row=number, field="kind")
        if kind == "smart":
            try:
                rule = parse_rule(rule).text()
            except RuleError as exc:
                raise InputError(str(exc), file=str(path), row=number, field="rule") from None
        source = cells.get("source", "").strip()
        if source and source not in SOURCES:
            raise InputError(f"source {source!r} is not one of {', '.join(SOURCES)}", file=str(path), row=number,
                             field="source")
        row: dict[str, Any] = {"handle": handle, "source": source}  # and only the columns the file has
        if "kind" in cells or "rule" in cells:
            row.update(kind=kind, rule=rule if kind == "smart" else "")
        if "product_handles" in cells:
            row["product_handles"] = cells["product_handles"].split()
        for name in ("title", "description", "seo_title", "seo_description", "keyword"):
            if name in cells:
                row[name] = cells[name].strip() if name != "description" else cells[name]
        out.append(row)
    return out


def _unquoted(value: Any) -> str:
    """A cell as written, less the ' spreadsheet.safe_cell put before text a spreadsheet would take for a formula."""
    text = "" if value is None else str(value)
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _csv_text(rows: Sequence[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = {**row, "product_handles": " ".join(row.get("product_handles") or [])}
        writer.writerow([safe_cell(values.get(name, "")) for name in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _metadata(path: Path) -> dict[bytes, bytes]:
    if not path.exists():
        return {}
    try:
        return dict(pq.read_schema(path).metadata or {})
    except (OSError, pa.ArrowException):
        return {}


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        table = pq.ParquetFile(path).read()
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"not a readable Parquet file ({type(exc).__name__}); re-run {command('pull')}",
                         file=str(path)) from None
    return [empty_row(**{k: v for k, v in r.items() if k in SCHEMA.names}) for r in table.to_pylist()]


# -- what the figures and the audit ask of them ---------------------------------------------------------------
def membership(rows: Sequence[Mapping[str, Any]], products: Products) -> list[list[int]]:
    """Each collection's rows in the catalogue."""
    index = {h: i for i, h in enumerate(products.handles)}
    return [[index[h] for h in r.get("product_handles") or [] if h in index] for r in rows]


def products_without_collection(rows: Sequence[Mapping[str, Any]], products: Products) -> list[int]:
    """The active products in none of `rows`."""
    covered = np.zeros(len(products), dtype=bool)
    for members in membership(rows, products):
        covered[members] = True
    return [int(r) for r in np.flatnonzero(products.active & ~covered)]


def intro_words(row: Mapping[str, Any]) -> int:
    return len(strip_html(str(row.get("description") or "")).split())


__all__ = ["SCHEMA", "CSV_COLUMNS", "Condition", "Rule", "RuleError", "Products", "Written", "parse_rule",
           "store_rule_text", "rule_input", "propose", "store_rows", "refresh", "write_collections",
           "read_collections", "stored_rows", "read_csv", "collections_path", "collections_csv_path",
           "products_without_collection", "membership", "names_a_product", "evaluated", "empty_row", "with_members",
           "intro_words"]
