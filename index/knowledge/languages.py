"""Languages -> ISO 639 codes (two letters where one exists, else three): the original
language of a film, from a catalogue ("ko", "Korean", "kor") or a question ("Korean-language")."""

from __future__ import annotations

import re
from functools import cache

import pycountry

# Names people and catalogues use that pycountry spells otherwise.
_EXTRA = {
    "mandarin": "zh", "chinese": "zh", "cantonese": "yue", "farsi": "fa", "persian": "fa",
    "filipino": "tl", "tagalog": "tl", "flemish": "nl", "castilian": "es", "greek": "el",
    "modern greek": "el", "swahili": "sw", "nepali": "ne", "malay": "ms", "punjabi": "pa",
    "sinhala": "si", "haitian": "ht", "scottish gaelic": "gd", "gaelic": "gd", "norwegian": "no",
    "serbo-croatian": "sh", "yiddish": "yi", "pashto": "ps", "ossetian": "os", "romanian": "ro",
    "moldovan": "ro", "kirghiz": "ky", "kyrgyz": "ky", "uighur": "ug", "uyghur": "ug",
    "dhivehi": "dv", "spanish": "es", "catalan": "ca", "dutch": "nl", "sign language": "sgn",
}  # fmt: skip


class UnknownLanguage(ValueError):
    pass


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


@cache
def name_table() -> dict[str, str]:
    """Every name and code we accept, lower case -> our code."""
    table: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code is None:
            continue
        table[language.alpha_3.lower()] = code
        if bib := getattr(language, "bibliographic", None):
            table[bib.lower()] = code
        table[code] = code
        for name in re.split(r";\s*", language.name):
            table.setdefault(_norm(re.sub(r"\s*\(.*\)", "", name)), code)
    table.update(_EXTRA)
    return table


def language_code(name: str) -> str:
    """A language's code from its name or any ISO 639 code; UnknownLanguage otherwise."""
    key = _norm(name)
    if key in name_table():
        return name_table()[key]
    found = pycountry.languages.get(alpha_3=key) if len(key) == 3 else None
    if found is not None:
        return getattr(found, "alpha_2", None) or found.alpha_3
    raise UnknownLanguage(f"unknown language {name!r}")


_NAMES = {"yue": "Cantonese", "zh": "Chinese", "el": "Greek"}


def language_name(code: str) -> str:
    if code in _NAMES:
        return _NAMES[code]
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    found = found or pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    return re.split(r";\s*", found.name)[0].removeprefix("Modern ").split(" (")[0]
