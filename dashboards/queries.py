"""Read-only access to the served publication, with cached, parameterised queries.

Each query opens a short-lived read-only connection to ``public.duckdb`` of the publication
being served, resolved once per page run: a publication that happens meanwhile changes
nothing for that run, and the next run reads the new one. Results are cached per
publication, so a new publication is never mixed with an old one.
"""

import duckdb
import pandas as pd
import streamlit as st

from dwh.serving.publication import Publication, current

from i18n import t


def publication() -> Publication:
    """The served publication, the pages' entry point; without one, the page says so and stops."""
    pub = current()
    if pub is None:
        st.warning(t("no_publication"))
        st.stop()
    return pub


@st.cache_data(max_entries=2000, show_spinner=False)
def _run(database: str, sql: str, params: tuple) -> pd.DataFrame:
    with duckdb.connect(database, read_only=True) as con:
        return con.execute(sql, list(params)).df()


def query(pub: Publication, sql: str, params: tuple = (), microdata: bool = False):
    """Run a parameterised query against the publication ``pub`` (its public file, or the
    whole warehouse for the stewards' page); user input goes in params."""
    return _run(str(pub.warehouse if microdata else pub.public), sql, tuple(params))


def global_series(units: list[str], positions: list[str], sex: str, age: str, nationality: str):
    """SQL and parameters of the global figures behind the global page's charts."""
    return (
        "select geo_code, quarter, position, persons from global_figures "
        "where list_contains(?, geo_code) and list_contains(?, position) and sex = ? "
        "and age_class = ? and nationality_group = ? order by quarter",
        (units, positions, sex, age, nationality),
    )


def local_quarter(quarter: str, sex: str, age: str, position: str):
    """SQL and parameters of one quarter's local figures for a position and the total."""
    return (
        "select geo_level, geo_code, position, persons from local_figures where quarter = ? "
        "and sex = ? and age_class = ? and position in (?, '_T')",
        (quarter, sex, age, position),
    )


def quarters(pub: Publication) -> list[str]:
    return query(pub, "select distinct quarter from global_figures order by 1")["quarter"].tolist()


def positions(pub: Publication) -> pd.DataFrame:
    return query(pub, "select * from dim_socio_economic_position order by category")


def geography(pub: Publication) -> pd.DataFrame:
    return query(pub, "select * from dim_geography")


WITHHELD = "x"  # how a withheld count is shown, as Statbel and Eurostat mark confidential cells


def shown(values: pd.Series, pub: Publication) -> pd.Series:
    """Counts for display: withheld cells show the marker, never a number."""
    return values.map(lambda v: WITHHELD if pd.isna(v) else f"{int(v):,}".replace(",", " "))
