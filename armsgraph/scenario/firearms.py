"""Firearm makes, models, calibres and types for generated scenarios, grouped in market profiles.

Each profile is the mix seen along one kind of corridor (UNODC Global Study on
Firearms Trafficking 2020; Small Arms Survey; Europol/EMPACT firearms reports),
see ``docs/scenario.md``. Serials come from a per-model template: ``L`` a letter,
``D`` a digit, anything else literal; empty means the firearm carries no serial.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FirearmModel:
    """One make/model as it leaves the factory (or the workshop)."""

    make: str
    model: str
    type: str
    calibre: str
    country: str  # of manufacture, alpha-3; "" when unknown (craft, 3D-printed)
    mode: str  # factory / craft / 3D-printed / converted / reactivated / modular / polymer
    serial: str  # template
    years: tuple[int, int]


M = FirearmModel
GLOCK_17 = M("Glock", "17", "pistol", "9x19mm", "AUT", "factory", "LLLDDD", (1990, 2023))
GLOCK_19 = M("Glock", "19", "pistol", "9x19mm", "AUT", "factory", "LLLLDDD", (1995, 2023))
SW_MP9 = M("Smith & Wesson", "M&P9", "pistol", "9x19mm", "USA", "factory", "LLLDDDD", (2006, 2023))
SW_686 = M("Smith & Wesson", "686", "revolver", ".357 Magnum", "USA", "factory", "LLLDDDD", (1985, 2022))
COLT_AR15 = M("Colt", "AR-15", "rifle", "5.56x45mm", "USA", "factory", "LE-DDDDDD", (1995, 2023))
RUGER_AR556 = M("Ruger", "AR-556", "rifle", "5.56x45mm", "USA", "factory", "DDD-DDDDD", (2015, 2023))
FN_57 = M("FN Herstal", "Five-seveN", "pistol", "5.7x28mm", "BEL", "factory", "386DDDDDD", (2000, 2023))
BARRETT_82 = M("Barrett", "M82A1", "rifle", ".50 BMG", "USA", "factory", "AADDDDDD", (1995, 2022))
WASR_10 = M("Cugir", "WASR-10", "rifle", "7.62x39mm", "ROU", "factory", "LLDDDD-DD", (1997, 2020))
MOSSBERG_500 = M("Mossberg", "500", "shotgun", "12 gauge", "USA", "factory", "LDDDDDD", (1985, 2023))
RUGER_LCP = M("Ruger", "LCP", "pistol", ".380 ACP", "USA", "factory", "DDDD-DDDDD", (2008, 2023))
TAURUS_G2C = M("Taurus", "G2C", "pistol", "9x19mm", "BRA", "factory", "LLLDDDDDD", (2016, 2023))
TAURUS_85 = M("Taurus", "85", "revolver", ".38 Special", "BRA", "factory", "LLDDDDDD", (1985, 2022))
ROSSI_971 = M("Rossi", "971", "revolver", ".357 Magnum", "BRA", "factory", "LDDDDDD", (1988, 2020))
IMBEL_MD97 = M("IMBEL", "MD97", "rifle", "5.56x45mm", "BRA", "factory", "LLDDDDD", (1997, 2020))
CBC_PUMP = M("CBC", "586.2", "shotgun", "12 gauge", "BRA", "factory", "LDDDDDDD", (1990, 2022))
ZASTAVA_M70 = M("Zastava", "M70", "rifle", "7.62x39mm", "SRB", "factory", "DDDDDD", (1970, 1999))
ZASTAVA_M57 = M("Zastava", "M57", "pistol", "7.62x25mm", "SRB", "factory", "DDDDDD", (1965, 1995))
ZASTAVA_M92 = M("Zastava", "M92", "sub-machine gun", "7.62x39mm", "SRB", "factory", "M92-DDDDD", (1992, 2010))
SKORPION = M(
    "Česká zbrojovka", "vz. 61 Škorpion", "sub-machine gun", "7.65x17mm", "CZE", "factory", "LDDDD", (1961, 1990)
)
CZ_75 = M("Česká zbrojovka", "CZ 75", "pistol", "9x19mm", "CZE", "factory", "LDDDDDD", (1976, 2023))
AKM = M("Kalashnikov", "AKM", "rifle", "7.62x39mm", "RUS", "factory", "DDDDDDDD", (1959, 1990))
AK_47 = M("Kalashnikov", "AK-47", "rifle", "7.62x39mm", "RUS", "factory", "LL-DDDD", (1949, 1975))
TYPE_56 = M("Norinco", "Type 56", "rifle", "7.62x39mm", "CHN", "factory", "DDDDDDDD", (1960, 1995))
FN_FAL = M("FN Herstal", "FAL", "rifle", "7.62x51mm", "BEL", "factory", "DDDDDD", (1960, 1985))
PKM = M("Kalashnikov", "PKM", "machine gun", "7.62x54mmR", "RUS", "factory", "LLDDDD", (1970, 1990))
RPK = M("Kalashnikov", "RPK", "machine gun", "7.62x39mm", "RUS", "factory", "LL-DDDD", (1965, 1990))
HK_G3 = M("Heckler & Koch", "G3", "rifle", "7.62x51mm", "DEU", "factory", "DDDDDDD", (1960, 1995))
BERETTA_92 = M("Beretta", "92FS", "pistol", "9x19mm", "ITA", "factory", "LDDDDDDL", (1985, 2023))
WALTHER_P99 = M("Walther", "P99", "pistol", "9x19mm", "DEU", "factory", "LLDDDDDD", (1997, 2020))
BAIKAL_IZH79 = M("Baikal", "IZH-79-8", "pistol", "9x17mm", "RUS", "converted", "DDDDDDDDD", (1995, 2012))
BAIKAL_MP153 = M("Baikal", "MP-153", "shotgun", "12 gauge", "RUS", "factory", "DDDDDDDDDD", (2000, 2015))
ZORAKI_914 = M("Zoraki", "914", "pistol", "9x17mm", "TUR", "converted", "DDDDD-LL", (2008, 2023))
EKOL_FIRAT = M("Ekol", "Firat Magnum", "pistol", "9x17mm", "TUR", "converted", "LLDDDDDD", (2010, 2023))
RETAY_84FS = M("Retay", "84FS", "pistol", "9x17mm", "TUR", "converted", "LDDDDDDD", (2012, 2023))
FGC_9 = M("", "FGC-9", "pistol", "9x19mm", "", "3D-printed", "", (2020, 2024))
POLYMER80 = M("Polymer80", "PF940C", "pistol", "9x19mm", "USA", "modular", "", (2016, 2022))
SA_VZ58 = M("Česká zbrojovka", "Sa vz. 58", "rifle", "7.62x39mm", "CZE", "reactivated", "LLDDDD", (1958, 1984))
CRAFT_SHOTGUN = M("", "craft shotgun", "shotgun", "12 gauge", "", "craft", "", (2000, 2024))

#: Weighted model mix per market profile.
PROFILES: dict[str, tuple[tuple[FirearmModel, float], ...]] = {
    "us": (
        (GLOCK_19, 10),
        (GLOCK_17, 6),
        (SW_MP9, 6),
        (RUGER_LCP, 4),
        (SW_686, 2),
        (COLT_AR15, 6),
        (RUGER_AR556, 4),
        (WASR_10, 4),
        (FN_57, 2),
        (BARRETT_82, 0.5),
        (MOSSBERG_500, 2),
        (POLYMER80, 2),
    ),
    "balkan": (
        (ZASTAVA_M70, 8),
        (ZASTAVA_M57, 6),
        (ZASTAVA_M92, 3),
        (SKORPION, 3),
        (CZ_75, 2),
        (AKM, 2),
        (GLOCK_17, 1),
    ),
    "converted": ((ZORAKI_914, 6), (EKOL_FIRAT, 5), (RETAY_84FS, 3), (BAIKAL_IZH79, 2)),
    "libya": ((AKM, 8), (TYPE_56, 6), (FN_FAL, 3), (PKM, 2), (RPK, 2), (HK_G3, 1)),
    "brazil": ((TAURUS_G2C, 8), (TAURUS_85, 6), (ROSSI_971, 3), (IMBEL_MD97, 1.5), (CBC_PUMP, 2), (GLOCK_17, 2)),
    "reactivated": ((SKORPION, 6), (SA_VZ58, 4), (AK_47, 2)),
    "ghost": ((FGC_9, 6), (POLYMER80, 3), (ZORAKI_914, 2)),
    "eu": (
        (GLOCK_17, 5),
        (CZ_75, 4),
        (BERETTA_92, 4),
        (WALTHER_P99, 3),
        (BAIKAL_MP153, 3),
        (ZASTAVA_M57, 2),
        (ZORAKI_914, 2),
        (AK_47, 1),
        (FGC_9, 0.5),
        (CRAFT_SHOTGUN, 1),
    ),
    "africa": ((AKM, 6), (TYPE_56, 4), (CRAFT_SHOTGUN, 6), (FN_FAL, 1), (BAIKAL_MP153, 1)),
}

#: Which profile one-off (background) incidents in a country draw from.
COUNTRY_PROFILE = {
    "USA": "us",
    "MEX": "us",
    "JAM": "us",
    "HTI": "us",
    "TTO": "us",
    "DOM": "us",
    "BRA": "brazil",
    "PRY": "brazil",
    "SRB": "balkan",
    "BIH": "balkan",
    "ALB": "balkan",
    "HRV": "balkan",
    "LBY": "libya",
    "NER": "africa",
    "MLI": "africa",
    "TCD": "africa",
    "BFA": "africa",
    "NGA": "africa",
    "TUR": "converted",
}

#: Written forms of a calibre seen in real records (all mean the same cartridge).
CALIBRE_VARIANTS: dict[str, tuple[str, ...]] = {
    "9x19mm": ("9mm", "9 mm Luger", "9mm Parabellum", "9x19"),
    "9x17mm": ("9mm P.A.K.", ".380 ACP", "9mm short"),
    "5.56x45mm": ("5.56mm", ".223 Rem", "5,56x45"),
    "7.62x39mm": ("7.62mm", "7,62x39", "7.62 x 39"),
    "12 gauge": ("12ga", "12 ga.", "12/70"),
    ".38 Special": (".38 Spl", "38 SPL"),
    ".357 Magnum": (".357 Mag", "357"),
    "7.65x17mm": (".32 ACP", "7.65mm Browning"),
}

#: Firearm statuses for one-off records and their weights.
STATUS_WEIGHTS = (("seized", 70), ("found", 10), ("surrendered", 8), ("stolen", 7), ("lost", 5))
