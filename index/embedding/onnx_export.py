"""The packaged model as ONNX files for onnxruntime, made once per machine from its own
weights, offline: one in float32 (passages: the same vectors as sentence-transformers) and
one with int8 weights (questions: about five times faster; `make eval` judged it, see
benchmarks/EVAL.md).

The export runs at first use (or `cinebot model`), takes about ten seconds, and is the only
thing that needs torch and transformers at run time; a serving process imports neither.
The files are cached under `embedding.onnx_dir`, keyed by the weights and the recipe, and
written under a lock into a temporary folder renamed into place: two processes starting at
once export once, and a crash leaves nothing half-written."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("cinebot.embedding")
RECIPE = 1  # bump when the export below changes: every cached export is made again
OPSET = 17


class UnsupportedModel(ValueError):
    """A model this export does not cover: use the `sentence-transformers` backend."""


@dataclass(frozen=True)
class OnnxFiles:
    float32: Path
    int8: Path
    max_length: int
    normalize: bool


def _json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


def model_facts(folder: Path) -> tuple[int, bool]:
    """(max tokens, whether vectors are normalised), from the model's sentence-transformers
    files; only mean-pooled BERT-family encoders are covered."""
    config = _json(folder / "config.json")
    pooling = _json(folder / "1_Pooling" / "config.json")
    if config.get("model_type") != "bert" or not pooling.get("pooling_mode_mean_tokens"):
        raise UnsupportedModel(
            f"{folder} is not a mean-pooled BERT model; set embedding.backend = "
            "'sentence-transformers' for it"
        )
    modules = json.loads((folder / "modules.json").read_text())
    normalize = any(m["type"].endswith("Normalize") for m in modules)
    max_length = int(_json(folder / "sentence_bert_config.json").get("max_seq_length", 512))
    return max_length, normalize


def _fingerprint(folder: Path) -> str:
    import onnxruntime

    digest = hashlib.sha256(f"{RECIPE}:{onnxruntime.__version__}".encode())
    for name in ("config.json", "tokenizer.json", "modules.json"):
        digest.update((folder / name).read_bytes() if (folder / name).is_file() else b"")
    weights = folder / "model.safetensors"
    with open(weights, "rb") as handle:  # the header names every tensor, shape and offset
        digest.update(handle.read(1 << 20))
    digest.update(str(weights.stat().st_size).encode())
    return digest.hexdigest()[:16]


def _planned(folder: Path, cache: Path) -> OnnxFiles:
    max_length, normalize = model_facts(folder)
    target = cache / f"{folder.name}-{_fingerprint(folder)}"
    return OnnxFiles(target / "model.onnx", target / "model-int8.onnx", max_length, normalize)


def exported(folder: Path, cache: Path) -> bool:
    files = _planned(folder, cache)
    return files.float32.is_file() and files.int8.is_file()


def onnx_files(folder: Path, cache: Path) -> OnnxFiles:
    """The cached ONNX files for the model in `folder`, exported first if missing."""
    files = _planned(folder, cache)
    target = files.float32.parent
    if files.float32.is_file() and files.int8.is_file():
        return files
    cache.mkdir(parents=True, exist_ok=True)
    with _locked(cache / ".lock"):
        if not (files.float32.is_file() and files.int8.is_file()):  # another process may have
            log.info("exporting %s to ONNX (once per machine, about ten seconds)", folder.name)
            tmp = cache / f".tmp-{uuid.uuid4().hex}"
            tmp.mkdir()
            try:
                _export(folder, tmp)
                shutil.rmtree(target, ignore_errors=True)
                os.rename(tmp, target)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return files


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _export(folder: Path, out: Path) -> None:
    """torch -> ONNX (the encoder's last hidden state), onnxruntime's BERT fusions (attention,
    GELU, layer norms), then int8 weights per channel for the matrix products."""
    import torch
    from transformers import AutoModel

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = AutoModel.from_pretrained(
        str(folder), attn_implementation="eager", local_files_only=True
    ).eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    raw = out / "raw.onnx"
    with warnings.catch_warnings(), _quiet():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Hidden(),
            (ids, ids, torch.zeros_like(ids)),
            str(raw),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["hidden"],
            opset_version=OPSET,
            dynamo=False,
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "hidden": axes,
            },
        )
        _optimize_and_quantize(raw, out, model.config.num_attention_heads, model.config.hidden_size)
    raw.unlink()


def _optimize_and_quantize(raw: Path, out: Path, heads: int, hidden: int) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(str(raw), model_type="bert", num_heads=heads, hidden_size=hidden)
    fused.save_model_to_file(str(out / "model.onnx"))
    quantize_dynamic(
        str(out / "model.onnx"),
        str(out / "model-int8.onnx"),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The exporter and quantizer log advice to the root logger; none of it is for users."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)
