"""Snippets: the sentence that best matches the question, scored by one pattern per
question; the same choice as counting each sentence's stems one word set at a time."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.answering.snippets import _values, make_snippet, matching_words, terms, weights

WORDS = [
    "zombie",
    "zombies",
    "train",
    "trains",
    "the",
    "film",
    "films",
    "Busan",
    "grief",
    "sea",
    "seaside",
    "heist",
    "A",
    "it's",
    "ZOMBIE",
    "café",
    "de",
    "run",
    "running",
    "war",
    "prewar",
    "post-war",
    "'war'",
    "-war",
    "light-hearted",
    "hearted",
    "rerun",
    "Heist's",
]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(SENTENCE, min_size=1, max_size=4), question=SENTENCE)
def test_one_pattern_scores_each_sentence_as_its_word_set_would(parts, question):
    wanted = frozenset(terms(question))
    if wanted:
        assert _values(parts, wanted, {}, None) == [len(terms(p) & wanted) for p in parts]


@settings(max_examples=300, deadline=None)
@given(text=SENTENCE, question=SENTENCE)
def test_the_marked_words_are_the_words_whose_stem_was_asked_for(text, question):
    wanted = frozenset(terms(question))
    words = re.finditer(r"(?<!\w)[^\W_][\w'’-]*", text)
    expected = tuple(m.span() for m in words if len(m[0]) > 2 and m[0].lower()[:5] in wanted)
    assert matching_words(text, wanted) == expected


def test_the_best_sentence_is_shown_with_its_words_marked():
    passage = (
        "The opening is slow. Then the zombies board the train at Busan. The ending made me cry."
    )
    snippet = make_snippet(passage, "zombies on a train", 45)
    assert snippet.text.startswith("… Then the zombies board the train")
    marked = {snippet.text[a:b].lower() for a, b in snippet.spans}
    assert marked == {"zombies", "train"}


def test_a_question_with_nothing_to_look_for_shows_the_first_sentences():
    snippet = make_snippet("First one. Second one. Third one.", "rated 8+", 30)
    assert snippet.text.startswith("First one.") and snippet.spans == ()


def test_a_rare_word_of_the_question_outweighs_common_ones():
    passage = "It will make you think. The ending made me cry."
    common = {"will": 100, "make": 80, "cry": 2}
    weight = weights("will make me cry", lambda w: common.get(w, 0), 1000)
    assert make_snippet(passage, "will make me cry", 30, weight).text.startswith("… The ending")
    assert make_snippet(passage, "will make me cry", 30).text.startswith("It will make")


def test_the_films_own_title_says_nothing_of_the_fit():
    passage = "Cry Freedom is an important film. Its last scene made me cry."
    snippet = make_snippet(passage, "films that make me cry", 40, title="Cry Freedom")
    assert snippet.text.startswith("… Its last scene")


def test_a_question_the_facts_answer_shows_the_warmest_sentence():
    passage = (
        "The story opens on a ranch in 1962. The sheriff rides out at dawn. "
        "It is a gripping, beautifully shot film with a wonderful final duel."
    )
    snippet = make_snippet(passage, "westerns from the 1960s", 80)
    assert snippet.text.startswith("… It is a gripping")
    assert make_snippet(passage, "westerns from the 1960s", 80, warmth=0).text.startswith("The")


def test_of_two_sentences_with_the_question_s_words_the_warm_one_is_shown():
    passage = "The heist drags and the jokes are awful. The heist is clever and great fun."
    assert make_snippet(passage, "a heist film", 45).text == "… The heist is clever and great fun."


def test_warmth_never_outweighs_a_rare_word_of_the_question():
    passage = "A lovely, charming, wonderful film. The grief in it is hard to watch."
    weight = {"grief": 6.0}
    assert make_snippet(passage, "grief", 40, weight).text.startswith("… The grief")
