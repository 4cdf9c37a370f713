"""Genres in a question: "action thrillers" (one kind of film: all of them), "sci-fi or
fantasy", "horror, thrillers and sometimes sci-fi" (a list of kinds: any of them), "both
horror and comedy" (all), "K-drama" (South Korean drama), "scary", "funny", "with lots of
action". Genre words after "about" are the subject, not a filter."""

from __future__ import annotations

import itertools
import re

from index.answering.question.state import Question
from index.answering.question.vocabulary import vocabulary
from index.knowledge.countries import DEMONYMS
from index.knowledge.genres import GENRE_PATTERN, SORTS
from index.knowledge.genres import QUESTION_SYNONYMS as SYNONYMS

# "K-drama", "k-drama", "kdrama", "k drama": Korean. In lower case only before a kind of film.
_K_PREFIX = re.compile(
    r"\bK-(?=[a-z])|\bk[-\s]?(?=(?:drama|horror|thriller|comed|romance|movie|film)\w*\b)"
)
# "with lots of action", "plenty of laughs": a genre said as an amount of something.
_AMOUNT = re.compile(
    r"\b(?:with\s+)?(?:lots|plenty|loads|tons|a\s+lot)\s+of\s+(?P<what>action|comedy|laughs|"
    r"scares|romance|suspense|gore)\b",
    re.IGNORECASE,
)
_MOOD = re.compile(
    r"\b(?P<laugh>(?:make|makes)\s+(?:me|us)\s+laugh|(?:a\s+)?good\s+laugh)|"
    r"(?P<cry>(?:make|makes)\s+(?:me|us)\s+cry)|"
    r"(?P<scare>\b(?:something|anything|one)\s+(?:to|that\s+will|that['’]ll)\s+(?:scare|frighten)\s+(?:me|us))",
    re.IGNORECASE,
)
_MOOD_GENRES = {"laugh": "Comedy", "cry": "Drama", "scare": "Horror"}
_AMOUNT_GENRES = {
    "action": "Action",
    "comedy": "Comedy",
    "laughs": "Comedy",
    "scares": "Horror",
    "romance": "Romance",
    "suspense": "Thriller",
    "gore": "Horror",
}
# Between two kinds of film in a list of alternatives.
_LIST = re.compile(
    r"(?:\s+(?:films?|movies?|flicks?))?\s*(?:,|/|&|\band/or\b|\bor\b|\band\b|\bnor\b)\s*"
    r"(?:(?:sometimes|maybe|perhaps|also|even|occasionally|some|a\s+bit\s+of|the\s+odd|a|an|"
    r"anything|something|"
    r"the|good|great)\s+)*$",
    re.IGNORECASE,
)
_ADJACENT = re.compile(r"[\s-]*$")
# Between two kinds, a taste said again ("I like horror movies, but I also like comedy", "I love
# westerns. I also enjoy war films"): two tastes, either of which will do.
_ANOTHER_TASTE = re.compile(
    r"(?:^|[,.;!?]|\b(?:but|and)\b)\s*(?:i|we)\s+(?:(?:also|really|do|still|too)\s+)*"
    r"(?:like|love|enjoy|adore|dig|am\s+(?:also\s+)?(?:into|open\s+to|up\s+for))\b"
    r"|\b(?:i['’]m|we['’]re)\s+(?:also\s+)?(?:into|open\s+to|up\s+for)\b",
    re.IGNORECASE,
)
_BOTH = re.compile(r"\bboth\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


# Words for children that are a kind of film only beside a film word or after "for"/"with"
# ("kids movies", "not for kids"), not as people ("the kids enjoyed it").
_CHILDREN = {"kids", "kid", "children", "child", "children's", "kids'", "kiddie", "kiddies"}
_CHILDREN_BEFORE = re.compile(
    r"\b(?:for|with)\s+(?:(?:my|the|our|your|young|little|small)\s+)*$", re.I
)
_CHILDREN_AFTER = re.compile(
    r"[\s'’-]*(?:(?:friendly|comedy|comedies|animation|animated|[\w-]+)\s+)?"
    r"(?:films?|movies?|flicks?|shows?|stuff|cartoons?|friendly)\b",
    re.I,
)


# Said of a film already named ("it was so funny", "is it scary?", "that sounds like a
# comedy"): a remark, not a wish.
_REMARK = re.compile(
    r"(?:\b(?:it|that|this|that\s+one|this\s+one|the\s+(?:movie|film)|he|she|they)\s+"
    r"(?:is|was|['’]s|sounds?|looks?|seems?|seemed|looked|sounded|felt|gets?)\s+(?:like\s+)?|"
    r"\b(?:is|was|isn['’]t|wasn['’]t)\s+(?:it|that|this|that\s+one|this\s+one)\s+)"
    r"(?:(?:so|really|very|too|kind\s+of|kinda|a\s+bit|pretty|quite|super|a|an|more\s+of\s+a|"
    # "it was a great thriller": a judgement of the film named, no wish
    r"great|good|fun|amazing|awesome|excellent|brilliant|decent|solid|fantastic|terrific|"
    r"wonderful|terrible|bad|cheesy|typical|classic|proper)\s+)*$"
    # "Jumanji was funny": a film named by its capitalised title, then what it was.
    r"|(?-i:[A-Z][\w'’:-]*)\s+(?:was|is|looked|looks|seemed|sounds|sounded)\s+(?:so\s+|really\s+|very\s+|"
    r"pretty\s+|quite\s+)*$"
    # "the last few movies I watched were heavy war dramas": what was seen, not what is wanted.
    r"|\b(?:movies?|films?|ones?|things?)\s+(?:that\s+)?(?:i|we)\s+(?:['’]ve\s+|have\s+|just\s+|"
    r"recently\s+|lately\s+)*(?:watched|saw|seen|rented|streamed)(?:\s+(?:lately|recently))?\s+"
    r"(?:were|was|have\s+been|had\s+been)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _is_genre(question: Question, m: re.Match[str]) -> bool:
    # As said: a name the people step took out is still what the remark is about ("Ryan
    # Reynolds is hilarious": a person's gift, not a kind of film).
    if _REMARK.search(question.said[: m.start()]) and not question.negated(m.start()):
        return False
    if m.group(0).lower() not in _CHILDREN:
        return True
    text = question.text
    return bool(
        _CHILDREN_BEFORE.search(text[: m.start()])
        or _CHILDREN_AFTER.match(text, m.end())
        or not text[: m.start()].strip()  # "Kids' films", "kids?"
    )


def _no_genre(m: re.Match[str]) -> bool:
    """A sort of film that is no genre ("comic book movies"): left whole to the meaning
    search, so that "comic" in it is not read as comedy."""
    form = m.group(0).lower()
    return not SYNONYMS[form] and form in SORTS


# Words between a negation and a kind of film that do not qualify the kind.
_FUNCTION = set(
    "a an the any more other some such these those this that really very too so much many all "
    "of kind sort type types kinds just only even ever particularly especially big huge fan "
    "fans into like love want watch see do stand or and nor with without is are was were be "
    "been anything something films movies".split()
)


def _qualified(question: Question, m: re.Match[str]) -> bool:
    """A negated kind with a word qualifying it, when the same kind is wanted elsewhere ("I
    like comedies, but not grossout comedies"): what is not wanted is that sort of it, not
    the kind."""
    before = re.search(r"([\w'’-]+)\W*$", question.said[: m.start()])
    if before is None:
        return False
    word = before.group(1).lower()
    inside = any(s.covers(before.start(1)) and s.start <= before.start(1) for s in question.scopes)
    kinds = SYNONYMS[m.group(0).lower()]
    wanted_too = any(
        other.start() != m.start()
        and SYNONYMS[other.group(0).lower()] == kinds
        and not question.negated(other.start())
        for other in GENRE_PATTERN.finditer(question.said)
    )
    return (
        inside
        and wanted_too
        and word.isalpha()
        and len(word) > 2
        and word not in _FUNCTION
        and word not in vocabulary()
        and GENRE_PATTERN.fullmatch(word) is None
    )


# "too scary", "not too scary", "nothing overly gory": how much of a kind, said just before it.
_DEGREE_BEFORE = re.compile(r"\b(?:too|overly|very|that|so)\s+$", re.IGNORECASE)


def _degree_of_wanted(question: Question, m: re.Match[str]) -> bool:
    """A negated degree of a kind wanted elsewhere in the question ("scary but not too scary",
    "I like horror, nothing too scary though"): how much of it, not a kind unwanted."""
    if not _DEGREE_BEFORE.search(question.said[: m.start()]):
        return False
    kinds = SYNONYMS[m.group(0).lower()]
    return any(
        other.start() != m.start()
        and set(SYNONYMS[other.group(0).lower()]) & set(kinds)
        and not question.negated(other.start())
        for other in GENRE_PATTERN.finditer(question.said)
    )


# "movies about crime", "films about war.": a subject that is nothing but a kind of film.
_SUBJECT_START = re.compile(r"\s*(?:about|involving)\s+", re.IGNORECASE)
# "movies about war", "which movies are about world war ii", "films that are about crime".
_FILM_BEFORE_SUBJECT = re.compile(
    r"\b(?:films?|movies?|flicks?|pictures?)(?:\s+(?:that|which)?\s*(?:are|is|were|was))?\s*$",
    re.IGNORECASE,
)
_SUBJECT_END = re.compile(r"\s*(?:(?:films?|movies?|stuff)\s*)?(?:[.!?]\s*)*$", re.IGNORECASE)


def _kind_as_subject(question: Question) -> re.Match[str] | None:
    """A subject that is only a kind of film ("I like movies about crime") names that kind;
    one that says more ("about crime in Naples") is what happens in the film."""
    if not _FILM_BEFORE_SUBJECT.search(question.text[: question.head_end]):
        return None  # "nothing about horror": no film is said to be about it
    start = _SUBJECT_START.match(question.text, question.head_end)
    kind = start and GENRE_PATTERN.match(question.text, start.end())
    if not kind or not _SUBJECT_END.fullmatch(question.text, kind.end()) or _no_genre(kind):
        return None
    if kind.group(0).lower() in _CHILDREN | {"family", "families"}:
        return None  # "a movie about children": people the film is about
    return kind


# After a second kind: "I mostly watch dramas, but thrillers are fine too".
_FINE_TOO = re.compile(
    r"\s*(?:films?|movies?|ones?)?\s*(?:are|is|would\s+be)\s+(?:also\s+)?(?:fine|ok|okay|good|"
    r"great|welcome)\s+(?:too|as\s+well)\b",
    re.IGNORECASE,
)


def _alternatives(text: str, wanted: list[re.Match[str]]) -> bool:
    """Whether the kinds said are a choice ("sci-fi or fantasy", "horror, thrillers and
    sometimes sci-fi", "I like horror, but I also like comedy"), not one kind of film said in
    runs of genre words with nothing between them ("romantic comedy")."""
    alternatives = False
    for previous, m in itertools.pairwise(wanted):
        between = text[previous.end() : m.start()]
        if SYNONYMS[previous.group(0).lower()] == SYNONYMS[m.group(0).lower()]:
            continue  # the same kind said twice is no choice between kinds
        listed = not _ADJACENT.fullmatch(between) and _LIST.fullmatch(between)
        if listed or _ANOTHER_TASTE.search(between) or _FINE_TOO.match(text, m.end()):
            alternatives = True
    return alternatives and not _BOTH.search(text[: wanted[0].start()])


def read(question: Question) -> None:
    filters = question.filters
    amounts = [(m, _AMOUNT_GENRES[m["what"].lower()]) for m in _AMOUNT.finditer(question.text)]
    amounts += [(m, _MOOD_GENRES[m.lastgroup or ""]) for m in _MOOD.finditer(question.text)]
    for m, genre in amounts:
        if question.negated(m.start()):
            if genre not in filters.genres_none:
                filters.genres_none.append(genre)
            question.cut(m, "genres_none")
            continue
        if genre not in filters.genres_all:
            filters.genres_all.append(genre)
        question.cut(m, "genres_all", searched=True)  # "make me cry" is also a mood
    for m in list(_K_PREFIX.finditer(question.head)):
        if DEMONYMS["k-"] not in filters.countries:
            filters.countries.append(DEMONYMS["k-"])
        question.cut(m, "countries")
    text = question.text
    matches = [
        m
        for m in GENRE_PATTERN.finditer(question.head)
        if _is_genre(question, m) and not _no_genre(m)
    ]
    if kind := _kind_as_subject(question):
        matches.append(kind)
    wanted = []
    for m in matches:
        if question.lifted(m.start()):  # "prefer comedies over dramas": no filter either way
            question.negated(m.start())
            question.cut(m)
        elif _degree_of_wanted(question, m):
            question.negated(m.start())  # its trigger is understood: taken out
            question.cut(m)  # the kind is wanted where it is said without a degree
        elif question.negated(m.start()) and not _qualified(question, m):
            found = SYNONYMS[m.group(0).lower()]
            filters.genres_none += [g for g in found if g not in filters.genres_none]
            question.cut(m, "genres_none")
        else:
            wanted.append(m)
    if not wanted:
        return
    alternatives = _alternatives(text, wanted)
    target, group = (
        (filters.genres_any, "genres_any") if alternatives else (filters.genres_all, "genres_all")
    )
    for m in wanted:
        genres = [g for g in SYNONYMS[m.group(0).lower()] if g not in filters.genres_none]
        target += [g for g in genres if g not in target]
        question.cut(m, group, searched=m.group(0).lower() in SORTS)
        question.kinds.append(m.span())
    if both := _BOTH.search(text[: wanted[0].start()]):
        question.cut(both)


_MODIFIER = re.compile(r"([^\W\d_][\w'’-]*)\s+$")


def keep_qualified(question: Question, filler: set[str]) -> None:
    """A kind qualified by a word no step read ("dark comedy", "a slow-burn thriller", "tense
    courtroom drama") is searched for with that word, as well as filtered on: the two mean
    together what the word alone does not ("dark" alone finds films with "Dark" in the title).
    Run last, when every step has taken its words."""
    for start, end in question.kinds:
        before = _MODIFIER.search(question.said, 0, start)
        if before is None or before.group(1).lower() in filler:
            continue
        if question.text[before.start(1) : before.end(1)] == before.group(1):  # not read
            question.text = question.text[:start] + question.said[start:end] + question.text[end:]
