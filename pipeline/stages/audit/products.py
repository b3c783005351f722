"""The audit's pass over every product: per-product checks, plus what the duplicate search needs from each.

This is most of the audit's CPU time at 100,000 products, and products are independent of each other, so the
pass can be split into slices that run in worker processes (one per core). Each slice returns its findings,
a digest of each description's normalised text (identical descriptions share it), the description's word ids
(for near-duplicate shingles) and the title's comparison form. Word ids are local to a slice; `merge` maps
them onto one vocabulary, so the result does not depend on how the catalogue was sliced.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
from array import array
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from pipeline.core.text import normalise, strip_html, words
from pipeline.gates.content import ProductFactsInput, build_fact_sheet, information_count
from pipeline.stages.audit.checks import (
    AuditConfig,
    description_findings,
    distinct_sentences,
    html_findings,
    information_locale,
    seo_findings,
    singular,
    text_language,
    title_findings,
)
from pipeline.stages.audit.duplicates import Vocabulary

FIELDS = ("title", "body_html", "vendor", "product_type", "seo_title", "seo_description")
SLICE = 10_000         # products per task handed to a worker
PARALLEL_FROM = 20_000  # below this, worker start-up costs more than it saves


@dataclass(frozen=True)
class CatalogueFacts:
    """What a product's checks need to know about the whole catalogue."""

    config: AuditConfig
    sku_keys: frozenset[str]       # SKUs (normalised) that are also some product's title
    vendor_names: frozenset[str]
    shared_types: frozenset[str]   # product types (normalised) that more than one product has
    variant_words: frozenset[str]  # left out when titles are compared for near-duplicates


@dataclass
class CheckedSlice:
    start: int
    findings: list[tuple[int, str, str]]  # (catalogue row, code, evidence)
    description_digests: list[bytes]
    description_words: list[int]
    title_keys: list[str]
    title_bases: list[str]
    seo_title_keys: list[str]
    seo_description_keys: list[str]
    vocabulary: list[str]                 # slice-local word ids: vocabulary[id] is the word
    word_ids: array                       # every description's word ids, one after the other
    word_counts: array                    # how many of them each description has


@dataclass
class CheckedCatalogue:
    findings: list[tuple[int, str, str]]
    description_digests: list[bytes]
    description_words: list[int]
    title_keys: list[str]
    title_bases: list[str]
    seo_title_keys: list[str]
    seo_description_keys: list[str]
    word_ids: np.ndarray      # one vocabulary for the catalogue
    word_offsets: np.ndarray  # description i owns word_ids[word_offsets[i]:word_offsets[i + 1]]


def digest(text: str) -> bytes:
    """16-byte digest of a normalised text; empty text has the empty digest (never a duplicate)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest() if text else b""


def check_slice(start: int, columns: dict[str, list[str]], facts: CatalogueFacts) -> CheckedSlice:
    """Run every per-product check on rows start.. of the catalogue; `columns` hold FIELDS for those rows."""
    config = facts.config
    locale = information_locale(config.locale)
    vocabulary = Vocabulary()
    out = CheckedSlice(start, [], [], [], [], [], [], [], [], array("i"), array("i"))
    for offset, body in enumerate(columns["body_html"]):
        row = start + offset
        text = strip_html(body)
        # strip_html has collapsed whitespace already, so ASCII text only needs lower-casing.
        key = text.lower() if text.isascii() else normalise(text)
        tokens = words(key)
        out.description_digests.append(digest(key))
        out.description_words.append(len(tokens))
        out.word_ids.extend(vocabulary.encode(tokens))
        out.word_counts.append(len(tokens))

        title = columns["title"][offset]
        title_key = normalise(title)
        title_tokens = words(title_key)
        out.title_keys.append(title_key)
        out.title_bases.append(" ".join(singular(w) for w in title_tokens if w not in facts.variant_words))
        product_type = columns["product_type"][offset]
        found = title_findings(title, vendor=columns["vendor"][offset], product_type=product_type,
                               sku_keys=facts.sku_keys, vendor_names=facts.vendor_names, config=config,
                               has_type_siblings=normalise(product_type) in facts.shared_types,
                               key=title_key, tokens=title_tokens)
        found += description_findings(text, len(tokens), config, information=_information_of(
            body, tokens, title, columns["vendor"][offset], product_type, locale) if locale else None,
            body_html=body)
        seo_title, seo_description = columns["seo_title"][offset], columns["seo_description"][offset]
        out.seo_title_keys.append(normalise(seo_title))
        out.seo_description_keys.append(normalise(seo_description))
        found += seo_findings(seo_title, seo_description, config)
        found += html_findings(body)
        out.findings.extend((row, code, evidence) for code, evidence in found)
    out.vocabulary = list(vocabulary)
    return out


def _information_of(body_html: str, tokens: list[str], title: str, vendor: str, product_type: str,
                    locale: str) -> Callable[[], int]:
    """The description's information (distinct facts plus product-specific sentences, as the content gates
    count it), read in the description's own language (`tokens`: its case-folded words) and measured only
    when called: a few milliseconds a product, so only where the thin rule needs it.

    The fact sheet holds the product's data (title, vendor, type), not the description: the gates judge a draft
    against the current copy, and a description measured against itself would vouch for every sentence. A
    sentence said several times counts once (`distinct_sentences`)."""

    def information() -> int:
        language = text_language(tokens, locale)
        sheet = build_fact_sheet(ProductFactsInput(title=title, vendor=vendor, product_type=product_type,
                                                   primary_locale=language))
        return information_count(distinct_sentences(body_html), sheet, language)

    return information


def _check_slice_task(task: tuple[int, dict[str, list[str]], CatalogueFacts]) -> CheckedSlice:
    return check_slice(*task)


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """Worker processes for `check_products`, or None for one process.

    Started with spawn, not fork: the parent holds Arrow thread pools, which must not be forked. Start the
    pool before reading a large catalogue, while the parent is small (starting a process copies its page
    tables, and the kernel counts the parent's memory at that moment in the child's peak).
    """
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def check_products(column: Callable[[str, int, int], list[str]], n: int, facts: CatalogueFacts, *,
                   pool: Executor | None = None, workers: int = 1,
                   on_slice: Callable[[int], None] = lambda done: None) -> CheckedCatalogue:
    """Check all n products; `column(name, start, stop)` gives one field of rows start..stop as strings.

    Slices run in `pool` when one is given and the catalogue is large enough (or in a pool of `workers`
    started here); the result is the same as in one process.
    """
    tasks = ((start, {name: column(name, start, min(start + SLICE, n)) for name in FIELDS}, facts)
             for start in range(0, n, SLICE))
    slices: list[CheckedSlice] = []
    if n < PARALLEL_FROM or (pool is None and workers <= 1):
        for task in tasks:
            slices.append(_check_slice_task(task))
            on_slice(len(slices[-1].title_keys))
        return merge(slices)
    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(worker_pool(workers))
        assert pool is not None
        # A few slices in flight at a time, so the catalogue's text is not all copied into the queue at once.
        pending: deque[Future[CheckedSlice]] = deque()
        for task in tasks:
            pending.append(pool.submit(_check_slice_task, task))
            if len(pending) > 4:
                slices.append(pending.popleft().result())
                on_slice(len(slices[-1].title_keys))
        while pending:
            slices.append(pending.popleft().result())
            on_slice(len(slices[-1].title_keys))
    return merge(slices)


def merge(slices: Sequence[CheckedSlice]) -> CheckedCatalogue:
    """One catalogue-wide result from slices in row order, with word ids mapped onto one vocabulary."""
    vocabulary = Vocabulary()
    ids: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    merged = CheckedCatalogue([], [], [], [], [], [], [], np.zeros(0, np.uint64), np.zeros(1, np.int64))
    for checked in slices:
        merged.findings += checked.findings
        merged.description_digests += checked.description_digests
        merged.description_words += checked.description_words
        merged.title_keys += checked.title_keys
        merged.title_bases += checked.title_bases
        merged.seo_title_keys += checked.seo_title_keys
        merged.seo_description_keys += checked.seo_description_keys
        to_global = np.array(vocabulary.encode(checked.vocabulary), dtype=np.int32)
        ids.append(to_global[np.array(checked.word_ids, dtype=np.int32)])
        counts.append(np.array(checked.word_counts, dtype=np.int32))
    if slices:
        merged.word_ids = np.concatenate(ids).astype(np.uint64)
        lengths = np.concatenate(counts).astype(np.int64)
        merged.word_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=merged.word_offsets[1:])
    return merged
