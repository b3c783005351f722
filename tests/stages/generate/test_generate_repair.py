"""The repair loop: a failing draft goes back with the validators' findings, at most twice, and is never dropped."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import load_settings
from pipeline.llm.provider import Request, Response, Usage
from pipeline.stages.generate.prompts import Prompts
from pipeline.stages.generate.stage import GenerateOptions, generate
from pipeline.state.drafts import get_draft
from pipeline.state.store import StateStore
from tests.generate_fixtures import CONFIG, workspace_of, write_store

GOOD = {"title": None, "body_html": None, "seo_title": None,
        "seo_description": "The Nordhaus linen duvet cover in soft washed linen, in Queen or King, with a button "
                           "closure at the foot. Order online."}
TOO_SHORT = dict(GOOD, seo_description="Nordhaus linen duvet cover.")
WATERPROOF = dict(GOOD, seo_description=GOOD["seo_description"].replace("Order online.", "Fully waterproof."))


class Scripted:
    """A provider that gives prepared answers in order and keeps what it was asked (an LLM with a script)."""

    name, model, template_based = "scripted", "script-1", False

    def __init__(self, *answers: Response) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    def complete(self, request: Request) -> Response:
        self.requests.append(request)
        return self.answers.pop(0)


def answer(draft: dict | str, finish: str = "stop", refusal: str | None = None) -> Response:
    text = draft if isinstance(draft, str) else json.dumps(draft)
    return Response(text=text, finish_reason=finish, refusal=refusal, usage=Usage(1000, 100, 800), model="script-1")


def run(tmp_path: Path, provider: Scripted, config: str = CONFIG):
    (tmp_path / "seo.toml").write_text(config + "\n[pricing.script-1]\ninput = 1.0\ncached = 0.5\noutput = 2.0\n",
                                       encoding="utf-8")
    settings = load_settings(tmp_path / "seo.toml", store="t", workspace=tmp_path / "ws")
    workspace = workspace_of(tmp_path)
    write_store(workspace)
    from pipeline.llm.costs import price_for

    with StateStore(workspace.state_db) as state:
        result = generate(workspace, state, provider, GenerateOptions.from_settings(
            settings, only=["p-duvet"], locales=["en"]), prompts=Prompts(), price=price_for(settings, "script-1"))
        return result, get_draft(state, "p-duvet", "en")


def test_a_failing_draft_is_sent_back_with_the_findings_and_passes_on_repair(tmp_path):
    provider = Scripted(answer(TOO_SHORT), answer(GOOD))
    result, draft = run(tmp_path, provider)
    assert draft.status == "passed" and draft.rounds == 1 and draft.seo_description == GOOD["seo_description"]
    repair = provider.requests[1].messages
    assert [m.role for m in repair] == ["system", "user", "assistant", "user"]
    assert repair[2].content == json.dumps(TOO_SHORT)  # the model sees its own answer ...
    assert "seo_description has 27 characters; write at least 70" in repair[3].content  # ... and why it failed
    assert "repair round 1 of 2" in repair[3].content
    assert repair[:2] == provider.requests[0].messages  # the cached prefix is unchanged
    assert result.repaired == 1 and result.passed == 1
    # Two calls of 1000 tokens in (800 cached) and 100 out at $1 / $0.5 / $2 per million tokens.
    assert draft.tokens_in == 2000 and draft.cached_tokens == 1600 and draft.tokens_out == 200
    assert abs(draft.cost - (400 * 1.0 + 1600 * 0.5 + 200 * 2.0) / 1e6) < 1e-12
    assert result.tally.cost == draft.cost and result.tally.cached_tokens == 1600


def test_a_draft_that_still_fails_after_two_repairs_is_kept_and_flagged_with_reasons(tmp_path):
    provider = Scripted(answer(WATERPROOF), answer(WATERPROOF), answer(TOO_SHORT))
    result, draft = run(tmp_path, provider)
    assert len(provider.requests) == 3 and draft.rounds == 2
    assert draft.status == "flagged" and draft.seo_description == TOO_SHORT["seo_description"]
    assert draft.reasons() == ["too_short"]
    assert [m.role for m in provider.requests[2].messages] == ["system", "user", "assistant", "user", "assistant",
                                                               "user"]
    assert "claims 'waterproof'" in provider.requests[1].messages[-1].content
    assert result.flagged == 1 and result.tally.flagged_reasons == {"too_short": 1}
    assert "flagged 1 (too_short 1)" in result.summary()[0]


def test_unparseable_and_cut_off_answers_are_repaired_like_failing_drafts(tmp_path):
    provider = Scripted(answer("Sure! Here is the copy:"), answer(json.dumps(GOOD)[:60], finish="length"),
                        answer(GOOD))
    _, draft = run(tmp_path, provider)
    assert draft.status == "passed" and draft.rounds == 2
    assert "not valid JSON" in provider.requests[1].messages[-1].content
    assert "cut off at the output token limit" in provider.requests[2].messages[-1].content


def test_a_refusal_is_kept_flagged_and_not_asked_again(tmp_path):
    provider = Scripted(answer("", refusal="I'm sorry, I can't help with that.", finish="refusal"))
    result, draft = run(tmp_path, provider)
    assert len(provider.requests) == 1
    assert draft.status == "flagged" and draft.reasons() == ["refusal"] and "can't help" in \
        draft.validation[0]["message"]
    assert result.flagged == 1


def test_zero_repair_rounds_flags_at_once(tmp_path):
    provider = Scripted(answer(TOO_SHORT))
    _, draft = run(tmp_path, provider, CONFIG + "\n[generation]\nmax_repair_rounds = 0\n")
    assert len(provider.requests) == 1 and draft.status == "flagged" and draft.rounds == 0


def test_repaired_answers_are_cached_too(tmp_path):
    run(tmp_path, Scripted(answer(TOO_SHORT), answer(GOOD)))
    provider = Scripted()
    workspace = workspace_of(tmp_path)
    with StateStore(workspace.state_db) as state:
        state.db.execute("DELETE FROM drafts")  # force the stage to rebuild the draft
    result, draft = run(tmp_path, provider)
    assert provider.requests == [] and draft.status == "passed" and result.tally.cache_hits == 2
