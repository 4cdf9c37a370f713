"""Review pages (scraped text, HTML) -> one record: the body as its text, what the page's markup
gives as fields, and what its header and rating block say as inferred values."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from index.reading.clean import CleanPage, clean_page
from index.reading.headings import read_heading
from index.reading.labels import person, read_line
from index.reading.records import FileError

MAX_HTML_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = set("area base br col embed hr img input link meta param source track wbr".split())


@dataclass
class PageRecord:
    """A page as one record for build_review: `record` holds the body ("text") and what the
    markup gives (JSON-LD, meta tags); `inferred`, what the page's own lines say; `notes`,
    what is worth a warning."""

    record: dict[str, Any]
    inferred: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def page_facts(page: CleanPage) -> dict[str, Any]:
    return {
        "title": page.title,
        "year": page.year,
        "bare_year": page.bare_year,
        "reviewer": page.reviewer,
        "date": page.date,
        "rating_raw": page.rating_raw,
        "stars": page.stars,
        "facts": page.facts,
    }


def read_text_page(text: str) -> PageRecord:
    page = clean_page(text)
    notes = [note for note in page.notes if "rating" in note]
    return PageRecord({"text": page.body}, page_facts(page), notes)


def html_depth(text: str, limit: int = MAX_HTML_DEPTH) -> int:
    """How deeply the page's elements nest (stopping once past `limit`): one linear scan, so a
    hostile page is refused before the parser spends seconds on it."""
    depth = deepest = 0
    for m in _TAG.finditer(text):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def read_html_page(text: str) -> PageRecord:
    """An HTML page: schema.org Review/Movie markup (JSON-LD, microdata) and Open Graph read by
    extruct; the main text, byline and date by trafilatura; then the same reading as a text
    page (heading, bylines, ratings, labels). Markup wins over what the text says. Measured
    against the hand-written reader it replaced in benchmarks/EVAL.md ("Review pages")."""
    if html_depth(text) > MAX_HTML_DEPTH:
        raise FileError(f"HTML is nested too deeply (more than {MAX_HTML_DEPTH:,} levels)")
    marked = markup(text)
    main = main_text(text)
    heading = _html_heading(marked, main)
    side = _side_lines(text)
    page = clean_page("\n".join([heading or "", *side, main.text]))
    inferred = page_facts(page)
    if heading and (named := read_heading(heading)):
        inferred.update(title=named.title, year=named.year, bare_year=named.bare_year)
    bylined = None if page.reviewer_guessed else page.reviewer
    inferred["reviewer"] = (
        marked.get("reviewer") or bylined or _person(main.author) or page.reviewer
    )
    inferred["date"] = page.date or _iso_date(marked.get("date")) or _iso_date(main.date)
    record = {k: v for k, v in marked.items() if k in RECORD_FIELDS and v}
    record["text"] = page.body
    return PageRecord(record, inferred)


# What a page's markup gives as the review's own fields (they win over what its text says).
RECORD_FIELDS = ("title", "year", "reviewer", "rating", "director", "genres", "countries")


@dataclass(frozen=True)
class MainText:
    text: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None


def main_text(html: str) -> MainText:
    """The page's main text (no menus, sidebars, comments or footers) and its metadata."""
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    doc = found.as_dict() if found is not None and hasattr(found, "as_dict") else found
    if not doc or not (doc.get("text") or "").strip():
        return MainText(text=trafilatura.html2txt(html) or "")
    return MainText(
        text=doc.get("text") or "",
        title=doc.get("title"),
        author=doc.get("author"),
        date=doc.get("date"),
        sitename=doc.get("sitename"),
    )


def markup(html: str) -> dict[str, Any]:
    """What the page's schema.org markup (JSON-LD, microdata) and Open Graph tags say about the
    review and its film."""
    import extruct

    try:
        data = extruct.extract(
            html, syntaxes=["json-ld", "microdata", "opengraph"], uniform=True, errors="ignore"
        )
    except Exception:  # extruct raises what its parsers raise on broken markup
        return {}
    items = [i for key in ("json-ld", "microdata") for i in _flat(data.get(key) or [])]
    found: dict[str, Any] = {}
    for item in items:
        if _is(item, "Review"):
            found.update({k: v for k, v in _review_fields(item).items() if v})
            break
    for item in items:
        if _is(item, "Movie"):
            for k, v in _film_fields(item).items():
                found.setdefault(k, v)
        elif _is(item, "WebSite", "Organization") and isinstance(item.get("name"), str):
            found.setdefault("sitename", item["name"])
    for og in data.get("opengraph") or []:
        found.setdefault("og_title", og.get("og:title"))
        found.setdefault("sitename", og.get("og:site_name"))
        found.setdefault("date", og.get("article:published_time"))
    return {k: v for k, v in found.items() if v}


def _flat(items: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            out += _flat(item.get("@graph") or [])
        elif isinstance(item, list):
            out += _flat(item)
    return out


def _is(item: dict[str, Any], *kinds: str) -> bool:
    kind = item.get("@type")
    names = kind if isinstance(kind, list) else [kind]
    return any(str(n).rsplit("/", 1)[-1] in kinds for n in names)


def _names(value: Any) -> list[str]:
    """Names of people, countries or genres however markup gives them: text, objects, lists."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return [] if _is(value, "Organization") else _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _review_fields(item: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    reviewed = item.get("itemReviewed")
    if isinstance(reviewed, dict):
        found.update(_film_fields(reviewed))
    authors = _names(item.get("author"))
    found["reviewer"] = authors[0] if authors else None
    found["date"] = item.get("datePublished")
    rating = item.get("reviewRating")
    if isinstance(rating, dict) and rating.get("ratingValue") not in (None, ""):
        found["rating"] = f"{rating['ratingValue']}/{rating.get('bestRating') or 5}"
    return found


def _film_fields(item: dict[str, Any]) -> dict[str, Any]:
    year = re.match(r"\d{4}", str(item.get("dateCreated") or item.get("datePublished") or ""))
    directors = _names(item.get("director"))
    return {
        "title": _names(item.get("name"))[0] if _names(item.get("name")) else None,
        "year": year[0] if year else None,
        "director": ", ".join(directors) or None,
        "genres": _names(item.get("genre")) or None,
        "countries": _names(item.get("countryOfOrigin")) or None,
    }


def _html_heading(marked: dict[str, Any], main: MainText) -> str | None:
    """The line that names the film: the markup's film, else the first of Open Graph's title,
    trafilatura's title (the <h1> or <title>) that reads as a heading, the site's name taken off."""
    if marked.get("title"):
        year = marked.get("year")
        return f"{marked['title']} ({year})" if year else str(marked["title"])
    site = marked.get("sitename") or main.sitename
    found = []
    for line in (marked.get("og_title"), main.title):
        if line and (line := _without_site(line, site)) and (heading := read_heading(line)):
            found.append((not heading.marked, line))
    return min(found)[1] if found else None


def _without_site(line: str, site: str | None) -> str:
    """ "Dust and Honey | Screen Diary" -> "Dust and Honey"."""
    parts = re.split(r"\s+[|•·–—-]\s+", line)
    if site and len(parts) > 1:
        parts = [p for p in parts if p.strip().casefold() != site.strip().casefold()] or parts
    elif len(parts) > 1 and not re.search(r"\breview\b|\(\d{4}\)", parts[-1], re.IGNORECASE):
        parts = parts[:-1]  # "X review | Some Site": the last part is the site's name
    return " - ".join(parts).strip()


def _side_lines(html: str) -> list[str]:
    """Short lines outside the main text that hold only a byline or a rating (a star box, a
    "Posted by" line), which main-text extraction drops; never from comments."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, #comments, .comments, .comment, footer, aside"):
        node.decompose()
    lines = []
    marked = (
        "rating",
        "score",
        "stars",
        "grade",
        "byline",
        "author",
        "meta",
        "posted",
        "attribution",
    )
    selector = ", ".join(f'[class*="{m}"]' for m in marked)
    for node in tree.css(selector):
        line = node.text(separator=" ", strip=True)
        facts = read_line(line) if line and len(line) <= 80 else None
        if facts is not None and facts.label in {"rating", "byline"} and line not in lines:
            lines.append(line)
    for name in ("twitter:data2", "twitter:data1"):
        meta = tree.css_first(f'meta[name="{name}"]')
        value = (meta.attributes.get("content") or "") if meta else ""
        if value and (facts := read_line(value)) and facts.label == "rating":
            lines.append(value)
    return lines[:4]


def _person(name: str | None) -> str | None:
    if not name:
        return None
    return person(re.sub(r"^(?i:(?:reviewed |written |review )?by)\s+", "", name.split(";")[0]))


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
