"""A BERT sentence encoder in plain torch, on the model's own weights and tokenizer.

Why not sentence-transformers here: importing it (with transformers, scikit-learn, scipy and
torch's compiler stack) takes 4-6 s on our 2-core machines, longer than the whole cold-start
budget. This loads the same safetensors weights into torch modules (post-norm layers, exact GELU,
fused attention: BERT's layer exactly), tokenizes with the model's own `tokenizer.json`
(`tokenizers`), and mean-pools and normalises as the model's sentence-transformers config
says. `tests/index/test_bert_backend.py` checks it against sentence-transformers.

Only what all-MiniLM-L6-v2 and its siblings use is supported (absolute positions, mean
pooling); anything else raises and the `sentence-transformers` backend is the way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn


class UnsupportedModel(ValueError):
    pass


def _json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


class _Layer(nn.Module):
    """One post-norm BERT layer; attention through torch's fused scaled_dot_product_attention."""

    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.norm1 = nn.LayerNorm(hidden, eps=eps)
        self.up = nn.Linear(hidden, intermediate)
        self.down = nn.Linear(intermediate, hidden)
        self.norm2 = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, attend: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        q, k, v = (
            self.qkv(x)
            .view(batch, length, 3, self.heads, hidden // self.heads)
            .permute(2, 0, 3, 1, 4)
        )
        attention = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attend)
        x = self.norm1(x + self.out(attention.transpose(1, 2).reshape(batch, length, hidden)))
        return self.norm2(x + self.down(nn.functional.gelu(self.up(x))))


class BertSentenceEncoder(nn.Module):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        config = _json(folder / "config.json")
        pooling = _json(folder / "1_Pooling" / "config.json")
        if (
            config.get("model_type") != "bert"
            or config.get("position_embedding_type", "absolute") != "absolute"
        ):
            raise UnsupportedModel(f"{folder} is not an absolute-position BERT model")
        if not pooling.get("pooling_mode_mean_tokens") or config.get("hidden_act") != "gelu":
            raise UnsupportedModel(f"{folder} does not mean-pool a GELU BERT")
        modules = json.loads((folder / "modules.json").read_text())
        self.normalize = any(m["type"].endswith("Normalize") for m in modules)
        self.max_length = int(
            _json(folder / "sentence_bert_config.json").get("max_seq_length", 512)
        )
        hidden, eps = config["hidden_size"], config["layer_norm_eps"]
        self.word = nn.Embedding(config["vocab_size"], hidden)
        self.position = nn.Embedding(config["max_position_embeddings"], hidden)
        self.token_type = nn.Embedding(config["type_vocab_size"], hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(
            _Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps)
            for _ in range(config["num_hidden_layers"])
        )
        self._load(folder / "model.safetensors", config["num_hidden_layers"])
        self.eval()
        self.tokenizer = self._tokenizer(folder / "tokenizer.json", config.get("pad_token_id", 0))

    def _load(self, weights: Path, layers: int) -> None:
        from safetensors.torch import load_file

        w = load_file(str(weights))
        w = {k.removeprefix("bert."): v for k, v in w.items()}
        state = {
            "word.weight": w["embeddings.word_embeddings.weight"],
            "position.weight": w["embeddings.position_embeddings.weight"],
            "token_type.weight": w["embeddings.token_type_embeddings.weight"],
            "norm.weight": w["embeddings.LayerNorm.weight"],
            "norm.bias": w["embeddings.LayerNorm.bias"],
        }
        for i in range(layers):
            src, dst = f"encoder.layer.{i}.", f"layers.{i}."
            attn = src + "attention.self."
            state[dst + "qkv.weight"] = torch.cat(
                [w[f"{attn}{p}.weight"] for p in ("query", "key", "value")]
            )
            state[dst + "qkv.bias"] = torch.cat(
                [w[f"{attn}{p}.bias"] for p in ("query", "key", "value")]
            )
            pairs = {
                "out": "attention.output.dense", "norm1": "attention.output.LayerNorm",
                "up": "intermediate.dense", "down": "output.dense", "norm2": "output.LayerNorm",
            }  # fmt: skip
            for ours, theirs in pairs.items():
                state[f"{dst}{ours}.weight"] = w[f"{src}{theirs}.weight"]
                state[f"{dst}{ours}.bias"] = w[f"{src}{theirs}.bias"]
        self.load_state_dict(state, strict=True)

    def _tokenizer(self, path: Path, pad_id: int):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
        tokenizer.enable_truncation(self.max_length)
        tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
        return tokenizer

    @torch.inference_mode()
    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors (if the model normalises), one row per text, in input order."""
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.word.embedding_dim), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            batch = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = torch.tensor([e.ids for e in batch], dtype=torch.long)
            mask = torch.tensor([e.attention_mask for e in batch], dtype=torch.bool)
            positions = torch.arange(ids.shape[1]).unsqueeze(0)
            x = self.norm(
                self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids))
            )
            attend = mask[:, None, None, :]  # every query may look at every real token
            for layer in self.layers:
                x = layer(x, attend)
            weights = mask.unsqueeze(-1).to(x.dtype)
            pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            if self.normalize:
                pooled = nn.functional.normalize(pooled, p=2, dim=1)
            out[rows] = pooled.numpy()
        return out
