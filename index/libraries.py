"""Which servers' libraries are waiting to be purged: the bot left them, and their reviews
are kept `libraries.keep_days` days in case it comes back. One small JSON file beside the
index versions, replaced atomically."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path


class Leaves:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> dict[str, str]:
        with contextlib.suppress(FileNotFoundError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return {str(k): str(v) for k, v in data.items()}
        return {}

    def update(self, library: str, left_at: str | None) -> None:
        """Record when the bot left a server's library (None: it is back, or purged)."""
        with self._lock:
            data = self.read()
            if (library in data) == (left_at is not None):
                return  # nothing changes: no write (every server is "back" at each start)
            if left_at is None:
                del data[library]
            else:
                data[library] = left_at
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
