"""Reference places for generated scenarios: countries, cities, agencies, corridors.

Corridors follow the trafficking flows described in the UNODC Global Study on
Firearms Trafficking 2020 and Small Arms Survey publications; see
``docs/scenario.md`` for the basis of each. Coordinates are city centres
(approximate, WGS84).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class City:
    """A city where incidents happen: name, ISO 3166-2 subdivision, coordinates."""

    name: str
    subdivision: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Country:
    """A country used by the generator, with the forms its name may take in records."""

    alpha3: str
    alpha2: str
    name: str
    other_names: tuple[str, ...]
    phone_code: str
    names: str  # key into people.NAME_POOLS
    agencies: tuple[str, ...]
    cities: tuple[City, ...]
    weight: float  # share of background (one-off) incidents


def _c(name: str, sub: str, lat: float, lon: float) -> City:
    return City(name, sub, lat, lon)


COUNTRIES: dict[str, Country] = {
    c.alpha3: c
    for c in [
        Country(
            "USA",
            "US",
            "United States",
            ("United States of America", "États-Unis", "Estados Unidos"),
            "1",
            "anglo",
            ("ATF", "CBP", "HSI", "Police Department", "Sheriff's Office"),
            (
                _c("Houston", "US-TX", 29.76, -95.37),
                _c("Phoenix", "US-AZ", 33.45, -112.07),
                _c("Miami", "US-FL", 25.76, -80.19),
                _c("Atlanta", "US-GA", 33.75, -84.39),
                _c("Los Angeles", "US-CA", 34.05, -118.24),
                _c("Charlotte", "US-NC", 35.23, -80.84),
            ),
            14.0,
        ),
        Country(
            "MEX",
            "MX",
            "Mexico",
            ("México", "Mexique"),
            "52",
            "hispanic",
            ("FGR", "SEDENA", "Guardia Nacional", "Policía Estatal"),
            (
                _c("Ciudad Juárez", "MX-CHH", 31.69, -106.42),
                _c("Tijuana", "MX-BCN", 32.51, -117.04),
                _c("Culiacán", "MX-SIN", 24.81, -107.39),
                _c("Nuevo Laredo", "MX-TAM", 27.48, -99.52),
                _c("Guadalajara", "MX-JAL", 20.66, -103.35),
            ),
            9.0,
        ),
        Country(
            "JAM",
            "JM",
            "Jamaica",
            ("Jamaïque",),
            "1876",
            "anglo",
            ("JCF", "Jamaica Customs Agency"),
            (_c("Kingston", "JM-01", 17.97, -76.79), _c("Montego Bay", "JM-08", 18.47, -77.92)),
            2.0,
        ),
        Country(
            "HTI",
            "HT",
            "Haiti",
            ("Haïti", "Haití"),
            "509",
            "french",
            ("PNH", "AGD Customs"),
            (_c("Port-au-Prince", "HT-OU", 18.54, -72.34), _c("Cap-Haïtien", "HT-ND", 19.76, -72.20)),
            1.5,
        ),
        Country(
            "TTO",
            "TT",
            "Trinidad and Tobago",
            ("Trinité-et-Tobago", "Trinidad y Tobago"),
            "1868",
            "anglo",
            ("TTPS", "Customs and Excise"),
            (_c("Port of Spain", "TT-POS", 10.66, -61.51), _c("San Fernando", "TT-SFO", 10.28, -61.47)),
            1.0,
        ),
        Country(
            "DOM",
            "DO",
            "Dominican Republic",
            ("República Dominicana", "République dominicaine"),
            "1809",
            "hispanic",
            ("Policía Nacional", "DNCD"),
            (_c("Santo Domingo", "DO-01", 18.49, -69.93), _c("Santiago", "DO-25", 19.45, -70.70)),
            1.0,
        ),
        Country(
            "BRA",
            "BR",
            "Brazil",
            ("Brasil", "Brésil"),
            "55",
            "portuguese",
            ("Polícia Federal", "Polícia Rodoviária Federal", "Polícia Civil"),
            (
                _c("São Paulo", "BR-SP", -23.55, -46.63),
                _c("Rio de Janeiro", "BR-RJ", -22.91, -43.17),
                _c("Foz do Iguaçu", "BR-PR", -25.55, -54.59),
                _c("Campo Grande", "BR-MS", -20.47, -54.62),
            ),
            9.0,
        ),
        Country(
            "PRY",
            "PY",
            "Paraguay",
            (),
            "595",
            "hispanic",
            ("Policía Nacional", "SENAD", "DIMABEL"),
            (_c("Ciudad del Este", "PY-10", -25.51, -54.61), _c("Asunción", "PY-ASU", -25.26, -57.58)),
            1.5,
        ),
        Country(
            "SRB",
            "RS",
            "Serbia",
            ("Serbie", "Republic of Serbia"),
            "381",
            "balkan",
            ("MUP Srbije", "Customs Administration"),
            (_c("Belgrade", "RS-00", 44.79, 20.45), _c("Novi Sad", "RS-VO", 45.27, 19.83)),
            2.0,
        ),
        Country(
            "BIH",
            "BA",
            "Bosnia and Herzegovina",
            ("Bosnie-Herzégovine", "Bosnia y Herzegovina", "Bosnia"),
            "387",
            "balkan",
            ("SIPA", "Border Police"),
            (_c("Sarajevo", "BA-BIH", 43.86, 18.41), _c("Banja Luka", "BA-SRP", 44.77, 17.19)),
            1.5,
        ),
        Country(
            "ALB",
            "AL",
            "Albania",
            ("Albanie",),
            "355",
            "albanian",
            ("Policia e Shtetit",),
            (_c("Tirana", "AL-11", 41.33, 19.82), _c("Durrës", "AL-02", 41.32, 19.45)),
            1.0,
        ),
        Country(
            "HRV",
            "HR",
            "Croatia",
            ("Croatie", "Croacia"),
            "385",
            "balkan",
            ("MUP RH", "Carinska uprava"),
            (_c("Zagreb", "HR-21", 45.81, 15.98), _c("Slavonski Brod", "HR-12", 45.16, 18.02)),
            1.0,
        ),
        Country(
            "SVN",
            "SI",
            "Slovenia",
            ("Slovénie", "Eslovenia"),
            "386",
            "balkan",
            ("Policija",),
            (_c("Ljubljana", "SI-061", 46.06, 14.51), _c("Maribor", "SI-070", 46.55, 15.65)),
            0.5,
        ),
        Country(
            "HUN",
            "HU",
            "Hungary",
            ("Hongrie", "Hungría"),
            "36",
            "central",
            ("Rendőrség", "NAV"),
            (_c("Budapest", "HU-BU", 47.50, 19.04), _c("Szeged", "HU-CS", 46.25, 20.15)),
            1.0,
        ),
        Country(
            "AUT",
            "AT",
            "Austria",
            ("Autriche",),
            "43",
            "german",
            ("Bundeskriminalamt", "Landespolizeidirektion Wien", "Zoll"),
            (_c("Vienna", "AT-9", 48.21, 16.37), _c("Graz", "AT-6", 47.07, 15.44), _c("Linz", "AT-4", 48.31, 14.29)),
            2.0,
        ),
        Country(
            "DEU",
            "DE",
            "Germany",
            ("Allemagne", "Alemania", "Deutschland"),
            "49",
            "german",
            ("BKA", "LKA Bayern", "LKA Berlin", "Zollfahndung"),
            (
                _c("Munich", "DE-BY", 48.14, 11.58),
                _c("Berlin", "DE-BE", 52.52, 13.40),
                _c("Frankfurt am Main", "DE-HE", 50.11, 8.68),
                _c("Hamburg", "DE-HH", 53.55, 9.99),
            ),
            5.0,
        ),
        Country(
            "SWE",
            "SE",
            "Sweden",
            ("Suède", "Suecia"),
            "46",
            "nordic",
            ("Polisen", "Tullverket"),
            (
                _c("Stockholm", "SE-AB", 59.33, 18.07),
                _c("Gothenburg", "SE-O", 57.71, 11.97),
                _c("Malmö", "SE-M", 55.60, 13.00),
            ),
            2.5,
        ),
        Country(
            "DNK",
            "DK",
            "Denmark",
            ("Danemark", "Dinamarca"),
            "45",
            "nordic",
            ("Rigspolitiet",),
            (_c("Copenhagen", "DK-84", 55.68, 12.57),),
            0.8,
        ),
        Country(
            "NLD",
            "NL",
            "Netherlands",
            ("Pays-Bas", "Países Bajos", "Holland"),
            "31",
            "dutch",
            ("Politie", "Douane"),
            (_c("Amsterdam", "NL-NH", 52.37, 4.90), _c("Rotterdam", "NL-ZH", 51.92, 4.48)),
            1.5,
        ),
        Country(
            "BEL",
            "BE",
            "Belgium",
            ("Belgique", "Bélgica"),
            "32",
            "french",
            ("Police fédérale",),
            (_c("Brussels", "BE-BRU", 50.85, 4.35), _c("Antwerp", "BE-VAN", 51.22, 4.40)),
            1.2,
        ),
        Country(
            "FRA",
            "FR",
            "France",
            ("République française", "Francia"),
            "33",
            "french",
            ("Police nationale", "Gendarmerie nationale", "Douane"),
            (
                _c("Paris", "FR-75C", 48.86, 2.35),
                _c("Marseille", "FR-13", 43.30, 5.37),
                _c("Lyon", "FR-69", 45.76, 4.84),
            ),
            4.0,
        ),
        Country(
            "ITA",
            "IT",
            "Italy",
            ("Italie", "Italia"),
            "39",
            "italian",
            ("Carabinieri", "Guardia di Finanza", "Polizia di Stato"),
            (_c("Naples", "IT-NA", 40.85, 14.27), _c("Bari", "IT-BA", 41.12, 16.87), _c("Milan", "IT-MI", 45.46, 9.19)),
            2.5,
        ),
        Country(
            "GRC",
            "GR",
            "Greece",
            ("Grèce", "Grecia"),
            "30",
            "greek",
            ("Hellenic Police",),
            (_c("Athens", "GR-I", 37.98, 23.73), _c("Thessaloniki", "GR-B", 40.64, 22.94)),
            1.0,
        ),
        Country(
            "BGR",
            "BG",
            "Bulgaria",
            ("Bulgarie",),
            "359",
            "bulgarian",
            ("GDBOP", "Customs Agency"),
            (_c("Sofia", "BG-22", 42.70, 23.32), _c("Plovdiv", "BG-16", 42.14, 24.75)),
            1.0,
        ),
        Country(
            "TUR",
            "TR",
            "Türkiye",
            ("Turkey", "Turquie", "Turquía"),
            "90",
            "turkish",
            ("Emniyet", "Jandarma", "Gümrük"),
            (
                _c("Istanbul", "TR-34", 41.01, 28.98),
                _c("Edirne", "TR-22", 41.68, 26.56),
                _c("Izmir", "TR-35", 38.42, 27.14),
            ),
            3.0,
        ),
        Country(
            "SVK",
            "SK",
            "Slovakia",
            ("Slovaquie", "Eslovaquia"),
            "421",
            "central",
            ("Policajný zbor",),
            (_c("Bratislava", "SK-BL", 48.15, 17.11), _c("Košice", "SK-KI", 48.72, 21.26)),
            0.8,
        ),
        Country(
            "CZE",
            "CZ",
            "Czechia",
            ("Czech Republic", "Tchéquie", "Chequia"),
            "420",
            "central",
            ("Policie ČR",),
            (_c("Prague", "CZ-10", 50.08, 14.44), _c("Brno", "CZ-64", 49.20, 16.61)),
            1.0,
        ),
        Country(
            "LBY",
            "LY",
            "Libya",
            ("Libye", "Libia"),
            "218",
            "arabic",
            ("Ministry of Interior",),
            (_c("Tripoli", "LY-TB", 32.89, 13.19), _c("Sabha", "LY-SB", 27.04, 14.43)),
            1.0,
        ),
        Country(
            "NER",
            "NE",
            "Niger",
            ("République du Niger",),
            "227",
            "sahel",
            ("Gendarmerie nationale", "Police nationale"),
            (_c("Niamey", "NE-8", 13.51, 2.11), _c("Agadez", "NE-1", 16.97, 7.99)),
            1.0,
        ),
        Country(
            "MLI",
            "ML",
            "Mali",
            ("République du Mali",),
            "223",
            "sahel",
            ("Gendarmerie nationale", "Police nationale"),
            (_c("Bamako", "ML-BKO", 12.64, -8.00), _c("Gao", "ML-7", 16.27, -0.04)),
            1.0,
        ),
        Country(
            "TCD",
            "TD",
            "Chad",
            ("Tchad",),
            "235",
            "sahel",
            ("Police nationale",),
            (_c("N'Djamena", "TD-ND", 12.13, 15.06), _c("Abéché", "TD-OD", 13.83, 20.83)),
            0.6,
        ),
        Country(
            "BFA",
            "BF",
            "Burkina Faso",
            (),
            "226",
            "sahel",
            ("Gendarmerie nationale",),
            (_c("Ouagadougou", "BF-KAD", 12.37, -1.52),),
            0.6,
        ),
        Country(
            "NGA",
            "NG",
            "Nigeria",
            ("Nigéria",),
            "234",
            "sahel",
            ("Nigeria Police Force", "Nigeria Customs Service"),
            (_c("Kano", "NG-KN", 12.00, 8.52), _c("Lagos", "NG-LA", 6.52, 3.38)),
            2.0,
        ),
        Country(
            "GBR",
            "GB",
            "United Kingdom",
            ("Royaume-Uni", "Reino Unido", "UK"),
            "44",
            "anglo",
            ("National Crime Agency", "Metropolitan Police", "Border Force"),
            (_c("London", "GB-LND", 51.51, -0.13), _c("Manchester", "GB-MAN", 53.48, -2.24)),
            2.5,
        ),
        Country(
            "ESP",
            "ES",
            "Spain",
            ("España", "Espagne"),
            "34",
            "hispanic",
            ("Guardia Civil", "Policía Nacional"),
            (_c("Madrid", "ES-M", 40.42, -3.70), _c("Málaga", "ES-MA", 36.72, -4.42)),
            2.0,
        ),
    ]
}

#: Country strings no normaliser can resolve: used only for deliberately invalid rows.
UNKNOWN_COUNTRIES = ("Atlantis", "Ruritania", "Freedonia", "ZZX")


@dataclass(frozen=True)
class Corridor:
    """A trafficking corridor: route, modes, firearm profile, where firearms leave legal control."""

    key: str
    route: tuple[str, ...]  # departure, transits..., destination (alpha-3)
    modes: tuple[str, ...]  # route modes, the first most common
    profile: str  # key into firearms.PROFILES
    diversion_kind: str | None  # "licensed dealer", "state stockpile" or None (not traceable to a point)
    weight: float
    concealments: tuple[str, ...] = field(default=("vehicle compartment",))


CORRIDORS: tuple[Corridor, ...] = (
    Corridor(
        "us-mexico",
        ("USA", "MEX"),
        ("land",),
        "us",
        "licensed dealer",
        5.0,
        ("vehicle compartment", "spare tyre", "truck cargo"),
    ),
    Corridor(
        "us-caribbean",
        ("USA", "JAM"),
        ("postal/courier", "sea"),
        "us",
        "licensed dealer",
        1.5,
        ("parcel", "barrel shipment", "container"),
    ),
    Corridor("us-haiti", ("USA", "DOM", "HTI"), ("sea", "land"), "us", "licensed dealer", 1.0, ("container", "parcel")),
    Corridor("us-trinidad", ("USA", "TTO"), ("postal/courier",), "us", "licensed dealer", 0.6, ("parcel",)),
    Corridor(
        "balkans-germany",
        ("BIH", "HRV", "SVN", "AUT", "DEU"),
        ("land",),
        "balkan",
        "state stockpile",
        2.0,
        ("vehicle compartment", "bus luggage"),
    ),
    Corridor(
        "balkans-sweden",
        ("SRB", "HUN", "AUT", "DEU", "SWE"),
        ("land", "postal/courier"),
        "balkan",
        "state stockpile",
        2.0,
        ("vehicle compartment", "parcel"),
    ),
    Corridor("albania-italy", ("ALB", "ITA"), ("sea",), "balkan", "state stockpile", 0.8, ("ferry vehicle",)),
    Corridor(
        "turkiye-eu",
        ("TUR", "BGR", "DEU"),
        ("land", "postal/courier", "darknet-ordered"),
        "converted",
        None,
        1.5,
        ("parcel", "vehicle compartment"),
    ),
    Corridor("turkiye-greece", ("TUR", "GRC", "ITA"), ("sea", "land"), "converted", None, 0.6, ("luggage", "parcel")),
    Corridor(
        "libya-sahel",
        ("LBY", "NER", "MLI"),
        ("land",),
        "libya",
        "state stockpile",
        1.5,
        ("truck cargo", "camel caravan"),
    ),
    Corridor("libya-chad", ("LBY", "TCD"), ("land",), "libya", "state stockpile", 0.6, ("truck cargo",)),
    Corridor("libya-nigeria", ("LBY", "NER", "NGA"), ("land",), "libya", "state stockpile", 0.6, ("truck cargo",)),
    Corridor(
        "paraguay-brazil",
        ("PRY", "BRA"),
        ("land", "air"),
        "brazil",
        "licensed dealer",
        2.0,
        ("vehicle compartment", "luggage", "light aircraft"),
    ),
    Corridor(
        "slovakia-reactivated",
        ("SVK", "AUT", "FRA"),
        ("postal/courier", "land"),
        "reactivated",
        "licensed dealer",
        0.6,
        ("parcel", "vehicle compartment"),
    ),
    Corridor(
        "darknet-us-europe",
        ("USA", "GBR"),
        ("darknet-ordered",),
        "us",
        "licensed dealer",
        0.5,
        ("parcel", "disassembled in parcel"),
    ),
    Corridor(
        "darknet-eu",
        ("DEU", "NLD"),
        ("darknet-ordered", "postal/courier"),
        "ghost",
        None,
        0.5,
        ("parcel",),
    ),
)
