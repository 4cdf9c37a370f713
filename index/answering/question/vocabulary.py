"""The words of a question that carry no meaning of their own (filler at either end of the
semantic part: "good films about ...") and the words the steps read as filters (genres,
countries): neither is ever part of a person's name."""

from __future__ import annotations

import re
from functools import cache

# Words that carry no meaning at either end of the semantic part ("good films about ...").
FILLER = set(
    "a an the any some good great best top film films movie movies flick flicks cinema "
    "picture pictures show me find give recommend recommendations suggest suggestions i want "
    "looking for can you please something anything from in of and or with that are is rated "
    "rating released made to watch what which about like only just also but out there ones "
    "one by starring directed between after before since stars star year years decade kind "
    "sort type genre country review reviews really very well on lately other more less need "
    "get similar else next got anyone watched saw seen loved liked enjoyed adored recently "
    "tonight it this these those have has had your do does would could should ideas options "
    "picks stuff now again yet too so maybe perhaps sometimes etc mostly hi hello hey thanks "
    "thank cinebot bot cool awesome perfect nice ok okay how was were be been being am did "
    "what's whats".split()
)

# Before "like", words that make it a verb ("I like", "would like", "really like", "looks
# like"): then what follows is a taste or a remark, not a film.
LIKE_AS_VERB = set(
    "i we you they he she i'd we'd you'd would do does did don't doesn't didn't not really and "
    "also just still totally actually definitely both all usually generally mostly always "
    "especially particularly quite honestly genuinely might may feel feels felt look looks "
    "looked sound sounds sounded seem seems seemed me us it them who that which kinda".split()
)


def like_is_a_verb(text: str, like: int) -> bool:
    """ "I like X", "would like X", "looks like X": "like" said as a verb, not "films like"."""
    before = re.search(r"([\w'’]+)\s*$", text[:like])
    if before is None or re.search(r"[.!?,;:]\s*$", text[:like]):
        return False  # "like alien but ...", ", like star wars": a comparison
    return before.group(1).lower().replace("’", "'") in LIKE_AS_VERB


@cache
def vocabulary() -> set[str]:
    """Words other steps read, and filler: never taken for a name."""
    from index.knowledge.countries import name_table
    from index.knowledge.genres import QUESTION_SYNONYMS as SYNONYMS

    return set(name_table()) | set(SYNONYMS) | FILLER
