"""The people an index knows, matched the way questions name them."""

from index.knowledge.people import People, fold

PEOPLE = People(
    directors=["Bong Joon-ho", "Agnès Varda", "Wong Kar-wai"], cast=["Tony Leung", "Cher"]
)


def test_names_fold_accents_case_and_punctuation():
    assert fold("Agnès  VARDA") == fold("agnes varda") == "agnes varda"
    assert fold("Bong Joon-ho") == "bong joon ho"


def test_the_longest_known_name_at_the_start_wins_and_says_how_many_words():
    assert PEOPLE.match(["bong", "joon", "ho", "films"], "director") == ("Bong Joon-ho", 3)
    assert PEOPLE.match(["agnes", "varda"], "director") == ("Agnès Varda", 2)


def test_a_small_misspelling_of_a_two_word_name_still_matches():
    assert PEOPLE.match(["Tony", "Leunng"], "cast") == ("Tony Leung", 2)


def test_one_word_matches_only_a_one_word_name_and_roles_stay_apart():
    assert PEOPLE.match(["Cher"], "cast") == ("Cher", 1)
    assert PEOPLE.match(["Tony"], "cast") is None
    assert PEOPLE.match(["Tony", "Leung"], "director") is None


def test_exact_needs_two_words_and_ignores_a_possessive():
    assert PEOPLE.exact(["Wong", "Kar-wai's", "best"], "director") == ("Wong Kar-wai", 2)
    assert PEOPLE.exact(["Cher"], "cast") is None
    assert PEOPLE.exact(["Tony", "Leunng"], "cast") is None
