"""The keywords stage's memory savings change nothing: the targets table is built locale by locale in the order a
stable sort by locale and role gives, and the relevance index's compact construction gives the same matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import scipy.sparse as sp

from pipeline.cli import main
from pipeline.config import SAMPLE_KEYWORDS
from pipeline.stages.keywords.assignment import FIELD_WEIGHTS, assign_locale, locale_fields, ranked_attributes
from pipeline.stages.keywords.files import read_keyword_file
from pipeline.stages.keywords.relevance import RelevanceIndex, tokenize
from pipeline.stages.keywords.stage import (
    TARGETS_SCHEMA,
    _file_has_locale,
    _without_brand_only,
    build_targets,
    catalog_profiles,
)
from tests.conftest import SAMPLE_CSV

LOCALES = ["en", "fr", "de", "es"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    """The bundled sample's profiles and its GSC export (for en)."""
    root = tmp_path_factory.mktemp("sample")
    assert main(["--workspace", str(root), "--store", "t", "pull", "--csv", str(SAMPLE_CSV)]) == 0
    facts = catalog_profiles(root / "t" / "catalog.parquet")
    files = [read_keyword_file(SAMPLE_KEYWORDS, locale="en", default_locale="en", allowed_locales=LOCALES)]
    return facts, files


def table_as_it_was(facts, files, locales) -> pd.DataFrame:
    """The targets table as the stage made it before: every locale's targets in one DataFrame, stably sorted by
    locale and role (primaries first)."""
    ranked = ranked_attributes(facts)
    rows = []
    for locale in locales:
        records = [r for f in files for r in f.records if r.locale == locale]
        pages = [p for f in files for p in f.pages if p.locale == locale]
        records, _ = _without_brand_only(records, facts, locale)
        had_file = any(f.records or f.pages for f in files if _file_has_locale(f, locale))
        result = assign_locale(facts, records, pages, locale, had_file=had_file, ranked=ranked)
        rows += [{"product_id": facts[t.product].product_id, "handle": facts[t.product].handle, "locale": locale,
                  "keyword": t.keyword, "role": t.role, "source": t.source, "score": float(t.score),
                  "demand": None if t.demand is None else float(t.demand), "reason": t.reason}
                 for t in result.targets]
    frame = pa.table({name: [r[name] for r in rows] for name in TARGETS_SCHEMA.names},
                     schema=TARGETS_SCHEMA).to_pandas()
    frame["_role"] = (frame["role"] != "primary").astype(int)
    frame["_order"] = range(len(frame))
    frame = frame.sort_values(["locale", "_role", "_order"], kind="stable").drop(columns=["_role", "_order"])
    return pa.Table.from_pandas(frame, schema=TARGETS_SCHEMA, preserve_index=False).to_pandas()


def test_the_targets_table_is_the_stable_sort_of_every_locales_targets(sample):
    facts, files = sample
    table, results, _ = build_targets(facts, files, LOCALES)
    assert table.schema == TARGETS_SCHEMA
    assert table.to_pandas().equals(table_as_it_was(facts, files, LOCALES))
    # The per-locale results keep their stats; their targets went into the table and were let go.
    assert [r.locale for r in results] == LOCALES and all(r.targets == [] and r.stats for r in results)


def test_a_locale_asked_for_twice_still_sorts_its_primaries_first(sample):
    facts, files = sample
    facts = facts[:200]
    table, _, _ = build_targets(facts, files, ["fr", "en", "fr"])
    assert table.to_pandas().equals(table_as_it_was(facts, files, ["fr", "en", "fr"]))


def index_as_it_was(fields, weights, locale, k1=1.2, b=0.75, repeat_fields=("description",)):
    """RelevanceIndex's matrices as it built them before: Python lists of (product, word) pairs, COO to CSR."""
    evidence = {"description": 0.5, "vendor": 0.75}
    vocabulary: dict[str, int] = {}
    n_docs = len(next(iter(fields.values())))
    per_field = []
    for name, texts in fields.items():
        rows, cols = [], []
        for doc, text in enumerate(texts):
            tokens = tokenize(text or "", locale)
            ids = [vocabulary.setdefault(t, len(vocabulary))
                   for t in (tokens if name in repeat_fields else dict.fromkeys(tokens))]
            cols.extend(ids)
            rows.extend([doc] * len(ids))
        per_field.append((name, np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)))
    shape = (n_docs, max(len(vocabulary), 1))
    tf, present = sp.csr_matrix(shape), sp.csr_matrix(shape)
    for name, field_rows, field_cols in per_field:
        counts = sp.csr_matrix((np.ones(len(field_rows)), (field_rows, field_cols)), shape=shape)
        counts.sum_duplicates()
        tf = tf + counts * weights.get(name, 1.0)
        counts.data = np.full(len(counts.data), evidence.get(name, 1.0))
        present = present.maximum(counts)
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    average = lengths.mean() if n_docs and lengths.mean() > 0 else 1.0
    norm = k1 * (1 - b + b * lengths / average)
    saturated = tf.copy()
    row_of_entry = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
    saturated.data = tf.data * (k1 + 1) / (tf.data + norm[row_of_entry])
    return vocabulary, saturated.T.tocsr(), present.tocsr().T.tocsr()


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_relevance_index_builds_the_same_matrices_from_compact_arrays(sample, locale):
    facts, _ = sample
    fields = locale_fields(facts, locale)
    fields["title"][0] = ""  # a product with no words in a field
    index = RelevanceIndex(fields, FIELD_WEIGHTS, locale)
    vocabulary, weights_t, present_t = index_as_it_was(fields, FIELD_WEIGHTS, locale)
    assert index.vocabulary == vocabulary
    for built, expected in ((index._weights_t, weights_t), (index._present_t, present_t)):
        assert built.shape == expected.shape and (built != expected).nnz == 0
        assert np.array_equal(built.indptr, expected.indptr) and np.array_equal(built.indices, expected.indices)
        assert np.array_equal(built.data, expected.data)  # bit for bit: the same sums in the same order


def test_an_index_of_no_products_is_empty():
    index = RelevanceIndex({"title": [], "tags": []}, FIELD_WEIGHTS, "en")
    assert index.n_docs == 0 and len(index.search(["oak table"])) == 0
