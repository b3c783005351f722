"""Build hook (pyproject.toml, [tool.setuptools.cmdclass]): ships the top-level resources as package data.

prompts/, the commented seo.toml and the sample catalogue stay at the top of the repository, where people edit
them; a wheel carries a copy of them in pipeline/_bundled/ (pipeline/resources.py finds either). This adds them to
build_py's package data, so a wheel has them, an sdist lists them (and a wheel built from that sdist has them
too), and an editable install, which reads the checkout, is untouched. Only the build imports this module.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setuptools.command.build_py import build_py

# Paths relative to the repository top; a folder brings every file under it.
BUNDLED = ("seo.toml", "prompts", "catalog_samples/products.csv", "catalog_samples/gsc_queries.csv",
           "catalog_samples/translations_export.csv", "catalog_samples/README.md")
TARGET = ("pipeline", "_bundled")


def bundled_files(top: Path) -> list[str]:
    files: list[str] = []
    for name in BUNDLED:
        path = top / name
        if path.is_dir():
            files += sorted(p.relative_to(top).as_posix() for p in path.rglob("*")
                            if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc"))
        elif path.is_file():
            files.append(name)
        else:
            raise FileNotFoundError(f"{path}: listed in pipeline/_build.py BUNDLED but missing; the package ships it")
    return files


class BuildPy(build_py):
    """build_py that also copies BUNDLED into pipeline/_bundled/ of the build."""

    def _bundled_entry(self) -> tuple[str, str, str, list[str]]:
        # (package, source folder, build folder, file names relative to both), as build_py's data_files hold.
        return TARGET[0], "", os.path.join(self.build_lib, *TARGET), bundled_files(Path.cwd())

    def _get_data_files(self) -> list[Any]:
        return [*super()._get_data_files(), self._bundled_entry()]

    def get_data_files_without_manifest(self) -> list[Any]:  # what sdist lists
        return [*super().get_data_files_without_manifest(), self._bundled_entry()]
