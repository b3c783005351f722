"""All SQL lives in pipeline/state/ (docs/architecture.md): no other module of the package holds an SQL statement.

The check reads each module's string literals with `ast` (f-strings with their placeholders as `{}`, implicitly
concatenated pieces as one string), so comments never count, and skips docstrings, which describe the tables in
prose. A string counts as SQL only in the shape of a statement, keywords in capitals: `SELECT ... FROM`,
`INSERT [OR x] INTO`, `UPDATE t SET`, `DELETE FROM`, `CREATE [TEMP] [UNIQUE] TABLE|INDEX|VIEW|TRIGGER`,
`DROP TABLE|INDEX`, `ALTER TABLE`, `PRAGMA name`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pipeline"
STATE = PACKAGE / "state"

SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b"
    r"|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b"
    r"|\bUPDATE\s+[\w.]+\s+SET\b"
    r"|\bDELETE\s+FROM\b"
    r"|\bCREATE\s+(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bDROP\s+(?:TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bALTER\s+TABLE\b"
    r"|\bPRAGMA\s+[\w.]+"
)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of the module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def string_literals(source: str, filename: str = "<source>") -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal in `source` but docstrings; an f-string's placeholders read `{}`."""
    tree = ast.parse(source, filename)
    skip = _docstrings(tree)
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside_fstrings.add(id(value))
                parts.append(value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else "{}")
            yield node.lineno, "".join(parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                and id(node) not in inside_fstrings:
            yield node.lineno, node.value


def sql_strings(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    return [(line, text) for line, text in string_literals(source, filename) if SQL.search(text)]


def _modules_outside_state() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if STATE not in path.parents]


def test_no_sql_outside_pipeline_state() -> None:
    offences = [f"{path.relative_to(PACKAGE.parent)}:{line}: {' '.join(text.split())[:100]}"
                for path in _modules_outside_state()
                for line, text in sql_strings(path.read_text(encoding="utf-8"), str(path))]
    assert offences == [], "SQL belongs in pipeline/state/ (a function there, called from here):\n" + "\n".join(
        offences)


def test_the_scan_covers_the_package() -> None:
    modules = _modules_outside_state()
    assert len(modules) > 20 and any(p.parts[-2:] == ("llm", "batch.py") for p in modules)
    assert not any(STATE in p.parents for p in modules)


def test_state_itself_holds_sql() -> None:  # the pattern finds the statements where they are allowed
    found = [text for path in sorted(STATE.glob("*.py")) for _, text in sql_strings(path.read_text(encoding="utf-8"))]
    assert any(text.lstrip().startswith("CREATE TABLE") for text in found)
    assert any(text.startswith("INSERT OR REPLACE INTO drafts") for text in found)


@pytest.mark.parametrize("source", [
    'db.execute("SELECT COUNT(*) FROM drafts")',
    'db.execute("select 1 from x; " "INSERT INTO runs (stage) VALUES (?)", args)',
    'db.execute(f"SELECT {columns} "\n           "FROM decisions WHERE id = ?", (1,))',
    'sql = "UPDATE llm_batches SET status = ? WHERE id = ?"',
    'db.executemany("INSERT OR IGNORE INTO t (a) VALUES (?)", rows)',
    'db.execute("DELETE FROM decisions WHERE product_id = ?", (p,))',
    'SCHEMA = """\n    CREATE TABLE IF NOT EXISTS t (a TEXT);\n    CREATE INDEX t_a ON t (a)\n"""',
    'db.execute("CREATE TEMP TABLE seen (id TEXT)")',
    'db.execute("ALTER TABLE runs ADD COLUMN pid INTEGER")',
    'db.execute("PRAGMA journal_mode=WAL")',
])
def test_statements_are_found(source: str) -> None:
    assert sql_strings(source)


@pytest.mark.parametrize("source", [
    '"""Select the products from the catalogue; insert into the queue what changed."""',
    'def f():\n    """Drafts are written as new rows (INSERT OR REPLACE), so SELECT ... FROM drafts is cheap."""\n',
    '# db.execute("SELECT * FROM drafts")\nx = 1',
    'message = "update the store, then delete from the list what was written"',
    'query = "query Products($first: Int!) { products(first: $first) { nodes { id } } }"',
    'mutation = "mutation productUpdate($input: ProductInput!) { productUpdate(input: $input) { userErrors { x } } }"',
    'label = "SELECT"',
    'help = "Update settings: set [review] port"',
])
def test_prose_and_graphql_are_not_sql(source: str) -> None:
    assert sql_strings(source) == []
