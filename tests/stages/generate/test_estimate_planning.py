"""Planning for `make estimate`: one request at a time, from the catalogue's prompt columns, without the checks
that judge an answer, and still exactly the first requests generate sends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.core.catalog import read_catalog, read_catalog_table
from pipeline.gates.facts import product_facts
from pipeline.llm.estimate import estimate
from pipeline.llm.provider import PlanningProvider
from pipeline.llm.waves import ModelIdentity
from pipeline.stages.generate.prompts import Prompts
from pipeline.stages.generate.stage import (
    PROMPT_COLUMNS,
    GenerateOptions,
    GenerateResult,
    _prepare,
    generate,
    iter_planned_requests,
    planned_requests,
)
from pipeline.state.response_cache import request_key
from pipeline.state.store import StateStore
from tests.conftest import SAMPLE_CSV
from tests.fakes.model_writer import ModelDouble
from tests.generate_fixtures import PRODUCTS, store_args, workspace_of, write_store

OPENAI = ModelIdentity("openai", "gpt-5.4-mini")


def options_of(tmp_path: Path, **kwargs) -> GenerateOptions:
    store_args(tmp_path)  # writes seo.toml
    settings = load_settings(tmp_path / "seo.toml", store="t", workspace=tmp_path / "ws")
    return GenerateOptions.from_settings(settings, **kwargs)


def as_generate_plans_them(tmp_path: Path, options: GenerateOptions, identity: ModelIdentity = OPENAI):
    """The first requests of a generate run, as `generate` itself makes them (with their checks)."""
    workspace = workspace_of(tmp_path)
    with StateStore(workspace.state_db) as state:
        result = GenerateResult(run_id=0, provider="", template_based=False, locales=options.locales)
        run, selected, rows = _prepare(workspace, state, PlanningProvider(identity), options, Prompts(), None,
                                       result)
        run.index_ready = True
        plans = [run._plan(product_facts(rows[pid]), locale) for pid in selected for locale in options.locales]
        return [p.request for p in plans if p is not None]


def same_request(planned, sent) -> bool:
    """Same messages and parameters (so the same cache key and tokens), and the same context but for what only
    the checks add (the fact sheet the offline writer reads)."""
    context = {k: v for k, v in sent.context.items() if k not in ("fact_sheet", "allow_dropped")}
    return (planned.messages == sent.messages and planned.params() == sent.params()
            and request_key("openai", OPENAI.model, planned) == request_key("openai", OPENAI.model, sent)
            and dict(planned.context) == context)


@pytest.mark.parametrize("kwargs", [{"select_all": True}, {}, {"only": ["p-mug", "stoneware-mug", "p-duvet"]},
                                    {"limit": 2, "locales": ["fr", "en"]}])
def test_planning_makes_the_first_requests_generate_sends_in_its_order(tmp_path, kwargs):
    write_store(workspace_of(tmp_path))
    options = options_of(tmp_path, **kwargs)
    expected = as_generate_plans_them(tmp_path, options)
    with StateStore(workspace_of(tmp_path).state_db) as state:
        planned = iter_planned_requests(workspace_of(tmp_path), state, OPENAI, options, chunk=2)
        assert isinstance(planned, Iterator)  # made one at a time, as they are asked for
        planned = list(planned)
    assert expected and len(planned) == len(expected)
    assert all(same_request(p, e) for p, e in zip(planned, expected, strict=True))
    assert all("fact_sheet" not in p.context for p in planned)  # the checks are not built for an estimate


def test_planning_leaves_out_drafts_that_are_unchanged_since_the_last_run(tmp_path):
    write_store(workspace_of(tmp_path))
    options = options_of(tmp_path, select_all=True)
    provider = ModelDouble()
    identity = ModelIdentity(provider.name, provider.model)
    workspace = workspace_of(tmp_path)
    with StateStore(workspace.state_db) as state:
        before = planned_requests(workspace, state, identity, options)
        generate(workspace, state, provider, options, prompts=Prompts())
        assert before and planned_requests(workspace, state, identity, options) == []
    changed = [dict(p, title="Linen Duvet Cover in Sage") if p["id"] == "p-duvet" else p for p in PRODUCTS]
    write_store(workspace, products=changed)
    with StateStore(workspace.state_db) as state:
        again = planned_requests(workspace, state, identity, options)
    assert {(r.context["product"]["id"], r.context["locale"]) for r in again} == {
        ("p-duvet", loc) for loc in options.locales}


def test_the_prompt_columns_give_the_facts_the_whole_row_gives(tmp_path):
    """Planning reads only PROMPT_COLUMNS, as Arrow rows: the same facts as generate's full pandas rows."""
    assert main(["--workspace", str(tmp_path), "--store", "s", "pull", "--csv", str(SAMPLE_CSV)]) == 0
    catalog = tmp_path / "s" / "catalog.parquet"
    rows = read_catalog(catalog).to_dict("records")
    narrow = read_catalog_table(catalog, columns=list(PROMPT_COLUMNS)).to_pylist()
    assert len(rows) == len(narrow) == 1200
    assert all(product_facts(a) == product_facts(b) for a, b in zip(rows, narrow, strict=True))


def test_an_estimate_reads_its_requests_once_as_they_come(tmp_path):
    write_store(workspace_of(tmp_path))
    options = options_of(tmp_path, select_all=True)
    workspace = workspace_of(tmp_path)
    with StateStore(workspace.state_db) as state:
        listed = estimate(planned_requests(workspace, state, OPENAI, options), model=OPENAI.model)
        streamed = estimate(iter_planned_requests(workspace, state, OPENAI, options), model=OPENAI.model)
    assert listed.requests and listed.as_dict() == streamed.as_dict()


@pytest.mark.parametrize("missing, args, expected", [
    ({"catalog", "audit", "keywords"}, [], "seo-pipeline pull"),
    ({"audit", "keywords"}, [], "seo-pipeline audit"),
    ({"audit", "keywords"}, ["--all"], "seo-pipeline keywords"),
    ({"keywords"}, [], "seo-pipeline keywords"),
])
def test_an_estimate_names_the_first_missing_artefact_as_generate_does(tmp_path, capsys, missing, args, expected):
    """Planning reads the targets before the audit (their loading peaks highest), yet reports what is missing in
    generate's order: the catalogue, then the audit (unless --all), then the targets."""
    workspace = workspace_of(tmp_path)
    write_store(workspace, findings=None if "audit" in missing else [("p-lamp", "thin_description", "medium")],
                keywords=None if "keywords" in missing else {("p-lamp", "en"): ["brass floor lamp"]})
    if "catalog" in missing:
        workspace.catalog.unlink()
    for command in ("generate", "estimate"):
        assert main([*store_args(tmp_path), command, *args]) == 2
        err = capsys.readouterr().err
        assert expected in err and len(err.strip().splitlines()) == 1, (command, err)
