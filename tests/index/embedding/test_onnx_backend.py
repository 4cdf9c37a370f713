"""The onnx backend (the default): passages in float32 give sentence-transformers' vectors;
questions (and passages, with `embedding.quantized_passages`) go through the int8 export,
close enough that answers stay the same (make eval and the judged set judge it fully);
the export is made once and a serving process never imports torch."""

import os
import subprocess
import sys

import numpy as np
import pytest

from config import EmbeddingSettings
from index.embedding.encoder import Encoder
from index.embedding.onnx_export import onnx_files

pytestmark = pytest.mark.slow  # the real model

TEXTS = [
    "zombies and the undead",
    "a",
    "Korean action thrillers rated 8+",
    "Amélie wanders Montmartre — café, crème brûlée, 東京, ★★★½",
    "A long review. " + "The pacing sags in the middle but the last act earns its tears. " * 60,
    "   spaces   and\nnew lines\tand tabs   ",
]


@pytest.fixture(scope="module")
def reference():
    return Encoder(EmbeddingSettings(backend="sentence-transformers"))


@pytest.fixture(scope="module")
def float32(encoder):
    return Encoder(encoder.settings.model_copy(update={"quantized_passages": False}))


def test_passages_match_sentence_transformers_vector_for_vector(float32, reference):
    assert float32.settings.backend == "onnx" and float32.precision == "float32"
    ours, theirs = float32.encode(TEXTS), reference.encode(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() > 0.9999, cosine
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_int8_passages_stay_close_to_the_float_vectors(encoder, float32):
    int8 = Encoder(encoder.settings.model_copy(update={"quantized_passages": True}))
    assert int8.precision == "int8"
    ours, theirs = int8.encode(TEXTS), float32.encode(TEXTS)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() > 0.97 and cosine.max() < 0.99999, cosine  # close, not the same model
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)


def test_sentence_transformers_has_no_int8_model_and_ignores_the_setting(reference):
    both = Encoder(
        reference.settings.model_copy(
            update={"quantized_passages": True, "quantized_questions": True}
        )
    )
    assert both.precision == "float32"  # what an index records of its vectors
    assert np.array_equal(both.encode(TEXTS[:3]), reference.encode(TEXTS[:3]))


def test_int8_questions_stay_close_to_the_float_vectors(encoder, reference):
    questions = [*TEXTS[:4], "films about grief and the sea, not horror", "a heist that goes wrong"]
    ours = np.vstack([encoder.encode_query(q) for q in questions])
    theirs = reference.encode(questions)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() > 0.97, cosine
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)


def test_int8_questions_find_the_same_passages_in_the_sample_index(sample_engine, reference):
    snap = sample_engine.snapshot()
    vectors = np.asarray(snap.vectors)
    for question in (
        "zombies on a train",
        "a lonely lighthouse keeper",
        "a heist that goes wrong",
        "grief and the sea",
        "samurai and honour",
        "a wedding in the countryside",
    ):
        exact = reference.encode([question])[0]
        quick = sample_engine.encoder.encode_query(question)
        top_exact = set(np.argsort(-(vectors @ exact))[:5].tolist())
        top_quick = set(np.argsort(-(vectors @ quick))[:5].tolist())
        assert len(top_exact & top_quick) >= 4, question


def test_order_and_batching_do_not_change_a_vector(encoder):
    alone = np.vstack([encoder.encode([t]) for t in TEXTS])
    together = encoder.encode(TEXTS[::-1])[::-1]
    assert np.allclose(alone, together, atol=1e-5)


def test_a_repeated_question_is_not_embedded_again_and_the_cache_is_bounded(encoder):
    small = Encoder(encoder.settings.model_copy(update={"question_cache": 2}))
    first = small.encode_query("westerns with a big heart")
    assert small.encode_query("westerns with a big heart") is first
    assert not first.flags.writeable  # shared: nobody may change it for the others
    small.encode_query("one")
    small.encode_query("two")
    assert small.encode_query("westerns with a big heart") is not first  # pushed out
    assert len(small._asked) == 2


def test_the_export_is_made_once_and_reused(encoder):
    files = onnx_files(encoder.model_path, encoder.settings.onnx_dir)
    made = files.float32.stat().st_mtime_ns, files.int8.stat().st_mtime_ns
    again = onnx_files(encoder.model_path, encoder.settings.onnx_dir)
    assert again == files
    assert (files.float32.stat().st_mtime_ns, files.int8.stat().st_mtime_ns) == made
    assert files.int8.stat().st_size < 0.8 * files.float32.stat().st_size  # int8 matrices


def test_a_serving_process_imports_neither_torch_nor_transformers(encoder):
    encoder.prepare()  # the export exists: the child only loads it
    code = (
        "from config import Settings; from index.embedding.encoder import Encoder; "
        "e = Encoder(Settings().embedding); e.encode_query('a film'); e.encode(['a film']); "
        "import sys; print(*(m in sys.modules for m in ('torch', 'transformers', "
        "'sentence_transformers')))"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False", "False"]
