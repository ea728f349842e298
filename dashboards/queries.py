"""Read-only access to the served publication, with cached, parameterised queries.

Each query opens a short-lived read-only connection to ``public.duckdb`` of the publication
being served (joining the database this process holds open: ``held``), resolved once per page
run: a publication that happens meanwhile changes nothing for that run, and the next run reads
the new one. Results are cached per publication, so a new publication is never mixed with an
old one.
"""

import hashlib
import pickle
import threading

import duckdb
import pandas as pd
import streamlit as st

from dwh.serving.publication import Publication, current

import links
from i18n import lang, t

# the row flags of every published figure (see figures.table)
FLAGS = "status, is_provisional, unavailable_sources, provisional_sources"
LEVELS = ["municipality", "arrondissement", "province", "region", "country"]


def publication() -> Publication:
    """The served publication, the pages' entry point; without one, the page says so and stops."""
    pub = current()
    if pub is None:
        st.warning(t("no_publication"))
        st.stop()
    return pub


def digest(value) -> bytes:
    """A fingerprint of a cache argument: its pickle's BLAKE2 digest (equal pickles, equal
    values; equal values pickled differently only miss the cache). A page run hashes a dozen
    frames, lists and dicts: Streamlit's own hasher walks them in Python, 20 ms a small frame,
    this takes 1 ms."""
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).digest()


def cached(max_entries: int):
    """``st.cache_data`` for the pages: bounded, silent, its arguments hashed by ``digest``."""
    fast = {pd.DataFrame: digest, dict: digest, list: digest, tuple: digest}
    return st.cache_data(max_entries=max_entries, show_spinner=False, hash_funcs=fast)


# the public files of the last publications served, held open (see held)
_HELD: dict[str, duckdb.DuckDBPyConnection] = {}
_HELD_LOCK = threading.Lock()
HELD_FILES = 2


def held(database: str):
    """Hold a publication's public file open in this process, so that each query's own
    connection joins the open database (0.1 ms) instead of opening the file and reading its
    catalogue again (25-65 ms of CPU a query on the national publication), and its pages stay
    in DuckDB's buffer. The last ``HELD_FILES`` files are held: a query still running on an
    older one keeps its database open until it ends."""
    with _HELD_LOCK:
        if database not in _HELD:
            _HELD[database] = duckdb.connect(database, read_only=True)
            while len(_HELD) > HELD_FILES:
                _HELD.pop(next(iter(_HELD))).close()


@cached(2000)
def _run(database: str, sql: str, params: tuple) -> pd.DataFrame:
    with duckdb.connect(database, read_only=True) as con:
        return con.execute(sql, list(params)).df()


def query(pub: Publication, sql: str, params: tuple = (), microdata: bool = False):
    """Run a parameterised query against the publication ``pub`` (its public file, or the
    whole warehouse for the stewards' page); user input goes in params."""
    database = str(pub.warehouse if microdata else pub.public)
    if not microdata:
        held(database)
    return _run(database, sql, tuple(params))


def global_series(units: list[str], positions: list[str], sex: str, age: str, nationality: str):
    """SQL and parameters of the global figures behind the global page's charts."""
    return (
        f"select geo_code, quarter, position, persons, {FLAGS} from global_figures "
        "where list_contains(?, geo_code) and list_contains(?, position) and sex = ? "
        "and age_class = ? and nationality_group = ? order by quarter",
        (units, positions, sex, age, nationality),
    )


def local_quarter(quarter: str, sex: str, age: str, positions: list[str]):
    """SQL and parameters of one quarter's local figures of some positions, every unit."""
    return (
        f"select geo_level, geo_code, position, persons, {FLAGS} from local_figures "
        "where quarter = ? and sex = ? and age_class = ? and list_contains(?, position)",
        (quarter, sex, age, positions),
    )


def local_series(units: list[str], positions: list[str], sex: str):
    """SQL and parameters of the local figures of some units and positions, every quarter."""
    return (
        f"select geo_code, quarter, position, persons, {FLAGS} from local_figures "
        "where list_contains(?, geo_code) and list_contains(?, position) and sex = ? "
        "and age_class = '_T' order by quarter",
        (units, positions, sex),
    )


def indicator_quarter(quarter: str, sex: str, indicators: list[str]):
    """SQL and parameters of one quarter's indicators, every unit (all nationalities)."""
    return (
        "select geo_level, geo_code, indicator, numerator, denominator, rate, "
        f"{FLAGS} from indicators where quarter = ? and sex = ? "
        "and nationality_group = '_T' and list_contains(?, indicator)",
        (quarter, sex, indicators),
    )


def indicator_series(units: list[str], indicators: list[str], sex: str, nationality: str):
    """SQL and parameters of the indicators of some units, every quarter."""
    return (
        "select geo_code, quarter, indicator, numerator, denominator, rate, "
        f"{FLAGS} from indicators where list_contains(?, geo_code) "
        "and list_contains(?, indicator) and sex = ? and nationality_group = ? order by quarter",
        (units, indicators, sex, nationality),
    )


def disability_series(units: list[str], sex: str, age: str):
    """SQL and parameters of the disability figures of some units, every quarter."""
    return (
        f"select geo_code, quarter, disability_status, persons, {FLAGS} from disability_figures "
        "where list_contains(?, geo_code) and sex = ? and age_class = ? order by quarter",
        (units, sex, age),
    )


def household_series(units: list[str], size: str, sex: str, age: str, nationality: str):
    """SQL and parameters of the household figures of some units by type, every quarter."""
    return (
        f"select geo_code, quarter, household_type, households, {FLAGS} from household_figures "
        "where list_contains(?, geo_code) and household_size = ? and sex = ? and age_class = ? "
        "and nationality_group = ? order by quarter",
        (units, size, sex, age, nationality),
    )


def quarters(pub: Publication) -> list[str]:
    return query(pub, "select distinct quarter from global_figures order by 1")["quarter"].tolist()


def quarter_day(pub: Publication, quarter: str) -> pd.Timestamp:
    """The reference date (last day) of a quarter."""
    sql = "select max(ref_date) as d from global_figures where quarter = ?"
    return pd.Timestamp(query(pub, sql, (quarter,)).d.iloc[0])


def positions(pub: Publication) -> pd.DataFrame:
    return query(pub, "select * from dim_socio_economic_position order by category")


def indicators(pub: Publication) -> pd.DataFrame:
    """The standard indicators with their labels and definitions, in their order."""
    return query(pub, "select * from dim_indicator order by sort_order")


def sources(pub: Publication) -> dict[str, str]:
    """Names of the institutions in the chosen language, by code."""
    names = query(pub, "select distinct institution_code, * exclude (year) from source_status")
    return dict(zip(names.institution_code, names[f"institution_name_{lang()}"], strict=False))


def geography(pub: Publication) -> pd.DataFrame:
    return query(pub, "select * from dim_geography")


def municipalities(pub: Publication) -> pd.DataFrame:
    return query(
        pub,
        "select nis_code, valid_from, valid_to, merged_into_nis_code from dim_municipality",
    )


def level_names() -> dict[str, str]:
    """The geographic levels in the chosen language."""
    return {
        "municipality": t("level_municipality"),
        "arrondissement": t("level_arrondissement"),
        "province": t("level_province"),
        "region": t("level_region"),
        "country": t("level_country"),
    }


def place_names(geo: pd.DataFrame) -> dict[str, str]:
    """Each unit's name in the chosen language (English: the French one for places without
    an English name)."""
    return dict(zip(geo.geo_code, geo[f"name_{lang()}"], strict=False))


def place_labels(geo: pd.DataFrame) -> dict[str, str]:
    """Labels for choosing a unit: its name in the chosen language first, the other
    language's after it when it differs, the level translated and the NIS code
    ("Namur / Namen (province, 90000)")."""
    other = "fr" if lang() == "nl" else "nl"
    first, second = geo[f"name_{lang()}"], geo[f"name_{other}"]
    names = first.where(first == second, first + " / " + second)
    levels = geo.geo_level.map(level_names())
    return dict(zip(geo.geo_code, names + " (" + levels + ", " + geo.geo_code + ")", strict=False))


def chain(geo: pd.DataFrame, code: str) -> list[str]:
    """A unit and the units above it, up to Belgium."""
    parents = dict(zip(geo.geo_code, geo.parent_code, strict=False))
    codes = [code]
    while parents.get(codes[-1]):
        codes.append(parents[codes[-1]])
    return codes


def in_quarter(municipalities: pd.DataFrame, day: pd.Timestamp, code: str) -> tuple[list, str]:
    """The municipalities standing for ``code`` on ``day`` through the crosswalk, and why:
    "" when the code existed that day; "merged" when it had been merged (its successor);
    "predecessors" when it did not exist yet (the municipalities merged into it)."""
    rows = municipalities[municipalities.nis_code == code]
    if rows.empty:
        return [code], ""  # not a municipality
    row = rows.iloc[0]
    if pd.notna(row.valid_to) and day >= row.valid_to and pd.notna(row.merged_into_nis_code):
        return [row.merged_into_nis_code], "merged"
    if day < row.valid_from:
        merged = municipalities[
            (municipalities.merged_into_nis_code == code) & (municipalities.valid_from <= day)
        ]
        return sorted(merged.nis_code), "predecessors"
    return [code], ""


def linked(key: str, options: list, default):
    """Seed widget ``key`` with its value from the shared link (for widgets made elsewhere,
    such as figures.breakdown, that take no initial value)."""
    if key not in st.session_state:
        st.session_state[key] = links.param(key, options, default)


def codes(pub: Publication, column: str) -> list[str]:
    """The codes of a breakdown (sex, age_class, nationality_group), total first."""
    return ["_T", *query(pub, f"select {column} from dim_{column}")[column]]
