"""NumPy arrays read from disk, one reader at a time.

`np.load` parses each file's header with `ast.literal_eval`, and CPython 3.11's AST
constructor keeps its recursion depth in state shared by all threads: two threads reading
headers at once can fail with "SystemError: AST constructor recursion depth mismatch"
(python/cpython#106905). A member's review commit (reading the live vectors) and a search
opening the new version (reading them too) are exactly two such threads, so every array
this package reads goes through this lock. Reading a header takes microseconds; the data
itself is memory-mapped and read outside the lock."""

from __future__ import annotations

import mmap
import threading
from pathlib import Path
from typing import Literal

import numpy as np

READING = threading.Lock()


def load(path: Path, mmap_mode: Literal["r"] | None = None, scattered: bool = False) -> np.ndarray:
    """`scattered`: the array is read a row here and there (a hit's vector), so the kernel is
    told not to read ahead (from a cold disk, each row would otherwise bring its neighbours'
    megabytes)."""
    with READING:
        array = np.load(path, mmap_mode=mmap_mode)
    handle = getattr(array, "_mmap", None)
    if scattered and handle is not None and hasattr(mmap, "MADV_RANDOM"):
        handle.madvise(mmap.MADV_RANDOM)
    return array
