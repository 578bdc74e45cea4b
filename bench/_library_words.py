"""The pools make_library.py draws names, titles and places from, and the one Namer that keeps
the names it gives unique."""

from __future__ import annotations

import random
from collections.abc import Sequence


def _words(text: str) -> tuple[str, ...]:
    """A pool from a long string: words split on spaces, "_" standing for a space inside one."""
    return tuple(word.replace("_", " ") for word in text.split())


# Names that the checks and a person look for: diacritics, particles, letters NFKD keeps (ø, ł).
PINNED_AUTHORS = ("Charlotte Brontë", "Emily Brontë", "Gabriel García Márquez", "Jens Jørgensen",
                  "Ursula K. Le Guin", "Stanisław Lem", "Terry Pratchett", "Agatha Christie")
FIRST_NAMES = _words(
    "Anna Charlotte Emily Gabriel Ursula Jens Søren José François Zoë Chloé Björn Agnieszka Haruki "
    "Chinua Ngozi Olga Tove Selma Mary John James Robert Patricia Linda Michael William Elizabeth David "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Donna Andrew Carol Joshua Michelle Kenneth "
    "Emilia Benoît Hélène Jürgen Åsa Ingrid Lars Mikael Nils Astrid Karin Pedro Lucía Ramón Inés Joaquín "
    "Giulia Matteo Lorenzo Chiara Yuki Kenji Akira Mei Wei Lin Priya Arjun Ananya Rohan Amara Kwame Zainab "
    "Omar Layla Tariq Fatima Dmitri Natalia Ivan Katarzyna Tomasz Małgorzata Jiří Eva Ólafur Sigríður "
    "Niamh Siobhán Seán Aoife Ewan Isla Callum Freya Hugo Léa Théo Manon Élodie Cécile Renée André Noël"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson "
    "Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker "
    "Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris "
    "Rogers Reed Cook Morgan Bell Murphy Bailey Cooper Richardson Cox Howard Ward Peterson Gray Watson "
    "Brooks Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long "
    "Patterson Hughes Flores Washington Butler Simmons Foster Bryant Alexander Russell Griffin Hayes Myers "
    "Ford Hamilton Graham Sullivan Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison "
    "Gibson McDonald Cruz Marshall Gomez Murray Freeman Wells Webb Simpson Stevens Tucker Porter Hunter "
    "Hicks Crawford Henry Boyd Mason Kennedy Warren Dixon Burns Gordon Shaw Holmes Rice Hunt Black Daniels "
    "Palmer Mills Grant Knight Ferguson Stone Hawkins Dunn Perkins Hudson Spencer Stephens Pierce Hansen "
    "Müller Schröder Weiß Köhler Jørgensen Ødegaard Søndergaard Åberg Lindqvist Håkansson Pérez Núñez "
    "Muñoz Ibáñez Gutiérrez Martínez Fernández López Sánchez Rodríguez Márquez Gonçalves Conceição Brontë "
    "Dvořák Čapek Novák Kowalski Wiśniewski Wójcik Łukasiewicz Lévesque Bélanger Côté Gagné Lefèvre "
    "Rossi Bianchi Ferrari Esposito Romano Ricci Tanaka Suzuki Takahashi Watanabe Yamamoto Nakamura Chen "
    "Wang Zhang Liu Huang Kim Park Lee Choi Nguyen Tran Patel Sharma Gupta Singh Okafor Adeyemi Mensah "
    "Abdullah Haddad Khalil Ivanov Petrov Smirnov Volkov Popescu Nagy Horváth Kovács Papadopoulos Yılmaz "
    "Le_Guin van_der_Berg de_la_Cruz von_Trapp O'Brien O'Connor MacLeod"
)
ADJECTIVES = _words(
    "Silent Broken Last Hidden Golden Crimson Lost Forgotten Burning Winter Northern Secret Endless Hollow "
    "Iron Glass Shattered Distant Wild Quiet Bitter Sunken Pale Dark Bright Scarlet Silver Frozen Drowned "
    "Wandering Sleeping Midnight Summer Ancient Crooked Gentle Restless Savage Velvet Paper Stolen Seventh "
    "Little Great Strange Blue Black White Red Green Empty Final Lonely Naïve Fiery Cursed Holy Fallen"
)
NOUNS = _words(
    "Kingdom River Garden House Sea Crown Shadow Storm Mirror Library Orchard Harbor Empire Witness "
    "Daughter Map Clock Bridge Island Letter Tower Forest Song Fire Machine Station Circus Archive "
    "Lighthouse Wolf Raven Queen King Thief Sister Brother Widow Stranger Road City Mountain Desert "
    "Moon Star Sun Heart Blade Gate Door Key Child Ghost Night Dawn Winter Tide Hunt Game Debt Promise "
    "Café Fiancée Séance Odyssey Atlas Cartographer Alchemist Apprentice Orphan Astronomer Sorcerer"
)
PLACES = _words("Montréal Zürich São_Paulo Kraków Reykjavík Córdoba Malmö Göteborg Århus Łódź Köln Besançon "
                "Venice Prague Lisbon Dublin Kyoto Cairo Lagos Lima Oslo Tallinn Vienna Marrakesh")
ARTICLE_STARTS = ("An Unquiet", "An Ordinary", "An Empty", "An Honest", "An Ancient", "An Unexpected")
SERIES_SUFFIXES = ("Chronicles", "Saga", "Trilogy", "Cycle", "Mysteries", "Quartet", "Sequence", "Files",
                   "Adventures", "Legacy", "Series", "Histories")
GENRES = ("Fantasy", "Science Fiction", "Mystery", "Thriller", "Romance", "Historical Fiction", "Horror",
          "Literary Fiction", "Biography", "History", "Science", "Philosophy", "Poetry", "Young Adult",
          "Children", "Crime", "Cozy Mystery", "Space Opera", "Epic Fantasy", "Urban Fantasy", "Memoir",
          "Travel", "Cooking", "Self-Help", "Classics", "Humor", "Short Stories", "Graphic Novel",
          "Dystopia", "Adventure", "Essays", "Politics", "Economics", "Psychology", "Religion", "Art",
          "Music", "Sports", "True Crime", "Nature")
PUBLISHERS = ("Penguin", "Gollancz", "Tor", "Orbit", "HarperCollins", "Random House", "Vintage", "Faber & Faber",
              "Bloomsbury", "Macmillan", "Hachette", "Simon & Schuster", "Éditions Gallimard", "Suhrkamp",
              "Anagrama", "Adelphi", "Bonnier", "Gyldendal", "Baen", "DAW", "Del Rey", "Ace", "Angry Robot",
              "Subterranean Press", "Audible Studios", "Podium Audio", "Tantor Media")
LANGUAGES = (("en", 70), ("de", 8), ("fr", 7), ("es", 6), ("it", 3), ("nl", 2), ("sv", 1), ("pl", 1),
             ("ja", 1), ("pt", 1))
EBOOK_FORMATS = (("epub", 85), ("pdf", 7), ("mobi", 4), ("azw3", 2), ("cbz", 2))


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class Namer:
    """Unique person names, titles and series names from small pools."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            middle = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.35 else ""
            name = f"{first}{middle} {last}"
            if name not in self.used:
                self.used.add(name)
                return name

    def reserve(self, name: str) -> None:
        self.used.add(name)

    def title(self) -> str:
        rng, roll = self.rng, self.rng.random()
        noun, noun2, adj = rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(ADJECTIVES)
        if roll < 0.22:
            return f"The {adj} {noun}"
        if roll < 0.30:
            return f"The {noun} of {rng.choice(PLACES)}"
        if roll < 0.36:
            return f"A {noun} for the {noun2}"
        if roll < 0.40:
            return f"{rng.choice(ARTICLE_STARTS)} {noun}"
        if roll < 0.60:
            return f"{adj} {noun}"
        if roll < 0.75:
            return f"{noun} of {noun2}s"
        if roll < 0.85:
            return f"{rng.choice(FIRST_NAMES)}'s {noun}"
        if roll < 0.93:
            return f"{noun} and {noun2}"
        return f"{adj} {noun} in {rng.choice(PLACES)}"

    def series_name(self, author: str) -> str:
        rng = self.rng
        while True:
            roll = rng.random()
            if roll < 0.4:
                name = f"The {rng.choice(NOUNS)} {rng.choice(SERIES_SUFFIXES)}"
            elif roll < 0.7:
                name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            elif roll < 0.85:
                name = f"{rng.choice(PLACES)} {rng.choice(SERIES_SUFFIXES)}"
            else:
                name = f"{author.split()[-1]} {rng.choice(SERIES_SUFFIXES)}"
            if name in self.used:
                name = f"{name} {rng.choice(('II', 'Reborn', 'Renewed', 'Rising', 'Legends', 'Tales'))}"
            if name not in self.used:
                self.used.add(name)
                return name
