"""The talk around a question: greetings, thanks and the ways people ask ("Hi! How are you?
Could you recommend …"), chat noise ("heyy", "lol", "haha", ":-)") and a voice assistant's wake word ("alexa, ..."). Blanked out first, so none of it becomes part of what is searched
for, and no word of it is read as a filter."""

from __future__ import annotations

import re

from index.answering.question.state import Question

_TALK = re.compile(
    r"""
      \b(?:hi+|hel+o+|hey+|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day))\b
        (?:\s+(?:there|bot|cinebot|friend|folks|all|again))?
    | \bhow\s+(?:are|r)\s+(?:you|u)(?:\s+doing)?(?:\s+today)?\b
    | \bhope\s+you(?:['’]re|\s+are)\s+(?:well|good|doing\s+well)\b
    | \b(?:thanks|thank\s+you|thx|cheers|ty)\b(?:\s+(?:so\s+much|a\s+lot|again|for\s+that))?
    | \b(?:that\s+was|that['’]s|this\s+is|those\s+are)\s+(?:really\s+)?(?:helpful|great|perfect|
        awesome|nice|cool|useful|good)\b
    | ^\s*(?:great|awesome|perfect|cool|nice|ok|okay|alright|sure|wow|no|nope|nah|yes|yeah|yep|yup)\b\s*[,!.]
    | ^\s*(?:(?:hey|hi|ok|okay)\s+)?(?:alexa|google|siri|cortana|olly|bixby)\b,?
    | \b(?:please|pls|plz)\b
    | \b(?:lol|lmao|lmfao|rofl|haha(?:ha)*|hehe(?:he)*|xd|ugh|hmm+|uh+m*|umm*|omg)\b
    | (?<!\w)(?:[:;=]-?[()DPp]|<3|♡|❤️?)(?!\w)
    | [\U0001F000-\U0001FAFF\u200d\ufe0f]+
    | \b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?:recommend|suggest|find|show|give|
        tell|point)(?:\s+me)?\b
    | \b(?:i['’]?m|i\s+am|im)\s+(?:looking\s+for|after|searching\s+for|in\s+the\s+mood\s+for|
        hoping\s+for)\b
    | \b(?:i\s+(?:want|need)|i['’]d\s+like|i\s+would\s+like|we\s+(?:want|need))(?:\s+to\s+
        (?:watch|see|find))?\b
    | \b(?:suggest|recommend|show|give|find|get)\s+(?:me|us)\b
    | \bany\s+(?:recommendations|suggestions|ideas|recs)\b
    | \bwhat\s+else\s+(?:do\s+you\s+have|have\s+you\s+got|you\s+got|is\s+there)\b
    | \bwhat(?:['’]s|\s+is|\s+are)\s+(?:a\s+|some\s+)?good\b
    | \b(?:do\s+you\s+have|have\s+you\s+got|got\s+anything)\b
    | \bi\s+was\s+wondering(?:\s+if)?\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def read(question: Question) -> None:
    for m in list(_TALK.finditer(question.text)):
        question.cut(m)
