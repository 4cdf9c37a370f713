"""Negations, as NegEx finds them: a trigger ("not", "no", "I can't do", "not into", "not a
fan of", "anything but", "without", "I can't stand") and a scope, the words it covers, which
ends at the end of its clause or at a contrast ("but", "though", "what about", "I like").
A trigger after its terms ("war films bore me", "X isn't my thing", "westerns don't appeal to
me") covers its clause back to its start, or the clause before when this one is only a pronoun
("Comedies? They're not my thing"), as does a trigger before only a pronoun ("sounds like
horror. I don't like those"); "I find X boring" covers what it judges. A wish lifted ("it
doesn't have to be a comedy") or past ("I used to love horror, but ...", "I usually go for
action, but tonight ...") covers its clause too,
and what it covers is neither wanted nor excluded. A polite word or a new
wish after a comma ends a scope ("nothing recent please, a western").

Read early, before any term: this step only finds the scopes. The steps that read terms
(film references, people, languages, genres, countries) ask `question.negated(pos)` and put a
negated term in its "none" filter; `finish` then takes out the triggers that negated
something, and leaves the others ("not too long") to the semantic part."""

from __future__ import annotations

import re

from index.answering.question.state import Question, Scope
from index.knowledge.genres import GENRE_PATTERN

_ADVERB = (
    r"(?:really|much|particularly|especially|exactly|that|too|very|so|even|actually|"
    r"honestly|just|generally|usually|typically|personally|totally|all|ever)"
)
_NOT = (
    r"(?:don['’]?t|do\s+not|doesn['’]?t|does\s+not|didn['’]?t|did\s+not|won['’]?t|will\s+not|"
    r"wouldn['’]?t|would\s+not|can['’]?t|cant|cannot|can\s+not|couldn['’]?t|could\s+not|"
    r"never|rather\s+not)"
)
_TASTE_VERB = (
    r"(?:like|love|enjoy|want|need|dig|care\s+(?:much\s+|too\s+much\s+)?(?:for|about)|fancy|"
    r"feel\s+like|do|watch|get\s+into|handle|take|stand|stomach|deal\s+with|go\s+for|"
    r"prefer|appreciate|see|get|recommend|suggest|show\s+(?:me|us)|give\s+(?:me|us)|include)"
)
_FAN = (
    r"not(?:\s+" + _ADVERB + r")*\s+(?:(?:a|an|much\s+of\s+a|the\s+biggest)\s+)?"
    r"(?:(?:big|huge|great|massive|real|fan|keen|fond)\s+)?"
    r"(?:fan\s+of|keen\s+on|fond\s+of|into|interested\s+in|big\s+on|crazy\s+about|"
    r"wild\s+about|in\s+the\s+mood\s+for|looking\s+for|partial\s+to|a\s+fan\s+of|"
    r"after|feeling|up\s+for)"
)
_BEFORE = re.compile(
    r"(?<![\w-])(?:"
    + _NOT
    + r"(?:\s+"
    + _ADVERB
    + r")*\s+"
    + _TASTE_VERB
    + r"|"
    + _FAN
    + r"|hate[sd]?|dislike[sd]?|detest|despise[sd]?|loathe|avoid(?:ing)?|skip(?:ping)?|"
    r"refus(?:e[sd]?|ing)\s+to(?:\s+(?:watch|see|sit\s+through))?|"
    # "I don't think Cage's films are worth it": the judgement negated is said after.
    r"(?:don['’]?t|do\s+not|didn['’]?t)\s+(?:really\s+)?think"
    r"(?=[^.!?;]*?\b(?:worth|any\s+good|good|great|my\s+(?:thing|taste|style)|for\s+me)\b)|"
    r"(?:tired|sick|bored)\s+(?:of|with)|fed\s+up\s+with|stay(?:ing)?\s+away\s+from|"
    r"steer\s+clear\s+of|no\s+more|enough\s+(?:of|with)|"
    r"(?:any\s*thing|every\s*thing|some\s*thing)\s+(?:but|except|other\s+than|besides|"
    r"apart\s+from)|"
    r"(?:other|rather)\s+than|except(?:\s+for)?|excluding|besides|apart\s+from|aside\s+from|"
    r"without|minus|instead\s+of|nothing|none|never|nor|but\s+not|"
    r"(?:is|are|was|were)(?:n['’]?t|\s+not)|(?:isnt|arent|wasnt)|no|not|non)"
    r"(?![\w-])|(?<![\w-])non-"
    # "too scary for me": too much of a kind is not wanted ("not too scary" is another matter).
    r"|(?<!not\s)(?<!no\s)(?<!nothing\s)(?<!n't\s)(?<![\w-])too(?=\s+\w)",
    re.IGNORECASE,
)
# Said after what it negates: its scope runs back to the start of the clause.
_AFTER = re.compile(
    r"(?<![\w-])(?:(?:is|are|was|were)(?:n['’]?t|\s+not)|['’]s\s+not|['’]re\s+not)\s+"
    r"(?:really\s+|exactly\s+|quite\s+)?(?:my|our|for)\s+(?:thing|cup\s+of\s+tea|style|jam|"
    r"kind\s+of\s+thing|genre|favou?rites?|me|us)"
    r"|(?<![\w-])(?:bores?|bored)\s+me|(?:puts?|turns?)\s+me\s+off"
    r"|(?<![\w-])(?:is|are)\s+(?:boring|overrated|a\s+no[- ]go)"
    r"|(?<![\w-])(?:i|we)\s+(?:can|could)\s+do\s+without"
    r"|(?<![\w-])not\s+(?:really\s+)?(?:to\s+)?(?:my|our)\s+(?:thing|cup\s+of\s+tea|jam|style|taste)"
    r"(?![\w-])"
    # "westerns don't appeal to me", "they don't do it for me"
    r"|(?<![\w-])(?:do|does|did)(?:n['’]?t|\s+not)\s+(?:really\s+|quite\s+)?(?:appeal\s+to|"
    r"do\s+(?:it|much|anything)\s+for|interest|work\s+for)\s+(?:me|us)(?![\w-])",
    re.IGNORECASE,
)
# "I find horror movies unappealing": a judgement closing a clause that starts with "I find";
# what lies between is negated.
_FIND = re.compile(
    r"(?<![\w-])(?:i|we)\s+(?:usually\s+|generally\s+|always\s+)?(?:find|found)\s+"
    r"(?P<what>[^.!?;,]+?)\s+(?:(?:a\s+bit|kind\s+of|kinda|pretty|really|so|too|very|quite)\s+)?"
    r"(?P<judgement>unappealing|unwatchable|boring|dull|tedious|tiresome|annoying|overrated|"
    r"off-?putting|pointless|cheesy|cringe(?:y|worthy)?)(?![\w-])",
    re.IGNORECASE,
)
# A clause that is only a pronoun before its after-trigger ("Comedies? They're not my thing")
# speaks of what the clause before it named.
_PRONOUN = re.compile(
    r"\s*(?:they|them|it|those|these|that|those\s+ones|such\s+(?:films|movies))"
    r"(?:['’](?:re|s)|\s+(?:are|is|were|was))?\s*",
    re.IGNORECASE,
)
# A wish lifted, not reversed: "it doesn't have to be Sandler", "needn't be a comedy".
_LIFT = re.compile(
    r"(?<![\w-])(?:(?:don['’]?t|doesn['’]?t|do\s+not|does\s+not)\s+(?:have|need)\s+to\s+be|"
    r"needn['’]?t\s+be|not\s+necessarily)(?![\w-])",
    re.IGNORECASE,
)
# A taste that was ("I used to be a big horror fan but ...", "we used to love westerns"): what it
# covers, to its clause's end, is no wish now, nor a dislike.
_PAST = re.compile(
    r"(?<![\w-])(?:i|we)\s+(?:really\s+)?used\s+to(?![\w-])"
    # "I usually go for action but tonight I'm feeling a romance": the habit, said against this
    # time's wish, is no wish now.
    # "I'm usually into comedies, but tonight ...": the same habit, said with a copula.
    r"|(?<![\w-])(?:i|we)(?:['’]m|['’]re|\s+am|\s+are)?\s+(?:usually|normally|typically|generally|"
    r"mostly)(?![\w-])"
    r"(?=[^.!?;]*?\bbut\s+(?:\w+\s+){0,3}?(?:tonight|today|now|this\s+(?:time|evening|weekend)))",
    re.IGNORECASE,
)
# "I prefer comedies over dramas": the second is not wanted, nor excluded.
_PREFER_OVER = re.compile(
    r"\bprefer\b[^.!?;]*?(?P<over>\bover\b|\bto\b(?!\s+(?:watch|see|have|be)\b)|\bmore\s+than\b)",
    re.IGNORECASE,
)
# A remark on a film already named ("that's not a slasher movie"), not a negation of a kind.
_REMARK = re.compile(
    r"(?:^|[.!?;,]|\.\.\.)\s*(?:oh\s+|well\s+|but\s+)?(?:that['’]?s|that\s+is|it['’]?s|it\s+is|"
    r"this\s+is|that\s+was|it\s+was|this\s+was|those\s+are|they['’]re|they\s+are)\s+$",
    re.IGNORECASE,
)
# "that one seemed like horror not sci-fi", "it's a drama, not a thriller": what a film named
# before is, and is not; no wish either way.
_REMARK_THEN_NOT = re.compile(
    r"(?:^\s*|[.!?;]\s*|\b(?:but|and)\s+)(?:that\s+one|this\s+one|it|that|this|they)\s*"
    r"(?:['’]s|['’]re|is|was|are|were|seems?|seemed|sounds?|sounded|looks?|looked|felt)\s+"
    r"(?:more\s+|kind\s+of\s+|like\s+|a\s+|an\s+)*[\w-]+(?:\s+(?:movie|film)s?)?,?\s+$",
    re.IGNORECASE,
)
# Where a scope ends: the end of its clause, or a contrast or new wish.
_END = re.compile(
    r"[.!?;:\n(]|\.\.\.|…|,\s*(?=(?:i|we|you|he|she|they|it|that|this|but|and|so|maybe|also|"
    r"though|something|please|thanks|what|how|a|an|love|like|want|prefer|need|enjoy|adore|"
    r"rather|give|show|only|just|no|not|nothing|never)\b)|"
    # A new wish: ", english only", "and love action", "and I want ..."
    r",\s*(?=[\w-]+\s+only\b)|(?<![\w-])and\s+(?=(?:i\s+|we\s+)?(?:really\s+|also\s+)?"
    r"(?:love|like|want|prefer|enjoy|adore|need)\b)|"
    r"(?<![\w-])(?:but|though|although|however|"
    # "nothing recent please, a western": a polite word closes the wish it ends.
    r"please|thanks|thank\s+you|"
    r"yet|instead|rather|whereas|while|unless|what\s+about|how\s+about|how\s+bout|so|because|"
    r"since|as\s+long\s+as|if|i|i['’]m|we|maybe|perhaps|also|plus|preferably|ideally|more\s+like|"
    # "not really into sci-fi, more into dramas", "not a horror fan, more of a comedy person"
    r"more\s+(?:into|of\s+an?|an?)|"
    r"just|only|give\s+me|show\s+me|they|it\s+was|that\s+was|especially|"
    # a run-on's new wish: "not in the mood for subtitles tonight something american"
    r"(?<=\w\s)something|"
    # the next of a run of "no"s: "no superheroes no animation no musicals"
    r"(?<=\w\s)no(?=\s+\w))(?![\w-])",
    re.IGNORECASE,
)
# "No," "no." "no!": a reply said on its own, which negates nothing after it.
_ANSWER = re.compile(r"\s*[,.!]")
_RELATIVE = re.compile(r"(?<![\w-])(?:that|which|who|where)(?![\w-])", re.IGNORECASE)
_CLAUSE_START = re.compile(
    r"[.!?;:\n]|\.\.\.|…|,|(?<![\w-])(?:but|though|although|and|so|because)(?![\w-])",
    re.IGNORECASE,
)
# "not too gory horror": the negation covers the quality only, unless it names a kind.
_DEGREE = re.compile(
    r"\s*(?:(?:a|an|any|the)\s+)?(?:too|overly|very|so|that|super|extremely|really)\s+"
    r"(?P<word>[\w'-]+)",
    re.IGNORECASE,
)
_MAX_WORDS = 10
# Words between a trigger and "something" that leave it the trigger's object.
_VERB_WORDS = {"to", "watch", "see", "have", "get", "be", "me", "us", "really", "just", "any"}


def read(question: Question) -> None:
    text = question.text
    taken: list[tuple[int, int]] = []
    for m in _LIFT.finditer(text):
        question.scopes.append(
            Scope((m.start(), m.end()), m.end(), _scope_end(question.said, m.end()), lifts=True)
        )
        taken.append((m.start(), m.end()))
    for m in _PAST.finditer(text):
        question.scopes.append(
            Scope((m.start(), m.end()), m.end(), _scope_end(question.said, m.end()), lifts=True)
        )
        taken.append((m.start(), m.end()))
    for m in _PREFER_OVER.finditer(text):
        over = (m.start("over"), m.end("over"))
        question.scopes.append(Scope(over, over[1], _scope_end(question.said, over[1]), lifts=True))
        taken.append(over)
    for m in _AFTER.finditer(text):
        start = end = trigger = _clause_start(text, m.start())
        if not _PRONOUN.fullmatch(text, start, m.start()):
            end = trigger = m.start()
        else:  # the pronoun is understood with its trigger; the clause before is negated
            end = len(text[:start].rstrip().rstrip(".!?;:,…"))
            start = _previous_clause_start(text, start)
        question.scopes.append(Scope((trigger, m.end()), start, end))
        taken.append((m.start(), m.end()))
    for m in _FIND.finditer(text):
        judgement = (m.start("judgement"), m.end("judgement"))
        question.scopes.append(Scope(judgement, m.start("what"), m.end("what")))
        taken.append(judgement)
    for m in _BEFORE.finditer(question.said):  # as said: "don't show me" is talk and trigger
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.group().lower() == "not" and (
            _REMARK.search(text[: m.start()]) or _REMARK_THEN_NOT.search(question.said[: m.start()])
        ):
            continue
        if m.group().lower() == "no" and _ANSWER.match(question.said, m.end()):
            continue  # "no, any newer ones?": an answer to the bot, not a negation
        if m.group().lower() == "too":  # only a kind: "too scary", not "too long"
            if any(s.covers(m.start()) for s in question.scopes):
                continue  # "not into anything too scary": the one negation, not a second
            if kind := _kind_after(text, m.end()):
                question.scopes.append(Scope((m.start(), m.end()), m.end(), kind.end()))
            continue
        if m.group().lower() == "non-":  # a prefix: "non-American" covers that word only
            word = re.match(r"[\w'’]+", text[m.end() :])
            end = m.end() + (word.end() if word else 0)
            question.scopes.append(Scope((m.start(), m.end()), m.end(), end))
            continue
        end = _scope_end(question.said, m.end())
        if _PRONOUN.fullmatch(text, m.end(), end) and (start := _clause_start(text, m.start())):
            # "sounds like horror. i don't like those": the clause before says what
            previous = _previous_clause_start(text, start)
            before = len(text[:start].rstrip().rstrip(".!?;:,…"))
            question.scopes.append(Scope((m.start(), m.end()), previous, before))
            continue
        question.scopes.append(Scope((m.start(), m.end()), m.end(), end))
    release_heads(question)


def _clause_start(text: str, pos: int) -> int:
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, pos)]
    return starts[-1] if starts else 0


def _previous_clause_start(text: str, start: int) -> int:
    """The start of the clause before the one starting at `start`."""
    starts = [
        m.end() for m in _CLAUSE_START.finditer(text, 0, start) if text[m.end() : start].strip()
    ]
    return starts[-1] if starts else 0


def _kind_after(text: str, pos: int) -> re.Match[str] | None:
    """A genre word right after `pos` ("too scary")."""
    return GENRE_PATTERN.match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))


def _scope_end(text: str, start: int) -> int:
    """The end of a scope starting at `start`: a clause boundary, a contrast, or ten words;
    only the quality after "too" ("not too gory horror", "not too scary Halloween films for
    the kids": a degree qualifies the one word it is said of)."""
    if degree := _DEGREE.match(text, start):
        kind = GENRE_PATTERN.match(text, degree.start("word"))
        return kind.end() if kind else degree.end()
    end = len(text)
    for m in _END.finditer(text, start):
        if m.group().lower() == "something" and not (
            set(text[start : m.start()].lower().split()) - _VERB_WORDS
        ):
            continue  # "I don't want (to watch) something scary": what the trigger is said of
        if m.start() > start or m.group().strip() in ".!?;:\n(…":
            end = m.start()
            break
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > _MAX_WORDS:
        end = start + words[_MAX_WORDS].start()
    return end


def release_heads(question: Question) -> None:
    """A negated phrase with a relative clause ("the war movies that are not in English")
    negates what the clause says, not the films it starts from: the scope starts after
    "that"."""
    for scope in question.scopes:
        if rel := _RELATIVE.search(question.text, scope.start, scope.end):
            scope.start = rel.end()


def finish(question: Question) -> None:
    """Take out the triggers that negated something (their words are understood)."""
    for scope in question.scopes:
        if scope.used:
            question.cut(scope.trigger)
