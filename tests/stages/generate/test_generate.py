"""generate end to end on a small store: selection, protected human text, failures, cache, summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.core.catalog import write_catalog
from pipeline.stages.generate.prompts import PROMPTS_DIR, Prompts
from pipeline.stages.generate.stage import GenerateOptions, generate
from pipeline.state.drafts import get_draft, list_drafts
from pipeline.state.store import StateStore
from tests.fakes.model_writer import ModelDouble
from tests.generate_fixtures import CONFIG, PRODUCTS, store_args, workspace_of, write_store


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


class Counting:
    """A provider that writes every asked field (the model double), counting the calls that reach it: for the
    stage's mechanics. What the offline writer itself writes is tested in test_offline_writer.py."""

    name, template_based = "model-double", True

    def __init__(self) -> None:
        self.inner = ModelDouble()
        self.model = self.inner.model
        self.calls: list[tuple[str, str]] = []

    def complete(self, request):
        self.calls.append((request.context["product"]["id"], request.context["locale"]))
        return self.inner.complete(request)


# The mechanics tests count calls: one answer per draft (repair rounds are tested in test_generate_repair.py).
ONE_ROUND = CONFIG + "\n[generation]\nmax_repair_rounds = 0\n"


def run_api(tmp_path: Path, provider: Counting, *, prompts: Prompts | None = None, **kwargs):
    settings = load_settings(tmp_path / "seo.toml", store="t", workspace=tmp_path / "ws")
    workspace = workspace_of(tmp_path)
    with StateStore(workspace.state_db) as state:
        return generate(workspace, state, provider, GenerateOptions.from_settings(settings, **kwargs),
                        prompts=prompts or Prompts())


# -- a run ------------------------------------------------------------------------------------------------
def test_generate_drafts_every_flagged_product_in_every_locale_offline(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    code, out, err = run_cli([*store_args(tmp_path), "generate"], capsys)
    assert code == 0, err
    assert "for 4 products in en, fr, de" in out and "flagged 0" in out
    assert "the offline writer (no language model" in out
    assert "provider calls 12" in out and "tokens in 0 / out 0, cached 0; cost $0.0000" in out
    assert "left alone:" in out and "no fr writer" in out  # what it did not write, and why
    with StateStore(workspace_of(tmp_path).state_db) as state:
        drafts = list_drafts(state) + list_drafts(state, status="abstained")
        assert {(d.product_id, d.locale) for d in drafts} == {
            (p, loc) for p in ("p-duvet", "p-lamp", "p-board", "p-mug") for loc in ("en", "fr", "de")}
        assert all(d.provider == "offline" and d.prompt_hash for d in drafts)
        assert {d.status for d in drafts} <= {"passed", "abstained"}
        assert all(d.written_fields() for d in drafts if d.status == "passed")
        assert all(not d.written_fields() and d.fields_left_alone for d in drafts if d.status == "abstained")
        assert {r["stage"]: r["status"] for r in state.runs()}["generate"] == "ok"


def test_human_text_that_passed_the_audit_is_left_alone(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    assert run_cli([*store_args(tmp_path), "generate", "--locales", "en,fr"], capsys)[0] == 0
    with StateStore(workspace_of(tmp_path).state_db) as state:
        duvet_en = get_draft(state, "p-duvet", "en")
        assert duvet_en.fields_left_alone == ["title", "body_html", "seo_title"]
        assert (duvet_en.title, duvet_en.body_html, duvet_en.seo_title) == (None, None, None)
        assert duvet_en.seo_description and "linen duvet cover" in duvet_en.seo_description.lower()
        # No human French text exists: every field is asked for; the offline writer translates no running text.
        duvet_fr = get_draft(state, "p-duvet", "fr")
        assert duvet_fr.title == "Housse de couette en lin" and duvet_fr.body_html is None
        assert set(duvet_fr.fields_left_alone) == {"body_html", "seo_description"}
        lamp = get_draft(state, "p-lamp", "en")  # empty SEO fields are filled; its human description stays
        assert lamp.seo_title == "Aster Brass Floor Lamp | Lumen Atelier" and lamp.body_html is None
        assert "body_html" in lamp.fields_left_alone


@pytest.mark.parametrize("policy, expected_left_alone", [
    ("always", []),
    ("empty", ["title", "body_html", "seo_title", "seo_description"]),
])
def test_rewrite_policy_per_field(tmp_path, capsys, policy, expected_left_alone):
    write_store(workspace_of(tmp_path))
    rewrite = "\n".join(f'{f} = "{policy}"' for f in ("title", "body_html", "seo_title", "seo_description"))
    args = store_args(tmp_path, CONFIG + f"\n[generation.rewrite]\n{rewrite}\n")
    assert run_cli([*args, "generate", "--locales", "en", "--only", "p-duvet"], capsys)[0] == 0
    with StateStore(workspace_of(tmp_path).state_db) as state:
        draft = get_draft(state, "p-duvet", "en")
    if expected_left_alone == ["title", "body_html", "seo_title", "seo_description"]:
        assert draft is None  # every field has human text: nothing to write, nothing stored
    else:  # every field asked for: the offline writer keeps the human title and description, and says so
        notes = {n["field"]: n["message"] for n in draft.validation if n["code"] == "left_alone"}
        assert set(draft.fields_left_alone) == set(notes) and {"title", "body_html"} <= set(notes)
        assert notes["body_html"].startswith("kept:") and draft.seo_description


def test_selection_worst_first_with_only_and_limit(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    args = store_args(tmp_path)
    code, out, _ = run_cli([*args, "generate", "--locales", "en", "--limit", "1"], capsys)
    assert code == 0 and "1 drafts for 1 products" in out
    with StateStore(workspace_of(tmp_path).state_db) as state:
        assert [d.product_id for d in list_drafts(state)] == ["p-lamp"]  # three findings: the worst
    code, out, _ = run_cli([*args, "generate", "--locales", "en", "--only", "wool-throw,p-vase", "--all"], capsys)
    # The throw's copy all passed the audit: nothing to write in English, which the summary says.
    assert code == 0 and "1 drafts for 2 products" in out and "nothing to rewrite 1" in out


# -- failures: one line, exit code, nothing half-done -------------------------------------------------------
def test_missing_targets_asks_for_make_keywords(tmp_path, capsys):
    write_store(workspace_of(tmp_path), keywords=None)
    code, out, err = run_cli([*store_args(tmp_path), "generate"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "targets.parquet" in err and "seo-pipeline keywords" in err
    assert len(err.strip().splitlines()) == 1


def test_missing_audit_asks_for_make_audit_unless_all(tmp_path, capsys):
    write_store(workspace_of(tmp_path), findings=None)
    code, _, err = run_cli([*store_args(tmp_path), "generate"], capsys)
    assert code == 2 and "audit.parquet" in err and "seo-pipeline audit" in err
    code, out, err = run_cli([*store_args(tmp_path), "generate", "--all", "--locales", "en"], capsys)
    assert code == 0, err
    assert "6 drafts for 6 products" in out  # without an audit every field counts as flagged


def test_a_targets_file_without_a_contract_column_is_named(tmp_path, capsys):
    workspace = workspace_of(tmp_path)
    write_store(workspace)
    pd.read_parquet(workspace.targets).drop(columns=["role"]).to_parquet(workspace.targets)
    code, _, err = run_cli([*store_args(tmp_path), "generate"], capsys)
    assert code == 2 and "targets.parquet: column 'role': missing column" in err


def test_unknown_product_in_only_and_bad_limit_are_one_line_errors(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    code, _, err = run_cli([*store_args(tmp_path), "generate", "--only", "no-such-thing"], capsys)
    assert code == 2 and "no-such-thing" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_info:
        main([*store_args(tmp_path), "generate", "--limit", "0"])
    assert exit_info.value.code == 2
    code, _, err = run_cli([*store_args(tmp_path), "generate", "--locales", "it"], capsys)
    assert code == 2 and "--locales: it not in [pipeline] locales" in err


def test_bad_rewrite_policy_is_a_config_error(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    args = store_args(tmp_path, CONFIG + '\n[generation.rewrite]\ntitle = "sometimes"\n')
    code, _, err = run_cli([*args, "generate"], capsys)
    assert code == 2 and "[generation.rewrite] title = 'sometimes'" in err


# -- cache: unchanged inputs cost nothing; a change redoes only what depends on it --------------------------
def test_a_rerun_with_unchanged_inputs_makes_no_provider_call(tmp_path):
    write_store(workspace_of(tmp_path))
    (tmp_path / "seo.toml").write_text(ONE_ROUND, encoding="utf-8")
    first = run_api(tmp_path, Counting())
    provider = Counting()
    second = run_api(tmp_path, provider)
    assert first.drafts == 12 and provider.calls == []
    assert second.skipped == 12 and second.drafts == 0 and second.tally.provider_calls == 0


def test_changing_one_product_regenerates_only_its_drafts(tmp_path):
    workspace = workspace_of(tmp_path)
    write_store(workspace)
    (tmp_path / "seo.toml").write_text(ONE_ROUND, encoding="utf-8")
    run_api(tmp_path, Counting())
    with StateStore(workspace.state_db) as state:
        before = {(d.product_id, d.locale): d.created_at + str(d.run_id) for d in list_drafts(state)}
    changed = [dict(p, body_html=p["body_html"] + "<p>Hand wash only.</p>") if p["id"] == "p-board" else p
               for p in PRODUCTS]
    write_catalog(workspace.catalog, changed)
    provider = Counting()
    result = run_api(tmp_path, provider)
    assert sorted(provider.calls) == [("p-board", "de"), ("p-board", "en"), ("p-board", "fr")]
    assert result.skipped == 9
    with StateStore(workspace.state_db) as state:
        after = {(d.product_id, d.locale): d.created_at + str(d.run_id) for d in list_drafts(state)}
    assert {k for k in before if before[k] != after[k]} == {("p-board", "de"), ("p-board", "en"), ("p-board", "fr")}


def test_changing_one_locale_template_regenerates_only_that_locale(tmp_path):
    write_store(workspace_of(tmp_path))
    (tmp_path / "seo.toml").write_text(ONE_ROUND, encoding="utf-8")
    folder = tmp_path / "prompts"
    shutil.copytree(PROMPTS_DIR, folder)
    run_api(tmp_path, Counting(), prompts=Prompts(folder))
    guidance = folder / "locale" / "fr.j2"
    guidance.write_text(guidance.read_text(encoding="utf-8") + "- Prefer short sentences.\n", encoding="utf-8")
    provider = Counting()
    run_api(tmp_path, provider, prompts=Prompts(folder))
    assert {locale for _, locale in provider.calls} == {"fr"} and len(provider.calls) == 4


def test_a_changed_validation_limit_rechecks_from_the_response_cache(tmp_path):
    write_store(workspace_of(tmp_path))
    (tmp_path / "seo.toml").write_text(ONE_ROUND, encoding="utf-8")
    run_api(tmp_path, Counting())
    (tmp_path / "seo.toml").write_text(ONE_ROUND + "\n[generation.limits]\nbody_min_words = 1000\n",
                                       encoding="utf-8")
    provider = Counting()
    result = run_api(tmp_path, provider)
    # New limits change the prompt too, so answers are asked again, and every body is now too short.
    assert result.drafts == 12 and result.tally.flagged_reasons["too_short"] >= 9


def test_drafts_are_saved_as_they_are_made_so_an_interrupted_run_keeps_them(tmp_path):
    write_store(workspace_of(tmp_path))
    (tmp_path / "seo.toml").write_text(ONE_ROUND, encoding="utf-8")

    class Failing(Counting):
        def complete(self, request):
            if len(self.calls) == 5:
                from pipeline.errors import ProviderError

                raise ProviderError("api.openai.com: HTTP 500 server error after 5 attempts")
            return super().complete(request)

    from pipeline.errors import ProviderError

    with pytest.raises(ProviderError):
        run_api(tmp_path, Failing())
    with StateStore(workspace_of(tmp_path).state_db) as state:
        assert len(list_drafts(state)) == 5
        assert state.last_run("generate", status="failed")["counts"]["drafts"] == 5
    provider = Counting()
    run_api(tmp_path, provider)
    assert len(provider.calls) == 7  # only what the failed run did not finish


def test_offline_output_for_the_injection_product_ignores_the_injected_instructions(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    assert run_cli([*store_args(tmp_path), "generate", "--only", "p-mug"], capsys)[0] == 0
    with StateStore(workspace_of(tmp_path).state_db) as state:
        for draft in list_drafts(state, product_ids=["p-mug"]):
            text = " ".join(draft.written_fields().values()).lower()
            assert "waterproof" not in text and "50%" not in text and "ignore" not in text
            assert draft.passed, draft.validation


def test_products_data_matches_fixture_ids():
    assert {p["id"] for p in PRODUCTS} == {"p-duvet", "p-lamp", "p-board", "p-throw", "p-mug", "p-vase"}


def test_handles_are_rewritten_only_when_allowed_and_stay_unique(tmp_path, capsys):
    write_store(workspace_of(tmp_path))
    config = ONE_ROUND + 'allow_handle_changes = true\n[generation.rewrite]\nhandle = "always"\n'
    (tmp_path / "seo.toml").write_text(config, encoding="utf-8")
    run_api(tmp_path, Counting(), locales=["en", "fr"])  # a writer that writes handles (the offline one never does)
    with StateStore(workspace_of(tmp_path).state_db) as state:
        english = list_drafts(state, locale="en")
        french = list_drafts(state, locale="fr")
    handles = [d.handle for d in english]
    assert all(h and h == h.lower() and " " not in h for h in handles) and len(set(handles)) == len(handles)
    assert "brass-floor-lamp" in next(d.handle for d in english if d.product_id == "p-lamp")
    assert all(d.handle is None for d in french)  # a translated handle is not written
    assert run_cli([*store_args(tmp_path), "generate", "--locales", "en", "--only", "p-lamp"], capsys)[0] == 0
    with StateStore(workspace_of(tmp_path).state_db) as state:
        assert get_draft(state, "p-lamp", "en").handle is None  # not allowed by default
