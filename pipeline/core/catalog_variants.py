"""Variants as a flat table (one row per variant: the product's row position, SKU and option values).

Reading the nested `variants` column into pandas builds one Python dict per variant, which is most of the cost
of loading a 100,000-product catalogue; Arrow can flatten the list column without that.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

VARIANT_COLUMNS = ["row", "sku", "option1", "option2", "option3"]


def read_variant_table(catalog_path: Path) -> pd.DataFrame:
    """The variants of catalog.parquet, `row` being the product's position in the file."""
    column = pq.read_table(catalog_path, columns=["variants"]).column("variants").combine_chunks()
    return _flatten(column)


def variant_table(variants: pd.Series) -> pd.DataFrame:
    """The same table from an in-memory column of variant lists (dicts), for catalogues built in code."""
    records = [(row, v.get("sku"), v.get("option1"), v.get("option2"), v.get("option3"))
               for row, items in enumerate(variants.tolist()) if items is not None for v in items]
    return pd.DataFrame(records, columns=VARIANT_COLUMNS).astype({"row": np.int64}) if records else _empty()


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"row": np.zeros(0, np.int64), **{name: np.zeros(0, object) for name in VARIANT_COLUMNS[1:]}})


def _flatten(column: pa.ListArray) -> pd.DataFrame:
    if len(column) == 0:
        return _empty()
    parents = pc.list_parent_indices(column).to_numpy()
    flat = pc.list_flatten(column)
    table = {"row": parents.astype(np.int64)}
    for name in VARIANT_COLUMNS[1:]:
        table[name] = flat.field(name).to_numpy(zero_copy_only=False)
    return pd.DataFrame(table)
