"""CSV files meant to be opened in Excel, Google Sheets or LibreOffice, safe against formula injection.

A product title such as `=HYPERLINK("http://evil","click")` is data to us but a live formula to a
spreadsheet. Any cell that starts with a character a spreadsheet treats as a formula (=, +, -, @, tab, CR)
gets a leading single quote, which spreadsheets show as text and do not evaluate (OWASP's advice).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.workspace import atomic_path

if TYPE_CHECKING:  # pandas is imported where a frame is written: a store pull never needs it
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The cell's text, quoted with a leading ' when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from pandas
        return ""
    text = value if isinstance(value, str) else str(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv_atomic(destination: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a UTF-8 CSV (with BOM, so Excel detects the encoding) atomically; returns the row count."""
    count = 0
    with atomic_path(destination) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(value) for value in row])
                count += 1
    return count


def write_frame_csv_atomic(destination: Path, frame: pd.DataFrame) -> int:
    """Like `write_csv_atomic` for a DataFrame (vectorised: 100,000 rows in well under a second)."""
    import pandas

    safe = frame.copy()
    for name in safe.columns:
        if safe[name].dtype.kind in "OSUT" or pandas.api.types.is_string_dtype(safe[name]):
            text = safe[name].astype("object").where(safe[name].notna(), "").astype(str)
            safe[name] = text.where(~text.str.startswith(FORMULA_START), "'" + text)
    with atomic_path(destination) as tmp:
        safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return len(safe)
