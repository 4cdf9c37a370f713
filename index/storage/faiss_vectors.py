"""FAISS as the vector store: an index file in each version's folder, searched in-process.

Filters are a bitmap selector inside the FAISS search, so a filter that leaves 0.1% of the
passages still returns their true nearest neighbours. For approximate index types a
selective filter is answered by an exact scan of just the allowed rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import REBUILD, IndexDamaged, IndexMissing
from index.storage.vectors import EXACT_BELOW, Selection, SettingError
from index.storage.versions import VersionInfo

INDEX_FILE = "index.faiss"


def build_faiss(vectors: np.ndarray, factory: str) -> Any:
    """The index for these vectors; an index that needs training falls back to exact Flat
    when there are too few vectors to train it (the manifest records what was built)."""
    import faiss

    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 384
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        ivf = faiss.try_extract_index_ivf(index)
        lists = int(ivf.nlist) if ivf is not None else 256  # PQ and others: 256 codes
        if len(vectors) < 40 * lists:
            index = faiss.index_factory(dim, "Flat", faiss.METRIC_INNER_PRODUCT)
        else:
            # 64 training points per list is plenty (FAISS asks for 39+) and keeps training a
            # million-passage IVF4096 to minutes instead of a quarter of an hour.
            cap = 64 * lists
            sample = (
                np.random.default_rng(0).choice(len(vectors), cap, replace=False)
                if len(vectors) > cap
                else None
            )
            index.train(vectors if sample is None else vectors[np.sort(sample)])
    if len(vectors):
        index.add(vectors)
    return index


class UnfitParameters(SettingError):
    """search.faiss_params names parameters the index type does not have: a setting to fix,
    not damage."""


def search_parameters(index: Any, params: str | None) -> str:
    """Apply FAISS search-time parameters; None picks ours per index type (FAISS's own default
    of nprobe=1 misses most neighbours). Returns what was applied."""
    import faiss

    kind = type(index).__name__
    if params is None:
        params = "nprobe=32" if "IVF" in kind else "efSearch=64" if "HNSW" in kind else ""
    if params:
        try:
            faiss.ParameterSpace().set_index_parameters(index, params)
        except RuntimeError:
            raise UnfitParameters(
                f"search.faiss_params {params!r} does not apply to a {kind} index "
                "(IVF takes nprobe, HNSW efSearch, Flat nothing)"
            ) from None
    return params


def selector_params(index: Any, selector: Any) -> Any:
    """Search parameters carrying the selector, of the type the index needs, keeping its own
    nprobe / efSearch (a fresh parameter object would reset them to FAISS's defaults)."""
    import faiss

    if (ivf := faiss.try_extract_index_ivf(index)) is not None:
        return faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe)
    if hasattr(index, "hnsw"):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch)
    return faiss.SearchParameters(sel=selector)


def exact_search(
    vectors: np.ndarray, query: np.ndarray, rows: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k by inner product among `rows` (a mask), best first: a scan of just those rows."""
    candidates = np.flatnonzero(rows)
    sims = np.asarray(vectors[candidates]) @ query
    top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    order = top[np.argsort(-sims[top], kind="stable")]
    return sims[order].astype(np.float32), candidates[order]


@dataclass(frozen=True)
class FaissIndex:
    index: Any  # faiss.Index
    vectors: np.ndarray  # the same vectors, for exact scans of small selections

    @property
    def exact(self) -> bool:
        # From the index itself: a factory that needs training may have fallen back to Flat.
        return type(self.index).__name__.startswith("IndexFlat")

    def search(
        self, query: np.ndarray, k: int, selection: Selection | None
    ) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if selection is None:
            scores, rows = self.index.search(query, k)
        elif not self.exact and selection.count <= EXACT_BELOW:
            return exact_search(self.vectors, query[0], selection.rows, k)
        else:
            selector = faiss.IDSelectorBitmap(np.packbits(selection.rows, bitorder="little"))
            params = selector_params(self.index, selector)
            scores, rows = self.index.search(query, k, params=params)
        keep = rows[0] >= 0
        return scores[0][keep], rows[0][keep]


@dataclass(frozen=True)
class FaissBackend:
    factory: str = "Flat"
    params: str | None = None
    name: str = "faiss"

    def write(self, folder: Path, vectors: np.ndarray) -> dict[str, Any]:
        import faiss

        index = build_faiss(vectors, self.factory)
        faiss.write_index(index, str(folder / INDEX_FILE))
        return {"faiss_factory": self.factory, "faiss_index": type(index).__name__}

    def holds(self, manifest: dict[str, Any]) -> bool:
        return "faiss_index" in manifest

    def open(self, version: VersionInfo, vectors: np.ndarray) -> FaissIndex:
        import faiss

        path = version.path / INDEX_FILE
        if not path.is_file() and self.holds(version.manifest):
            raise IndexDamaged(
                f"index {version.name} is damaged ({INDEX_FILE} is missing); {REBUILD}"
            )
        if not path.is_file():
            raise IndexMissing(
                f"index {version.name} has no FAISS index (it was built with store="
                f"{version.manifest.get('store', '?')}); run `cinebot ingest` with store=faiss "
                "to build one from the stored vectors"
            )
        index = faiss.read_index(str(path))
        search_parameters(index, self.params)
        if index.ntotal != len(vectors):
            raise RuntimeError(
                f"index {version.name} is inconsistent: {index.ntotal} vectors in FAISS, "
                f"{len(vectors)} stored"
            )
        return FaissIndex(index, vectors)

    def retire(self, manifest: dict[str, Any]) -> None:
        """Nothing: the index file goes with the version's folder."""
