"""generate: catalog + audit + targets (+ links) -> one validated draft per product and locale in state.db.

For each selected product (by default every product with audit findings, worst first) and each locale, the
rewrite policy decides which fields to write; the prompt is rendered (static system part and locale guidance
first, the product's facts, keywords, findings, similar titles and links after it); the provider answers
through the response cache; validators check the answer, and a failing draft goes back with their findings for
at most `max_repair_rounds` rounds. What still fails is kept and flagged with its reasons, never dropped.

A draft whose inputs (rendered prompt, provider, model, validation settings) are unchanged since the last run is
left as it is: a re-run makes no provider call, and an edit to one product or one template redoes only the
drafts that depend on it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, TextIO

from pipeline.config import BrandSettings, Settings
from pipeline.core.catalog import read_catalog, read_catalog_table
from pipeline.core.progress import Progress
from pipeline.core.text import strip_html
from pipeline.errors import BudgetExceeded, ConfigError, ProviderError
from pipeline.gates.content import CODES as GATE_CODES
from pipeline.gates.content import FactSheet
from pipeline.gates.facts import ProductFacts, product_facts
from pipeline.gates.keyword_fit import keyword_fits
from pipeline.gates.schema import DraftCopy, DraftParseError, draft_json_schema, parse_draft
from pipeline.gates.sheet import current_copy, fact_sheet
from pipeline.gates.similarity import CopyIndex
from pipeline.gates.validate import ALLOWED_TAGS, DraftCheck, Finding, Grounding, Limits, Validator
from pipeline.llm.costs import Price, Tally
from pipeline.llm.models import Sampling
from pipeline.llm.provider import (
    Message,
    PlanningProvider,
    Provider,
    ProviderIdentity,
    Request,
    Response,
    Usage,
    WaveProvider,
)
from pipeline.stages.generate.inputs import (
    AuditView,
    KeywordBook,
    Keywords,
    SimilarTitles,
    fields_to_rewrite,
    load_links,
    select_products,
)
from pipeline.stages.generate.prompts import PRODUCT, REPAIR, SYSTEM, Prompts, QuotedOnce
from pipeline.state.drafts import Draft, draft_fingerprints, list_drafts, save_draft
from pipeline.state.response_cache import ResponseCache, content_key, request_key
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

# Bump when a validator changes what it accepts, so drafts validated by the old rules are checked again.
VALIDATOR_VERSION = "2026-12-v3"  # v3: keywords matched on Snowball stems in the draft's language
CONTENT_GATES_VERSION = "2026-12-v2"  # v2: a keyword is asked for only where it names the product (keyword_fit)
POLICIES = ("flagged", "empty", "always")
REWRITABLE = ("title", "body_html", "seo_title", "seo_description", "handle")
DEFAULT_FORMALITY = {"en": "informal", "fr": "formal", "de": "formal", "es": "informal"}


@dataclass(frozen=True)
class Brand:
    name: str = BrandSettings.name
    voice: str = BrandSettings.voice
    tone: str = BrandSettings.tone
    banned_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class GenerateOptions:
    locales: tuple[str, ...]
    primary_locale: str
    select_all: bool = False
    only: tuple[str, ...] | None = None
    limit: int | None = None
    policy: Mapping[str, str] = field(default_factory=dict)
    allow_handle: bool = False
    allow_dropped: frozenset[str] = frozenset()  # [generation] allow_dropped: fact classes a draft may drop
    max_repair_rounds: int = 2
    sampling: Sampling = field(default_factory=Sampling)  # temperature, reasoning_effort, output caps (llm/models.py)
    near_duplicate_threshold: float = 0.9
    max_cost_usd: float = 0.0
    brand: Brand = Brand()
    limits: Limits = Limits()
    guidance: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    finding_fields: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, *, select_all: bool = False, only: Sequence[str] | None = None,
                      limit: int | None = None, locales: Sequence[str] | None = None) -> GenerateOptions:
        """Read [generation], [generation.rewrite], [generation.limits], [generation.locale.*] and [brand]."""
        section = settings.generation
        rewrite = section.rewrite
        policy = {}
        for name in REWRITABLE:
            value = rewrite.get(name, "flagged")
            if value not in POLICIES:
                raise ConfigError(f"[generation.rewrite] {name} = {value!r}: use \"flagged\", \"empty\" or \"always\"")
            policy[name] = value
        chosen = tuple(locales) if locales else tuple(settings.locales)
        unknown = [x for x in chosen if x not in settings.locales]
        if unknown:
            raise ConfigError(f"--locales: {', '.join(unknown)} not in [pipeline] locales "
                              f"({', '.join(settings.locales)})")
        currency = section.currency
        per_locale = section.locale
        guidance = {}
        for loc in chosen:
            table = per_locale.get(loc, {})
            if not isinstance(table, Mapping):
                raise ConfigError(f"{settings.config_path}: [generation.locale.{loc}] must be a table")
            guidance[loc] = {"formality": table.get("formality", DEFAULT_FORMALITY.get(loc.split("-")[0], "formal")),
                             "currency": table.get("currency", currency),
                             "spelling": table.get("spelling", section.english_spelling)}
        brand = settings.brand
        threshold = section.near_duplicate_threshold or settings.audit.near_duplicate_threshold
        if not 0 < float(threshold) <= 1:
            raise ConfigError(f"[generation] near_duplicate_threshold = {threshold}: use a number in (0, 1]")
        rounds = section.max_repair_rounds
        if rounds < 0:
            raise ConfigError("[generation] max_repair_rounds must be 0 or more")
        return cls(
            locales=chosen, primary_locale=settings.primary_locale, select_all=select_all,
            only=tuple(only) if only else None, limit=limit, policy=policy,
            allow_handle=section.allow_handle_changes, allow_dropped=frozenset(section.allow_dropped),
            max_repair_rounds=rounds,
            sampling=Sampling.from_settings(section, settings.where()),
            near_duplicate_threshold=float(threshold),
            max_cost_usd=section.max_cost_usd,
            brand=Brand(name=brand.name, voice=brand.voice, tone=brand.tone, banned_words=brand.banned_words),
            limits=Limits.from_settings(settings), guidance=guidance,
            finding_fields={str(k): str(v) for k, v in section.finding_fields.items()},
        )


@dataclass
class GenerateResult:
    run_id: int
    provider: str
    template_based: bool
    locales: tuple[str, ...]
    products: int = 0
    drafts: int = 0
    passed: int = 0
    flagged: int = 0
    repaired: int = 0
    skipped: int = 0
    nothing_to_write: int = 0
    no_keyword: int = 0
    max_rounds: int = 2
    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    unfinished: int = 0  # drafts a large run could not finish: a budget stop, or requests failed after retries
    abstained: int = 0  # drafts the writer left wholly alone (nothing saved): it could not write them well
    left_alone: Counter[str] = field(default_factory=Counter)  # "<locale> <field>: <why>" -> fields left alone

    def note_abstentions(self, locale: str, abstained: Mapping[str, str]) -> None:
        for name, reason in abstained.items():
            head = reason.split(":")[0]
            if head == "self-check":  # the writer's own gate run: counted per gate
                head = "self-check " + reason.split(":")[1].strip()
            self.left_alone[f"{head}|{locale} {name}|{reason}"] += 1

    def gate_line(self) -> str:
        """Every content gate with what it caught: fields it rejected in written drafts, and fields the offline
        writer set aside because its own check with the same gate failed."""
        set_aside: Counter[str] = Counter()
        for key, n in self.left_alone.items():
            head = key.split("|")[0]
            if head.startswith("self-check "):
                set_aside[head.removeprefix("self-check ")] += n
        parts = [f"{code} {self.tally.flagged_reasons.get(code, 0):,}"
                 + (f" (+{set_aside[code]:,} set aside)" if set_aside.get(code) else "") for code in GATE_CODES]
        return "  content gates, drafts rejected: " + ", ".join(parts)

    def counts(self) -> dict[str, Any]:
        return {"products": self.products, "drafts": self.drafts, "passed": self.passed, "flagged": self.flagged,
                "repaired": self.repaired, "skipped_unchanged": self.skipped, "nothing_to_write": self.nothing_to_write,
                "provider_calls": self.tally.provider_calls, "cache_hits": self.tally.cache_hits,
                "tokens_in": self.tally.tokens_in, "tokens_out": self.tally.tokens_out,
                "cached_tokens": self.tally.cached_tokens, "cost_usd": round(self.tally.cost, 6),
                "flagged_reasons": dict(self.tally.flagged_reasons), "provider": self.provider,
                "template_based": self.template_based, "seconds": round(self.seconds, 2),
                "unfinished": self.unfinished, "abstained_drafts": self.abstained,
                "fields_left_alone": self._left_alone_by_reason()}

    def _left_alone_by_reason(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for key, n in self.left_alone.items():
            out[key.split("|")[0]] += n
        return dict(out.most_common())

    def abstention_lines(self) -> list[str]:
        """What the writer left alone and why: one line per reason, with the commonest example."""
        if not self.left_alone:
            return []
        by_reason: dict[str, tuple[int, str, int]] = {}
        for key, n in self.left_alone.items():
            head, where, reason = key.split("|", 2)
            total, example, example_n = by_reason.get(head, (0, "", 0))
            if n > example_n:
                example, example_n = f"{where}: {reason}", n
            by_reason[head] = (total + n, example, example_n)
        lines = [f"  left alone: {sum(self.left_alone.values()):,} fields ({self.abstained:,} drafts with nothing "
                 "to write well); by reason:"]
        for head, (total, example, _) in sorted(by_reason.items(), key=lambda kv: -kv[1][0]):
            lines.append(f"    {head} {total:,}, e.g. {example[:150]}")
        return lines

    def summary(self) -> list[str]:
        checked = self.passed + self.flagged
        rate = f" ({self.passed / checked:.1%})" if checked else ""
        reasons = ", ".join(f"{code} {n:,}" for code, n in self.tally.flagged_reasons.most_common())
        return [
            f"generate: {self.drafts:,} drafts for {self.products:,} products in {', '.join(self.locales)} "
            f"by {self.provider}; passed {self.passed:,}{rate}, flagged {self.flagged:,}"
            + (f" ({reasons})" if reasons else ""),
            f"  repaired {self.repaired:,} (at most {self.max_rounds} rounds each); unchanged since the last run "
            f"{self.skipped:,}; nothing to rewrite {self.nothing_to_write:,}"
            + (f"; no target keyword {self.no_keyword:,}" if self.no_keyword else ""),
            f"  provider calls {self.tally.provider_calls:,}, cache hits {self.tally.cache_hits:,}; tokens in "
            f"{self.tally.tokens_in:,} / out {self.tally.tokens_out:,}, cached {self.tally.cached_tokens:,}; "
            f"cost {self.tally.cost_text()}; {self.seconds:.1f} s",
            self.gate_line(),
            *self.abstention_lines(),
        ]


def provider_label(provider: ProviderIdentity) -> str:
    if provider.template_based:
        return "the offline writer (no language model: it writes only what it can from the product's own " \
               "words)"
    return f"{provider.name} model {provider.model}"


def generate(workspace: Workspace, state: StateStore, provider: Provider, options: GenerateOptions, *,
             prompts: Prompts | None = None, price: Price | None = None,
             progress_stream: TextIO | None = None) -> GenerateResult:
    """Reads catalog.parquet, audit.parquet, targets.parquet and links.parquet. Writes drafts (and their gate
    findings) for the selected products in every locale of `options` into state.db; returns counts for the summary."""
    started = time.monotonic()
    run_id = state.start_run("generate")
    result = GenerateResult(run_id=run_id, provider=provider_label(provider), template_based=provider.template_based,
                            locales=options.locales, max_rounds=options.max_repair_rounds)
    try:
        run, selected, rows = _prepare(workspace, state, provider, options, prompts, price, result)
        progress = Progress("generate", total=len(selected) * len(options.locales), stream=progress_stream)
        if isinstance(provider, WaveProvider):  # a provider for large runs (llm/waves.py): drafts go in waves
            result.unfinished = run.draft_in_waves(provider, ((facts, locale) for product_id in selected
                                                    for facts in (product_facts(rows[product_id]),)
                                                    for locale in options.locales), progress)
        else:
            for product_id in selected:
                facts = product_facts(rows[product_id])
                for locale in options.locales:
                    run.draft(facts, locale)
                    progress.advance()
        progress.close()
        result.products = len(selected)
        result.seconds = time.monotonic() - started
        state.finish_run(run_id, "ok", result.counts())
        return result
    except BaseException as exc:
        result.seconds = time.monotonic() - started
        state.finish_run(run_id, "failed", result.counts(), str(exc)[:500])
        raise


def _prepare(workspace: Workspace, state: StateStore, provider: Provider, options: GenerateOptions,
             prompts: Prompts | None, price: Price | None,
             result: GenerateResult) -> tuple[_Run, list[str], dict[str, dict[str, Any]]]:
    """Read the artefacts and set up a run: (the run, the selected product ids worst first, catalogue rows)."""
    catalog = read_catalog(workspace.catalog)
    rows = {str(r["id"]): r for r in catalog.to_dict("records")}
    handles = {pid: str(r.get("handle") or "") for pid, r in rows.items()}
    titles = {pid: str(r.get("title") or "") for pid, r in rows.items()}
    run, selected = _setup(workspace, state, provider, options, prompts, price, result, rows, handles, titles)
    return run, selected, rows


def _setup(workspace: Workspace, state: StateStore, provider: Provider, options: GenerateOptions,
           prompts: Prompts | None, price: Price | None, result: GenerateResult,
           rows: Mapping[str, Mapping[str, Any]], handles: Mapping[str, str], titles: Mapping[str, str],
           keywords: KeywordBook | None = None) -> tuple[_Run, list[str]]:
    """The run over the catalogue's products (`handles` and `titles` by product id, in catalogue order) and the
    selected product ids, worst first. `keywords`: targets.parquet when it is already read."""
    audit = AuditView.load(workspace.audit) if workspace.audit.exists() or not options.select_all else None
    keywords = keywords if keywords is not None else KeywordBook.load(workspace.targets)
    links = load_links(workspace.links)
    selected = select_products(list(handles), handles, audit, select_all=options.select_all, only=options.only,
                               limit=options.limit)
    similar = SimilarTitles(titles, audit.groups if audit else None, audit.group_of if audit else None)
    run = _Run(state, provider, options, prompts or Prompts(), price, rows, handles, audit, keywords, links,
               similar, result)
    run.translations = _current_translations(workspace, options)
    return run, selected


# The catalogue columns a prompt is made from (gates/facts.product_facts reads these): all that planning reads.
PROMPT_COLUMNS = ("id", "handle", "title", "body_html", "vendor", "product_type", "product_category", "tags",
                  "options", "variants", "seo_title", "seo_description")


def planned_requests(workspace: Workspace, state: StateStore, provider: ProviderIdentity,
                     options: GenerateOptions, *, prompts: Prompts | None = None) -> list[Request]:
    """The first requests a run would send now (neither unchanged since the last run nor already answered in
    the response cache), as a list: `iter_planned_requests` gives them one at a time."""
    return list(iter_planned_requests(workspace, state, provider, options, prompts=prompts))


def iter_planned_requests(workspace: Workspace, state: StateStore, provider: ProviderIdentity,
                          options: GenerateOptions, *, prompts: Prompts | None = None,
                          chunk: int = 2000) -> Iterator[Request]:
    """The first requests a run would send now (neither unchanged since the last run nor already answered in
    the response cache), in the order the run would send them, for `make estimate`. Nothing is sent, saved or
    recorded, and nothing is kept: each request is made when it is asked for, from the catalogue's prompt columns
    (read as Arrow, `chunk` products at a time turned into rows), so 100,000 products x 4 locales never sit in
    memory at once. The checks that judge an answer (fact sheets, grounding, the copy index) are not built."""
    result = GenerateResult(run_id=0, provider=provider_label(provider), template_based=provider.template_based,
                            locales=options.locales)
    # The same errors in the same order as generate (the catalogue, the audit, the targets), but the targets read
    # first: at 100,000 products x 4 locales reading them peaks highest, so it is done with least else in memory.
    read_catalog_table(workspace.catalog, columns=[])
    if not options.select_all and not workspace.audit.exists():
        AuditView.load(workspace.audit)  # says the audit is missing
    keywords = KeywordBook.load(workspace.targets)
    names = read_catalog_table(workspace.catalog, columns=["id", "handle", "title"])
    positions: dict[str, int] = {}  # product id -> its row (the last, as for generate's rows), catalogue order
    for i, product_id in enumerate(names.column("id").to_pylist()):
        positions[str(product_id)] = i
    handle_column, title_column = names.column("handle").to_pylist(), names.column("title").to_pylist()
    handles = {pid: str(handle_column[i] or "") for pid, i in positions.items()}
    titles = {pid: str(title_column[i] or "") for pid, i in positions.items()}
    del names, handle_column, title_column
    run, selected = _setup(workspace, state, PlanningProvider(provider), options, prompts, None, result, {},
                           handles, titles, keywords)
    run.index_ready = True  # nothing is judged here, so the copy index (seconds at 1,000+ products) is not built
    # The rest of the prompt columns only now, once the other artefacts are loaded (their loading peaks apart).
    table = read_catalog_table(workspace.catalog, columns=list(PROMPT_COLUMNS))
    cache_empty = run.cache.is_empty()
    for start in range(0, len(selected), chunk):
        part = selected[start:start + chunk]
        for row in table.take([positions[pid] for pid in part]).to_pylist():
            facts = product_facts(row)
            for locale in options.locales:
                first = run._first_request(facts, locale)
                if first is not None and (cache_empty or run.cache.get(first.key) is None):
                    yield first.request


class _Run:
    """One generation run: the shared prompt prefix per locale, the copy index, the cache and the tallies."""

    def __init__(self, state: StateStore, provider: Provider, options: GenerateOptions, prompts: Prompts,
                 price: Price | None, rows: Mapping[str, Mapping[str, Any]], handles: Mapping[str, str],
                 audit: AuditView | None, keywords: KeywordBook, links: Mapping[str, list[dict[str, str]]],
                 similar: SimilarTitles, result: GenerateResult):
        self.state, self.provider, self.options, self.prompts = state, provider, options, prompts
        self.price = Price(0.0, 0.0, 0.0) if provider.template_based else price
        self.rows, self.handles, self.audit, self.keywords, self.links = rows, handles, audit, keywords, links
        self.similar, self.result = similar, result
        self.cache = ResponseCache(state)
        self._view: tuple[ProductFacts | None, QuotedOnce] = (None, QuotedOnce())
        self.schema = draft_json_schema(options.allow_handle)
        self.fingerprints = draft_fingerprints(state)
        self.repair_hash = prompts.source_hash(REPAIR)
        self.index = CopyIndex(options.near_duplicate_threshold)
        self.index_ready = False
        self.validator = Validator(options.limits, self.index, options.brand.banned_words)
        self.validation_signature = content_key({
            "version": VALIDATOR_VERSION, "limits": asdict(options.limits), "banned": options.brand.banned_words,
            "threshold": options.near_duplicate_threshold, "rounds": options.max_repair_rounds,
            "policy": dict(options.policy), "content_gates": CONTENT_GATES_VERSION,
            "allow_dropped": sorted(options.allow_dropped)})
        self.static = {locale: self._static_prompt(locale) for locale in options.locales}
        self.limits = asdict(options.limits)
        self.shapes: dict[tuple[tuple[str, ...], str], dict[str, Any]] = {}  # (fields, locale) -> request shape
        self.grounding: dict[str, Grounding] = {}
        self.sheets: dict[str, FactSheet] = {}
        self.translations: dict[tuple[str, str], dict[str, str]] = {}  # a localised draft's current copy

    def _static_prompt(self, locale: str) -> str:
        fields = list(self.schema["properties"])
        system = self.prompts.render(SYSTEM, brand=asdict(self.options.brand), limits=asdict(self.options.limits),
                                     allowed_tags=sorted(ALLOWED_TAGS), allow_handle=self.options.allow_handle,
                                     fields=fields)
        guidance = self.prompts.render(self.prompts.locale_template(locale), locale=locale,
                                       guidance=self.options.guidance[locale])
        return system + "\n" + guidance

    def _ensure_index(self) -> None:
        """Everyone's copy, once, and only when something needs checking (a re-run with nothing new skips it)."""
        if self.index_ready:
            return
        primary = self.options.primary_locale
        for product_id, row in self.rows.items():
            for name in REWRITABLE:
                self.index.add(product_id, "existing", primary, name, _plain(name, row.get(name)))
        for draft in list_drafts(self.state):
            for name, text in draft.written_fields().items():
                self.index.add(draft.product_id, "draft", draft.locale, name, _plain(name, text))
        self.index_ready = True

    def draft(self, facts: ProductFacts, locale: str) -> None:
        planned = self._plan(facts, locale)
        if planned is not None:
            self._finish(planned, self._write(planned.request, planned.check))

    def _plan(self, facts: ProductFacts, locale: str) -> _Planned | None:
        """The first request and the checks for one draft; None when there is nothing to write or the draft is
        unchanged since the last run."""
        first = self._first_request(facts, locale)
        if first is None:
            return None
        options = self.options
        product_id, request, keywords, links = facts.product_id, first.request, first.keywords, first.links
        is_primary = locale == options.primary_locale
        self._ensure_index()
        # A keyword the keywords stage derived from the product's own attributes is product data in the locale's
        # words ("kupfer" for a copper finish); a shopper's query only vouches for its numbers ("rug 8x10").
        derived = keywords.primary if keywords.source == "derived" and keywords.primary else ""
        if product_id not in self.grounding:  # one product at a time: its locales share what its data states
            self.grounding = {product_id: Grounding.from_text(facts.grounding_text())}
            self.sheets = {product_id: fact_sheet(self.rows[product_id], options.primary_locale)}
        sheet = self.sheets[product_id]
        context = first.context  # the request's own: the writer reads what is added here
        context["fact_sheet"] = sheet.to_dict()  # the offline writer reads the facts the gates judge by
        context["allow_dropped"] = sorted(options.allow_dropped)
        grounding = self.grounding[product_id].merged(Grounding.from_text(
            derived, " ".join([keywords.primary or "", *keywords.secondary])))
        check = DraftCheck(product_id=product_id, locale=locale, fields_to_write=tuple(first.write),
                           keyword=keywords.primary if keywords.primary and keyword_fits(
                               keywords.primary, sheet, locale) else None, grounding=grounding,
                           link_paths=frozenset(link["url"] for link in links), handles=self.handles,
                           facts=sheet, allow_dropped=options.allow_dropped,
                           original=current_copy(self.rows[product_id]) if is_primary else first.translated)
        return _Planned(product_id, locale, request, check, first.leave, first.input_hash)

    def _prompt_view(self, facts: ProductFacts) -> QuotedOnce:
        """The product's data for its prompts, made and quoted once for all its locales (asked in a row)."""
        if self._view[0] is not facts:
            self._view = (facts, QuotedOnce(facts.prompt_view()))
        return self._view[1]

    def _first_request(self, facts: ProductFacts, locale: str) -> _First | None:
        """One draft's first request, as `_plan` makes it but without the checks (the fact sheet, grounding and
        keyword fit that judge the answer): all that planning needs. None when there is nothing to write or the
        draft is unchanged since the last run; either is counted in the result."""
        options = self.options
        product_id = facts.product_id
        is_primary = locale == options.primary_locale
        findings = self.audit.findings.get(product_id, []) if self.audit else []
        write, leave = fields_to_rewrite(facts.current, findings, is_primary=is_primary, policy=options.policy,
                                         allow_handle=options.allow_handle, overrides=options.finding_fields,
                                         audited=self.audit is not None)
        if not write:
            self.result.nothing_to_write += 1
            return None
        keywords = self.keywords.for_product(product_id, locale)
        if keywords.primary is None:
            self.result.no_keyword += 1
        links = self.links.get(product_id, []) if is_primary else []
        context = {
            "locale": locale, "primary_locale": options.primary_locale, "product": self._prompt_view(facts),
            "keywords": {"primary": keywords.primary, "secondary": list(keywords.secondary)},
            "findings": [{"code": f["code"], "severity": f["severity"], "evidence": f["evidence"][:200]}
                         for f in findings[:8]],
            "similar_titles": self.similar.for_product(product_id), "links": links,
            "fields_to_write": write, "fields_left_alone": leave, "limits": self.limits,
            "allow_handle": options.allow_handle, "attempt": 0, "repair": [],
        }
        user = self.prompts.render(PRODUCT, **context)
        shape = self.shapes.get((tuple(write), locale))
        if shape is None:  # the same few for every product: worked out once each
            shape = self.shapes[(tuple(write), locale)] = asdict(options.sampling.shape(
                write, self.limits, locale, len(self.schema["properties"])))
        request = Request(messages=(Message("system", self.static[locale]), Message("user", user)),
                          schema=self.schema, context=context, **shape)
        translated = None if is_primary else self.translations.get((product_id, locale))
        key = request_key(self.provider.name, self.provider.model, request)
        input_hash = content_key({"request": key, **({"original": translated} if translated else {}),
                                  "validation": self.validation_signature})
        known = self.fingerprints.get((product_id, locale))
        if known and known[0] == input_hash and known[1] in ("", self.repair_hash):
            self.result.skipped += 1
            return None
        return _First(request, context, key, input_hash, write, leave, keywords, links, translated)

    def _finish(self, planned: _Planned, draft: Draft) -> None:
        """Save a written draft and count it."""
        options, product_id, locale, request = self.options, planned.product_id, planned.locale, planned.request
        self.result.note_abstentions(locale, {note["field"]: note["message"] for note in draft.validation
                                              if note["code"] == "left_alone"})
        draft.fields_left_alone = [*planned.leave, *draft.fields_left_alone]
        draft.prompt_hash = content_key([[m.role, m.content] for m in request.messages])[:32]
        draft.input_hash = planned.input_hash
        draft.repair_hash = self.repair_hash if draft.rounds else ""
        draft.content_hash = str(self.rows[product_id].get("content_hash") or "")
        draft.run_id = self.result.run_id
        save_draft(self.state, draft)
        self.fingerprints[(product_id, locale)] = (draft.input_hash, draft.repair_hash)
        for name in REWRITABLE:
            self.index.add(product_id, "draft", locale, name, _plain(name, getattr(draft, name)))
        if draft.status == "abstained":  # nothing written: saved (a re-run knows it is current), not reviewed
            self.result.abstained += 1
            return
        self.result.drafts += 1
        if draft.passed:
            self.result.passed += 1
        else:
            self.result.flagged += 1
            self.result.tally.flagged_reasons.update(draft.reasons())
        if draft.rounds:
            self.result.repaired += 1
        if options.max_cost_usd and self.result.tally.cost > options.max_cost_usd:
            raise BudgetExceeded(f"generation spent ${self.result.tally.cost:.4f}, over [generation] max_cost_usd = "
                                 f"{options.max_cost_usd}; {self.result.drafts:,} drafts are saved, raise the budget "
                                 "and re-run to continue")

    def _write(self, request: Request, check: DraftCheck) -> Draft:
        steps = self._steps(request, check)
        request = next(steps)
        while True:
            try:
                request = steps.send(self._complete(request))
            except StopIteration as done:
                return done.value

    def _steps(self, request: Request, check: DraftCheck) -> Generator[Request, Response, Draft]:
        """Ask, check, repair (at most max_repair_rounds times); the last answer is kept whatever happens.
        A conversation: it yields each request and is sent its answer, so one draft can be written alone
        (`_write`) or many together in waves (`draft_in_waves`)."""
        rounds = 0
        usage = Usage()
        copy: DraftCopy | None = None
        while True:
            response = yield request
            usage = Usage(usage.tokens_in + response.usage.tokens_in, usage.tokens_out + response.usage.tokens_out,
                          usage.cached_tokens + response.usage.cached_tokens)
            findings, copy, repairable = self._judge(response, check, copy)
            if not findings or not repairable or rounds >= self.options.max_repair_rounds:
                break
            rounds += 1
            repair = self.prompts.render(REPAIR, findings=[f.as_dict() for f in findings], round=rounds,
                                         max_rounds=self.options.max_repair_rounds)
            request = Request(messages=(*request.messages, Message("assistant", response.text or "(no answer)"),
                                        Message("user", repair)),
                              schema=request.schema, temperature=request.temperature,
                              reasoning_effort=request.reasoning_effort,
                              max_output_tokens=self.options.sampling.next_cap(response, request.max_output_tokens),
                              context={**request.context, "attempt": rounds,
                                       "repair": [f.as_dict() for f in findings]})
        values = copy.fields() if copy else {}
        abstained = dict(response.abstained)
        notes = [{"field": name, "code": "left_alone", "message": reason} for name, reason in abstained.items()]
        status = "flagged" if findings else "passed" if any(values.values()) else "abstained"
        return Draft(product_id=check.product_id, locale=check.locale, title=values.get("title"),
                     body_html=values.get("body_html"), seo_title=values.get("seo_title"),
                     seo_description=values.get("seo_description"), handle=values.get("handle"),
                     provider=self.provider.name, model=self.provider.model, tokens_in=usage.tokens_in,
                     tokens_out=usage.tokens_out, cached_tokens=usage.cached_tokens,
                     cost=self.price.cost(usage) if self.price else None, rounds=rounds,
                     status=status, validation=[f.as_dict() for f in findings] + notes,
                     fields_left_alone=list(abstained))

    def _judge(self, response: Response, check: DraftCheck,
               previous: DraftCopy | None) -> tuple[list[Finding], DraftCopy | None, bool]:
        """(findings, the copy to keep, whether a repair round can help)."""
        if response.finish_reason in ("refusal", "content_filter"):
            reason = response.refusal or "the provider's content filter stopped the answer"
            return [Finding("*", "refusal", f"the model declined to write this draft: {reason[:300]}")], previous, False
        try:
            parsed = parse_draft(response.text)
        except DraftParseError as exc:
            if response.finish_reason == "length":
                return [Finding("*", "truncated", "the answer was cut off at the output token limit; write shorter "
                                "copy and return the complete JSON object")], previous, True
            return [Finding("*", "invalid_json", str(exc))], previous, True
        if response.abstained:  # fields the writer chose to leave alone are not missing
            left = {name for name, _ in response.abstained}
            check = replace(check, fields_to_write=tuple(f for f in check.fields_to_write if f not in left))
        copy, findings = self.validator.check(parsed, check)
        return findings, copy, True

    def _complete(self, request: Request) -> Response:
        key = request_key(self.provider.name, self.provider.model, request)
        cached = self.cache.get(key)
        if cached is not None:
            self.result.tally.cache_hits += 1
            return cached
        response = self.provider.complete(request)
        self.cache.put(key, self.provider.name, self.provider.model, response)
        self.result.tally.add_call(response.usage, self.price)
        return response

    # -- large runs ----------------------------------------------------------------------------------------------
    def draft_in_waves(self, provider: WaveProvider, pairs: Iterable[tuple[ProductFacts, str]],
                       progress: Progress) -> int:
        """Every draft's requests in waves through a provider for large runs: the first requests of all drafts
        together, then all the first repairs, and so on. Shows the estimate before anything is sent; returns how
        many drafts were left unfinished (the provider's summary says why)."""
        from pipeline.llm.waves import drive_waves

        planned = []
        for facts, locale in pairs:
            item = self._plan(facts, locale)
            if item is None:
                progress.advance()
            else:
                planned.append(item)
        provider.announce([p.request for p in planned if self.cache.get(self._key(p.request)) is None])

        def finish(item: _Planned, draft: Draft) -> None:
            self._finish(item, draft)
            progress.advance()

        def answer_wave(requests: list[Request], on_answer: Callable[[int, Response], None]) -> list[Response | None]:
            return self._answer_wave(provider, requests, on_answer)

        unfinished = drive_waves(((p, self._steps(p.request, p.check)) for p in planned), answer_wave,
                                 finish, wave_size=provider.wave_size)
        if unfinished and not provider.budget.stopped:
            raise ProviderError(f"{provider.where} ({provider.model}): {provider.last_error}; {unfinished:,} drafts "
                                "not written, finished drafts are kept, re-run later to continue")
        return unfinished

    def _key(self, request: Request) -> str:
        return request_key(self.provider.name, self.provider.model, request)

    def _answer_wave(self, provider: WaveProvider, requests: list[Request],
                     on_answer: Callable[[int, Response], None]) -> list[Response | None]:
        """One wave: cached answers first, the rest from the provider; each answer is cached the moment it
        arrives and handed to `on_answer` (which judges it) while the others are still in flight."""
        keys = [self._key(r) for r in requests]
        answers: list[Response | None] = [self.cache.get(k) for k in keys]
        self.result.tally.cache_hits += sum(a is not None for a in answers)
        missing = [i for i, answer in enumerate(answers) if answer is None]

        def arrived(j: int, response: Response) -> None:
            self.cache.put(keys[missing[j]], provider.name, provider.model, response)
            self.result.tally.add_call(response.usage, provider.price_of(response))
            on_answer(missing[j], response)

        for index, answer in enumerate(answers):
            if answer is not None:
                on_answer(index, answer)
        for j, response in enumerate(provider.answer([requests[i] for i in missing], on_response=arrived)):
            answers[missing[j]] = response
        return answers


@dataclass(frozen=True)
class _First:
    """A draft's first request (`_Run._first_request`) and what its checks are built from."""
    request: Request
    context: dict[str, Any]  # request.context, to add to
    key: str  # its response-cache key
    input_hash: str
    write: list[str]
    leave: list[str]
    keywords: Keywords
    links: list[dict[str, str]]
    translated: dict[str, str] | None


@dataclass(frozen=True)
class _Planned:
    product_id: str
    locale: str
    request: Request
    check: DraftCheck
    leave: list[str]
    input_hash: str


def _current_translations(workspace: Workspace, options: GenerateOptions) -> dict[tuple[str, str], dict[str, str]]:
    """(product id, locale) -> the store's current translation of each field (translations.parquet, from a store
    pull or a translation export), the `original` the content gates judge a localised draft against; outdated
    translations are left out (they translate older text, so the primary copy is the better reference)."""
    import pyarrow.parquet as pq

    others = [loc for loc in options.locales if loc != options.primary_locale]
    if not others or not workspace.locales.exists():
        return {}
    table = pq.read_table(workspace.locales, columns=["product_id", "locale", "key", "value", "primary", "outdated"],
                          filters=[("locale", "in", others)])
    fields = {"title": "title", "body_html": "body_html", "meta_title": "seo_title",
              "meta_description": "seo_description"}
    out: dict[tuple[str, str], dict[str, str]] = {}
    for row in table.to_pylist():
        if not row["primary"] and not row["outdated"] and row["value"] and row["key"] in fields:
            out.setdefault((row["product_id"], row["locale"]), {})[fields[row["key"]]] = row["value"]
    return out


def _plain(field: str, text: Any) -> str:
    return strip_html(str(text or "")) if field == "body_html" else str(text or "")
