"""What a model takes, chosen by its name: a custom temperature, `reasoning_effort`, structured output, the Batch API.

The table below is the rule; `[generation.capabilities]` in seo.toml overrides any entry of it for the configured
model (a new model, a local server's model, or a row that turned out wrong). `Sampling` turns the table and the
`[generation]` settings into what every request of a run sends besides its messages and schema: `temperature`
(only where the model takes one), `reasoning_effort` (only for reasoning models) and `max_completion_tokens`, sized
per request from the fields it asks for and the length limits (pipeline/llm/tokens.py) plus the reasoning budget.

Facts behind the table (OpenAI's model pages and public issue threads, December 2026; the OpenAPI spec states the
shapes, not which model takes which parameter): reasoning models count their reasoning tokens inside
`max_completion_tokens`; gpt-5, gpt-5-mini and gpt-5-nano take only the default temperature and reasoning_effort
minimal | low | medium | high; gpt-5.1 and later take none | low | medium | high (gpt-5.2 and later also xhigh,
gpt-5.6 and later also max), default "none", and a custom temperature only with reasoning_effort "none"; the
o-series takes low | medium | high and no temperature; gpt-4.1 and gpt-4o take a temperature and no reasoning_effort.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.config import GenerationSettings
from pipeline.errors import ConfigError
from pipeline.llm.provider import Response
from pipeline.llm.tokens import answer_tokens

# The values the API's ReasoningEffort takes (CreateChatCompletionRequest.reasoning_effort), lowest first.
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")
# Tokens kept for reasoning inside each request's max_completion_tokens, by effort. A reserve, not a measurement:
# an answer cut off there comes back with finish_reason "length" and its repair round asks with twice the cap.
# `[generation] reasoning_budget` replaces it.
REASONING_BUDGET = {"none": 0, "minimal": 512, "low": 2048, "medium": 8192, "high": 16384, "xhigh": 32768,
                    "max": 65536}
CAPABILITY_KEYS = ("temperature", "reasoning_efforts", "structured_output", "batch")


@dataclass(frozen=True)
class Capabilities:
    """What one model takes. `reasoning_efforts` empty: not a reasoning model (no reasoning_effort is sent and no
    reasoning budget is kept). A reasoning model takes a custom temperature only when `temperature` is True and
    the request's reasoning_effort is "none"."""

    family: str  # the table row that matched, for messages
    temperature: bool = True
    reasoning_efforts: tuple[str, ...] = ()
    structured_output: bool = True  # response_format json_schema (strict); else JSON mode (json_object)
    batch: bool = True  # the model is served by the Batch API (the server must have it too: checked once per run)
    known: bool = True  # False: not in the table, these are the defaults for an OpenAI-compatible chat model

    @property
    def reasoning(self) -> bool:
        return bool(self.reasoning_efforts)

    def takes_temperature(self, effort: str | None) -> bool:
        if not self.reasoning:
            return self.temperature
        return self.temperature and effort == "none"


_GPT_5_1 = Capabilities("gpt-5.1", temperature=True, reasoning_efforts=("none", "low", "medium", "high"))
_GPT_5_2_ON = Capabilities("gpt-5.2 to gpt-5.5", temperature=True,
                           reasoning_efforts=("none", "low", "medium", "high", "xhigh"))
_GPT_5_6_ON = Capabilities("gpt-5.6 and later", temperature=True,
                           reasoning_efforts=("none", "low", "medium", "high", "xhigh", "max"))
_GPT_5 = Capabilities("gpt-5", temperature=False, reasoning_efforts=("minimal", "low", "medium", "high"))
_O_SERIES = Capabilities("o-series", temperature=False, reasoning_efforts=("low", "medium", "high"))
_GPT_4_1_4O = Capabilities("gpt-4.1 / gpt-4o")
_GPT_4_3_5 = Capabilities("gpt-4 / gpt-3.5", structured_output=False)
UNKNOWN = Capabilities("not in the table", known=False)

# First match wins, on the lower-cased name without a routing prefix ("openai/gpt-5.4-mini" -> "gpt-5.4-mini").
# The chat-latest aliases are left to the defaults: what they take is not documented where we looked.
TABLE: tuple[tuple[str, Capabilities], ...] = (
    (r"gpt-5(\.\d+)?(-[\w.]+)?-chat-latest$", UNKNOWN),
    (r"gpt-5\.1($|-)", _GPT_5_1),
    (r"gpt-5\.[2-5]($|-)", _GPT_5_2_ON),
    (r"gpt-5\.([6-9]|\d\d+)($|-)", _GPT_5_6_ON),
    (r"gpt-5($|-)", _GPT_5),
    (r"o[134]($|-)", _O_SERIES),
    (r"(gpt-4\.1|gpt-4o|chatgpt-4o)($|-)", _GPT_4_1_4O),
    (r"(gpt-4|gpt-3\.5)($|-)", _GPT_4_3_5),
)


def base_name(model: str) -> str:
    name = model.strip().lower().split("/")[-1]
    return name.split(":")[1] if name.startswith("ft:") and ":" in name[3:] else name


def capabilities(model: str, overrides: Mapping[str, Any] | None = None, where: str = "settings") -> Capabilities:
    """The table's row for `model`, with `[generation.capabilities]` applied (checked: unknown keys and wrong types
    are one-line ConfigErrors)."""
    name = base_name(model)
    found = next((caps for pattern, caps in TABLE if re.match(pattern, name)), UNKNOWN)
    if not overrides:
        return found
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        label = f"{where}: [generation.capabilities] {key}"
        if key not in CAPABILITY_KEYS:
            close = difflib.get_close_matches(key, CAPABILITY_KEYS, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(CAPABILITY_KEYS)})"
            raise ConfigError(f"{where}: [generation.capabilities] unknown key {key!r}{hint}")
        if key == "reasoning_efforts":
            if not isinstance(value, list | tuple) or any(v not in REASONING_EFFORTS for v in value):
                raise ConfigError(f"{label} = {value!r}: a list of {', '.join(REASONING_EFFORTS)} (lowest first), "
                                  "or [] for a model without reasoning")
            changes[key] = tuple(value)
        elif not isinstance(value, bool):
            raise ConfigError(f"{label} = {value!r} is not true or false")
        else:
            changes[key] = value
    return replace(found, family=f"{found.family}, with [generation.capabilities]", **changes)


@dataclass(frozen=True)
class RequestShape:
    """What one request sends besides its messages and schema."""

    temperature: float | None
    reasoning_effort: str | None
    max_output_tokens: int


@dataclass(frozen=True)
class Sampling:
    """[generation]'s temperature, reasoning_effort, reasoning_budget and max_output_tokens, for one model.

    `problems` lists settings the model will not take (a temperature on a reasoning model, an effort it does not
    offer): they are never sent, and `check()` turns the first into a one-line ConfigError before an OpenAI run
    starts (an offline run does not send them, so it does not stop for them)."""

    model: str = GenerationSettings.model
    capabilities: Capabilities = field(default_factory=lambda: capabilities(GenerationSettings.model))
    temperature: float | None = None
    reasoning_effort: str | None = None
    reasoning_budget: int = 0
    answer_cap: int = 0  # [generation] max_output_tokens: the most any answer may ask for (0: sized only)
    problems: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, section: GenerationSettings, where: str = "settings") -> Sampling:
        model = section.model
        caps = capabilities(model, section.capabilities, where)
        problems: list[str] = []
        effort = section.reasoning_effort
        if effort is not None and effort not in REASONING_EFFORTS:
            raise ConfigError(f"{where}: [generation] reasoning_effort = {effort!r}: use one of "
                              f"{', '.join(REASONING_EFFORTS)}")
        if effort is not None and effort not in caps.reasoning_efforts:
            takes = (f"takes reasoning_effort {' | '.join(caps.reasoning_efforts)}" if caps.reasoning
                     else "is not a reasoning model and takes no reasoning_effort")
            problems.append(f"{where}: [generation] reasoning_effort = {effort!r}: {model} ({caps.family}) {takes}; "
                            "change reasoning_effort, or set [generation.capabilities] reasoning_efforts if the table "
                            "is wrong for this model")
            effort = None
        if effort is None and caps.reasoning:
            effort = caps.reasoning_efforts[0]  # the lowest: drafts are checked and repaired, reasoning is paid
        temperature = section.temperature
        if temperature is not None and not caps.takes_temperature(effort):
            if caps.reasoning and caps.temperature and "none" in caps.reasoning_efforts:
                why = f"takes a custom temperature only with reasoning_effort = \"none\" (here {effort!r})"
                fix = "remove temperature from [generation], or set reasoning_effort = \"none\""
            else:
                why = ("takes no custom temperature (a reasoning model: only its default)" if caps.reasoning
                       else "takes no custom temperature ([generation.capabilities] temperature = false)")
                fix = "remove temperature from [generation]"
            problems.append(f"{where}: [generation] temperature = {temperature}: {model} ({caps.family}) {why}; {fix}")
            temperature = None
        if section.reasoning_budget < 0 or section.max_output_tokens < 0:
            raise ConfigError(f"{where}: [generation] reasoning_budget and max_output_tokens must be 0 or more")
        budget = 0
        if caps.reasoning and effort not in (None, "none"):
            budget = section.reasoning_budget or REASONING_BUDGET[str(effort)]
        return cls(model=model, capabilities=caps, temperature=temperature, reasoning_effort=effort,
                   reasoning_budget=budget, answer_cap=section.max_output_tokens, problems=tuple(problems))

    def check(self) -> None:
        """Stop before anything is sent when a setting is one the model will not take."""
        if self.problems:
            raise ConfigError(self.problems[0])

    def shape(self, fields_to_write: Sequence[str], limits: Mapping[str, Any], locale: str,
              schema_fields: int) -> RequestShape:
        """A draft request's temperature, reasoning_effort and output cap: the answer's need from the fields it
        asks for and the length limits (at most `answer_cap` when set), plus the reasoning budget."""
        need = answer_tokens(fields_to_write, limits, locale, schema_fields)
        if self.answer_cap:
            need = min(need, self.answer_cap)
        return RequestShape(self.temperature, self.reasoning_effort, need + self.reasoning_budget)

    def next_cap(self, response: Response, cap: int) -> int:
        """The cap for the repair of `response`: twice the last one when the answer was cut off at it (the
        reasoning or the copy ran longer than its budget), else the same."""
        return cap * 2 if response.finish_reason == "length" else cap

    def describe(self) -> str:
        sent = [f"reasoning_effort {self.reasoning_effort}"] if self.reasoning_effort else []
        sent.append(f"temperature {self.temperature}" if self.temperature is not None else "no temperature (the "
                    "model's default)")
        if self.reasoning_budget:
            sent.append(f"{self.reasoning_budget:,} reasoning tokens reserved per request")
        return f"{self.model} ({self.capabilities.family}): " + ", ".join(sent)


# -- errors --------------------------------------------------------------------------------------------------
# The setting that decides whether (and how) each request parameter is sent.
PARAMETER_SETTINGS = {
    "temperature": "remove temperature from [generation] (or set [generation.capabilities] temperature = false)",
    "reasoning_effort": "change [generation] reasoning_effort (or set [generation.capabilities] reasoning_efforts "
                        "= [] for a model without reasoning)",
    "max_completion_tokens": "set [generation] max_tokens_param = \"max_tokens\"",
    "max_tokens": "set [generation] max_tokens_param = \"max_completion_tokens\"",
    "response_format": "set [generation.capabilities] structured_output = false",
}


def rejected_parameter(status: int | None, error: Mapping[str, Any] | None) -> str | None:
    """One line for a 400 that names a request parameter ("param" in OpenAI's error object, or a message such as
    "Unsupported parameter: 'temperature'"): the parameter, what the server said, and the setting to change.
    None for any other error."""
    if status != 400 or not error:
        return None
    param = str(error.get("param") or "")
    message = str(error.get("message") or "").split("\n")[0]
    if not param:
        quoted = re.search(r"[Uu]nsupported (?:parameter|value): '([\w.]+)'", message)
        param = quoted.group(1) if quoted else ""
    param = param.split(".")[0].split("[")[0]
    if not param or param in ("messages", "model"):
        return None
    change = PARAMETER_SETTINGS.get(param, "check [generation] model and [generation.capabilities]")
    code = f" {error['code']}" if error.get("code") else ""
    return f"the model does not take `{param}` (HTTP 400{code}: {message[:160]}); {change}"
