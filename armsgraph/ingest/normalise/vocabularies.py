"""Closed and open vocabularies: firearm type, marking status, manufacture mode, booleans."""

from __future__ import annotations

from collections.abc import Mapping

from armsgraph.ingest.normalise.base import ValueType, fold


def _index(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, synonyms in table.items():
        for word in (canonical, *synonyms):
            out.setdefault(fold(word), canonical)
    return out


# fmt: off
FIREARM_TYPES: dict[str, tuple[str, ...]] = {
    "pistol": ("semi-automatic pistol", "semi-auto pistol", "self-loading pistol", "automatic pistol", "derringer",
               "pistolet", "pistola", "handgun pistol", "pistole"),
    "revolver": ("revólver", "revolver pistol"),
    "rifle": ("carbine", "assault rifle", "automatic rifle", "semi-automatic rifle", "bolt-action rifle",
              "sniper rifle", "hunting rifle", "fusil", "fusil d assaut", "rifle de asalto", "carabine", "carabina",
              "long gun rifle", "battle rifle"),
    "shotgun": ("pump-action shotgun", "pump shotgun", "sawn-off shotgun", "sawed-off shotgun", "fusil de chasse",
                "escopeta", "shot gun"),
    "sub-machine gun": ("smg", "submachine gun", "sub machine gun", "machine pistol", "pistolet mitrailleur",
                        "subfusil", "metralleta"),
    "machine gun": ("mg", "light machine gun", "lmg", "heavy machine gun", "hmg", "general-purpose machine gun",
                    "mitrailleuse", "ametralladora"),
    "handgun": ("hand gun",),
    "combination gun": ("drilling", "over-under combination"),
    "grenade launcher": ("rpg", "rocket launcher", "rocket-propelled grenade launcher"),
    "other": ("unknown type", "other firearm"),
}
# fmt: on

# fmt: off
MARKING_STATUSES: dict[str, tuple[str, ...]] = {
    "intact": ("marked", "original", "legible", "ok", "complete", "intact markings"),
    "altered": ("modified", "tampered", "partially obliterated", "partly removed", "changed", "re-stamped",
                "restamped", "altérées", "alterado"),
    "obliterated": ("removed", "erased", "ground off", "defaced", "filed off", "illegible", "effacé", "borrado"),
    "unmarked": ("none", "no markings", "not marked", "without markings", "absent", "sans marquage", "sin marcaje"),
}
# fmt: on

# fmt: off
MANUFACTURE_MODES: dict[str, tuple[str, ...]] = {
    "factory": ("industrial", "factory made", "factory-made", "commercial", "licensed"),
    "craft": ("craft-produced", "craft produced", "artisanal", "homemade", "home-made", "home made", "improvised",
              "artisanale", "artesanal", "hand-made", "handmade"),
    "3D-printed": ("3d printed", "3dp", "printed", "3-d printed", "additive"),
    "converted": ("conversion", "converted blank", "converted alarm", "converted gas", "converted replica",
                  "converted air"),
    "reactivated": ("re-activated", "deactivated reactivated", "reactivated deactivated"),
    "modular": ("80% lower", "80 lower", "ghost gun", "kit", "parts kit", "modular kit"),
    "polymer": ("polymer frame", "polymer-framed"),
}
# fmt: on

# fmt: off
BOOLEANS: dict[str, tuple[str, ...]] = {
    "true": ("yes", "y", "1", "t", "oui", "si", "sí", "x"),
    "false": ("no", "n", "0", "f", "non"),
}
# fmt: on

_TYPES, _MARKINGS, _MODES, _BOOLS = (_index(t) for t in (FIREARM_TYPES, MARKING_STATUSES, MANUFACTURE_MODES, BOOLEANS))


class FirearmTypeType(ValueType):
    """A firearm type from a small vocabulary with EN/FR/ES synonyms; unknown types kept lower-cased."""

    name = "firearm type"
    description = ", ".join(FIREARM_TYPES)

    def _clean(self, text: str) -> str:
        key = fold(text)
        if not key:
            raise self.fail(text, "no letters")
        return _TYPES.get(key, key)

    @staticmethod
    def known(value: str) -> bool:
        """True when ``value`` is in the vocabulary."""
        return value in FIREARM_TYPES


class MarkingStatusType(ValueType):
    """intact / altered / obliterated / unmarked (closed vocabulary)."""

    name = "marking status"
    description = " / ".join(MARKING_STATUSES)

    def _clean(self, text: str) -> str:
        found = _MARKINGS.get(fold(text))
        if found is None:
            raise self.fail(text, f"use one of {self.description}")
        return found


class ManufactureModeType(ValueType):
    """factory / craft / 3D-printed / converted / reactivated / modular / polymer (closed vocabulary)."""

    name = "manufacture mode"
    description = " / ".join(MANUFACTURE_MODES)

    def _clean(self, text: str) -> str:
        found = _MODES.get(fold(text))
        if found is None:
            raise self.fail(text, f"use one of {self.description}")
        return found


class BooleanType(ValueType):
    """true/false from yes/no, 1/0, y/n, t/f (and oui/non, sí/no): returns 'true' or 'false'."""

    name = "boolean"
    description = "true / false"

    def _clean(self, text: str) -> str:
        found = _BOOLS.get(fold(text)) or _BOOLS.get(text.strip().casefold())
        if found is None:
            raise self.fail(text, "use true/false, yes/no or 1/0")
        return found
