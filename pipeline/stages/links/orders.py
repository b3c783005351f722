"""Products bought together, from an orders export (Shopify's Orders CSV, or any CSV with the same idea).

Shopify's export has one row per line item, the order number repeated in `Name` and the variant in
`Lineitem sku`. A plain `order_id,sku` or `order_id,handle` file works too. Only pairs of products matter
to internal links, so the result is a count of orders per unordered pair of catalogue rows.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError

ORDER_COLUMNS = ("name", "order", "order_id", "order id", "order name", "order number")
SKU_COLUMNS = ("lineitem sku", "sku", "variant sku")
HANDLE_COLUMNS = ("handle", "product handle", "product_handle", "lineitem handle")
# A basket bigger than this is a wholesale or test order: it would relate everything to everything.
MAX_BASKET = 30


@dataclass
class CoPurchases:
    pairs: Counter[tuple[int, int]] = field(default_factory=Counter)
    orders: int = 0
    unmatched_lines: int = 0


def read_orders(path: Path, sku_rows: Mapping[str, int], handle_rows: Mapping[str, int]) -> CoPurchases:
    """Count, for each pair of catalogue rows (smaller first), the orders that contain both."""
    path = Path(path)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("orders export not found", file=str(path)) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
            order_col = _column(header, ORDER_COLUMNS, path, "order")
            item_col = _find(header, SKU_COLUMNS)
            by_sku = item_col is not None
            if item_col is None:
                item_col = _column(header, HANDLE_COLUMNS, path, "line item (SKU or handle)")
            baskets: dict[str, set[int]] = {}
            result = CoPurchases()
            lookup = sku_rows if by_sku else handle_rows
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(order_col, item_col) or not row[order_col].strip():
                    raise InputError("empty order number", file=str(path), row=number, field=header[order_col])
                product = lookup.get(row[item_col].strip())
                if product is None:
                    result.unmatched_lines += 1
                    continue
                baskets.setdefault(row[order_col].strip(), set()).add(product)
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", file=str(path)) from None
        except csv.Error as exc:
            raise InputError(f"unreadable CSV: {exc}", file=str(path)) from None
    result.orders = len(baskets)
    for basket in baskets.values():
        if 2 <= len(basket) <= MAX_BASKET:
            result.pairs.update(itertools.combinations(sorted(basket), 2))
    return result


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(name) for name in names if name in header), None)


def _column(header: list[str], names: tuple[str, ...], path: Path, what: str) -> int:
    index = _find(header, names)
    if index is None:
        raise InputError(f"no {what} column (expected one of: {', '.join(names)})", file=str(path), row=1)
    return index
