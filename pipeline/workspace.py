"""The artefact map of workspace/<store>/ and atomic writes.

Every artefact is written to a temporary file beside its destination and renamed into place, so a crash or a
bad input never leaves a half-written file where the next stage would read it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

STORE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Workspace:
    """Where one store's artefacts live. Paths only: reading and writing stay with the stages."""

    root: Path

    @classmethod
    def for_store(cls, base: Path, store: str) -> Workspace:
        from pipeline.errors import ConfigError

        if not store.strip():
            raise ConfigError("the store name is empty; give one of letters, digits, '.', '_' or '-', like my-shop")
        if not STORE_NAME.match(store):
            spaced = re.fullmatch(r"\s*[A-Za-z0-9._-]+(\s+[A-Za-z0-9._-]+)+\s*", store)
            suggestion = f" (no spaces: {'-'.join(store.split())!r})" if spaced else ""
            raise ConfigError(f"store name {store!r} must be letters, digits, '.', '_' or '-'{suggestion}")
        return cls(Path(base) / store)

    def ensure(self) -> Workspace:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def store_name(self) -> str:
        return self.root.name

    @property
    def state_db(self) -> Path:
        return self.root / "state.db"

    @property
    def catalog(self) -> Path:
        return self.root / "catalog.parquet"

    @property
    def locales(self) -> Path:
        return self.root / "translations.parquet"

    @property
    def audit(self) -> Path:
        return self.root / "audit.parquet"

    @property
    def audit_csv(self) -> Path:
        return self.root / "audit.csv"

    @property
    def audit_html(self) -> Path:
        return self.root / "audit.html"

    @property
    def targets(self) -> Path:
        return self.root / "targets.parquet"

    @property
    def links(self) -> Path:
        return self.root / "links.parquet"

    @property
    def exports(self) -> Path:
        return self.root / "exports"


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """Yield a temporary path beside `destination`; rename it into place only if the block succeeds."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); artefacts should get the usual permissions, as open() would give.
    os.chmod(tmp, 0o666 & ~_current_umask())
    try:
        yield tmp
        os.replace(tmp, destination)
    finally:
        if tmp.exists():
            tmp.unlink()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(destination: Path, text: str) -> None:
    with atomic_path(destination) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json_atomic(destination: Path, payload: object) -> None:
    write_text_atomic(destination, json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")


def read_input_bytes(path: Path) -> bytes:
    """A user's input file, whole; a missing file, a folder or an unreadable one is a one-line InputError."""
    from pipeline.errors import InputError

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a CSV file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", file=str(path)) from None
