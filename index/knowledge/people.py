"""People a question may name, looked up the way questions name them: any case, accents or
not, a little misspelt, by the first two words of a longer name ("Tony Leung" for "Tony Leung
Chiu-wai"), by a nickname ("Nick Cage", "leo dicaprio") or by the surname alone when only one
person known has it ("Hitchcock").

Three layers, each with the roles a person has (directing, acting, writing):
- the index's own people (directors and cast of its films, with film counts per role);
- its catalogue's (`Credits`: every person credited on a catalogue film, looked up in the
  catalogue file itself, so millions of names cost no memory);
- a list of well-known film people written for cinebot (`well_known_people.txt`), so that
  someone the library has no film of is still a person, in the right role.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import ChainMap, Counter
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

Role = Literal["director", "cast", "writer"]
ROLE_LETTERS: dict[str, Role] = {"d": "director", "a": "cast", "w": "writer"}
FUZZY_FLOOR = 88  # rapidfuzz ratio a misspelt name must reach
WELL_KNOWN = Path(__file__).with_name("well_known_people.txt")
# A film count standing for "well known" beside the catalogue's counts: a surname names the
# well-known person rather than a catalogue name with a few credits.
_WELL_KNOWN_FILMS = 20
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# First names people shorten ("Nick Cage", "Bob De Niro"): short -> the names it stands for.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "nick": ("nicolas", "nicholas"),
    "nicky": ("nicolas", "nicholas", "nicole"),
    "leo": ("leonardo",),
    "bob": ("robert",),
    "bobby": ("robert",),
    "rob": ("robert",),
    "robbie": ("robert",),
    "bill": ("william",),
    "billy": ("william",),
    "will": ("william",),
    "jim": ("james",),
    "jimmy": ("james",),
    "jamie": ("james",),
    "mike": ("michael",),
    "mick": ("michael",),
    "tom": ("thomas",),
    "tommy": ("thomas",),
    "chris": ("christopher", "christian", "christine", "christina"),
    "matt": ("matthew",),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "joe": ("joseph",),
    "joey": ("joseph",),
    "johnny": ("john",),
    "jack": ("john",),
    "sam": ("samuel", "samantha"),
    "ben": ("benjamin", "benedict"),
    "alex": ("alexander", "alexandra"),
    "kate": ("katherine", "kathryn", "catherine", "katharine"),
    "katie": ("katherine", "kathryn", "catherine", "katharine"),
    "cathy": ("catherine",),
    "liz": ("elizabeth",),
    "beth": ("elizabeth",),
    "jen": ("jennifer",),
    "jenny": ("jennifer",),
    "steve": ("steven", "stephen"),
    "tony": ("anthony",),
    "andy": ("andrew",),
    "drew": ("andrew",),
    "ed": ("edward",),
    "eddie": ("edward",),
    "ted": ("edward", "theodore"),
    "dick": ("richard",),
    "rick": ("richard",),
    "ricky": ("richard",),
    "greg": ("gregory",),
    "fred": ("frederick",),
    "harry": ("henry", "harold"),
    "hank": ("henry",),
    "larry": ("lawrence", "laurence"),
    "pete": ("peter",),
    "phil": ("philip", "phillip"),
    "ron": ("ronald",),
    "sandy": ("sandra",),
    "abby": ("abigail",),
    "meg": ("margaret",),
    "maggie": ("margaret",),
    "peggy": ("margaret",),
    "sue": ("susan",),
    "jo": ("joanne", "josephine"),
}
# Surnames that are ordinary words: in lower case alone they are not taken for a person.
_ORDINARY = set(
    "smith moore wright stone martin marshall lawrence jones johnson hudson harris green brown "
    "wood white wilde weir weaving watts turner ray reeves perry phoenix murphy lynch lloyd king "
    "kelly jenkins jackson howard hooper hill hardy hawkins grant glover freeman fox ford day "
    "driver douglas curtis crowe close collins butler burton black adams young judge short "
    "price potter powell pike page patrick paul owen park parker penn peck pine plaza rock rush "
    "ross rice roy rogers singer simon spencer sparks strong taylor temple thomas tucker tyler "
    "urban walker wan waters webb weaver wells willis wilson woo yang yen bay bell bean bird "
    "bloom bridges brooks cage campbell card carpenter carter chase child close cooper "
    "cox crawford cruise cube dean dick duke duff fisher fletcher flynn frost gaga gray grey "
    "guest hart hope hunter hurt irons irving james jordan kent lane lang law lean lord lucas "
    "mann marvin mason miller moss norris novak oh pierce pratt quan reed reid ryan scott sheen "
    "snow song stan swank tracy wolf woods alba berry bill cher chow crystal cash dante grace "
    "henry hook lee li long love may mercy nolan rain rose sage shaw sky star west wise gibson "
    "jewison madonna zombie groom mantel bale".split()
)
# Characters people name like people ("James Bond movies", "I love Harry Potter"): a series
# of films, not someone to filter by.
CHARACTERS = set(
    "james bond|harry potter|jason bourne|indiana jones|john wick|jack reacher|jack ryan|"
    "ethan hunt|austin powers|sherlock holmes|bridget jones|hannibal lecter|forrest gump|"
    "rocky balboa|john rambo|freddy krueger|michael myers|jason voorhees|mad max|han solo|"
    "luke skywalker|darth vader|tony stark|peter parker|bruce wayne|clark kent|lara croft|"
    "jack sparrow|ace ventura|napoleon dynamite|ferris bueller|marty mcfly|john mcclane|"
    "dirty harry|tyler durden|captain america|wonder woman|black panther|iron man|"
    "doctor strange|spider man|bruce lee story|jurassic park|star wars|star trek".split("|")
)


def fold(text: str) -> str:
    """A name as it is compared: accents, case and punctuation gone ("Agnès" = "agnes")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def surname_key(name: str) -> str | None:
    """The folded surname a person may be called by alone: the last word ("Hitchcock"),
    before a suffix ("Downey" in "Robert Downey Jr."); none for one-word names and names whose
    last word is hyphenated ("Bong Joon-ho": the family name comes first)."""
    words = [w for w in name.split() if fold(w) not in _SUFFIXES]
    if len(words) < 2:
        return None
    key = fold(words[-1])
    return key if key and " " not in key and len(key) > 2 else None


def aliases(names: Iterable[str]) -> dict[str, str]:
    """Folded name -> name, plus the first two words of longer names when unambiguous."""
    table = {fold(n): n for n in names if fold(n)}
    starts: dict[str, set[str]] = {}
    for key, name in table.items():
        words = key.split()
        if len(words) >= 3:
            starts.setdefault(" ".join(words[:2]), set()).add(name)
    for start, found in starts.items():
        if len(found) == 1 and start not in table:
            table[start] = next(iter(found))
    return table


class Credits(Protocol):
    """People credited in a catalogue: folded name (or surname) -> (name, role, films)."""

    def people_named(self, key: str) -> list[tuple[str, Role, int]]: ...

    def people_surnamed(self, key: str) -> list[tuple[str, Role, int]]: ...


@dataclass(frozen=True)
class Person:
    """A person a question names: as the vocabulary spells them, how many of the question's
    words name them, and their roles, the one they are best known for first."""

    name: str
    words: int
    roles: tuple[Role, ...]


@dataclass(frozen=True, eq=False)
class WellKnown:
    """The list of well-known people: folded name or other name -> (name, roles)."""

    names: dict[str, tuple[str, tuple[Role, ...]]]
    by_surname: dict[str, list[str]]  # folded surname -> names

    @cached_property
    def by_first_name(self) -> dict[str, list[str]]:
        """Folded first name -> the names of two words or more that start with it."""
        table: dict[str, list[str]] = {}
        for name, _ in self.names.values():
            words = name.split()
            if len(words) >= 2 and name not in table.get(key := fold(words[0]), []):
                table.setdefault(key, []).append(name)
        return table

    @classmethod
    def read(cls, path: Path = WELL_KNOWN) -> WellKnown:
        names: dict[str, tuple[str, tuple[Role, ...]]] = {}
        by_surname: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            letters, _, rest = line.partition(" ")
            name, _, other = rest.partition(" = ")
            name = name.strip()
            roles = tuple(dict.fromkeys(ROLE_LETTERS[c] for c in letters))
            key = fold(name)
            if key in names:  # listed twice (directing and acting): both roles
                roles = tuple(dict.fromkeys(names[key][1] + roles))
            names[key] = (name, roles)
            for alias in filter(None, (a.strip() for a in other.split(";"))):
                names.setdefault(fold(alias), (name, roles))
            if (last := surname_key(name)) and name not in by_surname.get(last, []):
                by_surname.setdefault(last, []).append(name)
        for key, (name, _) in list(names.items()):
            names[key] = (name, names[fold(name)][1])  # another name: the person's every role
        return cls(names, by_surname)


@cache
def well_known() -> WellKnown:
    return WellKnown.read()


class People:
    """Folded name -> the name as the index spells it, per role, and how many films each has
    in each role (a name that both directs and acts is read in the role it has more); with
    the catalogue's people and the well-known ones behind them."""

    def __init__(
        self,
        directors: Iterable[str] = (),
        cast: Iterable[str] = (),
        credits: Credits | None = None,
        known: WellKnown | None = None,
    ) -> None:
        self.counts: dict[str, MutableMapping[str, int]] = {
            "director": Counter(directors),
            "cast": Counter(cast),
        }
        self._tables: dict[str, MutableMapping[str, str]] = {
            role: aliases(counts) for role, counts in self.counts.items()
        }
        self.credits = credits
        self.known = known if known is not None else well_known()
        self._fuzzy: Mapping[str, list[str]] | None = None
        self._surnames: Mapping[str, set[str]] | None = None

    @classmethod
    def counted(cls, directors: dict[str, int], cast: dict[str, int]) -> People:
        """From each name's number of films per role."""
        counts = {"director": directors, "cast": cast}
        return cls.tabled(counts, {role: aliases(c) for role, c in counts.items()})

    @classmethod
    def tabled(cls, counts: dict[str, dict[str, int]], tables: dict[str, dict[str, str]]) -> People:
        """From film counts and the `aliases` tables already worked out (a version's film
        table keeps both, so no name is folded again when it opens)."""
        people = cls()
        people.counts = {"director": Counter(counts["director"]), "cast": Counter(counts["cast"])}
        people._tables = {"director": tables["director"], "cast": tables["cast"]}
        return people

    def with_own(self, directors: Iterable[str], cast: Iterable[str]) -> People:
        """These people, and a place's own over them (a server's reviews name people no one
        else is told of): known there alone. Nothing of everyone's is copied."""
        own = People(directors, cast, known=WellKnown({}, {}))
        layered = copy.copy(self)
        layered.counts = {r: ChainMap(dict(own.counts[r]), self.counts[r]) for r in own.counts}
        layered._tables = {r: ChainMap(own._tables[r], self._tables[r]) for r in own._tables}
        layered._fuzzy = _Both(self._fuzzy_table(), own._fuzzy_table())
        layered._surnames = _Both(self._surname_table(), own._surname_table())
        return layered

    def with_credits(self, credits: Credits | None) -> People:
        """The same people, with a catalogue's behind them."""
        self.credits = credits
        return self

    def __bool__(self) -> bool:
        return any(self._tables.values())

    # ------------------------------------------------------------ the index's, per role
    def match(self, words: list[str], role: Role) -> tuple[str, int] | None:
        """The longest run of leading words naming a person the index knows in this role:
        (name, words used). A one-word run counts only for a one-word name; two or more may be
        misspelt a little."""
        table = self._tables.get(role, {})
        words = [_bare(w) for w in words[:5]]
        for n in range(len(words), 0, -1):
            key = fold(" ".join(words[:n]))
            if key in table and (n > 1 or len(table[key].split()) == 1):
                return table[key], n
        if table and len(words) >= 2:
            from rapidfuzz import fuzz, process

            for n in range(min(4, len(words)), 1, -1):
                hit = process.extractOne(
                    fold(" ".join(words[:n])),
                    table.keys(),
                    scorer=fuzz.ratio,
                    score_cutoff=FUZZY_FLOOR,
                )
                if hit:
                    return table[hit[0]], n
        return None

    def exact(self, words: list[str], role: Role) -> tuple[str, int] | None:
        """A name of two or more words the index knows in this role, exactly (no fuzz)."""
        table = self._tables.get(role, {})
        words = [_bare(w) for w in words[:5]]
        for n in range(len(words), 1, -1):
            if (key := fold(" ".join(words[:n]))) in table:
                return table[key], n
        return None

    def role_of(self, name: str) -> Role:
        """The role a name has: in more of the index's films (directing, on a tie), else
        what they are best known for."""
        return self.roles_of(name)[0]

    # ------------------------------------------------------------ every layer
    def roles_of(self, name: str) -> tuple[Role, ...]:
        """A person's roles, the one they are best known for first: the index's film counts,
        then the well-known list, then the catalogue's credits."""
        directed, acted = self.counts["director"][name], self.counts["cast"][name]
        known = self.known.names.get(fold(name))
        if directed == acted and directed and known is not None:
            return known[1]  # as many films in each role: what they are known for
        if directed and not self.counts["cast"] and known is not None:
            return known[1]  # the index lists nobody's cast: acting in none of its films is no fact
        if known is not None and directed + acted == 1:
            # one film of theirs in the index (John Huston acting in Chinatown) outweighs
            # nothing: what they are known for comes first
            held: Role = "director" if directed else "cast"
            return tuple(dict.fromkeys((*known[1], held)))
        if directed or acted:
            first: Role = "cast" if acted > directed else "director"
            other: Role = "director" if first == "cast" else "cast"
            return (first, other) if min(directed, acted) else (first,)
        key = fold(name)
        if known is not None:
            return known[1]
        if self.credits is not None:
            counted: Counter[Role] = Counter()
            for credited, role, films in self.credits.people_named(key):
                if credited == name:
                    counted[role] += films
            if counted:
                return tuple(r for r, _ in counted.most_common())
        return ("director",)

    def find(self, words: list[str], fuzzy: bool = True) -> Person | None:
        """The longest run of leading words naming someone: the index's people, the
        well-known, the catalogue's; two words or more (a one-word name only by itself);
        then a nickname for the first name ("Nick Cage"); then a little misspelt."""
        words = [_bare(w) for w in words[:5]]
        if fold(" ".join(words[:2])) in CHARACTERS:
            return None
        for n in range(len(words), 0, -1):
            key = fold(" ".join(words[:n]))
            if not key:
                continue
            if (name := self._exact(key, n)) is not None:
                return Person(name, n, self.roles_of(name))
        for n in range(min(4, len(words)), 1, -1):
            if (name := self._nicknamed(words[:n])) is not None:
                return Person(name, n, self.roles_of(name))
        if fuzzy:
            for n in range(min(4, len(words)), 1, -1):
                if (name := self._misspelt(fold(" ".join(words[:n])))) is not None:
                    return Person(name, n, self.roles_of(name))
        return None

    def by_surname(self, word: str) -> Person | None:
        """The one person known by this surname ("Hitchcock", "tarantino", a little
        misspelt: "speilberg"), when no other known person has it (or the others have
        far fewer films). In lower case only the well-known are looked at: an index's or a
        catalogue's surnames are too often ordinary words ("camp", "rivers")."""
        key = fold(_bare(word))
        if len(key) < 4 or " " in key:
            return None
        if _bare(word).islower():
            return self._well_known_surname(key)
        weights: Counter[str] = Counter()
        if self.credits is not None:
            for name, _, films in self.credits.people_surnamed(key):
                weights[name] += films
        names = self._surname_table().get(key)
        if not names and not weights:
            from rapidfuzz import fuzz, process

            hit = process.extractOne(
                key, self._surname_table().keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR
            )
            if hit is None or len(key) < 6 or hit[0] in _ORDINARY:
                return None
            names = self._surname_table()[hit[0]]
        for name in names or ():
            weights[name] = max(weights[name], self._weight(name))
        ranked = weights.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[1][1] * 3 > ranked[0][1]):
            return None
        name = ranked[0][0]
        return Person(name, 1, self.roles_of(name))

    def by_first_name(self, word: str) -> Person | None:
        """The one well-known person with this first name ("Denzel", "Keanu"), when no other
        well-known person has it; the caller makes sure the word is no ordinary one."""
        key = fold(_bare(word))
        names = self.known.by_first_name.get(key, []) if len(key) >= 4 else []
        if len(names) != 1:
            return None
        return Person(names[0], 1, self.roles_of(names[0]))

    def _well_known_surname(self, key: str) -> Person | None:
        names = self.known.by_surname.get(key)
        if not names and len(key) >= 6 and key not in _ORDINARY:
            from rapidfuzz import fuzz, process

            hit = process.extractOne(
                key, self.known.by_surname.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR
            )
            names = self.known.by_surname[hit[0]] if hit and hit[0] not in _ORDINARY else None
        if not names or len(names) > 1:
            return None
        return Person(names[0], 1, self.roles_of(names[0]))

    def sharing_surname(self, word: str) -> list[str]:
        """Everyone known with this surname ("the Coen brothers")."""
        return sorted(self._surname_table().get(fold(_bare(word)), ()))

    def in_index(self, name: str) -> bool:
        """Whether the index has a film of this person's."""
        return bool(self.counts["director"][name] or self.counts["cast"][name])

    @staticmethod
    def character(name: str) -> bool:
        """A character of a film series ("James Bond"), not a person."""
        return fold(name) in CHARACTERS

    def ordinary_word(self, word: str) -> bool:
        """A surname that is also an ordinary word ("cage", "stone"): not a person by itself
        in lower case."""
        return fold(word) in _ORDINARY

    @property
    def first_names(self) -> set[str]:
        """The folded first names of the people known by two words or more: a lower-case
        name is recognised by them ("kristin wigg")."""
        return _first_names(self.known)

    # ------------------------------------------------------------ inside
    def _exact(self, key: str, n: int) -> str | None:
        for table in self._tables.values():
            if key in table and (n > 1 or len(table[key].split()) == 1):
                return table[key]
        if (known := self.known.names.get(key)) is not None and (
            n > 1 or len(known[0].split()) == 1
        ):
            return known[0]
        if n > 1 and self.credits is not None and (found := self.credits.people_named(key)):
            return max(found, key=lambda c: c[2])[0]
        return None

    def _nicknamed(self, words: list[str]) -> str | None:
        """ "Nick Cage", "leo dicaprio": a short first name and a known surname."""
        first, rest = fold(words[0]), fold(" ".join(words[1:]))
        if " " in first or not rest:
            return None
        fulls = NICKNAMES.get(first, ())
        found = set()
        for name in self._surname_table().get(rest, ()):
            given = fold(name).split()[0]
            if given in fulls or (len(first) >= 3 and given.startswith(first)):
                found.add(name)
        return next(iter(found)) if len(found) == 1 else None

    def _misspelt(self, key: str) -> str | None:
        """A name a little misspelt: among those sharing its first letters (typing keeps
        them), so a large index is not compared whole."""
        candidates = self._fuzzy_table().get(_bucket(key), [])
        if not candidates:
            return None
        hit = _closest(key, candidates)
        if hit is None:
            return None
        return self._exact(hit, len(hit.split()))

    def _fuzzy_table(self) -> Mapping[str, list[str]]:
        if self._fuzzy is None:
            table: dict[str, list[str]] = {}
            keys = [k for t in self._tables.values() for k in t] + list(self.known.names)
            for key in dict.fromkeys(keys):
                if " " in key:  # filed under each word's initial: "chan park wook" finds it
                    for initial in dict.fromkeys(w[:1] for w in key.split()):
                        table.setdefault(initial, []).append(key)
            self._fuzzy = table
        return self._fuzzy

    def _surname_table(self) -> Mapping[str, set[str]]:
        if self._surnames is None:
            table: dict[str, set[str]] = {k: set(v) for k, v in self.known.by_surname.items()}
            for counts in self.counts.values():
                for name in counts:
                    if last := surname_key(name):
                        table.setdefault(last, set()).add(name)
            self._surnames = table
        return self._surnames

    def _weight(self, name: str) -> int:
        films = self.counts["director"][name] + self.counts["cast"][name]
        return films + (_WELL_KNOWN_FILMS if fold(name) in self.known.names else 0)


class _Both(Mapping[str, Any]):
    """Two tables of lists or sets read as one: a key's values from both."""

    def __init__(self, first: Mapping[str, Any], second: Mapping[str, Any]) -> None:
        self._first, self._second = first, second

    def __getitem__(self, key: str) -> Any:
        a, b = self._first.get(key), self._second.get(key)
        if a is None and b is None:
            raise KeyError(key)
        if a is None or b is None:
            return a if b is None else b
        return a | b if isinstance(a, set) else [*a, *b]

    def __iter__(self) -> Iterator[str]:
        yield from self._first
        yield from (k for k in self._second if k not in self._first)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _bare(word: str) -> str:
    """A word of a question as a name's word: no possessive, no quotes or punctuation around."""
    word = word.strip("\"'“”‘’,.!?;:()")
    return re.sub(r"['’]s$", "", word)


def _bucket(key: str) -> str:
    """Where a folded name is looked for when misspelt: its first letter (typing keeps it)."""
    return key[:1]


def _closest(key: str, candidates: list[str]) -> str | None:
    """The candidate most like `key` by rapidfuzz's ratio, or, for a name of three words or
    more, by its ratio with words in any order ("chan park wook"), whichever is higher (the
    earlier candidate on a tie); None below FUZZY_FLOOR. Each scorer runs in rapidfuzz's own
    loop: a Python scorer taking the higher of the two per candidate was a fifth of a
    question's reading time."""
    from rapidfuzz import fuzz, process

    hits = [process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR)]
    if len(key.split()) > 2:
        scorer = fuzz.token_sort_ratio
        hits.append(process.extractOne(key, candidates, scorer=scorer, score_cutoff=FUZZY_FLOOR))
    found = [(-score, at, name) for hit in hits if hit is not None for name, score, at in [hit]]
    return min(found)[2] if found else None


@cache
def _first_names(known: WellKnown) -> set[str]:
    return {k.split()[0] for k in known.names if " " in k and len(k.split()[0]) > 2}
