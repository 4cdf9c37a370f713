"""Normalise a rating written on any common scale to 0-10."""

from __future__ import annotations

import re

# Metacritic's letter-grade conversion, divided by ten.
LETTER_GRADES: dict[str, float] = {
    "A+": 10.0,
    "A": 10.0,
    "A-": 9.1,
    "B+": 8.3,
    "B": 7.5,
    "B-": 6.7,
    "C+": 5.8,
    "C": 5.0,
    "C-": 4.2,
    "D+": 3.3,
    "D": 2.5,
    "D-": 1.6,
    "F": 0.0,
}

_NUM = r"(\d+(?:[.,]\d+)?|(?=\s*½))(\s*½)?"
_OUT_OF = re.compile(rf"^{_NUM}\s*(?:stars?\s*)?(?:/|out of|of)\s*(\d+(?:\.\d+)?)\s*(?:stars?)?$")
_STARS = re.compile(rf"^{_NUM}\s*(?:stars?|\*)$")
_PERCENT = re.compile(rf"^{_NUM}\s*%$")
_GLYPHS = re.compile(r"^([★✭✮⭐*]+)\s*(½)?\s*([☆✩]*)$")
_HOLLOW_ONLY = re.compile(r"^([☆✩]+)\s*(½)?$")  # some sites draw their stars hollow
# Stars with a scale beside them: "★★ (out of 3)", "★★½ out of 3".
_GLYPHS_OUT_OF = re.compile(
    r"^([★✭✮⭐*]+)\s*(½)?\s*\(?\s*(?:/|out of)\s*(\d+)\s*(?:stars?)?\s*\)?$"
)
_BARE = re.compile(rf"^{_NUM}$")
# A half written out: "3 1/2 stars", "☆☆☆1/2", "***1/2" (not "11/2", nor "1/2" alone).
_HALF = re.compile(r"(?:(?<=\d)\s+|(?<=[★✭✮⭐*☆✩])\s*)1\s*/\s*2(?!\d)")
_WORD_NUMBERS = dict(
    zip("one two three four five six seven eight nine ten".split(), range(1, 11), strict=True)
)
# A page saying what its stars are out of: "our ratings are out of three stars", "a four-star scale".
_PAGE_SCALE = re.compile(
    r"\b(?:ratings?|scores?|stars?|graded|rated|scale)\b.{0,40}?\bout of (\d+|[a-z]+)\b"
    r"|\ba (\d+|[a-z]+)[- ]star (?:scale|system)\b",
    re.IGNORECASE,
)


class RatingError(ValueError):
    pass


def _number(digits: str, half: str | None) -> float:
    """ "3½" is 3.5 and "½" alone is 0.5."""
    return (float(digits.replace(",", ".")) if digits else 0.0) + (0.5 if half else 0.0)


def _scaled(value: float, scale: float, raw: str) -> float:
    if scale <= 0:
        raise RatingError(f"rating {raw!r} has a zero scale")
    if value < 0 or value > scale:
        raise RatingError(f"rating {raw!r} is outside its scale 0-{scale:g}")
    return round(value / scale * 10, 2)


def is_bare(raw: str | float | int) -> bool:
    """A number with no scale written beside it ("4.5", 8): its scale has to be known or assumed."""
    if isinstance(raw, bool):
        return False
    return isinstance(raw, int | float) or bool(_BARE.match(str(raw).strip().lower()))


def page_scale(line: str) -> float | None:
    """What a page says its star ratings are out of, if this line says it ("our ratings are
    out of three stars", "on a four-star scale")."""
    if not (m := _PAGE_SCALE.search(line)):
        return None
    word = (m[1] or m[2]).lower()
    value = int(word) if word.isdigit() else _WORD_NUMBERS.get(word)
    return float(value) if value and 2 <= value <= 10 else None


def normalize_rating(
    raw: str | float | int, scale: float | None = None, stars: float | None = None
) -> float:
    """Return the rating on 0-10, or raise RatingError saying why it is not one.

    Bare numbers are out of `scale` when it is given; otherwise out of 10 (or a percentage
    above 10). Star counts are out of `stars` when the page says so, else out of 5; a scale
    written beside the rating ("out of 3", empty stars shown) wins over both.
    """
    if isinstance(raw, bool):
        raise RatingError(f"rating {raw!r} is not a number or a grade")
    if isinstance(raw, int | float):
        value = float(raw)
        if value != value:  # NaN
            raise RatingError("rating is not a number")
        if scale is not None:
            return _scaled(value, scale, f"{raw:g} (out of {scale:g})")
        if value < 0 or value > 100:
            raise RatingError(f"rating {raw!r} is outside 0-10 (or 0-100%)")
        return round(value if value <= 10 else value / 10, 2)
    text = re.sub(r"\s+", " ", str(raw).strip()).replace("⁄", "/")
    text = _HALF.sub("½", re.sub(r"^\((.*)\)$", r"\1", text).strip())
    if not text:
        raise RatingError("rating is empty")
    lower = text.lower()
    if text.upper() in LETTER_GRADES:
        return LETTER_GRADES[text.upper()]
    if (glyphs := _glyph_rating(text, stars)) is not None:
        return glyphs
    if m := _OUT_OF.match(lower):
        return _scaled(_number(m[1], m[2]), float(m[3]), text)
    if m := _STARS.match(lower):
        return _scaled(_number(m[1], m[2]), stars or 5, text)
    if m := _PERCENT.match(lower):
        return _scaled(_number(m[1], m[2]), 100, text)
    if m := _BARE.match(lower):
        return normalize_rating(_number(m[1], m[2]), scale)
    if re.fullmatch(r"-\s*0+(?:[.,]0+)?(?:\s*(?:/\s*\d+|stars?|%))?", lower):
        return 0.0  # "-0" is nought, not a negative rating
    if lower.startswith("-"):
        raise RatingError(f"rating {text!r} is negative")
    raise RatingError(f"rating {text!r} is not on a scale we know (x/10, x/5, stars, A-F, %)")


def _glyph_rating(text: str, stars: float | None) -> float | None:
    """Stars drawn as glyphs, on the scale they show, else on `stars`, else out of five."""
    if m := _GLYPHS_OUT_OF.match(text):
        return _scaled(len(m[1]) + (0.5 if m[2] else 0.0), float(m[3]), text)
    if m := _GLYPHS.match(text):
        filled = len(m[1]) + (0.5 if m[2] else 0.0)
        # With empty stars shown the scale is explicit; otherwise stars are out of five.
        total = len(m[1]) + (1 if m[2] else 0) + len(m[3]) if m[3] else (stars or 5)
        return _scaled(filled, total, text)
    if m := _HOLLOW_ONLY.match(text):
        return _scaled(len(m[1]) + (0.5 if m[2] else 0.0), stars or 5, text)
    return None
