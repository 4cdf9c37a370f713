"""FAISS as the vector store: an index file in each segment's folder, searched in-process.

Filters are a bitmap selector inside the FAISS search, so a filter that leaves 0.1% of the
passages still returns their true nearest neighbours; the rows a version deleted are left out
of the bitmap. For approximate index types a selective filter is answered by an exact scan of
just the allowed rows. A segment of one member's review is a Flat index of a few vectors
(an IVF needs 40 vectors per list to train); a merge into a segment whose first input is an
IVF keeps its training and lists.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import REBUILD, IndexDamaged, IndexMissing
from index.storage.combined import Combined, Part
from index.storage.vectors import (
    EXACT_BELOW,
    Merged,
    SegmentedIndex,
    SegmentSearch,
    Selection,
    SettingError,
    exact_search,
)
from index.storage.versions import VersionInfo

INDEX_FILE = "index.faiss"
log = logging.getLogger("cinebot.store")


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


RETRAIN_GROWTH = 2.0  # an IVF is trained again once the index has doubled since its training


def grown_ivf(previous: Merged, vectors: np.ndarray, factory: str) -> tuple[Any, int] | None:
    """A merge's first input's IVF index with its deleted rows dropped, the kept ones
    renumbered and the other inputs' vectors added: no training again and no assignment of
    the kept vectors (a merge into a million passages costs seconds, not the minutes of
    k-means). None when it cannot be reused: another factory, not an IVF, or grown past
    RETRAIN_GROWTH."""
    import faiss
    from faiss.contrib.inspect_tools import get_invlist

    manifest = previous.segment.store
    trained_on = int(manifest.get("faiss_trained_on") or manifest.get("passages") or 0)
    if (
        manifest.get("faiss_factory") != factory
        or not str(manifest.get("faiss_index", "")).startswith("IndexIVF")
        or not trained_on
        or len(vectors) > RETRAIN_GROWTH * trained_on
    ):
        return None
    path = previous.segment.path / INDEX_FILE
    source = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)  # the lists to copy from
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)  # its training, lists replaced
    old, ivf = faiss.extract_index_ivf(source), faiss.extract_index_ivf(index)
    lists = faiss.ArrayInvertedLists(ivf.nlist, ivf.code_size)
    ivf.replace_invlists(lists, True)
    lists.this.disown()  # type: ignore[attr-defined]  # the index owns it now (SWIG)
    keep = previous.keep
    renumber = np.cumsum(keep) - 1
    for number in range(ivf.nlist):
        ids, codes = get_invlist(old.invlists, number)
        kept = keep[ids]
        if kept.any():
            new_ids = np.ascontiguousarray(renumber[ids[kept]], dtype=np.int64)
            new_codes = np.ascontiguousarray(codes[kept])
            lists.add_entries(
                number, len(new_ids), faiss.swig_ptr(new_ids), faiss.swig_ptr(new_codes)
            )
    n_kept = int(np.count_nonzero(keep))
    ivf.ntotal = index.ntotal = n_kept
    if len(vectors) > n_kept:
        index.add(np.ascontiguousarray(vectors[n_kept:], dtype=np.float32))
    return index, trained_on


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
            faiss.ParameterSpace().set_index_parameters(index, params)  # type: ignore[arg-type]  # faiss's stubs miss its Python layer
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
        return faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe)  # type: ignore[call-arg]  # faiss's stubs miss its Python layer
    if hasattr(index, "hnsw"):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch)  # type: ignore[attr-defined]  # faiss's stubs miss its Python layer
    return faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]  # faiss's stubs miss its Python layer


def read_mapped(path: Path, kind: str) -> Any:
    """The index file memory-mapped, not read into memory: opening takes no time, and the
    vectors are in memory once (the file's pages), not once per copy. Flat indexes map their
    codes, IVF indexes their inverted lists; a type that maps neither is read."""
    import faiss

    flags = [faiss.IO_FLAG_MMAP_IFC] if kind.startswith("IndexFlat") else [faiss.IO_FLAG_MMAP]
    for flag in [*flags, 0]:
        try:
            return faiss.read_index(str(path), flag)
        except RuntimeError:
            if flag == 0:
                raise
    raise AssertionError("unreachable")


def filtered_probes(index: Any, selected: float) -> int | None:
    """nprobe for a filtered IVF search: the configured nprobe divided by the share of passages
    the filter lets through, so that about as many allowed passages are scanned as an
    unfiltered search scans (a filter passing 5% probes 20 times as many lists)."""
    import faiss

    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        return None
    return int(min(ivf.nlist, np.ceil(ivf.nprobe / max(selected, 1e-9))))


@dataclass(frozen=True)
class FaissIndex:
    index: Any  # faiss.Index
    vectors: np.ndarray  # the same vectors, for exact scans of small selections
    exact_below: int = EXACT_BELOW  # search.exact_below
    version: str = "?"  # the index version it belongs to, for what an error names

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
        elif not self.exact and selection.count <= self.exact_below:
            return exact_search(self.vectors, query[0], selection.rows, k)
        else:
            selector = faiss.IDSelectorBitmap(np.packbits(selection.rows, bitorder="little"))  # type: ignore[call-arg, arg-type]  # faiss's stubs miss its Python layer
            params = selector_params(self.index, selector)
            probes = filtered_probes(self.index, selection.count / max(self.index.ntotal, 1))
            if probes is not None:
                params.nprobe = probes
            scores, rows = self.index.search(query, k, params=params)
        keep = rows[0] >= 0
        if (rows[0][keep] >= len(self.vectors)).any():
            raise IndexDamaged(
                f"index {self.version} is damaged ({INDEX_FILE} names passages it lacks); {REBUILD}"
            )
        return scores[0][keep], rows[0][keep]


@dataclass(frozen=True)
class FaissBackend:
    factory: str = "Flat"
    params: str | None = None
    exact_below: int = EXACT_BELOW  # search.exact_below
    name: str = "faiss"

    def write(
        self,
        folder: Path,
        vectors: np.ndarray,
        ids: np.ndarray,
        merged: Merged | None = None,
        siblings: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        import faiss

        if not len(vectors):
            return {}
        index, trained_on = None, len(vectors)
        try:
            reused = grown_ivf(merged, vectors, self.factory) if merged is not None else None
        except RuntimeError as exc:  # a damaged index file to grow from: trained again
            grown = merged.segment.name if merged is not None else "?"
            log.warning("the FAISS index of %s cannot be grown (%s)", grown, exc)
            reused = None
        if reused is not None:
            index, trained_on = reused
        if index is None:
            index = build_faiss(vectors, self.factory)
        faiss.write_index(index, str(folder / INDEX_FILE))
        return {
            "faiss_factory": self.factory,
            "faiss_index": type(index).__name__,
            "faiss_trained_on": trained_on,
        }

    def holds(self, version: VersionInfo) -> bool:
        if version.manifest.get("store", self.name) != self.name and not version.legacy:
            return False
        return all("faiss_index" in record for record in _indexed(version))

    def open(self, version: VersionInfo, combined: Combined) -> SegmentedIndex:
        return SegmentedIndex(
            tuple(
                SegmentSearch(self._segment(version, part), part)
                for part in combined.parts
                if part.segment.n_passages
            )
        )

    def _segment(self, version: VersionInfo, part: Part) -> FaissIndex:
        segment = part.segment
        key = ("faiss", self.params, self.exact_below)
        found = segment.cache.get(key)
        if found is not None:
            return found
        record = segment.store
        path = segment.path / INDEX_FILE
        if not path.is_file() and "faiss_index" in record:
            raise IndexDamaged(
                f"index {version.name} is damaged ({INDEX_FILE} is missing); {REBUILD}"
            )
        if not path.is_file():
            raise IndexMissing(
                f"index {version.name} has no FAISS index (it was built with store="
                f"{version.manifest.get('store', '?')}); run `cinebot ingest` with store=faiss "
                "to build one from the stored vectors"
            )
        index = read_mapped(path, str(record.get("faiss_index", "")))
        search_parameters(index, self.params)
        if index.ntotal != segment.n_passages:
            raise RuntimeError(
                f"index {version.name} is inconsistent: {index.ntotal} vectors in FAISS, "
                f"{segment.n_passages} stored"
            )
        found = segment.cache[key] = FaissIndex(
            index, segment.vectors, self.exact_below, version.name
        )
        return found

    def retire(self, gone: list[tuple[Path, dict[str, Any]]], kept: list[dict[str, Any]]) -> None:
        """Nothing: an index file goes with its segment's folder."""

    def forget(self, records: list[dict[str, Any]], ids: np.ndarray) -> None:
        """Nothing: a segment's passages go with its folder."""

    def sweep(self, kept: list[dict[str, Any]]) -> list[str]:
        """Nothing: a crashed writer's files are in its temporary folders."""
        return []


def _indexed(version: VersionInfo) -> list[dict[str, Any]]:
    """The store records of a version's segments that have passages."""
    return [
        meta.get("store") or {}
        for meta in version.segment_metas()
        if meta.get("legacy") or int(meta.get("passages") or 0)
    ]
