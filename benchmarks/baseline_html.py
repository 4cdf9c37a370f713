"""The hand-written HTML reader cinebot shipped before issue 22 (selectolax, its own JSON-LD
and meta-tag parsing), kept only as the baseline that extruct and trafilatura are measured
against (benchmarks/eval_pages.py). It feeds the same text-page reading as the shipped reader,
so the comparison is of the HTML extraction alone."""

from __future__ import annotations

import json
import re
from typing import Any

from index.reading.clean import clean_page, title_line
from index.reading.pages import PageRecord, page_facts
from index.reading.records import FileError

MAX_HTML_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = set("area base br col embed hr img input link meta param source track wbr".split())


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
    from selectolax.lexbor import LexborHTMLParser

    if html_depth(text) > MAX_HTML_DEPTH:
        raise FileError(f"HTML is nested too deeply (more than {MAX_HTML_DEPTH:,} levels)")
    tree = LexborHTMLParser(text)
    meta: dict[str, Any] = {}
    for node in tree.css('script[type="application/ld+json"]'):
        meta.update(_ld_review(node.text()))
    for tag in tree.css("script, style, noscript, nav, footer, aside, form, iframe, svg"):
        tag.decompose()
    title_text = _title_text(tree)
    _meta_tags(tree, meta)
    page = clean_page("\n".join([title_text or "", *_blocks(tree)]))
    if not page.title and title_text and (name := title_line(title_text)):
        page.title, page.year = name.title, name.year
    inferred = page_facts(page)
    inferred["title"] = page.title or (title_text or None)
    record = {k: v for k, v in meta.items() if v}
    record["text"] = page.body
    return PageRecord(record, inferred)


def _attr(tree: Any, selector: str, name: str = "content") -> str | None:
    node = tree.css_first(selector)
    value = node.attributes.get(name) if node else None
    return value.strip() if value else None


def _title_text(tree: Any) -> str | None:
    """The page's own name for itself: Open Graph's title, its <h1>, else its <title>."""
    heading = tree.css_first("h1")
    title = tree.css_first("title")
    return (
        _attr(tree, 'meta[property="og:title"]')
        or (heading.text(strip=True) if heading else None)
        or (title.text(strip=True) if title else "")
    )


def _meta_tags(tree: Any, meta: dict[str, Any]) -> None:
    """Byline, date and rating from meta tags and microdata, where JSON-LD did not give them."""
    meta.setdefault(
        "reviewer", _attr(tree, 'meta[name="author"]') or _attr(tree, '[rel="author"]', "title")
    )
    if not meta.get("reviewer") and (node := tree.css_first('[rel="author"], .author, .byline')):
        meta["reviewer"] = re.sub(r"^(?i:by)\s+", "", node.text(strip=True)) or None
    meta.setdefault(
        "date",
        _attr(tree, 'meta[property="article:published_time"]') or _attr(tree, "time", "datetime"),
    )
    if (value := _attr(tree, '[itemprop="ratingValue"]')) and "rating" not in meta:
        best = _attr(tree, '[itemprop="bestRating"]') or "10"
        meta["rating"] = f"{value}/{best}"


def _blocks(tree: Any) -> list[str]:
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if not root:
        return []
    selector = "h1, h2, h3, p, li, blockquote, div.rating, .rating, .score"
    return [n.text(separator=" ", strip=True) for n in root.css(selector)]


def _ld_review(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "")
    except ValueError:
        return {}
    items = (
        data
        if isinstance(data, list)
        else data.get("@graph", [data])
        if isinstance(data, dict)
        else []
    )
    for item in items:
        if isinstance(item, dict) and item.get("@type") == "Review":
            return _ld_fields(item)
    return {}


def _ld_fields(item: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    reviewed = item.get("itemReviewed") or {}
    if isinstance(reviewed, dict):
        found["title"] = reviewed.get("name")
        director = reviewed.get("director")
        found["director"] = director.get("name") if isinstance(director, dict) else None
        found["year"] = str(reviewed.get("dateCreated") or "")[:4] or None
    author = item.get("author")
    found["reviewer"] = author.get("name") if isinstance(author, dict) else author
    found["date"] = item.get("datePublished")
    rating = item.get("reviewRating")
    if isinstance(rating, dict) and rating.get("ratingValue") is not None:
        found["rating"] = f"{rating['ratingValue']}/{rating.get('bestRating', 5)}"
    return {k: v for k, v in found.items() if v}
