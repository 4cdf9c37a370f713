"""Films a question names, every one of them: "Title (YYYY)" anywhere, a title the index
knows, a capitalised title after "like" ("movies like Oldboy"), or a lower-case one that runs
to the end of its clause ("something like the lord of the rings"). Each is taken out whole
before any other step reads numbers or genre words in it ("30 Minutes or Less (2011)" is no
runtime, "Scary Movie" no horror, "War Horse" no war film, "1922" no year).

What a mention means comes from the words around it: after "like", "similar to", "loved",
"seen" (or with "anything like that" elsewhere) the question wants films like it (`like`:
the first such film); under a negation ("not like Star Wars", "I don't like The Avengers
(2012)") it is only a film named; a single film named with no such words is the film asked
about (`title`: "is Oldboy any good?"). A name the people vocabulary knows ("something like
Nicolas Cage") is a person, not a film, and is left to the people step. A list said before
the taste for it ("Paris, Texas, Heat and This Is England are films I love") is taken out whole
first, so that nothing inside its titles is read as a list, a place or a person."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.answering.question.state import Question
from index.answering.question.vocabulary import FILLER, like_is_a_verb
from index.knowledge.countries import name_table
from index.knowledge.films import normalize_title
from index.knowledge.genres import GENRE_PATTERN
from index.knowledge.genres import QUESTION_SYNONYMS as SYNONYMS
from index.knowledge.people import People, fold
from index.knowledge.titles import Titles

# Words that say the question wants films like the one it names.
_LIKE_BEFORE = re.compile(
    r"\b(?:(?:more|films?|movies?|something|anything|stuff|things|ones)\s+)?(?:like|similar\s+to|"
    r"such\s+as|as\s+good\s+as|in\s+the\s+(?:vein|spirit|style|mould|mold)\s+of|"
    r"reminiscent\s+of|along\s+the\s+lines\s+of|the\s+likes\s+of|"
    r"if\s+i\s+(?:liked|loved|enjoyed)|(?:because|since)\s+i\s+(?:liked|loved|enjoyed))\s+$",
    re.IGNORECASE,
)
_SEEN_BEFORE = re.compile(
    r"\b(?:loved|liked|enjoyed|adored|watched|saw|seen|rewatched|finished|devoured|"
    r"fan\s+of|a\s+big\s+fan\s+of)\s+(?:the\s+(?:movie|film)\s+)?$",
    re.IGNORECASE,
)
# A taste said of a film: "I like X (1998)", "my favorite is X (1996)".
_TASTE_BEFORE = re.compile(
    r"\b(?:love|enjoy|like|adore|favou?rites?\s+(?:is|are|was|were|being)|"
    r"favou?rites?\s+(?:movie|film)\s+(?:is|was))\s+$",
    re.IGNORECASE,
)
_SIMILAR_ANYWHERE = re.compile(
    r"\b(?:similar|like\s+(?:it|that|this|those|these|them|that\s+one)|more\s+like|"
    r"what\s+next|what\s+else|anything\s+else|along\s+those\s+lines|same\s+vibe|"
    r"got\s+anything\s+like|the\s+likes)\b",
    re.IGNORECASE,
)
# Words that say the question is about the film itself.
_ABOUT_BEFORE = re.compile(
    r"\b(?:how\s+was|how\s+is|reviews?\s+(?:of|for)|thoughts\s+on|think\s+of|info\s+on|"
    r"tell\s+me\s+about|what\s+about|who\s+(?:directed|wrote|made|starred\s+in|stars\s+in|"
    r"acted\s+in|is\s+in|was\s+in|are\s+the\s+actors\s+in)|(?:what|which)\s+(?:genre|language|"
    r"year|kind\s+of\s+(?:film|movie))\s+(?:is|was)|when\s+was|have\s+you\s+seen|"
    r"did\s+you\s+(?:see|like)|heard\s+of)\s+$",
    re.IGNORECASE,
)
_WITH_YEAR = re.compile(r"\s*\(\s*(?P<year>(?:18|19|20)\d\d)\s*\)")
_TOKEN = re.compile(r"[^\s,;!?]+")
_MAX_WORDS = 8
# Lower-case words a title may have inside it ("Gone in 60 Seconds", "Beauty and the Beast").
_SMALL = set(
    "of the and in a an to for on at with from by or is are was me my you your it its do did "
    "what who we i not no up out down over under into off as vs de la le du el des en et di da "
    "der die das von van all this that be can".split()
)
# Capitalised words before a title that are not in it ("I've Seen Black Stallion (2010)").
_NOT_TITLE_START = set(
    "i i've i'm im i'd i'll like liked loved enjoyed seen saw watched adored also or but "
    "maybe something anything movies movie films film even oh hi hey hello well so then just "
    "really especially favorite favourite favorites favourites yes no".split()
)


@dataclass(frozen=True)
class _Mention:
    start: int  # where its words start (the cue words before it are not part of it)
    end: int  # after its year, if any
    name: str
    cue_start: int  # where "like ..." before it starts, or `start`
    wanted: bool  # said after "like", "loved", "seen" ...


def read(question: Question, titles: Titles | None, people: People | None = None) -> None:
    """Every film named, longest first: with a year, known to the index, then after "like"."""
    found = _listed(question, people)
    for finder in (_with_year, _known, _after_like, _title_case):
        while (mention := finder(question, titles, people)) is not None:
            while mention is not None and len(found) <= 12:
                found.append(mention)
                question.cut((mention.start, mention.end))
                mention = _continued(question, mention, people, titles)
            if len(found) > 12:
                break
    if not found:
        return
    found.sort(key=lambda m: m.start)
    for m in found:
        question.mentions.append(m.name)
        question.mention_spans.append((m.start, m.end))
        if m.cue_start < m.start:
            question.cut((m.cue_start, m.start))
    _echoes(question, found)
    wanted = [m for m in found if not question.negated(m.start)]
    question.excluded = [m.name for m in found if m not in wanted]  # "but not The Shining"
    liked = [m for m in wanted if m.wanted]
    if liked:
        question.like = liked[0].name
    elif wanted and _SIMILAR_ANYWHERE.search(question.original):
        question.like = wanted[0].name
    elif len(found) == 1 and wanted:
        question.title = wanted[0].name


# A taste said after the films it is for: "Heat, Ronin and Jaws are films I love", "...
# are my favourites", "... are some of my favorite movies".
_TASTE_AFTER = re.compile(
    r"\s*,?\s+(?:are|were)\s+(?:all\s+|some\s+of\s+|among\s+)?(?:my\s+)?"
    r"(?:(?:all[- ]time\s+)?(?:favou?rites?|faves)\b|(?:favou?rite|fave)\s+(?:films?|movies?)"
    r"|(?:films?|movies?|ones)\s+(?:that\s+)?(?:i|we)\b)",
    re.I,
)
_LIST_JOINER = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")
# Words that may open the sentence a list is in without being part of its first title.
_LIST_LEAD = set("also and but so well oh ok okay honestly both like".split())


def _listed(question: Question, people: People | None) -> list[_Mention]:
    """Films listed before the taste for them ("Braveheart and Independence Day are movies I
    love"): the whole list is taken out at once, so the commas and words inside its titles
    ("Paris, Texas", "This Is England", "The Assassination of Jesse James by the Coward
    Robert Ford") are read as no list, country or person."""
    found: list[_Mention] = []
    for cue in list(_TASTE_AFTER.finditer(question.text)):
        span = _list_before(question.text, cue.start())
        if span is None:
            continue
        names = _list_names(question.text, span)
        if len(names) < 2 or any(_not_a_film(name, people) for _, _, name in names):
            continue
        found += [_Mention(start, end, name, start, True) for start, end, name in names]
        question.cut(span)
    return found


def _list_before(text: str, end: int) -> tuple[int, int] | None:
    """The run of title words (capitalised, numbers, a title's small words) that ends at
    `end` and starts after the sentence before it."""
    tokens = list(re.finditer(r"\S+", text[:end]))
    first = len(tokens)
    while first > 0 and _title_word(tokens[first - 1].group(), last=first == len(tokens)):
        first -= 1
    while first < len(tokens) and (
        tokens[first].group()[:1].islower() or tokens[first].group().lower() in _LIST_LEAD
    ):
        first += 1
    if first >= len(tokens):
        return None
    return tokens[first].start(), tokens[-1].end()


def _title_word(token: str, last: bool) -> bool:
    """A word a title may hold ("Summer", "'42", "of", "Dr."), not the end of a sentence."""
    core = token.strip('"“”‘’()')
    if not core:
        return False
    if (not last and core[-1] in "!?") or (core.endswith(".") and _sentence_ends(core)):
        return False  # the sentence before the list ends here
    word = core.rstrip(",.:;!?")
    return bool(word) and (
        word[:1].isupper()
        or word[:1].isdigit()
        or word.lstrip("'’")[:1].isdigit()
        or word in {"&", "+", "-"}
        or (word in _SMALL and word != "i")
    )


def _sentence_ends(word: str) -> bool:
    """A full stop after a word, not an abbreviation ("Dr.", "L.A.", "Jr.")."""
    bare = word.rstrip(".")
    return word.endswith("...") or (len(bare) > 3 and "." not in bare)


def _list_names(text: str, span: tuple[int, int]) -> list[tuple[int, int, str]]:
    """Each listed film's start, end and name (a year said with it left out of the name)."""
    names = []
    at = span[0]
    for m in _LIST_JOINER.finditer(text, span[0], span[1]):
        names.append((at, m.start()))
        at = m.end()
    names.append((at, span[1]))
    return [
        (start, end, _WITH_YEAR.sub("", text[start:end]).strip(" .,"))
        for start, end in names
        if text[start:end].strip(" .,")
    ]


def _not_a_film(name: str, people: People | None) -> bool:
    """A listed kind ("Westerns and Musicals are my favourites") or person ("Tom Hanks and
    Meg Ryan are my favourites"): then the list is no list of films."""
    words = name.split()
    if GENRE_PATTERN.fullmatch(name) or all(_vocabulary_word(w) and len(w) > 2 for w in words):
        return True
    person = people.find(words, fuzzy=False) if people is not None else None
    return person is not None and person.words == len(words)


def _cued(question: Question, start: int) -> tuple[int, bool]:
    """(where the cue before `start` begins, whether it says more like this film)."""
    before = question.text[:start]
    if lead := _LIKE_BEFORE.search(before):
        return lead.start(), True
    if _SEEN_BEFORE.search(before) or _TASTE_BEFORE.search(before):
        return start, True
    return start, False


def _mention(question: Question, start: int, end: int, name: str) -> _Mention:
    cue_start, wanted = _cued(question, start)
    if year := _WITH_YEAR.match(question.text, end):
        end = year.end()
    return _Mention(start, end, name, cue_start, wanted)


def _shouting(word: str) -> bool:
    """A word typed in capitals in a question typed in capitals ("ENJOYED"), not a title's."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _with_year(
    question: Question, titles: Titles | None = None, people: People | None = None
) -> _Mention | None:
    """ "Title (YYYY)": the run of title words before the year, back to the first word that
    cannot be in a title (a lower-case word other than "of", "the", "in" ...)."""
    text = question.text
    for year in _WITH_YEAR.finditer(text):
        words = list(re.finditer(r"[^\s]+", text[: year.start()]))
        taken: list[re.Match[str]] = []
        for w in reversed(words):
            token = w.group()
            bare = token.strip("\"'“”‘’")
            if re.search(r"[.;?)(]$|\.\.\.", token) and taken:
                break  # the end of the sentence before
            if not bare:
                break
            if token.endswith((",", ";")) and taken:
                break
            if bare[:1].isupper() or bare[:1].isdigit():
                maker = re.sub(r"['’]s$", "", bare)
                if maker != bare and taken and people is not None and people.by_surname(maker):
                    break  # "Kubrick's Paths of Glory (1957)": the maker, not the title
                if (
                    _shouting(bare)
                    and len(bare) > 1
                    and not all(_shouting(t.group()) for t in taken)
                ):
                    break
                if (
                    bare.lower().rstrip(":!") in _NOT_TITLE_START
                    and taken
                    and not _inside(words, w)
                ):
                    break
                taken.append(w)
            elif bare.lower() in _SMALL or bare == "&":
                taken.append(w)
            else:
                break
            if len(taken) > 12:
                break
        while taken and not _capitalised(taken[-1].group()):
            taken.pop()  # a title starts with a capitalised word: "or" is not in it
        if not taken:
            if lower := _LOWER_BEFORE_YEAR.search(text, 0, year.start()):
                name = lower["title"]  # "like brazil (1985)": a film, whatever its words
                if not any(w in _NOT_IN_A_TITLE for w in name.split()):
                    return _mention(question, lower.start("title"), year.start(), name)
            continue
        start = taken[-1].start()
        name = text[start : year.start()].strip().strip("\"'“”‘’").strip()
        if name:
            return _mention(question, start, year.start(), name)
    return None


# "like brazil (1985)", "loved heat (1995)": a title typed in lower case before its year,
# back to the words that cue it.
_LOWER_BEFORE_YEAR = re.compile(
    r"\b(?:like|similar\s+to|loved|liked|enjoyed|adored|watched|seen|saw|as)\s+"
    r"(?:the\s+(?:movie|film)\s+)?"
    r"(?P<title>[a-z0-9][\w'’:&-]*(?:[ ]{1,2}[a-z0-9][\w'’:&-]*){0,6})\s*$"
)


def _inside(words: list[re.Match[str]], word: re.Match[str]) -> bool:
    """ "I" between two title words ("10 Things I Hate About You"), not opening a sentence."""
    i = words.index(word)
    before = words[i - 1].group() if i else ""
    return (
        word.group() == "I"
        and (before[:1].isupper() or before[:1].isdigit())
        and not re.search(r"[.!?;,)]$", before)
        and before.lower() not in _NOT_TITLE_START
    )


def _known(question: Question, titles: Titles | None, *_: object) -> _Mention | None:
    """The longest run of words naming a film the index knows, read the way people write
    titles: whole and of three words or more in any case; two words typed in lower case, and
    one word (or a number), only when they are the whole question or after "like",
    "watched", "about" and such (one word also when capitalised and not the first)."""
    if titles is None:
        return None
    tokens = list(_TOKEN.finditer(question.text))
    words_only = [t for t in tokens if re.search(r"\w", t.group())]
    best: tuple[int, int, str] | None = None
    for i in range(len(tokens)):
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            key = normalize_title(" ".join(t.group() for t in span))
            film = titles.by_key.get(key) or titles.by_key.get(key.replace(" s ", "s "))
            if film is None:
                continue
            start, end = span[0].start(), span[-1].end()
            before = question.text[:start]
            cued = bool(
                _LIKE_BEFORE.search(before)
                or _SEEN_BEFORE.search(before)
                or _ABOUT_BEFORE.search(before)
                or _ABOUT_AFTER.match(question.text, span[-1].end())
            )
            phrase = " ".join(t.group() for t in span).lower().strip("\"'“”‘’")
            if _generic(phrase) and not (i > 0 and _capitalised(span[-1].group())):
                continue  # "I like movies with explosions": not "The Movies" (2005)
            if not cued and (phrase in SYNONYMS or phrase in name_table()):
                continue  # "science fiction", "the heist": words the question means as such
            if len(key.split()) == 1 and not cued and _PLACE_BEFORE.search(before):
                continue  # "films set in Chicago": a place
            if n == 2 and not cued and n < len(words_only) and _lower(span):
                continue  # "an atmospheric ghost story": two words said as such
            if len(key.split()) == 1:
                alone = n >= len(words_only)  # the title is the whole question
                named = (
                    alone
                    or cued
                    or (
                        i > 0
                        and _capitalised(span[0].group())
                        and not span[0].group()[:1].isdigit()
                        and not _in_a_name(tokens, i, n)
                    )
                )
                if not named:
                    continue
            if best is None or end - start > best[1] - best[0]:
                best = (start, end, film)
            break
    return _mention(question, best[0], best[1], best[2]) if best else None


# Words any question about films uses: a title made of nothing else ("The Movies", "Films")
# is named only as a title is written, capitalised and not opening the question.
_GENERIC = set("the a an movie movies film films flick flicks picture pictures cinema".split())


def _generic(phrase: str) -> bool:
    return set(re.findall(r"[\w'’]+", phrase)) <= _GENERIC


# Said after a film asked about: "is parasite any good", "whats jaws about".
_ABOUT_AFTER = re.compile(
    r"\s*(?:any\s+good|worth\s+(?:it|watching|a\s+watch|seeing)|good\s*\?|about\s*[?.!]*\s*$)",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(
    r"\b(?:set|takes?\s+place|located|based|shot|filmed|made|living|lives?)\s+(?:in|on|around)\s+$"
    r"|\b(?:in|from|about|around|near)\s+$",
    re.IGNORECASE,
)


def _lower(span: list[re.Match[str]]) -> bool:
    return not any(_capitalised(t.group()) for t in span)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or word[:1] in "[(\"'“‘"


def _in_a_name(tokens: list[re.Match[str]], i: int, n: int) -> bool:
    """A capitalised word inside a longer run of them ("Helena Bonham Carter") is part of a
    name, not a one-word title on its own."""
    before = tokens[i - 1].group() if i > 0 else ""
    after = tokens[i + n].group() if i + n < len(tokens) else ""
    return (before[:1].isupper() and before != "I") or after[:1].isupper()


_NUMBER_SEEN = re.compile(
    r"\b(?:loved|liked|enjoyed|adored|watched|saw|seen|rewatched|like|similar\s+to)\s+"
    r"(?P<title>\d{1,4})\b(?!\s*(?:minutes|mins?|hours?|stars?|/|%|\+|years?))",
    re.IGNORECASE,
)
# "liked geralds game and 1922": a number in a list of films seen is one of them.
_NUMBER_IN_A_LIST = re.compile(
    r"\b(?:loved|liked|enjoyed|adored|watched|saw|seen)\s+(?:[\w'’:]+\s+){1,5}?(?:and|or|,)\s+"
    r"(?P<title>(?:18|19|20)\d\d)\b(?!\s*(?:s\b|['’]s|-|–|to\b|and\b|or\b))",
    re.IGNORECASE,
)
_CAPITALISED_AFTER_LIKE = re.compile(
    r"(?<!\bwould\s)"
    # The cue in any case ("Liked Heat.", "Like Alien but ..."); the title capitalised.
    r"\b(?i:like|love|enjoy|adore|similar\s+to|such\s+as|as\s+good\s+as|along\s+the\s+lines\s+of|"
    r"(?:have\s+)?(?:seen|see|watched|watching|watch|loved|liked|enjoyed|adored|saw)(?:\s+was)?|"
    r"favou?rite\s+(?:[\w-]+\s+){0,2}?(?:(?:movie|film)s?\s+)?(?:is|was|being))\s+"
    r"(?i:the\s+(?:movie|film)\s+)?"
    # A title: capitalised words, with small words inside ("of", "the", "and the ...").
    r"(?P<title>(?:the\s+)?[A-Z][\w'’:&-]*(?:[ ]{1,2}(?:of|the|and(?=[ ]{1,2}[a-z])|in|a(?=[ ]{1,2}[A-Z])|"
    r"to|[A-Z0-9][\w'’:&-]*)){0,6})"
)
# Said of a film after it: "A Star Is Born was amazing", "The Notebook is one of my favorites".
_JUDGED_AFTER = re.compile(
    r"(?:^|(?<=[.!?,;]\s)|(?<=^\s))\s*(?P<title>(?:[A-Z0-9][\w'’:&-]*|of|the|and|in|a|to)"
    r"(?:[ ]{1,2}(?:[A-Z0-9][\w'’:&-]*|of|the|and|in|a|to)){0,6})\s+"
    r"(?=(?:is|was|looks|looked|sounds|sounded)\s+(?:so\s+|really\s+|pretty\s+)?"
    r"(?:one\s+of\s+my\s+favou?rites|one\s+of\s+the\s+(?:best|greatest|finest)|my\s+favou?rite|"
    r"great|amazing|awesome|good|hilarious|"
    r"funny|fantastic|excellent|the\s+best|lit|interesting|scary|boring|terrible|ok|okay)\b)"
)
# "something like the lord of the rings", "movies similar to inception", "a mindbender like
# fight club", ", like star wars": lower case, to the end of its clause (or a "but"), after
# words that say "films like" (not "I like": `_LIKE_AS_VERB`).
_LOWER_AFTER_LIKE = re.compile(
    r"(?:(?P<like>\blike)|\bsimilar\s+to|\balong\s+the\s+lines\s+of|\bthe\s+likes\s+of)\s+"
    r"(?:the\s+(?:movie|film)\s+)?"
    r"(?P<title>[a-z0-9][\w'’:-]*(?:[ ]{1,2}(?!but\b)[a-z0-9][\w'’:-]*){0,6})\s*"
    r"(?=[.!?,;]|$|\s+but\b)"
)
# "liked shutter island. any similar ones?", "my fav film is persona": a film said in lower
# case after a taste, when the question asks for more like it.
_LOWER_AFTER_TASTE = re.compile(
    r"\b(?:liked|loved|enjoyed|adored|favou?rite\s+(?:movie|film)\s+(?:is|was)|"
    r"favou?rite\s+is)\s+(?:the\s+(?:movie|film)\s+)?"
    r"(?P<title>[a-z0-9][\w'’:-]*(?:[ ]{1,2}(?!but\b)[a-z0-9][\w'’:-]*){0,6})\s*"
    r"(?=[.!?,;]|$|\s+but\b)"
)
_TITLE_OPENERS = {"star", "top", "good", "best"}
# Before a capitalised title: words that say "films like" ("something like", "movies similar
# to"), not a taste ("I like", "I love").
_FILMS_LIKE_BEFORE = re.compile(
    r"(?:\b(?:movies?|films?|something|anything|stuff|ones?|more|things)\s+(?:like|similar\s+to)|"
    r"\bsimilar\s+to|\bsuch\s+as|\balong\s+the\s+lines\s+of)\s+(?:the\s+(?:movie|film)\s+)?$",
    re.I,
)
# "films like", "something like", "a mindbender like", ", like": the words before "like" say a
# film follows ("scared. like cant sleep": a pause).
_FILMS_LIKE = re.compile(
    r"(?:\b(?:movies?|films?|something|anything|stuff|ones?|more|a\s+\w+)\s+|,\s*)like$", re.I
)
# A pronoun or an auxiliary verb ("cant", "don't", "i", "it was"): words that open a clause.
_CLAUSE_OPENING = re.compile(
    r"(?:i|you|we|they|he|she|it|can|could|would|should|will|wo|must|do|does|did|is|are|was|"
    r"were|ai)(?:n?['’]?t)?\b",
    re.IGNORECASE,
)
_NOT_IN_A_TITLE = set(
    "ones one kind sort type those these that it them movies movie films film stuff things "
    "thing way lot".split()
)


def _after_like(
    question: Question, titles: Titles | None, people: People | None
) -> _Mention | None:
    text = question.text
    lower = (_LOWER_AFTER_LIKE, _LOWER_AFTER_TASTE)
    for pattern in (
        _NUMBER_SEEN,
        _NUMBER_IN_A_LIST,
        _CAPITALISED_AFTER_LIKE,
        *lower,
        _JUDGED_AFTER,
    ):
        if pattern is _LOWER_AFTER_TASTE and not _SIMILAR_ANYWHERE.search(question.original):
            continue
        for m in pattern.finditer(text.rstrip()):
            title = re.sub(r"(?:\s+(?:of|the|and|in|a|to))+$", "", m["title"].strip(" ,."))
            words = title.split()
            if not title or _vocabulary_word(words[0]):
                continue
            if all(w.lower() in _NOT_IN_A_TITLE or w.lower() == "the" for w in words):
                continue  # "I LOVED THE MOVIE": a film said before, not a title
            if pattern not in lower and not _capitalised(re.sub(r"^the\s+", "", title)):
                continue
            if title[:1].isdigit() and _ASKED_FOR.search(question.said[: m.start("title")]):
                continue  # "give me like 10": how many, not the film "10"
            if pattern in lower and not _lower_case_title(question, m, title, titles):
                continue
            if (
                pattern is _CAPITALISED_AFTER_LIKE
                and len(words) == 1
                and _NOUN_AFTER.match(text, m.start("title") + len(title))
            ):
                continue  # "I like Christmas movies", "Marvel films": a kind of film
            if pattern is _JUDGED_AFTER and (
                words[0] in _NOT_TITLE_START
                or words[0].lower() in ("it", "that", "this", "he", "she")
            ):
                continue
            films_like = pattern is _CAPITALISED_AFTER_LIKE and bool(
                _FILMS_LIKE_BEFORE.search(text, 0, m.start("title"))
            )
            if people is not None and _people(pattern, words, people, films_like):
                continue
            start = m.start("title")
            mention = _mention(question, start, start + len(title), title)
            if pattern is _NUMBER_IN_A_LIST:  # said after "liked": wanted like the others
                mention = _Mention(mention.start, mention.end, title, start, True)
            return mention
    return None


def _lower_case_title(
    question: Question, m: re.Match[str], title: str, titles: Titles | None
) -> bool:
    """Whether lower-case words after "like" or a taste can be a film: not after "like" said
    as a verb ("I like"), not a kind of film ("and like science fiction"), not filler or a
    pronoun ("like that one"). After a bare "like" (no "films like" before it), words that
    open like a clause are a title only if the index knows it: "like" is also how people
    pause ("scared. like cant sleep after")."""
    words = title.split()
    if "like" in m.groupdict() and m["like"]:
        if like_is_a_verb(question.said, m.start()):
            return False
        if (
            not _FILMS_LIKE.search(question.said, 0, m.end("like"))
            and _CLAUSE_OPENING.match(title)
            and (titles is None or titles.resolve(title).film is None)
        ):
            return False
    if GENRE_PATTERN.match(title):
        return False
    return not (
        any(w.lower() in _NOT_IN_A_TITLE or _vocabulary_word(w) for w in words)
        or (
            words[0] in FILLER
            and words[0] != "the"
            # "star wars", "top gun": a filler word opening a title of more words
            and not (len(words) > 1 and words[0] in _TITLE_OPENERS)
        )
        or all(w in FILLER for w in words)
    )


def _people(
    pattern: re.Pattern[str], words: list[str], people: People, films_like: bool = False
) -> bool:
    """Whether words after "like" name people rather than a film. After words that say
    "films like" ("something like Harry Potter"), a first name opens a person's name only
    when the whole name is known."""
    if (hit := people.find(words, fuzzy=True)) and hit.words >= 2:
        return True  # "something like Nicolas Cage", "I like Quintin Tarantino": a person
    if pattern is _CAPITALISED_AFTER_LIKE and (
        (_first_name(words[0], people) and not (films_like and len(words) >= 2))
        or (len(words) == 1 and people.by_surname(words[0]) is not None)
    ):
        return True  # "I love Kristen Wiig", "I love Tarantino": a person
    return (
        len(words) >= 2
        and re.fullmatch(r"brothers|bros\.?|sisters", words[-1], re.I) is not None
        and len(people.sharing_surname(words[-2])) >= 2
    )  # "the Coen Brothers": people


# "give me like 10", "from like 2005-2010", "rated like 8": "like" hedging a number.
_ASKED_FOR = re.compile(
    r"\b(?:(?:give|show|list|send|name)\s+(?:me|us)|from|in|around|about|after|before|since|"
    r"under|over|rated|at|between|of|than)\s+like\s+$",
    re.I,
)


_NEXT_IN_LIST = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?P<title>(?:the\s+)?[A-Z0-9][\w'’:&-]*"
    r"(?:[ ]{1,2}(?:of|the|and|in|a|to|[A-Z0-9][\w'’:&-]*)){0,5})"
)


def _continued(
    question: Question, mention: _Mention, people: People | None, titles: Titles | None = None
) -> _Mention | None:
    """The next film of a list that a named film starts ("loved Inception and Interstellar",
    in lower case one the index knows: "the handmaiden and burning")."""
    m = _NEXT_IN_LIST.match(question.text, mention.end)
    if m is None:
        return _known_next(question, mention, titles)
    title = m["title"].strip(" ,.")
    words = title.split()
    if _vocabulary_word(words[0]) or words[0] in _NOT_TITLE_START:
        return None
    if people is not None and (hit := people.find(words, fuzzy=False)) and hit.words >= 2:
        return None  # "loved Heat and Al Pacino": a person
    start = m.start("title")
    end = start + len(m["title"].rstrip(" ,."))
    if year := _WITH_YEAR.match(question.text, end):
        end = year.end()
    return _Mention(start, end, title, start, mention.wanted)


_JOINER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)")


def _known_next(question: Question, mention: _Mention, titles: Titles | None) -> _Mention | None:
    """After a named film and "and"/"or"/",", the longest run of words naming a film the index
    knows, in any case ("shaun of the dead or hot fuzz")."""
    joiner = _JOINER.match(question.text, mention.end)
    if titles is None or joiner is None:
        return None
    tokens = list(_TOKEN.finditer(question.text, joiner.end()))[:_MAX_WORDS]
    if not tokens or tokens[0].start() != joiner.end():
        return None
    for n in range(len(tokens), 0, -1):
        key = normalize_title(" ".join(t.group() for t in tokens[:n]))
        if (film := titles.by_key.get(key)) and not (n == 1 and _vocabulary_word(key)):
            start, end = tokens[0].start(), tokens[n - 1].end()
            if year := _WITH_YEAR.match(question.text, end):
                end = year.end()
            return _Mention(start, end, film, start, mention.wanted)
    return None


_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’])[A-Z0-9][\w'’:&.-]*(?:[ ]{1,2}(?:(?:of|the|and|in|a|an|to|for|on|at|&)[ ]{1,2})*"
    r"[A-Z0-9][\w'’:&.-]*)+"
)
_PLURAL_KINDS = re.compile(
    r"(?:thrillers|comedies|dramas|westerns|musicals|documentaries|horrors|romances|mysteries|"
    r"fantasies|films|movies|flicks|ones)$",
    re.I,
)


# A full stop after a word longer than an abbreviation ("Dr.", "Jr.", "Vol."): a sentence ends.
_SENTENCE_END = re.compile(r"\w{4}\.(?=\s)")


def _title_case(
    question: Question, titles: Titles | None, people: People | None
) -> _Mention | None:
    """A run of capitalised words holding a genre or country word and a word that is neither
    ("War Horse", "American Sniper", "Spy Kids", "Star Wars"): a title, not a filter. Not a
    description typed in capitals ("Korean Action Thrillers", "Romantic Comedy")."""
    from index.answering.question.countries import country_pattern

    for m in _CAPITALISED_RUN.finditer(question.text):
        run, start = _without_openers(m.group().rstrip(":."), m.start())
        if sentence_end := _SENTENCE_END.search(run):  # "Horror. It's not my thing"
            run = run[: sentence_end.start() + 1]
        words = run.split()
        if any(_shouting(w) and len(w.strip(":.")) > 1 for w in words) or len(words) < 2:
            continue
        if _PLURAL_KINDS.search(run) or _NOUN.fullmatch(words[-1]):
            continue
        covered = [False] * len(run)
        for pattern in (GENRE_PATTERN, country_pattern()):
            for t in pattern.finditer(run):
                covered[t.start() : t.end()] = [True] * (t.end() - t.start())
        offsets = [w.start() for w in re.finditer(r"\S+", run)]
        vocabulary = [covered[o] for o in offsets]
        other = [
            w
            for w, v in zip(words, vocabulary, strict=True)
            if not v
            and w.lower() not in _SMALL
            and not _NOUN.fullmatch(w)
            and w != "I"
            and w[:1].isalpha()
        ]
        if not any(vocabulary) or not other:
            continue
        if people is not None and people.find(words, fuzzy=False) is not None:
            continue
        return _mention(question, start, start + len(run), run)
    return None


# Words that open a request and are capitalised for that alone ("Find an Adventure movie",
# "Maybe a Drama by ..."): never the first word of a title found by its capitals.
_OPENERS = _NOT_TITLE_START | set(
    "find show give get recommend suggest search look list name tell play let please how "
    "where who what which when why is are do does did can could would will should may might "
    "try any some".split()
)


def _without_openers(run: str, start: int) -> tuple[str, int]:
    """A capitalised run without the request words and small words it starts with."""
    words = list(re.finditer(r"\S+", run))
    while words and (
        words[0].group().lower() in _OPENERS
        or words[0].group().lower() in _SMALL
        or _DECADE.fullmatch(words[0].group())  # "70s New Hollywood": the decade is a year's
    ):
        words.pop(0)
    if not words:
        return "", start
    return run[words[0].start() :], start + words[0].start()


_DECADE = re.compile(r"['’]?\d\d(?:\d\d)?['’]?s")
_NOUN = re.compile(r"(?:movies?|films?|flicks?|pictures?)[.,!?]*", re.I)
_NOUN_AFTER = re.compile(r"\s+(?:movies?|films?|flicks?|pictures?|ones)\b", re.I)


def _first_name(word: str, people: People) -> bool:
    return fold(word) in people.first_names


def _vocabulary_word(word: str) -> bool:
    """A word the other steps read ("Korean", "Horror"): not the start of a title."""
    key = word.lower().strip("'’:")
    return key in name_table() or key in SYNONYMS or key == "i"


def _echoes(question: Question, found: list[_Mention]) -> None:
    """Two or more words of a named film said again ("like Rogue One: A Star Wars Story (2016)
    that aren't other star wars movies") name the same film, not a genre."""
    for m in found:
        words = re.findall(r"[\w'’]+", m.name)
        for n in range(len(words), 1, -1):
            for i in range(len(words) - n + 1):
                if sum(w.lower() not in _SMALL for w in words[i : i + n]) < 2:
                    continue
                phrase = r"\s+".join(re.escape(w) for w in words[i : i + n])
                pattern = re.compile(rf"(?<![\w-]){phrase}(?![\w-])", re.I)
                for echo in list(pattern.finditer(question.text, m.end)):
                    question.cut(echo)
