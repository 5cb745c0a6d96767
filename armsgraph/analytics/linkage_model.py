"""The incident-linkage model: Fellegi–Sunter comparisons, blocking and training, run by splink on DuckDB.

Each comparison has levels from strongest to weakest and a *missing* level (either side unrecorded)
that gives no evidence (Bayes factor 1): an incident without coordinates is never "near". The
organisation comparison is term-frequency adjusted: sharing a group with thousands of incidents is
weak evidence, sharing a rare one strong. m probabilities are estimated without labels by
expectation maximisation, u probabilities by random sampling; the strong identity evidence
(firearm, ballistic hit, person, identifier, diversion party) starts from priors that EM refines
where the data hold such links.

The input is one row per incident (:data:`INPUT_COLUMNS`); list columns hold the uids of the
things an incident shares (None when it has none).
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from armsgraph.analytics.linkage_input import NO_SERIES
from armsgraph.dates import start_of_series

__all__ = [
    "COMPARISONS",
    "INPUT_COLUMNS",
    "SAME_SERIES",
    "LinkageModel",
    "comparison_names",
    "fingerprint",
    "level_labels",
    "pairs_under",
    "prepare",
]

#: Columns of the linkage input table (one row per incident).
INPUT_COLUMNS = (
    "unique_id",
    "date",
    "lat",
    "lon",
    "country",
    "subdivision",
    "city",
    "organisation",
    "firearms",
    "ballistics",
    "persons",
    "identifiers",
    "traces",
    "attack_type",
    "target_type",
    "weapon_types",
    "desc_keys",
    "desc_weights",
    "series",
)
#: Column types of the input table (explicit, so that a column nobody recorded is still typed).
_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("date", pa.date32()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("country", pa.string()),
        ("subdivision", pa.string()),
        ("city", pa.string()),
        ("organisation", pa.string()),
        ("firearms", pa.list_(pa.string())),
        ("ballistics", pa.list_(pa.string())),
        ("persons", pa.list_(pa.string())),
        ("identifiers", pa.list_(pa.string())),
        ("traces", pa.list_(pa.string())),
        ("attack_type", pa.string()),
        ("target_type", pa.string()),
        ("weapon_types", pa.list_(pa.string())),
        ("desc_keys", pa.list_(pa.string())),
        ("desc_weights", pa.list_(pa.float64())),
        ("series", pa.string()),
    ]
)
LIST_COLUMNS = ("firearms", "ballistics", "persons", "identifiers", "traces", "weapon_types", "desc_keys")
#: Text columns (an empty text is unrecorded).
TEXT_COLUMNS = ("country", "subdivision", "city", "organisation", "attack_type", "target_type", "series")

#: The cosine similarity of two descriptions (TF-IDF term lists with L2-normalised weights), as a DuckDB macro.
_COSINE_MACRO = """
CREATE OR REPLACE MACRO armsgraph_cosine(ka, wa, kb, wb) AS
  list_sum(list_transform(ka, lambda k, i: wa[i] * coalesce(wb[list_position(kb, k)], 0.0)))
"""


_LOCATED = '("lat_l" IS NOT NULL AND "lon_l" IS NOT NULL AND "lat_r" IS NOT NULL AND "lon_r" IS NOT NULL)'


def _null(*columns: str, located: bool = False) -> dict[str, Any]:
    """The missing level: either side unrecorded (or, with ``located``, both have coordinates, so that the
    place is already weighed by the distance comparison and is not counted twice)."""
    condition = " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)
    if located:
        condition += f" OR {_LOCATED}"
    return {"sql_condition": condition, "label_for_charts": "not recorded", "is_null_level": True}


def _level(sql: str, label: str, m: float, u: float, *, fixed: bool = False, **extra: Any) -> dict[str, Any]:
    """A level with prior m and u (used until training estimates them; ``fixed`` keeps m as given)."""
    out = {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u, **extra}
    if fixed:
        out["fix_m_probability"] = True
    return out


def _comparison(name: str, description: str, *levels: dict[str, Any]) -> dict[str, Any]:
    return {"output_column_name": name, "comparison_description": description, "comparison_levels": list(levels)}


def _exact(
    name: str, column: str, description: str, m: float, u: float, *, tf: bool = False, located: bool = False
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if tf:
        extra = {"tf_adjustment_column": column, "tf_adjustment_weight": 1.0, "tf_minimum_u_value": 0.001}
    return _comparison(
        name,
        description,
        _null(column, located=located),
        _level(f'"{column}_l" = "{column}_r"', "same", m, u, **extra),
        _level("ELSE", "different", 1 - m, 1 - u),
    )


def _shared(name: str, column: str, description: str, m: float, u: float) -> dict[str, Any]:
    """A list comparison: an element in common / none in common (m and u estimated)."""
    return _comparison(
        name,
        description,
        _null(column),
        _level(f'len(list_intersect("{column}_l", "{column}_r")) >= 1', "shared", m, u),
        _level("ELSE", "none shared", 1 - m, 1 - u),
    )


#: u of sharing a resolved firearm, ballistic hit group, person, identifier or diverting party by chance:
#: these are identities established upstream (entity resolution, an examiner, a trace), not similarities,
#: so they are fixed as decisive rather than estimated from the few pairs that share one.
IDENTITY_U = 1e-15


def _identity(name: str, column: str, description: str) -> dict[str, Any]:
    """Shared identity evidence: decisive when present, no evidence when absent (fixed m and u)."""
    fixed = {"fix_m_probability": True, "fix_u_probability": True}
    return _comparison(
        name,
        description,
        _null(column),
        _level(f'len(list_intersect("{column}_l", "{column}_r")) >= 1', "shared", 0.95, IDENTITY_U, **fixed),
        _level("ELSE", "none shared", 0.05, 1 - IDENTITY_U, **fixed),
    )


_GAP = 'abs(date_diff(\'day\', "date_l", "date_r"))'


def _km(threshold: float) -> str:
    return (
        '2 * 6371.0 * asin(sqrt(least(1.0, pow(sin(radians("lat_r" - "lat_l") / 2), 2) + '
        'cos(radians("lat_l")) * cos(radians("lat_r")) * pow(sin(radians("lon_r" - "lon_l") / 2), 2))))'
        f" <= {threshold}"
    )


#: Closeness is no evidence of its own: descriptions name the place, and the date and place of two reports of
#: one event are already weighed by them; counted again, "near" swamped the description (measured on GTD:
#: best pair F1 0.755 with near weighed, 0.80 without). Being far apart still weighs against a link.
_NEUTRAL = {"fix_m_probability": True, "fix_u_probability": True}

#: The label of the series level "both descriptions state a series of the same size".
SAME_SERIES = "both described as one of a series of the same size"
#: Both descriptions state a series ("one of three related attacks"; see linkage_input.stated_series).
_BOTH_SERIES = f"(\"series_l\" <> '{NO_SERIES}' AND \"series_r\" <> '{NO_SERIES}')"
_ONE_SERIES = f"(\"series_l\" <> '{NO_SERIES}' OR \"series_r\" <> '{NO_SERIES}')"

_COSINE = 'armsgraph_cosine("desc_keys_l", "desc_weights_l", "desc_keys_r", "desc_weights_r")'

#: Every comparison by name, in the order explanations list them. m and u are priors: u is estimated by
#: random sampling and m by EM when the model is trained; the description's m stays fixed (it anchors EM
#: on "the same event" rather than on "the same group the same day").
COMPARISONS: dict[str, dict[str, Any]] = {
    c["output_column_name"]: c
    for c in (
        _comparison(
            "date",
            "days between the incidents",
            _null("date"),
            _level(f"{_GAP} = 0", "same day", 0.5, 0.003),
            _level(f"{_GAP} <= 3", "1-3 days apart", 0.08, 0.01),
            _level(f"{_GAP} <= 30", "4-30 days apart", 0.07, 0.08),
            _level("ELSE", "over 30 days apart", 0.35, 0.907),
        ),
        _comparison(
            "distance",
            "great-circle distance where both have coordinates",
            _null("lat", "lon"),
            _level(_km(1.0), "within 1 km", 0.001, 0.001, **_NEUTRAL),
            _level(_km(10.0), "1-10 km apart", 0.004, 0.004, **_NEUTRAL),
            _level(_km(50.0), "10-50 km apart", 0.03, 0.03, **_NEUTRAL),
            _level("ELSE", "over 50 km apart", 0.4, 0.965),
        ),
        _exact("subdivision", "subdivision", "same first-level administrative area", 0.95, 0.05, located=True),
        _exact("city", "city", "same city (as recorded, normalised)", 0.7, 0.01, located=True),
        _exact("organisation", "organisation", "same organisation (term-frequency adjusted)", 0.9, 0.05, tf=True),
        _identity("firearm", "firearms", "a firearm (resolved serial) seen in both"),
        _identity("ballistic", "ballistics", "a ballistic hit joins evidence from both"),
        _identity("person", "persons", "a person involved in both"),
        _identity("identifier", "identifiers", "a shared phone, vehicle, account, parcel or address"),
        _identity("trace", "traces", "firearms traced to the same diverting party"),
        _exact("attack_type", "attack_type", "same attack type", 0.7, 0.3),
        _exact("target_type", "target_type", "same target type", 0.6, 0.2),
        _shared("weapon_type", "weapon_types", "a weapon type in common", 0.85, 0.5),
        _comparison(
            "description",
            "similarity of the incident descriptions (TF-IDF cosine)",
            _null("desc_keys"),
            _level(f"{_COSINE} >= 0.8", "near-identical descriptions", 0.6, 0.0005, fixed=True),
            _level(f"{_COSINE} >= 0.5", "similar descriptions", 0.3, 0.01, fixed=True),
            _level(f"{_COSINE} >= 0.4", "somewhat similar descriptions", 0.04, 0.03, fixed=True),
            _level(f"{_COSINE} >= 0.3", "slightly similar descriptions", 0.03, 0.06, fixed=True),
            _level("ELSE", "dissimilar descriptions", 0.03, 0.9, fixed=True),
        ),
        _comparison(
            "series",
            "the size of the series each description says its incident is one of",
            _null("series"),
            _level(f'{_BOTH_SERIES} AND "series_l" = "series_r"', SAME_SERIES, 0.25, 0.01),
            _level(_BOTH_SERIES, "both described as one of a series, of different sizes", 0.01, 0.02),
            _level(_ONE_SERIES, "only one described as one of a series", 0.02, 0.25),
            _level("ELSE", "neither described as one of a series", 0.72, 0.72),
        ),
    )
}


def comparison_names() -> list[str]:
    """The names of every comparison, in explanation order."""
    return list(COMPARISONS)


def _list_or_none(value: object, kind: type) -> list[Any] | None:
    """A non-empty list (of ``kind``) as a list, anything else as None."""
    if isinstance(value, list | tuple | np.ndarray) and len(value):
        return [kind(v) for v in value]
    return None


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """The input table with DuckDB-friendly types: dates as dates (partial ones unrecorded), empty lists as None."""
    out = pd.DataFrame({c: frame.get(c) for c in INPUT_COLUMNS})
    out["unique_id"] = out["unique_id"].astype(str)
    out["date"] = start_of_series(out["date"], partial=False).dt.date
    for c in ("lat", "lon"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    for c in LIST_COLUMNS:
        out[c] = [_list_or_none(x, str) for x in out[c]]
    out["desc_weights"] = [_list_or_none(x, float) for x in out["desc_weights"]]
    for c in TEXT_COLUMNS:
        out[c] = [str(v) if isinstance(v, str) and v else None for v in out[c]]
    return out


def fingerprint(table: pd.DataFrame) -> str:
    """A short hash of the incidents a model was trained on (a stored model is reused only for the same set)."""
    digest = hashlib.sha256("\n".join(sorted(map(str, table["unique_id"]))).encode("utf-8"))
    return digest.hexdigest()[:16]


def _rule(columns: Sequence[str]) -> Any:
    from splink import block_on

    arrays = [c for c in columns if c in LIST_COLUMNS]
    return block_on(*columns, arrays_to_explode=arrays or None)


def pairs_under(table: pd.DataFrame, columns: Sequence[str]) -> int:
    """How many pairs an equality rule on ``columns`` forms (list columns exploded)."""
    frame = table[list(columns)]
    for c in columns:
        if c in LIST_COLUMNS:
            frame = frame.explode(c)
    sizes = frame.dropna().astype(str).value_counts()
    return int((sizes * (sizes - 1) // 2).sum())


class LinkageModel:
    """A splink linker (DuckDB) over one incident table with the comparisons ``enabled``."""

    def __init__(
        self,
        incidents: pd.DataFrame,
        *,
        enabled: Sequence[str] | None = None,
        blocking: Sequence[Sequence[str]] = (),
        model: Mapping[str, Any] | None = None,
        seed: int = 0,
    ) -> None:
        from splink import DuckDBAPI, Linker

        self.seed = seed
        self.table = prepare(incidents)
        self.blocking = [list(b) for b in blocking]
        self.connection = duckdb.connect()
        self.connection.execute(_COSINE_MACRO)
        db_api = DuckDBAPI(connection=self.connection)
        if model is not None:
            settings = json.loads(json.dumps(dict(model)))
            self.names = [c["output_column_name"] for c in settings["comparisons"]]
        else:
            self.names = [n for n in COMPARISONS if enabled is None or n in enabled]
            settings = self._settings()
        settings["blocking_rules_to_generate_predictions"] = [
            _rule(cols).create_blocking_rule_dict("duckdb") for cols in self.blocking
        ]
        for name in ("splink", "duckdb"):
            logging.getLogger(name).setLevel(logging.ERROR)
        arrow = pa.Table.from_pandas(self.table, schema=_SCHEMA, preserve_index=False)
        self.connection.register("armsgraph_linkage_arrow", arrow)
        self.connection.execute("CREATE TABLE armsgraph_linkage_input AS SELECT * FROM armsgraph_linkage_arrow")
        self.linker = Linker(
            db_api.register("armsgraph_linkage_input"), settings, log_level=None, validate_settings=False
        )
        self.trained = model is not None

    def _settings(self) -> dict[str, Any]:
        return {
            "link_type": "dedupe_only",
            "unique_id_column_name": "unique_id",
            "comparisons": [json.loads(json.dumps(COMPARISONS[n])) for n in self.names],
            "probability_two_random_records_match": 1e-4,
            "retain_intermediate_calculation_columns": True,
            "retain_matching_columns": True,
            "em_convergence": 1e-4,
            "max_iterations": 25,
        }

    def train(
        self,
        *,
        em_blocking: Sequence[Sequence[str]],
        deterministic: Sequence[Sequence[str]],
        recall: float,
        min_pairs: int = 50,
    ) -> list[str]:
        """Estimate λ from deterministic rules, u by random sampling and m by EM over each blocking rule that
        forms at least ``min_pairs`` pairs; returns what was done, in words."""
        training = self.linker.training
        done = []
        rules = [cols for cols in deterministic if pairs_under(self.table, cols) > 0]
        if rules:
            training.estimate_probability_two_random_records_match([_rule(c) for c in rules], recall=recall)
            done.append("λ from " + "; ".join(" + ".join(c) for c in rules))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            training.estimate_u_using_random_sampling(max_pairs=5e5, seed=self.seed)
            done.append("u by random sampling")
            for cols in em_blocking:
                if pairs_under(self.table, cols) >= min_pairs:
                    training.estimate_parameters_using_expectation_maximisation(_rule(cols))
                    done.append("m by EM on pairs with the same " + " + ".join(cols))
        self.trained = True
        return done

    def parameters(self) -> dict[str, Any]:
        """The model as splink's settings dictionary (m and u of every level, λ)."""
        out: dict[str, Any] = self.linker.misc.save_model_to_json()
        return out

    def predict(self, threshold: float) -> tuple[int, pd.DataFrame]:
        """How many blocked pairs were scored, and those with ``match_probability >= threshold``
        (match_probability, match_weight, gamma_* levels, mw_* weights).

        The scored pairs stay in DuckDB, which holds them column-wise (and spills to disk when it must):
        as one pandas frame every pair at 100k incidents took the process to 5.3 GB.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scored = self.linker.inference.predict(warning_mode="never")
        pairs = self.connection.table(scored.physical_name)  # splink's own table
        compared = int(pairs.shape[0])
        probability = duckdb.ColumnExpression("match_probability")
        strong = pairs.filter(probability >= duckdb.ConstantExpression(float(threshold))).df()
        self.connection.close()
        return compared, strong


def level_labels(parameters: Mapping[str, Any]) -> dict[str, dict[int, str]]:
    """comparison → gamma value → level label, from a model's settings dictionary."""
    out: dict[str, dict[int, str]] = {}
    for comparison in parameters["comparisons"]:
        levels = comparison["comparison_levels"]
        labels: dict[int, str] = {}
        gamma = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
        for level in levels:
            if level.get("is_null_level"):
                labels[-1] = level["label_for_charts"]
            else:
                labels[gamma] = level["label_for_charts"]
                gamma -= 1
        out[comparison["output_column_name"]] = labels
    return out
