"""BM25 from kept postings: the same scores as bm25s, built at once or one commit at a time."""

import numpy as np
import pytest

from index.storage.lexical import LexicalIndex, tokenize

TEXTS = [
    "A lighthouse keeper loses his mind during a storm.",
    "Zombies on a train: a father, a daughter and a carriage of the undead.",
    "The heist goes wrong; the bank robbers turn on each other.",
    "A storm, a lighthouse, a keeper, and another storm at the lighthouse.",
    "",
    "Naïve café owners in Montmartre; crème brûlée and café au lait.",
    "Robbers, robbers everywhere: a heist comedy with a heist inside the heist.",
    "Supercalifragilisticexpialidociousandthensomeevenlongerwordthatisnotreallyaword appears.",
]
QUESTIONS = [
    "lighthouse storm",
    "heist robbers",
    "zombies undead train",
    "café crème",
    "storm storm",
    "nothing matches this",
    "keeper",
]


def bm25s_scores(texts: list[str], query: str) -> np.ndarray:
    import bm25s

    from index.storage.lexical import _stemmer

    retriever = bm25s.BM25()  # the "lucene" defaults our scoring follows
    retriever.index(
        bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=False),
        show_progress=False,
    )
    stems = [s for s in tokenize([query])[0] if s in retriever.vocab_dict]
    return retriever.get_scores(stems) if stems else np.zeros(len(texts))


@pytest.mark.parametrize("question", QUESTIONS)
def test_scores_equal_bm25s(question):
    ours = LexicalIndex.build(TEXTS).scores(question)
    assert np.allclose(ours, bm25s_scores(TEXTS, question), atol=1e-5)


def test_commits_one_at_a_time_equal_a_build_of_what_remains():
    """Add texts in three commits, deleting two rows on the way: the postings equal those of
    one build of the texts that remain, in the same row order."""
    index = LexicalIndex.build(TEXTS[:3])
    index = index.extended(np.ones(3, bool), TEXTS[3:6])
    keep = np.ones(6, bool)
    keep[[1, 4]] = False
    index = index.extended(keep, TEXTS[6:])
    remaining = [t for i, t in enumerate(TEXTS) if i not in (1, 4)]
    built = LexicalIndex.build(remaining)
    for name in ("vocab", "indptr", "docs", "tf", "doc_len"):
        assert np.array_equal(getattr(index, name), getattr(built, name)), name
    for question in QUESTIONS:
        assert np.allclose(index.scores(question), bm25s_scores(remaining, question), atol=1e-5)


@pytest.mark.parametrize("question", QUESTIONS)
def test_scores_among_some_rows_equal_bm25s_over_those_texts_alone(question):
    """A place that sees some passages (its libraries') is scored as if the index held only
    them: the others' words change neither a stem's rarity nor the mean length."""
    among = np.array([True, False, True, True, False, True, False, True])
    seen = [t for t, ok in zip(TEXTS, among, strict=True) if ok]
    matches = LexicalIndex.build(TEXTS).match(question, among)
    assert among[matches.rows].all()
    expected = bm25s_scores(seen, question)
    ours = matches.at(np.flatnonzero(among))
    assert np.allclose(ours, expected, atol=1e-5)


def test_saved_and_loaded_memory_mapped_it_answers_the_same(tmp_path):
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path / "bm25")
    assert LexicalIndex.saved(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25")
    assert isinstance(loaded.docs, np.memmap)
    for question in QUESTIONS:
        assert np.array_equal(loaded.scores(question), index.scores(question))


def test_matches_keep_only_allowed_rows_and_score_any_row():
    matches = LexicalIndex.build(TEXTS).match("heist robbers")
    assert matches.rows.tolist() == [2, 6]
    allowed = np.zeros(len(TEXTS), bool)
    allowed[6] = True
    assert matches.within(allowed).rows.tolist() == [6]
    assert matches.at(np.array([0, 2, 6, 7])).tolist()[0] == 0.0
    assert (matches.at(np.array([2, 6])) == matches.scores).all()


def test_an_empty_index_and_an_empty_question_match_nothing():
    assert LexicalIndex.build([]).match("anything").rows.size == 0
    assert LexicalIndex.build(TEXTS).match("the a of").rows.size == 0  # stopwords only


def test_our_tokenizer_is_bm25s_s():
    import bm25s

    from index.storage.lexical import _stemmer

    texts = [*TEXTS, "THE Über-long, don't-stop; 1999's 2 a b cd e-mail ÉCOLE naïve x_y __ 42"]
    theirs = bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    assert tokenize(texts) == [list(t) for t in theirs]
