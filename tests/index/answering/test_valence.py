"""A sentence's warmth, read from VADER's lexicon in one pass: the sign people would give it."""

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from index.answering.valence import valences

# Our own sentences, in the shapes reviews have.
WARM = [
    "A wonderful, moving film that I will watch again.",
    "The best western I have seen in years.",
    "Funny, clever and kind: a delight from start to finish.",
]
COLD = [
    "A boring, stupid mess and a waste of two hours.",
    "The acting is awful and the plot makes no sense.",
    "I hated every minute of it.",
]
FLAT = ["The film opens in a small town in Montana in 1962.", "He takes a train to the coast."]


def test_praise_is_warm_a_pan_is_cold_and_a_plot_summary_is_neither():
    assert all(v > 0.3 for v in valences(WARM))
    assert all(v < -0.3 for v in valences(COLD))
    assert valences(FLAT) == [0.0, 0.0]


def test_each_sentence_is_scored_on_its_own():
    together = valences([*WARM, *COLD, *FLAT])
    apart = [valences([s])[0] for s in [*WARM, *COLD, *FLAT]]
    assert together == pytest.approx(apart)


@pytest.mark.parametrize(
    "sentence", ["It is not good.", "It isn't good.", "It isnt good at all.", "Never a good idea."]
)
def test_a_negation_turns_praise_cold(sentence):
    assert valences([sentence])[0] < 0 < valences(["It is good."])[0]


def test_what_follows_but_counts_more_than_what_precedes_it():
    assert valences(["The start is slow but the ending is wonderful."])[0] > 0
    assert valences(["The start is wonderful but the ending is slow and dull."])[0] < 0


def test_the_sign_agrees_with_vaders_own_scorer():
    vader = SentimentIntensityAnalyzer()
    for sentence, ours in zip([*WARM, *COLD], valences([*WARM, *COLD]), strict=True):
        assert (ours > 0) == (vader.polarity_scores(sentence)["compound"] > 0), sentence
