"""Film knowledge: countries, genres, people and titles, and what a film is."""
