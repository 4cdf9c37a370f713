"""Filtered search on the FAISS store must equal brute force, however selective the filter
(no post-filtering)."""

from dataclasses import dataclass, replace

import faiss
import numpy as np
import pytest

from index.answering.rank import search_passages
from index.storage import faiss_vectors
from index.storage.faiss_vectors import FaissIndex, build_faiss, search_parameters
from index.storage.vectors import Selection
from index.types import QueryFilters


@dataclass
class Version:
    """Just what search_passages reads from a snapshot."""

    vector_index: FaissIndex

    @property
    def n_passages(self) -> int:
        return len(self.vector_index.vectors)

    @property
    def index(self):
        return self.vector_index.index


def graph_only(version: Version) -> Version:
    """The same index with search.exact_below at 0: every filter goes into the ANN search."""
    return Version(replace(version.vector_index, exact_below=0))


def selected(rows: np.ndarray) -> Selection:
    return Selection(rows, QueryFilters())


def unit(rng, n, d=384):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute_force(vectors, query, allowed, k):
    rows = np.flatnonzero(allowed)
    sims = vectors[rows] @ query
    order = np.argsort(-sims, kind="stable")[:k]
    return rows[order]


@pytest.fixture(scope="module")
def corpus():
    rng = np.random.default_rng(7)
    return unit(rng, 20_000), unit(rng, 20), rng


@pytest.fixture(scope="module")
def indexes(corpus):
    """One index per factory string, built once for the module."""
    vectors = corpus[0]
    cache = {}

    def get(factory):
        if factory not in cache:
            cache[factory] = Version(FaissIndex(build_faiss(vectors, factory), vectors))
        return cache[factory]

    return get


@pytest.mark.parametrize("factory", ["Flat", "HNSW32", "IVF64,Flat"])
@pytest.mark.parametrize("selectivity", [0.5, 0.05, 0.005, 0.0005])
def test_filtered_top10_equals_brute_force(corpus, indexes, factory, selectivity):
    vectors, queries, rng = corpus
    snap = indexes(factory)
    recalls = []
    for query in queries:
        allowed = rng.random(len(vectors)) < selectivity
        allowed[rng.integers(len(vectors))] = True  # never empty
        _, rows = search_passages(snap, query, selected(allowed), 10)
        truth = brute_force(vectors, query, allowed, 10)
        assert allowed[rows].all()
        recalls.append(len(set(rows.tolist()) & set(truth.tolist())) / len(truth))
    if factory == "Flat" or selectivity <= 0.05:  # exact paths
        assert min(recalls) == 1.0
    else:  # an ANN with a selector over a broad filter: near-exact
        assert np.mean(recalls) >= 0.9


def test_post_filtering_loses_what_the_selector_finds(corpus, indexes):
    """The control: top-k then filter (what a naive wrapper does) misses selective matches."""
    vectors, queries, rng = corpus
    snap = indexes("Flat")
    allowed = rng.random(len(vectors)) < 0.001
    lost = 0
    for query in queries:
        _, top = snap.index.search(query.reshape(1, -1), 40)
        post = [r for r in top[0] if allowed[r]][:10]
        _, rows = search_passages(snap, query, selected(allowed), 10)
        assert len(rows) == 10
        lost += 10 - len(post)
    assert lost > 150


def test_selector_filters_inside_faiss_not_after(corpus, indexes, monkeypatch):
    vectors, queries, rng = corpus
    snap = indexes("Flat")
    seen = {}
    real = faiss.IDSelectorBitmap

    def spy(bits):
        seen["bits"] = bits
        return real(bits)

    monkeypatch.setattr(faiss, "IDSelectorBitmap", spy)
    allowed = rng.random(len(vectors)) < 0.01
    search_passages(snap, queries[0], selected(allowed), 10)
    assert np.array_equal(
        np.unpackbits(seen["bits"], bitorder="little")[: len(allowed)].astype(bool), allowed
    )


def test_empty_filter_and_empty_index_answer_nothing(corpus, indexes):
    vectors, queries, _ = corpus
    snap = indexes("Flat")
    nothing = selected(np.zeros(len(vectors), bool))
    assert len(search_passages(snap, queries[0], nothing, 10)[1]) == 0
    none = np.zeros((0, 384), np.float32)
    empty = Version(FaissIndex(build_faiss(none, "Flat"), none))
    assert len(search_passages(empty, queries[0], None, 10)[1]) == 0


@pytest.mark.parametrize(
    ("factory", "params", "applied"),
    [
        ("Flat", None, ""),
        ("IVF16,Flat", None, "nprobe=32"),
        ("HNSW16", None, "efSearch=64"),
        ("IVF16,Flat", "nprobe=4", "nprobe=4"),
    ],
)
def test_approximate_indexes_get_search_parameters_that_find_neighbours(factory, params, applied):
    vectors = np.random.default_rng(0).random((2000, 8), dtype=np.float32)
    index = faiss.index_factory(8, factory)
    if not index.is_trained:
        index.train(vectors)
    assert search_parameters(index, params) == applied
    if "IVF" in factory:
        assert faiss.extract_index_ivf(index).nprobe == int(applied.split("=")[1])


def test_search_parameters_that_do_not_fit_the_index_are_a_clear_error(sample_engine, tmp_path):
    import shutil

    from index.engine import Engine

    shutil.copytree(sample_engine.settings.index_dir, tmp_path / "index")
    settings = sample_engine.settings.model_copy(deep=True)
    settings.index_dir = tmp_path / "index"
    settings.search.faiss_params = "nprobe=8"
    with pytest.raises(ValueError, match="nprobe=8' does not apply to a IndexFlatIP index"):
        Engine(settings, sample_engine.encoder).ask("anything")


@pytest.mark.parametrize("factory", ["HNSW32", "IVF64,Flat"])
@pytest.mark.parametrize("selectivity", [0.5, 0.05])
def test_approximate_indexes_search_with_the_selector_when_the_filter_is_broad(
    corpus, indexes, factory, selectivity
):
    """Above the exact-search threshold the selector goes into the ANN search itself, with
    parameters of the index's own type (IVF and HNSW refuse generic ones) and its nprobe."""
    vectors, queries, rng = corpus
    snap = graph_only(indexes(factory))
    search_parameters(snap.index, None)  # as opening a version does
    recalls, unfiltered = [], []
    everything = np.ones(len(vectors), dtype=bool)
    for query in queries:
        allowed = rng.random(len(vectors)) < selectivity
        _, rows = search_passages(snap, query, selected(allowed), 10)
        assert len(rows) == 10 and allowed[rows].all()
        truth = brute_force(vectors, query, allowed, 10)
        recalls.append(len(set(rows.tolist()) & set(truth.tolist())) / 10)
        _, top = snap.index.search(query.reshape(1, -1), 10)
        unfiltered.append(
            len(set(top[0].tolist()) & set(brute_force(vectors, query, everything, 10).tolist()))
            / 10
        )
    # Uniform random 384-d vectors are an ANN's worst case; the point is that the filter
    # costs little recall beyond what the index loses on its own. IVF scans the same lists
    # either way; an HNSW walk through a graph that is mostly filtered out loses more (which
    # is why filters under 20,000 passages are answered exactly).
    keeps = 0.8 if "IVF" in factory else 0.5
    assert np.mean(unfiltered) > 0.2
    assert np.mean(recalls) >= keeps * np.mean(unfiltered)


def test_a_filtered_ivf_search_probes_more_lists_the_fewer_passages_pass(corpus, indexes):
    """nprobe / selectivity lists: a filter passing 5% scans as many allowed passages as an
    unfiltered search scans, so the filter costs no recall (here every list: exact)."""
    vectors, queries, rng = corpus
    snap = graph_only(indexes("IVF64,Flat"))
    search_parameters(snap.index, "nprobe=4")
    try:
        assert faiss_vectors.filtered_probes(snap.index, 0.5) == 8
        assert faiss_vectors.filtered_probes(snap.index, 0.05) == 64  # capped at nlist
        for query in queries:
            allowed = rng.random(len(vectors)) < 0.05
            _, rows = search_passages(snap, query, selected(allowed), 10)
            assert rows.tolist() == brute_force(vectors, query, allowed, 10).tolist()
    finally:
        search_parameters(snap.index, None)
