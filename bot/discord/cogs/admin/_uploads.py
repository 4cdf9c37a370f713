"""Where an uploaded review file may be written: always inside the upload folder."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath


class UploadRefused(ValueError):
    pass


def upload_path(folder: Path, filename: str, unique: str, allowed_suffixes: list[str]) -> Path:
    """`folder/<unique>/<name>` for an attachment; the name never chooses the folder."""
    base = PureWindowsPath(PurePosixPath(filename).name).name  # drop any directory part, / or \\
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".") or "upload"
    suffix = Path(base).suffix.lower()
    if suffix not in allowed_suffixes:
        raise UploadRefused(
            f"'{suffix or base}' files are not accepted; send one of {', '.join(allowed_suffixes)}"
        )
    root = folder.resolve()
    path = (root / unique / base[-120:]).resolve()
    if path.parent.parent != root:
        raise UploadRefused("that file name is not allowed")
    return path
