"""The plain-torch encoder (the default backend) gives sentence-transformers' vectors."""

import subprocess
import sys

import numpy as np
import pytest

from config import EmbeddingSettings
from index.embedding.encoder import Encoder

pytestmark = pytest.mark.slow  # the real model and an index of its own

TEXTS = [
    "zombies and the undead",
    "a",
    "Korean action thrillers rated 8+",
    "Amélie wanders Montmartre — café, crème brûlée, 東京, ★★★½",
    "A long review. " + "The pacing sags in the middle but the last act earns its tears. " * 60,
    "   spaces   and\nnew lines\tand tabs   ",
]


def test_torch_backend_matches_sentence_transformers_vector_for_vector(encoder):
    assert encoder.settings.backend == "torch"
    reference = Encoder(EmbeddingSettings(backend="sentence-transformers"))
    ours, theirs = encoder.encode(TEXTS), reference.encode(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() > 0.9999, cosine
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_order_and_batching_do_not_change_a_vector(encoder):
    alone = np.vstack([encoder.encode([t]) for t in TEXTS])
    together = encoder.encode(TEXTS[::-1])[::-1]
    assert np.allclose(alone, together, atol=1e-5)


def test_the_default_backend_never_imports_sentence_transformers():
    code = ("from config import Settings; from index.embedding.encoder import Encoder; "
            "e = Encoder(Settings().embedding); e.encode(['a film']); import sys; "
            "print('sentence_transformers' in sys.modules, 'transformers' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
