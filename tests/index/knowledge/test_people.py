"""The people an index knows, matched the way questions name them."""

from index.knowledge.people import People, Person, fold

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


# ---------------------------------------------------------------- every layer
def test_well_known_people_are_known_in_their_roles_without_any_film():
    nobody = People()
    assert nobody.find(["meryl", "streep", "films"]) == Person("Meryl Streep", 2, ("cast",))
    assert nobody.find(["Stephen", "King"]).roles == ("writer",)
    assert nobody.roles_of("Clint Eastwood") == ("cast", "director")


def test_nicknames_surnames_and_misspellings_when_unambiguous():
    nobody = People()
    assert nobody.find(["Nick", "Cage"]).name == "Nicolas Cage"
    assert nobody.find(["leo", "dicaprio"]).name == "Leonardo DiCaprio"
    assert nobody.find(["Robert", "Downy", "Jr."]).name == "Robert Downey Jr."
    assert nobody.by_surname("Hitchcock").name == "Alfred Hitchcock"
    assert nobody.by_surname("speilberg").name == "Steven Spielberg"
    assert nobody.by_surname("Coen") is None  # two of them
    assert nobody.sharing_surname("coen") == ["Ethan Coen", "Joel Coen"]


def test_the_index_counts_win_over_what_a_person_is_known_for():
    people = People(directors=["Clint Eastwood", "Clint Eastwood"], cast=["Clint Eastwood"])
    assert people.role_of("Clint Eastwood") == "director"
    tied = People(directors=["Jackie Chan"], cast=["Jackie Chan"])
    assert tied.role_of("Jackie Chan") == "cast"  # as many of each: what he is known for


def test_an_index_that_lists_no_cast_says_nothing_of_who_acts():
    no_cast = People(directors=["Jackie Chan", "Jackie Chan"], cast=[])
    assert no_cast.role_of("Jackie Chan") == "cast"  # best known as an actor
    some_cast = People(directors=["Jackie Chan", "Jackie Chan"], cast=["Michelle Yeoh"])
    assert some_cast.role_of("Jackie Chan") == "director"  # listed, and never as cast


def test_series_characters_are_not_people():
    assert People().find(["James", "Bond", "movies"]) is None


def test_a_catalogues_people_are_looked_up_in_its_file(tmp_path):
    from index.knowledge.catalogue import Catalogue, CatalogueFilm, CatalogueWriter

    writer = CatalogueWriter(tmp_path / "c.sqlite")
    writer.put(
        [
            CatalogueFilm(
                "tt1",
                "Quiet Harbour",
                2001,
                directors=("Ilse Vantongeren",),
                cast=("Mirek Oduya", "Ana Lis"),
                writers=("Hedda Kolstad",),
            ),
            CatalogueFilm("tt2", "Night Harbour", 2004, directors=("Ilse Vantongeren",)),
        ]
    )
    writer.close()
    catalogue = Catalogue(tmp_path / "c.sqlite")
    people = People(credits=catalogue)
    assert people.find(["ilse", "vantongeren"]) == Person("Ilse Vantongeren", 2, ("director",))
    assert people.find(["Hedda", "Kolstad"]).roles == ("writer",)
    assert people.by_surname("Oduya").name == "Mirek Oduya"
    assert catalogue.people_named("ilse vantongeren") == [("Ilse Vantongeren", "director", 2)]
    catalogue.close()


def test_in_lower_case_only_a_well_known_surname_names_someone():
    """Found on the real reviews: "a masked killer at a summer camp" named director Joe Camp."""
    people = People(directors=["Joe Camp"])
    assert people.by_surname("camp") is None
    assert people.by_surname("Camp").name == "Joe Camp"
    assert people.by_surname("tarantino").name == "Quentin Tarantino"
