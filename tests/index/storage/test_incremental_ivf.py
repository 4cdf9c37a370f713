"""A merge into an IVF segment reuses its training and inverted lists: the kept vectors keep
their lists under their new row numbers, the other segments' are added, and the result
answers as an index built from scratch would (searched over every list). A commit itself
writes only its own small segment."""

import hashlib

import numpy as np
import pytest

from index.storage.faiss_vectors import FaissBackend, read_mapped, search_parameters
from index.storage.merges import merge
from index.storage.versions import IndexStore
from index.types import Review

DIM = 384
MANIFEST = {"model": "test", "dim": DIM, "passage_max_tokens": 200}


def unit(rng, n):
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def add(writer, rng, start, n):
    vectors = unit(rng, n)
    for i in range(n):
        review = Review(review_id=f"r{start + i:05d}", title=f"Film {start + i}", text=f"words {i}")
        digest = hashlib.sha1(review.review_id.encode()).hexdigest()
        writer.add_review(review, f"film-{start + i}", digest, [review.text], vectors[i : i + 1])
    return vectors


@pytest.fixture
def store(tmp_path):
    return IndexStore(tmp_path / "index")


def test_a_commit_reuses_the_training_and_answers_like_a_fresh_build(store):
    rng = np.random.default_rng(3)
    backend = FaissBackend("IVF16,Flat", "nprobe=16")  # every list: the search is exact
    with store.lock():
        writer = store.begin(None)
        first = add(writer, rng, 0, 800)
        writer.commit(dict(MANIFEST), backend)
    base = store.current()
    (record,) = base.store_records()
    assert record["faiss_index"] == "IndexIVFFlat" and record["faiss_trained_on"] == 800
    with store.lock():
        writer = store.begin(base)
        for i in range(0, 800, 5):  # every fifth review goes
            writer.delete_review(f"r{i:05d}")
        added = add(writer, rng, 800, 300)
        writer.commit(dict(MANIFEST), backend)
    committed = store.current()
    assert [r["faiss_index"] for r in committed.store_records()] == ["IndexIVFFlat", "IndexFlat"]
    assert merge(store, backend, everything=True) is not None
    grown = store.current()
    (record,) = grown.store_records()
    assert record["faiss_trained_on"] == 800  # reused, not trained again
    kept = np.ones(800, bool)
    kept[::5] = False
    expected = np.vstack([first[kept], added])
    (ref,) = grown.segments
    index = read_mapped(grown.segment_path(ref) / "index.faiss", "IndexIVFFlat")
    search_parameters(index, "nprobe=16")
    assert index.ntotal == len(expected)
    queries = expected[::97]
    _, found = index.search(queries, 5)
    truth = np.argsort(-(queries @ expected.T), axis=1)[:, :5]
    assert (found == truth).all()


def test_an_index_that_has_doubled_is_trained_again(store):
    rng = np.random.default_rng(4)
    backend = FaissBackend("IVF16,Flat")
    with store.lock():
        writer = store.begin(None)
        add(writer, rng, 0, 700)
        writer.commit(dict(MANIFEST), backend)
    with store.lock():
        writer = store.begin(store.current())
        add(writer, rng, 700, 800)
        writer.commit(dict(MANIFEST), backend)
    merge(store, backend, everything=True)
    (record,) = store.current().store_records()
    assert record["faiss_trained_on"] == 1500
