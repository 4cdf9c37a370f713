"""The judge's records, kept in the repository so a later run judges only what is new.

One JSON object a line, appended, a later line for the same key replacing an earlier one:

    {"question": "m01", "film": "tt0096283", "title": "...", "relevant": true}
    {"question": "m01", "film": "tt0096283", "snippet": "3f2a...", "explains": false}

A film's judgment is keyed by (question id, film key); a snippet's by (question id, film
key, snippet hash), so a changed snippet is judged again while the film's relevance stands.
No review text is stored: a snippet is named by its hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.judged.questions import HERE

JUDGMENTS = HERE / "judgments.jsonl"
FilmKey = tuple[str, str]  # (question id, film key)
SnippetKey = tuple[str, str, str]  # (question id, film key, snippet hash)


def snippet_hash(text: str) -> str:
    """A shown snippet's name in the records: whitespace-insensitive, 16 hex digits."""
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:16]


@dataclass
class Judgments:
    relevant: dict[FilmKey, bool] = field(default_factory=dict)
    explains: dict[SnippetKey, bool] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # film key -> label, for reading


def load_judgments(path: Path = JUDGMENTS) -> Judgments:
    out = Judgments()
    if not path.is_file():
        return out
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        try:
            q, film = record["question"], record["film"]
            if "snippet" in record:
                out.explains[(q, film, record["snippet"])] = bool(record["explains"])
            else:
                out.relevant[(q, film)] = bool(record["relevant"])
                if record.get("title"):
                    out.titles[film] = record["title"]
        except KeyError as exc:
            raise ValueError(f"{path}:{number}: a judgment without {exc}") from None
    return out


def append_judgments(records: list[dict], path: Path = JUDGMENTS) -> None:
    with path.open("a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
