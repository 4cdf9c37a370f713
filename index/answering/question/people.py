"""People in a question, found by form and given a role:

- after a word that says the role: "directed by", "a film by", "by" (a director, or a writer
  when that is what the person is known for: "something by Stephen King"), "starring",
  "with", "featuring", "the British actor", "movies that have";
- before a verb that says it: "X directed", "did X direct", "X acted in", "does X appear
  in", "what has X done";
- "the Coen brothers": everyone known with that surname;
- a known name standing anywhere, in any case, a little misspelt or by a nickname ("leo
  dicaprio", "Nick Cage", "Robert Downy Jr."), or a surname the vocabulary makes
  unambiguous ("Hitchcock films", "speilberg is the man"), or a first name no English word
  and no other well-known person has ("I love Denzel");
- a name nobody knows, by its form, where a taste is said: "I love Ray Liottta", "comedies i
  like kristin wigg", "a good Channing Tatum movie".

"with X and Y", "both X and Y" and "X and Y together" want films with every one of them; "X or
Y" any. A name in a
negation's scope is excluded ("without Tom Hanks", "I can't stand Nicolas Cage"); one in a
lifted scope ("it doesn't have to be Sandler") is no filter at all. Writers are known but
cannot be filtered: the answer says so. A name the index does not know still becomes a
filter, so the answer can say that no film of theirs is known rather than show unrelated
ones."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from index.answering.question.state import Question
from index.answering.question.vocabulary import like_is_a_verb, vocabulary
from index.knowledge.genres import QUESTION_SYNONYMS
from index.knowledge.people import People, Person, Role
from index.types import Ignored

# A kind of film said before "by" ("a Drama by Ana Ruiz", "thrillers by ..."): its maker.
_KINDS = "|".join(
    re.escape(form) for form in sorted(QUESTION_SYNONYMS, key=len, reverse=True) if form.isalpha()
)

WRITERS = (
    "films cannot be filtered by writer (the index knows directors and cast): "
    "searched for in the reviews"
)
# Before a name: (role, words, whether a name the index does not know is taken there too,
# whether the words fix the role even for someone known for another: "directed by" does,
# "movies by" does not: "movies by Brad Pitt" are films he is in).
_BEFORE: tuple[tuple[Role, str, bool, bool], ...] = (
    (
        "director",
        r"(?:directed|helmed|written\s+and\s+directed)\s+by|"
        r"by\s+(?:the\s+)?director|from\s+(?:the\s+)?director|"
        r"(?:the\s+)?(?:[a-z]+\s+)?(?:director|filmmaker)(?!s)",
        True,
        True,
    ),
    (
        "director",
        r"made\s+by|(?:a|the)\s+(?:film|movie|picture)s?\s+by|(?:films|movies|works)\s+(?:by|of)|"
        r"(?:something|anything|one|flick|" + _KINDS + r")\s+by",
        True,
        False,
    ),
    ("director", r"by|from", False, False),
    (
        "cast",
        r"starring|starred|featuring|feat\.|with\s+actors?|with\s+actress|played\s+by|"
        r"acted\s+by|performed\s+by|(?:films|movies|stuff|something|anything)\s+with|"
        r"(?:with\s+)?(?:the\s+)?(?:[a-z]+\s+)?(?:actor|actress)(?!s)|"
        r"(?:films?|movies?)\s+(?:that\s+|which\s+)?(?:have|has|feature|features)|"
        r"(?:the\s+)?participation\s+of",
        True,
        True,
    ),
    ("cast", r"both|favou?rite\s+(?:actor|actress)\s+(?:is|was)", True, True),
    ("director", r"favou?rite\s+(?:director|filmmaker)\s+(?:is|was)", True, True),
    ("cast", r"stars|with", False, False),
)
_SAID_BEFORE_BY = {"something", "anything", "one", "flick"}
# A role said after the name: "ones with Orson Welles as the director".
_ROLE_AFTER = re.compile(
    r"\s+as\s+(?:the\s+|a\s+|its\s+)?(?:(?P<director>director|filmmaker)|"
    r"(?P<cast>lead|star|actor|actress|leading\s+(?:man|lady)))\b",
    re.I,
)
# What a bare "in" ending a question needs before the name to say someone acted.
_WAS_BEFORE = re.compile(r"\b(?:was|were|is|are)\s+$", re.I)
# After a name: (role, verb, whether the verb fixes the role, what must come before the name
# for the verb to say it; None: anything).
_AFTER: tuple[tuple[Role | None, str, bool, re.Pattern[str] | None], ...] = (
    ("director", r"(?:has\s+)?(?:directed|helmed)\b|direct(?:s|ed)?\b", True, None),
    # "made", "shot": directing, for someone known as a director; an actor "shot" a film too.
    ("director", r"(?:has\s+)?(?:made|shot)\b", False, None),
    (
        "cast",
        r"(?:has\s+)?(?:(?:acted|appeared|starred|played)\s+in|(?:was|is|were)\s+in|plays|"
        r"stars\s+in|appears?\s+in|appearing\s+in|act\s+in|star\s+in|been\s+in)\b",
        True,
        None,
    ),
    # "which movies was X in?": "in" ending the question, the name after "was".
    ("cast", r"in(?=\s*(?:[?.!]|$))", True, _WAS_BEFORE),
    (None, r"(?:has\s+)?done\b(?=\s+(?:anything|something|any|lately|recently)\b)", True, None),
)
_HAS_BEFORE = re.compile(
    r"\b(?:has|did|does|do|what\s+has|what\s+did|what\s+does|what\s+movies\s+(?:has|did|does))\s+$",
    re.I,
)
_WORD = re.compile(r"\S+")
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*$")
_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s+or\s+)", re.I)
_NOT_NAME = set(
    "the a an and or of in on at to for from with by i my me it this that some any lots no "
    "not has have had did does do what which who whose films movies anything something show "
    "find give recommend also maybe hi hey hello oh well yes please thanks like love".split()
)
# Where a taste for someone is said: a name of any form may follow.
_TASTE = re.compile(
    r"(?:\b(?:i|we)\s+(?:really\s+|also\s+|just\s+|do\s+)?(?:like|love|adore|enjoy|dig)|"
    r"\bilove|\bfan\s+of|\b(?:films?|movies?)\s+(?:that\s+)?(?:have|has|with|starring))\s+",
    re.I,
)
_FILM_NOUN_AFTER = re.compile(r"\s*(?:['’]s\s+)?(?:movies?|films?|flicks?|pictures?)\b", re.I)
_SIBLINGS = re.compile(
    r"\b(?:the\s+)?(?P<name>[A-Za-z][\w'’-]+)\s+(?:brothers|bros\.?|sisters)\b", re.I
)
_PARTICLES = {"de", "del", "della", "van", "von", "der", "le", "la", "du", "da", "di", "dos"}
# Words of a studio's or a service's name: a film "by Warner Bros" or "from Studio Ghibli" is
# no person's.
_COMPANY = set(
    "studio studios pictures bros bros. brothers entertainment productions company films "
    "animation media netflix disney pixar marvel dreamworks ghibli warner universal paramount "
    "lionsgate miramax a24 hbo amazon apple sony fox columbia".split()
)


def _shouting(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _capitalised_name(text: str, start: int) -> tuple[str, int] | None:
    """Two to four capitalised words at `start` (not typed in capitals): (name, end offset)."""
    words: list[str] = []
    end = start
    tokens = list(_WORD.finditer(text, start))
    for i, m in enumerate(tokens):
        if m.start() != end and text[end : m.start()].strip():
            break
        word = m.group().rstrip(",.?!;:")
        following = [t.group() for t in tokens[i + 1 : i + 3]]
        while following and following[0].lower() in _PARTICLES:
            following.pop(0)  # "de la", "van der"
        particle = (
            words
            and word.lower() in _PARTICLES
            and word == m.group()
            and bool(following)
            and _NAME_WORD.match(following[0]) is not None
        )  # "Laure de Clermont-Tonnerre", "Ines de la Torre", "Lars von Trier"
        if (
            not (_NAME_WORD.match(word) or particle)
            or word.lower() in _NOT_NAME
            or word.lower() in _COMPANY
            or len(words) == 5
            or (_shouting(word) and len(word) > 3)
        ):
            break
        words.append(re.sub(r"['’]s$", "", word))
        end = m.start() + len(word)
        if word != m.group():
            break
    while words and words[-1].lower() in _PARTICLES:
        words.pop()
    if sum(w.lower() not in _PARTICLES for w in words) < 2 or People.character(" ".join(words[:2])):
        return None
    name = " ".join(words)
    return name, _end_of(text, start, name)


def _end_of(text: str, start: int, name: str) -> int:
    """Where `name`, read word by word from `start` (a possessive dropped), ends."""
    end = start
    for word in name.split():
        end = text.index(word, end) + len(word)
    return end


def _span_of(text: str, start: int, n: int) -> int:
    """The end of the `n` words from `start` (a possessive with them), without punctuation."""
    end = start
    for _ in range(n):
        found = _WORD.search(text, end)
        assert found is not None
        end = found.end()
    return start + len(text[start:end].rstrip(",.?!;:\"'”’)"))


def _known_at(question: Question, start: int, people: People) -> Person | None:
    """A known person whose name starts at `start`; a single word only as a surname."""
    words = question.text[start:].split()[:5]
    if not words:
        return None
    found = people.find(words)
    if found is not None and (found.words > 1 or words[0][:1].isupper()):
        return found
    first = words[0].strip("\"'“”‘’,.!?;:")
    particle = first.lower() in _PARTICLES and len(words) > 1
    if particle and (surnamed := people.by_surname(words[1])):  # "De Niro", "von Trier"
        return Person(surnamed.name, 2, surnamed.roles)
    if first[:1].isupper() and not _shouting(first):
        return people.by_surname(first)
    return None


def _one_name(
    question: Question, start: int, people: People, unknown: bool
) -> tuple[str, int, Person | None] | None:
    """A known name at `start`, else (when allowed) a capitalised unknown one:
    (name, end, the person if known)."""
    found = _capitalised_name(question.text, start)
    person = _known_at(question, start, people)
    if person is not None and not (
        unknown and found and person.words < len(found[0].split())
    ):  # "directed by Simon Jaquemet" is not Neil Simon
        return person.name, _span_of(question.text, start, person.words), person
    if found and (unknown or _first_name(people, found[0])):  # "with Joey Kingsley"
        return found[0], found[1], None
    if unknown and (found := _lower_case_name(question.text, start, people)):
        return found[0], found[1], None
    return None


_LOWER_NAME = re.compile(r"([a-z][a-z'’-]{2,})\s+([a-z][a-z'’-]{1,})(?:\s+([a-z][a-z'’-]{2,}))?\b")


_CLAUSE_END = re.compile(r"\s*(?:[.,!?;:]|$|(?:and|or|that|who|please)\b)")


@functools.cache
def _english() -> Mapping[str, int]:
    """How often each English word is used (pyspellchecker's list, loaded once)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1).word_frequency.dictionary


def english_frequency(word: str) -> int:
    """How often English uses a word (0: not an English word)."""
    return _english().get(word.lower(), 0)


def _rare(word: str, most: int) -> bool:
    """A word English rarely uses: a name's, not a description's ("famous", "filmmakers")."""
    return english_frequency(word) < most


def _lower_case_name(text: str, start: int, people: People) -> tuple[str, int] | None:
    """A name typed in lower case, recognised by its first name ("starring john smithson"):
    two words, or three when the third is no ordinary word of a question; or two words
    English rarely uses that end the clause ("directed by matteo garrone.")."""
    from rapidfuzz import fuzz, process

    m = _LOWER_NAME.match(text, start)
    if m is None or any(w and (w in _NOT_NAME or w in vocabulary()) for w in (m[1], m[2])):
        return None
    if f"{m[1]} {m[2]}" in vocabulary():
        return None  # "sci fi": a kind of film
    if process.extractOne(m[1], people.first_names, scorer=fuzz.ratio, score_cutoff=85) is None:
        # "directed by matteo garrone.": rare words ending the clause are a name too
        if not (_CLAUSE_END.match(text, m.end(2)) and _rare(m[1], 5000) and _rare(m[2], 100)):
            return None
        return " ".join(w.capitalize() for w in text[start : m.end(2)].split()), m.end(2)
    end = m.end(2)
    if m[3] and m[3] not in _NOT_NAME and m[3] not in vocabulary():
        end = m.end(3)
    return text[start:end], end


def _names(
    question: Question, start: int, people: People, unknown: bool
) -> tuple[list[tuple[str, Person | None]], int, bool]:
    """A list of names at `start` ("X", "X and Y", "X, Y or Z"): (names, end, every one of
    them wanted)."""
    names: list[tuple[str, Person | None]] = []
    every = True
    at = start
    while first := _one_name(question, at, people, unknown or bool(names)):
        name, end, person = first
        names.append((name, person))
        join = _JOIN.match(question.text, end)
        if join is None:
            return names, end, every
        if "or" in join.group().lower().split():
            every = False
        if _one_name(question, join.end(), people, True) is None:
            return names, end, every
        at = join.end()
    return names, at, every


def _role(person: Person | None, said: Role | None, firm: bool = True) -> Role:
    """The role a name is read in: the one the words say ("directed by"), unless the person is
    known only as a writer ("a film by Stephen King"); after a word that may go either way
    ("by", "with"), what the person is known for ("something by Al Pacino": an actor)."""
    if person is None:
        return said or "director"
    if said is None or said in person.roles:
        return said or person.roles[0]
    if said == "director" and "writer" in person.roles:
        return "writer"
    return said if firm else person.roles[0]


def _add(
    question: Question,
    role: Role,
    names: list[str],
    every: bool,
    span: tuple[int, int],
    keep: bool = False,
) -> None:
    """Names as a filter of their role (or excluded, or a writer said as such). `keep`: their
    words stay in the semantic part too (a name standing alone that the index has no film
    of: the closest answers, when the filter leaves nothing, are then still about them)."""
    filters = question.filters
    if question.lifted(span[0]):  # "it doesn't have to be Sandler": no filter either way
        question.negated(span[0])
        question.cut(span)
        return
    if _like_their_films(question, span):
        return  # left to the semantic part
    if _describes_a_film(question, span):
        question.cut(
            (span[0], span[1] + 2) if question.said[span[1] :].startswith(("'s", "’s")) else span
        )
        return
    if role == "writer":  # searched for by meaning: reviews say whose book it was
        phrase = " ".join(question.text[span[0] : span[1]].split())
        question.ignored.append(Ignored(phrase=phrase, why=WRITERS))
        question.searched_for += [n for n in names if n not in question.searched_for]
        question.cut(span)
        return
    if question.negated(span[0]):
        filters.people_none += [n for n in names if n not in filters.people_none]
        group = "people_none"
    elif role == "director":
        filters.directors += [n for n in names if n not in filters.directors]
        group = "directors"
    elif every and len(names) > 1:
        filters.cast_all += [n for n in names if n not in filters.cast_all]
        group = "cast_all"
    else:
        filters.cast += [n for n in names if n not in filters.cast]
        group = "cast"
    if keep and group != "people_none":
        question.searched_for += [n for n in names if n not in question.searched_for]
    question.cut(span, group)


def _add_each(
    question: Question,
    said: Role | None,
    firm: bool,
    found: list[tuple[str, Person | None]],
    every: bool,
    span: tuple[int, int],
) -> None:
    """Names read together, each in its role ("films by Spielberg and Stephen King")."""
    roles = {_role(person, said, firm) for _, person in found}
    if len(roles) == 1:
        _add(question, roles.pop(), [name for name, _ in found], every, span)
        return
    for name, person in found:
        _add(question, _role(person, said, firm), [name], False, (span[0], span[0]))
    question.cut(span)


# "films similar to Yorgos Lanthimos movies": like their work, which is no filter on them.
_LIKE_THEIR_FILMS_BEFORE = re.compile(
    r"\b(?:like|similar\s+to|in\s+the\s+style\s+of|reminiscent\s+of)\s+(?:the\s+)?$", re.I
)


def _like_their_films(question: Question, span: tuple[int, int]) -> bool:
    """Not "I like Tarantino movies": there "like" is a taste, and the films are theirs."""
    lead = _LIKE_THEIR_FILMS_BEFORE.search(question.text[: span[0]])
    return bool(
        lead
        and _FILM_NOUN_AFTER.match(question.text, span[1])
        and not (
            lead.group().lower().startswith("like") and like_is_a_verb(question.said, lead.start())
        )
    )


def _describes_a_film(question: Question, span: tuple[int, int]) -> bool:
    """People said right after a film the question names ("Romeo + Juliet (1996) with
    Leonardo DiCaprio") or as its maker before it ("Kurosawa's Seven Samurai") say who made
    or is in that film, not whom the answer should have."""
    said = question.said
    possessive = said[span[1] - 2 : span[1]] in ("'s", "’s") or said[span[1] :].startswith(
        ("'s", "’s")
    )
    return any(
        0 <= span[0] - end <= 2 or (possessive and 0 <= start - span[1] <= 4)
        for start, end in question.mention_spans
    )


def read_named(question: Question, people: People) -> None:
    """Names after a word that gives their role."""
    for role, lead, unknown, firm in _BEFORE:
        for m in list(
            re.finditer(rf"\b(?:both\s+)?(?:{lead})\s+(?:both\s+)?", question.text, re.I)
        ):
            if not question.text[m.start() : m.end()].strip():
                continue  # blanked by an earlier match
            found, end, every = _names(question, m.end(), people, unknown)
            if found:
                start = m.start()
                lead_words = m.group().lower().split()
                if lead_words[-1] == "by" and (
                    lead_words[0] in QUESTION_SYNONYMS or lead_words[0] in _SAID_BEFORE_BY
                ):  # "a Drama by X": the kind stays for the genre step
                    start += m.group().lower().rindex("by")
                said, firmly = role, firm
                if after := _ROLE_AFTER.match(question.text, end):
                    said, firmly, end = after.lastgroup or role, True, after.end()  # type: ignore[assignment]
                _add_each(question, said, firmly, found, every, (start, end))


def read_after(question: Question, people: People) -> None:
    """Names before a verb that gives their role: "has X made", "did X direct", "movies X
    acted in", "what has X done"."""
    for role, verb, firm, needs in _AFTER:
        for m in list(re.finditer(rf"\s(?P<verb>{verb})", question.text, re.I)):
            head = question.text[: m.start()]
            words = head.split()
            for n in range(min(4, len(words)), 0, -1):
                candidate = words[-n:]
                start = len(head.rstrip()) - len(" ".join(candidate))
                if needs is not None and not needs.search(question.text[:start]):
                    continue
                if has := _HAS_BEFORE.search(question.text[:start]):
                    start_with_has = has.start()  # "has X made": the "has" goes too
                else:
                    start_with_has = start
                person = _known_at(question, start, people)
                if person is not None and person.words == n:
                    _add(
                        question,
                        _role(person, role, firm),
                        [person.name],
                        False,
                        (start_with_has, m.end("verb")),
                    )
                    break
                if (
                    role is not None
                    and n > 1
                    and all(_NAME_WORD.match(w) and w.lower() not in _NOT_NAME for w in candidate)
                ):
                    name = " ".join(re.sub(r"['’]s$", "", w) for w in candidate)
                    _add(question, role, [name], False, (start_with_has, m.end("verb")))
                    break


def read_siblings(question: Question, people: People) -> None:
    """ "the Coen brothers": everyone known by that surname, in the role of the first."""
    for m in list(_SIBLINGS.finditer(question.text)):
        names = people.sharing_surname(m["name"])
        if len(names) >= 2:
            role = _role(Person(names[0], 1, people.roles_of(names[0])), None)
            _add(question, role, names, False, (m.start(), m.end()))


def read_known(question: Question, people: People, vocabulary: set[str]) -> None:
    """Known names standing alone, in the role they are known for: two words or more in any
    case, misspelt a little or by a nickname, unless the words are ones the parser reads
    otherwise; a one-word name capitalised ("Zendaya")."""
    tokens = list(_WORD.finditer(question.text))
    i = 0
    while i < len(tokens):
        words = [t.group() for t in tokens[i : i + 5]]
        first = words[0].strip("\"'“”‘’,.!?;:(")
        lowered = {w.lower().strip(",.?!\"'“”") for w in words[:2]}
        likely = first[:1].isupper() or first.lower() in people.first_names
        person = people.find(words, fuzzy=likely and not lowered & vocabulary)
        if person is None or (person.words == 1 and (not first[:1].isupper() or _shouting(first))):
            i += 1
            continue
        if person.words == 1 and first.lower() in vocabulary:
            i += 1
            continue
        start = tokens[i].start() + (
            len(tokens[i].group()) - len(tokens[i].group().lstrip("\"'“‘("))
        )
        end = _span_of(question.text, tokens[i].start(), person.words)
        keep = not people.in_index(person.name)
        _add(question, _role(person, None), [person.name], False, (start, end), keep)
        i += person.words


# A surname typed in lower case is a person only where a person is expected: "by nolan",
# "starring hanks", "hitchcock films", "kubrick's", or when it is the whole question.
_LOWER_CUE_BEFORE = re.compile(
    r"\b(?:by|with|starring|featuring|from|director|actor|actress|love|loves|loved|like)\s+$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{4}s?|\d\ds|['’]\d\ds")  # a year or a decade: "kubrick 1968"
_LOWER_CUE_AFTER = re.compile(
    r"['’]s\b|\s+(?:films?|movies?|flicks?|stuff|is|was|directed|made|stars|starred)\b",
    re.IGNORECASE,
)


# After "the", a surname is somebody only before a film word: "the new Spielberg movie".
_FILM_WORD_AFTER = re.compile(r"['’]s\b|\s+(?:films?|movies?|flicks?|pictures?)\b", re.I)


# "tarantino and nolan", "nolan, villeneuve": a surname in a list after another one.
_LISTED_AFTER = re.compile(r"([A-Za-z][\w'’-]+)\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)$")


def _after_a_surname(before: str, people: People) -> bool:
    m = _LISTED_AFTER.search(before)
    return m is not None and people.by_surname(m[1]) is not None


def read_surnames(question: Question, people: People, vocabulary: set[str]) -> None:
    """A surname standing alone that names one known person: capitalised and not inside a
    run of capitalised words ("Hitchcock films", not "The Lion King"), or in lower case when
    it is no ordinary word ("speilberg is the man") and a person is expected there ("by
    nolan", "nolan films", "tarantino and nolan")."""
    tokens = list(_WORD.finditer(question.text))
    for i, token in enumerate(tokens):
        word = token.group().strip("\"'“”‘’,.!?;:()")
        bare = re.sub(r"['’]s$", "", word)
        if len(bare) < 4 or not bare.isalpha() or bare.lower() in vocabulary or _shouting(bare):
            continue
        before = tokens[i - 1].group() if i else ""
        after = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if bare[:1].isupper():
            starts = not before or before.endswith((".", "!", "?", ":", "..."))
            if starts and people.ordinary_word(bare):
                continue  # "Hope you are well", "Short films": the first word of a sentence
            in_run = (
                before[:1].isupper()
                and before not in {"I"}
                and not before.endswith((".", "!", "?"))
            ) or (after[:1].isupper() and not token.group().endswith((".", ",", "!", "?")))
            if in_run:
                continue
            if before.lower() == "the" and not _FILM_WORD_AFTER.match(question.text, token.end()):
                continue  # "the Lord of the Rings", "the Hunt": a title's word, not a surname
        elif any(people.ordinary_word(stem) for stem in (bare, bare[:-1], bare[:-2])):
            continue  # "cage", "zombies", "chases"
        elif not (
            _LOWER_CUE_BEFORE.search(question.text[: token.start()])
            or _LOWER_CUE_AFTER.match(question.text, token.end())
            or _after_a_surname(question.said[: token.start()], people)
            or all(t is token or _NUMBER.fullmatch(t.group()) for t in tokens)
        ):
            continue  # in lower case, a word alone is a word ("a storm over the harbour")
        if token.start() >= question.head_end:
            continue  # "movies about zombies": the subject
        person = people.by_surname(bare)
        if person is None or _someone_else(before, person, people):
            continue
        start = token.start() + token.group().index(word[:1])
        keep = not people.in_index(person.name)
        _add(question, _role(person, None), [person.name], False, (start, start + len(bare)), keep)


def read_first_names(question: Question, people: People) -> None:
    """A first name alone that names one well-known person and no English word ("I love
    Denzel", "a Keanu movie", "Scarlett's films"), capitalised and outside a run of capitalised
    words, where a person is expected: after a taste or a role ("love", "with", "starring") or
    before "'s" or "movies"."""
    tokens = list(_WORD.finditer(question.text))
    for i, token in enumerate(tokens):
        word = token.group().strip("\"'“”‘’,.!?;:()")
        bare = re.sub(r"['’]s$", "", word)
        if len(bare) < 4 or not bare.isalpha() or not bare[:1].isupper() or _shouting(bare):
            continue
        if token.start() >= question.head_end or not _rare(bare, 50):
            continue
        before = tokens[i - 1].group() if i else ""
        after = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if (before[:1].isupper() and before != "I" and not before.endswith((".", "!", "?"))) or (
            after[:1].isupper() and not token.group().endswith((".", ",", "!", "?"))
        ):
            continue  # "Denzel Washington" is read whole, "Keanu Reeves" too
        if not (
            _LOWER_CUE_BEFORE.search(question.text[: token.start()])
            or _LOWER_CUE_AFTER.match(question.text, token.end())
        ):
            continue
        person = people.by_first_name(bare)
        if person is None:
            continue
        start = token.start() + token.group().index(word[:1])
        keep = not people.in_index(person.name)
        _add(question, _role(person, None), [person.name], False, (start, start + len(bare)), keep)


def _someone_else(before: str, person: Person, people: People) -> bool:
    """A first name before the surname that is not theirs: "a richard nixon movie" names
    somebody else, not Cynthia Nixon."""
    given = before.strip("\"'“”‘’,.!?;:()").lower()
    if given not in people.first_names:
        return False
    full = people.find([given, person.name.split()[-1]], fuzzy=False)
    return full is None or full.name != person.name


def read_by_form(question: Question, people: People, vocabulary: set[str]) -> None:
    """Names nobody knows, where a taste for someone is said ("I love Ray Liottta", "i like
    kristin wigg", "movies that have Reese Witherspoon"), or before "movie" ("a good Channing
    Tatum movie"): as cast."""
    for m in list(_TASTE.finditer(question.text)):
        text = question.text
        if (found := _capitalised_name(text, m.end())) and _first_name(people, found[0]):
            _add(question, "cast", [found[0]], False, (m.end(), found[1]))
            continue
        if lower := _lower_case_name(text, m.end(), people):
            _add(question, "cast", [lower[0]], False, (m.end(), lower[1]))
    for m in list(re.finditer(r"(?<![\w'’])(?=[A-Z])", question.text)):
        text = question.text
        before = text[: m.start()].split()[-1:] or [""]
        if before[0][:1].isupper() and not before[0].endswith((".", "!", "?", ",")):
            continue  # inside a run of capitalised words ("The Lion King movies")
        found = _capitalised_name(text, m.start())
        if found is None or not _FILM_NOUN_AFTER.match(text, found[1]):
            continue
        if not _first_name(people, found[0]):
            continue  # "Toy Story movies", "Star Wars films": titles, not people
        if any(w.lower() in vocabulary for w in found[0].split()):
            continue
        _add(question, "cast", [found[0]], False, (m.start(), found[1]))


def _first_name(people: People, name: str) -> bool:
    """Whether a name starts with a first name people have (a little misspelt too)."""
    from rapidfuzz import fuzz, process

    first = name.split()[0].lower()
    return (
        process.extractOne(first, people.first_names, scorer=fuzz.ratio, score_cutoff=85)
        is not None
    )


# "Brad Pitt and Leonardo DiCaprio together", "Hanks and Ryan in the same film": every one.
_TOGETHER = re.compile(
    r"\b(?:together|in\s+the\s+same\s+(?:film|movie)|(?:both\s+)?(?:star(?:ring)?|in)\s+it\s+both|"
    r"co-?starring|team(?:ed)?\s+up)\b",
    re.IGNORECASE,
)


def read_together(question: Question) -> None:
    """Actors wanted in one film ("X and Y together"): every one of them, not any."""
    filters = question.filters
    if len(filters.cast) > 1 and (m := _TOGETHER.search(question.text)):
        filters.cast_all += [n for n in filters.cast if n not in filters.cast_all]
        filters.cast.clear()
        question.cut(m)


def read(question: Question, people: People, vocabulary: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    read_siblings(question, people)
    read_named(question, people)
    read_after(question, people)
    read_known(question, people, vocabulary)
    read_surnames(question, people, vocabulary)
    read_first_names(question, people)
    read_by_form(question, people, vocabulary)
    read_together(question)


_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*")
_SIMILAR = re.compile(r"\b(?:like|similar to|such as|as good as)\s", re.I)
_NAME_STOPWORDS = set(
    "and the of or in on at to new old san los las saint st. city world war star wars".split()
)


def looks_like_a_name(rest: str, filler: set[str]) -> bool:
    """Two to four capitalised words and nothing else: a person, not a theme."""
    return (
        _NAME.fullmatch(rest) is not None
        and not any(w.lower() in filler or w.lower() in _NAME_STOPWORDS for w in rest.split())
        and not any(_shouting(w) and len(w) > 3 for w in rest.split())
    )


def guess_unknown(question: Question, rest: str, filler: set[str], people: People) -> bool:
    """A person the index does not know, left over as the whole rest ("Alfred Hitchcock
    films"): better "nothing directed by X", with the closest matches marked as such, than
    unrelated films. Not after "like" (a film, not a person), nor when the question named a
    film. Says whether it took it."""
    filters = question.filters
    if filters.directors or filters.cast or filters.cast_all or question.like or question.title:
        return False
    if _SIMILAR.search(question.original) or not looks_like_a_name(rest, filler):
        return False
    if not _first_name(people, rest) or People.character(rest):
        return False  # "Wonder Woman", "Get Out": a title said alone, not a person
    filters.directors.append(rest)
    question.phrases["directors"] = rest
    return True
