"""Known answers for the generator's building blocks: serials, typos, name variants, the CLI command."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from typer.testing import CliRunner

from armsgraph.cli import app
from armsgraph.scenario.noise import serial_capacity, serial_from_number, serial_typo, unique_serial
from armsgraph.scenario.people import name_variant, strip_diacritics
from armsgraph.scenario.truth import Truth


def _key(serial: str) -> str:
    return re.sub(r"[\s-]", "", serial.upper().replace("O", "0").replace("I", "1"))


def test_serial_templates_are_mixed_radix() -> None:
    assert serial_capacity("LL-DD") == 26 * 26 * 100
    assert serial_from_number("LL-DD", 0) == "AA-00"
    assert serial_from_number("LL-DD", 1) == "AA-01"
    assert serial_from_number("LL-DD", 100) == "AB-00"
    assert serial_from_number("LL-DD", 26 * 26 * 100 - 1) == "ZZ-99"


def test_unique_serial_never_repeats_within_a_template() -> None:
    serials = {unique_serial("LDDDD", i, salt=17) for i in range(20_000)}
    assert len(serials) == 20_000
    assert all(re.fullmatch(r"[A-Z]\d{4}", s) for s in serials)


def test_serial_typos_change_the_text_but_not_the_normalised_key() -> None:
    rng = random.Random(1)
    for serial in ("LE-104I50", "OXO1234", "M92-00117", "ABC123"):
        for _ in range(30):
            typo = serial_typo(rng, serial)
            assert typo != serial
            assert _key(typo) == _key(serial)


def test_name_variants_are_recognisable_forms_of_the_same_name() -> None:
    assert strip_diacritics("Đorđević Miloš Şahin Müller") == "Dordevic Milos Sahin Muller"
    rng = random.Random(4)
    variants = {name_variant(rng, "Miloš", "", "Đorđević") for _ in range(200)}
    assert {"Milos Dordevic", "ĐORĐEVIĆ Miloš"} <= variants
    assert any("Djordjevic" in v for v in variants) and any("Milosh" in v for v in variants)
    dropped = {name_variant(rng, "John", "Robert", "Smith") for _ in range(200)}
    assert "John Smith" in dropped and "Smith, John Robert" in dropped


def test_linked_pairs_are_every_pair_of_a_group_once_per_reason() -> None:
    truth = Truth()
    truth.link(3, [("person", 1), ("firearm", 9)])
    truth.link(1, [("person", 1)])
    truth.link(2, [("person", 1), ("firearm", 9)])
    truth.link(5, [("person", 2)])
    truth.duplicates.append((5, 4))
    assert truth.linked_pairs() == [
        (1, 2, "person"),
        (1, 3, "person"),
        (2, 3, "firearm"),
        (2, 3, "person"),
        (4, 5, "duplicate"),
    ]


def test_generate_command_writes_a_bundle(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = CliRunner().invoke(
        app, ["generate", str(out), "--incidents", "300", "--seed", "9", "--noise", "0.5", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert (truth["incidents"], truth["seed"], truth["noise"]) == (300, 9, 0.5)
    assert sum(1 for _ in (out / "incidents.csv").open(encoding="utf-8")) == 301
