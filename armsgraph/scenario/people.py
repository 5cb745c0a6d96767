"""Name pools and the name variants real records show for one person.

Variants follow what police and customs records typically contain: names
transliterated differently (Đorđević / Djordjevic / Dordevic; Mohammed /
Muhammad), surname first (often upper-case), a dropped middle name, diacritics
lost on foreign keyboards.
"""

from __future__ import annotations

import random
import unicodedata

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        (
            "James",
            "John",
            "Robert",
            "Michael",
            "William",
            "David",
            "Christopher",
            "Joshua",
            "Andre",
            "Tyrone",
            "Jennifer",
        ),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Campbell",
            "Thompson",
            "Taylor",
        ),
    ),
    "hispanic": (
        ("José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Alejandro", "Francisco", "Jorge", "María", "Guadalupe"),
        ("Hernández", "García", "Martínez", "López", "González", "Rodríguez", "Pérez", "Sánchez", "Ramírez", "Benítez"),
    ),
    "portuguese": (
        ("João", "Pedro", "Lucas", "Gabriel", "Rafael", "Thiago", "Marcos", "Juliana", "Ana", "Luiz"),
        ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira", "Almeida", "Conceição", "Gonçalves"),
    ),
    "balkan": (
        ("Marko", "Nikola", "Stefan", "Miloš", "Dragan", "Zoran", "Nenad", "Aleksandar", "Emir", "Adnan", "Jelena"),
        ("Petrović", "Jovanović", "Nikolić", "Marković", "Đorđević", "Hodžić", "Kovačević", "Babić", "Begić", "Šarić"),
    ),
    "albanian": (
        ("Arben", "Besnik", "Ardian", "Dritan", "Gentian", "Ilir", "Erion", "Elira"),
        ("Hoxha", "Krasniqi", "Gashi", "Berisha", "Shala", "Kelmendi", "Lleshi", "Çela"),
    ),
    "turkish": (
        ("Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Hasan", "İbrahim", "Emre", "Murat", "Burak", "Ayşe"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Özdemir", "Doğan", "Kılıç"),
    ),
    "german": (
        ("Lukas", "Jonas", "Maximilian", "Felix", "Tobias", "Stefan", "Thomas", "Michael", "Sabine", "Jürgen"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Gruber", "Huber", "Bauer"),
    ),
    "nordic": (
        ("Erik", "Lars", "Anders", "Johan", "Oskar", "Emil", "Björn", "Linnea", "Søren"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Jensen", "Nielsen", "Sjöberg"),
    ),
    "dutch": (
        ("Jan", "Daan", "Sem", "Bram", "Thijs", "Ruben", "Sanne"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit"),
    ),
    "french": (
        ("Jean", "Pierre", "Louis", "Nicolas", "Julien", "Stéphane", "Wilson", "Jean-Baptiste", "Marie"),
        ("Martin", "Bernard", "Dubois", "Lefèvre", "Durand", "Joseph", "Pierre-Louis", "Célestin", "Étienne"),
    ),
    "italian": (
        ("Giuseppe", "Marco", "Luca", "Salvatore", "Antonio", "Francesca"),
        ("Rossi", "Russo", "Esposito", "Romano", "Greco", "De Luca"),
    ),
    "greek": (
        ("Georgios", "Dimitrios", "Konstantinos", "Nikolaos", "Eleni"),
        ("Papadopoulos", "Nikolaidis", "Georgiou", "Oikonomou", "Pappas"),
    ),
    "bulgarian": (
        ("Georgi", "Ivan", "Dimitar", "Nikolay", "Todor", "Maria"),
        ("Ivanov", "Georgiev", "Dimitrov", "Petrov", "Stoyanov", "Todorov"),
    ),
    "central": (
        ("Jan", "Petr", "Tomáš", "Lukáš", "Juraj", "László", "Zoltán", "István"),
        ("Novák", "Svoboda", "Dvořák", "Horváth", "Kováč", "Nagy", "Tóth", "Szabó"),
    ),
    "arabic": (
        ("Mohammed", "Ahmed", "Omar", "Khaled", "Abdullah", "Youssef", "Ibrahim", "Mustafa", "Salem"),
        ("Al-Zawi", "El-Hassi", "Ben Omran", "Al-Mabrouk", "Ben Ali", "Al-Obeidi", "El-Warfalli", "Abu Salim"),
    ),
    "sahel": (
        ("Moussa", "Amadou", "Oumar", "Ibrahim", "Issa", "Boubacar", "Abdoulaye", "Souleymane", "Aminata"),
        ("Traoré", "Diallo", "Keïta", "Coulibaly", "Maïga", "Touré", "Cissé", "Issoufou", "Ouédraogo", "Bello"),
    ),
}

#: Nicknames used as aliases by network members.
NICKNAMES = (
    "Chapo",
    "Žuti",
    "Kum",
    "Tata",
    "El Flaco",
    "Doktor",
    "Baba",
    "Shorty",
    "Grof",
    "Abu Musa",
    "Profa",
    "Kralj",
)

#: Known alternative romanisations of whole name parts.
TRANSLITERATIONS: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Muhammad", "Mohamed", "Mohamad"),
    "Ahmed": ("Ahmad",),
    "Youssef": ("Yusuf", "Youcef"),
    "Omar": ("Umar",),
    "Khaled": ("Khalid",),
    "Hüseyin": ("Hussein", "Huseyin"),
    "Aleksandar": ("Alexander", "Aleksander"),
    "Miloš": ("Milos", "Milosh"),
    "Đorđević": ("Djordjevic", "Dordevic", "Djordjević"),
    "Moussa": ("Musa",),
    "Oumar": ("Umar", "Omar"),
    "Dimitar": ("Dimitr", "Dimiter"),
    "Georgi": ("Georgiy",),
    "Nikolay": ("Nikolai",),
    "Abdullah": ("Abdallah", "Abdulla"),
    "Mustafa": ("Moustafa", "Mustapha"),
}

_SLAVIC_DIGRAPHS = str.maketrans({"ć": "ch", "č": "ch", "š": "sh", "ž": "zh", "đ": "dj", "Đ": "Dj", "Š": "Sh"})


def strip_diacritics(text: str) -> str:
    """The name as typed on a keyboard without diacritics (Đ→D, ı→i, ß→ss)."""
    text = text.replace("ı", "i").replace("ß", "ss").replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def full_name(first: str, middle: str, last: str) -> str:
    """The canonical written name."""
    return " ".join(part for part in (first, middle, last) if part)


def name_variant(rng: random.Random, first: str, middle: str, last: str) -> str:
    """One plausible recorded variant of a person's name."""
    roll = rng.randrange(5)
    if roll == 0 and (first in TRANSLITERATIONS or last in TRANSLITERATIONS):
        first = rng.choice(TRANSLITERATIONS.get(first, (first,)))
        last = rng.choice(TRANSLITERATIONS.get(last, (last,)))
        return full_name(first, middle, last)
    if roll == 1:
        return f"{last.upper()} {first}" if rng.random() < 0.5 else f"{last}, {full_name(first, middle, '')}"
    if roll == 2 and middle:
        return full_name(first, "", last)
    if roll == 3 and last.translate(_SLAVIC_DIGRAPHS) != last:
        return full_name(first, middle, last.translate(_SLAVIC_DIGRAPHS))
    return strip_diacritics(full_name(first, middle, last))
