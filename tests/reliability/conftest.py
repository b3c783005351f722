"""Fixtures of the reliability suite: the `case` record behind the (case, expected, observed) table, and a
clean store that every hostile case starts from (copied, so a case can only spoil its own copy)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.reliability.catalogue import CLEAN_CSV
from tests.reliability.harness import OPENAI_CONFIG, PROJECT_ROOT, TEST_CONFIG, copy_workspace, store_args


@dataclass
class CaseRecord:
    """One row of the reliability table. A case states what it expects before it acts and what it observed
    after; an assertion failing in between leaves the last observation in the table."""

    name: str
    group: str
    expected: str = ""
    observed: str = "(no observation: the case stopped before it observed anything)"

    def expect(self, text: str) -> None:
        self.expected = text

    def observe(self, text: str) -> None:
        self.observed = text

    def as_dict(self) -> dict[str, str]:
        return {"case": self.name, "group": self.group, "expected": self.expected, "observed": self.observed}


@pytest.fixture
def case(request: pytest.FixtureRequest):
    callspec = getattr(request.node, "callspec", None)
    name = callspec.id if callspec is not None else request.node.name.removeprefix("test_")
    record = CaseRecord(name=name, group=getattr(request.module, "GROUP", request.module.__name__))
    yield record
    request.node.user_properties.append(("reliability", record.as_dict()))


@dataclass(frozen=True)
class CleanStore:
    """A store pulled from the clean catalogue and taken through audit, keywords, links and offline generate."""

    base: Path
    store: str
    config: Path

    @property
    def root(self) -> Path:
        return self.base / self.store

    def copy_to(self, tmp_path: Path) -> CleanStore:
        copy_workspace(self.root, tmp_path / "ws" / self.store)
        config = tmp_path / "seo.toml"
        config.write_text(self.config.read_text(encoding="utf-8"), encoding="utf-8")
        return CleanStore(tmp_path / "ws", self.store, config)

    def args(self, config: Path | None = None) -> list[str]:
        return store_args(self.base, self.store, config or self.config)


def build_clean_store(base: Path) -> CleanStore:
    base.mkdir(parents=True, exist_ok=True)
    config = base / "seo.toml"
    config.write_text(TEST_CONFIG, encoding="utf-8")
    csv_path = base / "products.csv"
    csv_path.write_text(CLEAN_CSV, encoding="utf-8")
    store = CleanStore(base / "ws", "clean", config)
    for stage in (["pull", "--csv", str(csv_path)], ["audit"], ["keywords"], ["links"],
                  ["generate", "--all", "--provider", "offline"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*store.args(), *stage])
        assert code == 0, (stage, err.getvalue())
    return store


def generated_catalogue(path: Path, products: int, seed: int) -> Path:
    """A Shopify CSV from the sample generator (catalog_samples/generate_sample.py), with its planted flaws."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_sample", PROJECT_ROOT / "catalog_samples" /
                                                  "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_csv(module.generate_products(products, seed=seed), path)
    return path


def build_generated_store(base: Path, products: int, *, seed: int = 11, config: str = OPENAI_CONFIG) -> CleanStore:
    """A generated catalogue taken through pull, audit, keywords and links: ready for `generate`."""
    base.mkdir(parents=True, exist_ok=True)
    config_path = base / "seo.toml"
    config_path.write_text(config, encoding="utf-8")
    csv_path = generated_catalogue(base / "products.csv", products, seed)
    store = CleanStore(base / "ws", "gen", config_path)
    for stage in (["pull", "--csv", str(csv_path)], ["audit"], ["keywords"], ["links"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*store.args(), *stage])
        assert code == 0, (stage, err.getvalue())
    return store


@pytest.fixture(scope="session")
def generated_store_template(tmp_path_factory: pytest.TempPathFactory) -> CleanStore:
    """60 generated products (in two locales: 120 drafts with --all), for generation through the OpenAI double."""
    return build_generated_store(tmp_path_factory.mktemp("reliability-generated"), 60)


@pytest.fixture(scope="session")
def clean_store_template(tmp_path_factory: pytest.TempPathFactory) -> CleanStore:
    return build_clean_store(tmp_path_factory.mktemp("reliability-clean"))


@pytest.fixture
def clean_store(clean_store_template: CleanStore, tmp_path: Path) -> CleanStore:
    return clean_store_template.copy_to(tmp_path)
