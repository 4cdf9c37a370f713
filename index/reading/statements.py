"""What a review states about the film it reviews: its countries, languages, genres, director.

A statement counts only when its subject is the reviewed film: its title ("Glacier Hymn is a
quiet documentary"), "the film", "this movie", "this Egyptian drama", "<Name>'s Polish drama",
"chilean director <Name>'s sprawling thriller", or a sentence opened by "With <Title>," or by a
clause that qualifies the film ("Hailing from Iceland, <Title> is ...", "Directed by <Name>,
the film ..."). The description is read only up to the film noun it ends in, so "a Portuguese
war drama about a British airman" says nothing British; sentences about other films ("a remake
of a Japanese film", "also directed by", "unlike the American version", "It is often compared
with ...") say nothing about this one.

Such a statement is as plain as a label, so it is trusted from one review (knowledge/films.py);
the looser cues of reading/extract.py still need two reviews to agree. Precision is measured
on real user reviews (benchmarks/EVAL.md) and on our own pages (the "Review pages" section).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from functools import cache

from index.knowledge.countries import DEMONYMS, name_table
from index.knowledge.genres import SYNONYMS
from index.knowledge.languages import UnknownLanguage, language_code
from index.reading.phrases import PhraseTable, phrase_key
from index.text import sentences

_UPPER = "".join(re.escape(chr(c)) for c in range(0x250) if chr(c).isupper())
_CAP = rf"(?:[{_UPPER}]\.|[{_UPPER}][\w'’\-]*)"
_PARTICLE = r"(?:de|da|del|van|von|der|le|la|di|bin|al|el|du|dos|das)"
NAME = rf"(?:{_CAP}(?:[ \t]+(?:{_CAP}|{_PARTICLE}(?=[ \t]+{_CAP}))){{0,4}})"
FILM_NOUNS = (
    r"(?:film|movie|picture|feature|production|drama|thriller|comedy|horror|western|musical|"
    r"documentary|doc|epic|noir|romance|mystery|satire|biopic|tale|story|fable|chiller|actioner|"
    r"whodunn?it|slasher|rom-com|animation|anime|fantasy|melodrama|procedural|"
    r"co-production|debut|entry|import|offering|release|adventure|war film)"
)
_THE_FILM = r"(?:the|this)\s+(?:film|movie|picture|feature|documentary)"
_THIS_NOUN = rf"this\s+(?:[\w'’-]+\s+){{0,3}}?{FILM_NOUNS}\b"
_POSSESSIVE = (
    rf"(?:(?:[\w-]+\s+)?(?:director|filmmaker|writer-director)\s+)?(?P<owner>(?-i:{NAME}))['’]s?\s+"
    rf"(?:[\w'’-]+\s+){{0,3}}?(?!tale|story){FILM_NOUNS}\b"
)
_VERB = (
    r"(?:is|was|'s|follows|tells|takes|opens|begins|spends|puts|starts|centres|centers|"
    r"turns|offers|sets|plays|unfolds|runs|focuses|explores|stars|features|has|keeps|"
    r"proves|remains|feels|arrives|comes|lands|marks|[a-z]+s)\b"
)
# What a sentence about another film, or about what this one is not, begins with.
_OTHER = re.compile(
    r"\b(?:remake of|remade|sequel to|prequel to|compared (?:with|to)|like|unlike|"
    r"also directed|previous(?:ly)?|earlier|original|originally|based on|adapted from|"
    r"adaptation of|inspired by|novel|rather than|instead of|not|n't|never|no|hardly|"
    r"reminds? (?:me )?of|than|version|other|another|fake|mock|supposed|if|whether|"
    r"though|although|even)\b",
    re.IGNORECASE,
)
# Words a sentence starts with that are no part of a name ("In Ron Howard's film").
_NOT_NAME_STARTS = frozenset(
    "in after although as at before but by during enjoy even for from if knowing like "
    "naturally now of on since so spoilers then though unlike warning when while with yet "
    "the this a an it his her their its".split()
)
# A clause that only supposes or denies ("If it's an action movie, ...").
_HYPOTHETICAL = re.compile(r"^(?:if|whether|although|though|even|unless|while)\b", re.IGNORECASE)
_DIRECTED_BY = re.compile(
    r"(?<!also )(?<!Also )\b(?i:directed|helmed|written and directed|co-written and directed|"
    r"directed and (?:written|penned|co-written|produced))"
    rf"(?i:\s+and\s+(?:written|penned|co-written|produced))?\s+(?i:by)\s+(?P<name>{NAME})"
)
_FROM_DIRECTOR = re.compile(
    rf"\b(?i:from|by)\s+(?:[\w-]+\s+)?(?i:writer-director|writer/director|director|filmmaker)\s+(?P<name>{NAME})"
)
_LEAD_DIRECTOR = re.compile(
    rf"^(?:With\s+[^,]{{1,80}},\s+)?(?i:writer-)?(?i:director)\s+(?P<name>{_CAP}(?:[ \t]+{_CAP}){{1,3}})(?!['’\w])"
)
_HAILING = re.compile(
    r"^(?:hailing|coming|arriving|fresh)\s+from\s+(?P<place>[^,]{2,40}?)(?:\s+and\s+[^,]*)?,",
    re.IGNORECASE,
)
_LEADING_DIRECTED = re.compile(rf"^{_DIRECTED_BY.pattern}[^,]{{0,40}},")
# "A Norwegian language drama set over one week in Bergen, it follows ...".
_APPOSITIVE = re.compile(
    rf"^(?:a|an)\s+(?P<np>(?:[\w'’-]+\s+){{0,4}}?{FILM_NOUNS})\b[^,]{{0,80}},\s+", re.IGNORECASE
)
# A review that opens with a bare description: "A Dutch musical about dockworkers who ...".
_FRAGMENT = re.compile(rf"^(?:a|an)\s+(?P<np>(?:[\w'’-]+\s+){{0,4}}?{FILM_NOUNS})\b", re.IGNORECASE)
_GENRE_WORD_GENRE = re.compile(r"\b(?P<word>[\w-]+(?: [\w-]+)?)\s+genre\b", re.IGNORECASE)
_NOT_GENRES_BEFORE_NOUN = {"family"}  # "a family drama" is a drama, not a family film
# Words that name a genre only before a film noun ("an adventure film"); alone they are
# loose ("the real adventure begins", "this fantasy is hard to believe").
_ONLY_BEFORE_NOUN = frozenset({"adventure", "adventures", "fantasy", "fantasies"})
# Qualities, not kinds: "a very funny film" says how it plays, not what genre it is.
_QUALITIES = frozenset(
    "funny funniest hilarious scary scariest frightening spooky romantic action-packed "
    "children's kids suspense".split()
)


@dataclass(frozen=True)
class Stated:
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    director: str | None = None


@cache
def _countries() -> PhraseTable:
    return PhraseTable(name_table())


@cache
def _genres() -> PhraseTable:
    return PhraseTable(SYNONYMS)


def stated(text: str, title: str) -> Stated:
    """The facts the text states about the film titled `title`."""
    found = _Found()
    subjects = _subject_patterns(title)
    about_film = False  # the last sentence was about the film: its "It" is the film
    for n, sentence in enumerate(_whole_sentences(text)[:60]):
        about_film = _read_sentence(sentence, subjects, n == 0, about_film, found)
    return Stated(
        countries=tuple(dict.fromkeys(found.countries)),
        languages=tuple(dict.fromkeys(found.languages)),
        genres=tuple(dict.fromkeys(found.genres)),
        director=found.directors[0] if found.directors else None,
    )


def _whole_sentences(text: str) -> list[str]:
    """Sentences, not cut after a name's initial ("directed by James L. Brooks")."""
    out: list[str] = []
    for sentence in sentences(text):
        if out and re.search(r"(?:^|\s)[A-Z]\.$", out[-1]):
            out[-1] += " " + sentence
        else:
            out.append(sentence)
    return out


def _name(raw: str) -> str:
    return re.sub(r"['’]s?$", "", raw.strip())


@dataclass
class _Found:
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Subjects:
    film: re.Pattern[str]  # the reviewed film as a clause's subject, then its verb or a comma
    title: str


def _subject_patterns(title: str) -> _Subjects:
    words = [re.escape(w) for w in re.findall(r"\w+", title)]
    named = r"[\W_]*".join(words) if words else r"(?!x)x"
    named = rf"[‘'\"“]?(?:the\s+)?{named}[’'\"”]?"
    film = re.compile(
        rf"^(?P<subject>(?P<named>{named})|(?P<by>(?-i:{NAME}))['’]s?\s+(?:[\w-]+,?\s+){{0,3}}?{named}|{_THE_FILM}|{_THIS_NOUN}|{_POSSESSIVE})"
        rf"(?:\s*\([^)]*\))?(?P<rest>\s*(?:,|{_VERB}).*)$",
        re.IGNORECASE,
    )
    return _Subjects(film, title)


def _read_sentence(
    sentence: str, subjects: _Subjects, first: bool, about_film: bool, found: _Found
) -> bool:
    """Read one sentence (each of its clauses); whether it was about the film."""
    said = False
    for n, clause in enumerate(re.split(r"\s*[:;]\s+", sentence.strip(" \"“”'‘’"))):
        said |= _read_clause(clause, subjects, first and n == 0, about_film or said, found)
    return said


def _read_clause(
    text: str, subjects: _Subjects, first: bool, about_film: bool, found: _Found
) -> bool:
    lead, text = _leading_clause(text, subjects, found)
    if lead == "other":
        return False
    if re.match(r"^with\s+", text, re.IGNORECASE):
        if _named_in(text[:120], subjects.title):
            _with_title(text, found)
            return True
        return False
    if m := _LEAD_DIRECTOR.match(text):
        if not _OTHER.search(text[: m.end()]):
            found.directors.append(_name(m["name"]))
        return False
    if _HYPOTHETICAL.match(text):
        return False
    if about_film and re.match(r"^it\s+(?:is|was)\s+(?:\w+\s+)?directed\b", text, re.IGNORECASE):
        _director_in(text, found)
        return True
    m = subjects.film.match(text)
    if m is None:
        if first and (np := _FRAGMENT.match(text)):
            _describe(np["np"], found)
            return True
        if _named_in(text, subjects.title):
            # "Jake Morrow, a leading voice in the horror genre, returns with Hollow Pines."
            for g in _GENRE_WORD_GENRE.finditer(_before_other(text)):
                found.genres += _genre_names(g["word"].split()[-1])
        return lead == "film"
    subject, rest = m["subject"], m["rest"]
    if _OTHER.search(subject):
        return False
    if not m["named"]:
        _describe(subject, found)  # "this Egyptian drama", not the title's own words
    if owner := _owner(m):
        found.directors.append(owner)
    elif (
        m["by"] and len(m["by"].split()) >= 2 and m["by"].split()[0].lower() not in _NOT_NAME_STARTS
    ):
        found.directors.append(_name(m["by"]))  # "Jonathan Glazer's The Zone of Interest is ..."
    _predicate(rest, found)
    _director_in(rest, found)
    return True


def _leading_clause(text: str, subjects: _Subjects, found: _Found) -> tuple[str | None, str]:
    """A clause before the subject that qualifies the film: where it hails from, who
    directed it. Returns what it qualified ("film", "other" or None for no such clause), and
    the rest of the sentence."""
    for pattern, fact in ((_HAILING, "place"), (_LEADING_DIRECTED, "name"), (_APPOSITIVE, "np")):
        if not (m := pattern.match(text)):
            continue
        rest = text[m.end() :].strip()
        it = re.match(r"^it\s+", rest, re.IGNORECASE)
        if not (subjects.film.match(rest) or it):
            return ("other", rest) if fact != "np" else (None, text)
        if fact == "place":
            found.countries += _country_codes(m["place"])
        elif fact == "np":
            _describe(m["np"], found)
        else:
            found.directors.append(_name(m["name"]))
        return "film", ("the film " + rest[it.end() :]) if it else rest
    return None, text


def _with_title(text: str, found: _Found) -> None:
    """ "With <Title>, director <Name> cements his place as a leading voice in the horror genre."""
    clause = _before_other(text)
    if m := _LEAD_DIRECTOR.match(clause):
        found.directors.append(_name(m["name"]))
    for g in _GENRE_WORD_GENRE.finditer(clause):
        found.genres += _genre_names(g["word"].split()[-1])


def _named_in(text: str, title: str) -> bool:
    return phrase_key(title) in phrase_key(text)


def _before_other(text: str) -> str:
    m = _OTHER.search(text)
    return text[: m.start()] if m else text


def _predicate(rest: str, found: _Found) -> None:
    """ "is a Norwegian language drama", ", a Hong Kong crime drama," up to its film noun."""
    clause = _before_other(rest)
    m = re.match(
        rf"^\s*(?:,|(?:is|was|'s)(?:\s+(?:also|essentially|basically|clearly|simply|really))?)\s+"
        rf"(?:a|an)\s+(?P<np>(?:[\w'’-]+\s+){{0,5}}?{FILM_NOUNS})\b",
        clause,
        re.IGNORECASE,
    )
    if m:
        _describe(m["np"], found)
    for g in _GENRE_WORD_GENRE.finditer(clause):
        found.genres += _genre_names(g["word"].split()[-1])


def _describe(np: str, found: _Found) -> None:
    """Countries, languages and genres in a noun phrase naming the film."""
    np = _before_other(np)
    lowered = np.lower()
    for _start, end, form in _countries().finditer(np):
        after = lowered[end : end + 10]
        if re.match(r"[\s-]*language", after):
            with contextlib.suppress(UnknownLanguage):
                found.languages.append(language_code(form))
            continue
        if form in {"hollywood", "bollywood"} or re.match(r"[\s-]*(?:born|based|set)\b", after):
            continue
        found.countries.append(name_table()[form])
    for _start, end, form in _genres().finditer(np):
        if form in _QUALITIES:
            continue
        if form in _ONLY_BEFORE_NOUN and not re.match(rf"[\s-]+{FILM_NOUNS}\b", np[end:], re.I):
            continue
        if form in _NOT_GENRES_BEFORE_NOUN and re.match(rf"\s+{FILM_NOUNS}", np[end:], re.I):
            continue
        if re.match(r"[\s-]*(?:language|born|based)", lowered[end : end + 10]):
            continue
        found.genres += list(SYNONYMS.get(form, ()))


def _owner(m: re.Match[str]) -> str | None:
    """The director a possessive subject names: "Ana Ruiz's Polish drama", "chilean director
    Ana Ruiz's sprawling thriller": a full name, and a phrase that says what kind of film it is
    (a bare "John Carpenter's film" may as well be a producer's or a star's)."""
    owner = m["owner"] if "owner" in m.groupdict() else None
    if not owner:
        return None
    owner = re.sub(r"['’]s?$", "", owner)
    words = owner.split()
    if len(words) < 2 or words[0].lower() in _NOT_NAME_STARTS:
        return None
    kinds = _Found()
    _describe(m["subject"][m.end("owner") - m.start("subject") :], kinds)
    said_director = re.search(
        r"\b(?:director|filmmaker)\b", m["subject"][: m.start("owner") - m.start("subject")], re.I
    )
    return owner if kinds.countries or kinds.genres or said_director else None


def _director_in(rest: str, found: _Found) -> None:
    clause = (
        _before_other(rest)
        if not re.search(r"\balso directed\b", rest)
        else rest.split("also directed")[0]
    )
    for pattern in (_DIRECTED_BY, _FROM_DIRECTOR):
        if m := pattern.search(clause):
            found.directors.append(_name(m["name"]))
            return


def _country_codes(place: str) -> list[str]:
    table = name_table()
    return [
        table[form]
        for _, _, form in _countries().finditer(place)
        if form in table and form not in DEMONYMS
    ]


def _genre_names(word: str) -> list[str]:
    return list(SYNONYMS.get(word.lower(), ()))
