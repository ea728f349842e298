"""Reading the published warehouse: the real rows, samples, code lists and figures a run needs.

Everything comes from one publication (the one served when the run starts): its warehouse
(``wh``) and its public file of disclosure-controlled figures (``pub``), attached read-only to
an in-memory DuckDB that also holds the run's working tables.
"""

import math

import duckdb
import pandas as pd

from dwh.core import paths
from dwh.serving.publication import Publication

QUASI_IDENTIFIERS = ("nis_code", "sex", "age", "nationality_group", "position_code")


class SynthesisError(Exception):
    """The run cannot go on; the message says why and what to do."""


def connect(publication: Publication, memory_limit: str = "1500MB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB (bounded; it spills to $DWH_HOME/tmp) with the publication."""
    spill = paths.home() / "tmp" / "synthesis"
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": str(spill)})
    con.execute("attach ? as wh (read_only)", [str(publication.warehouse)])
    con.execute("attach ? as pub (read_only)", [str(publication.public)])
    return con


def schema(con) -> list[tuple[str, str]]:
    """Columns and types of the real person-quarter table, in order."""
    return [
        (name, type_)
        for name, type_, *_ in con.execute("describe wh.main.fct_person_quarter").fetchall()
    ]


def check_period(con, quarters: tuple[str, ...]):
    held = [
        q
        for (q,) in con.execute(
            "select distinct quarter from wh.main.fct_person_quarter order by 1"
        ).fetchall()
    ]
    missing = [q for q in quarters if q not in held]
    if missing:
        span = f"{held[0]}-{held[-1]}" if held else "nothing"
        raise SynthesisError(
            f"the published warehouse holds {span}; it lacks {', '.join(missing[:4])}"
            f"{' …' if len(missing) > 4 else ''}"
        )


def population(con, quarter: str) -> pd.Series:
    """Real persons per position in a quarter (internal: never released)."""
    return (
        con.execute(
            "select position_code, count(*) n from wh.main.fct_person_quarter "
            "where quarter = ? group by 1",
            [quarter],
        )
        .df()
        .set_index("position_code")["n"]
    )


def samples(
    con, quarter: str, total: int, fit_rows: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two disjoint samples of a quarter's persons, stratified by position and region: the
    fit sample (at most ``fit_rows``, 80% when the population is smaller) and a holdout the
    model never sees (a fifth of the fit sample's size, at most 10,000), to calibrate the
    privacy measures against real people. ``total``: the persons in the quarter."""
    fit_share = min(0.8, fit_rows / total)
    holdout_share = min(0.2, 10_000 / total, fit_share / 4)
    # Rank only a random superset of what is needed (all of a small stratum): the window
    # then sorts a few percent of a national quarter instead of all of it.
    superset = min(10_000, math.ceil(10_000 * 3 * (fit_share + holdout_share)))
    con.execute(
        """
        create or replace temp table draws as
        with strata as (
            select position_code, region_code, count(*) as stratum
            from wh.main.fct_person_quarter where quarter = ? group by all
        )
        select f.*, s.stratum,
            row_number() over (
                partition by position_code, region_code order by hash(pseudonym, ?)
            ) as draw
        from wh.main.fct_person_quarter f join strata s using (position_code, region_code)
        where f.quarter = ? and (hash(f.pseudonym, ?) % 10000 < ? or s.stratum < 1000)
        """,
        [quarter, seed, quarter, seed, superset],
    )
    order = " order by position_code, region_code, draw"
    fit = con.execute(
        "select * from draws where draw <= ceil(stratum * ?)" + order, [fit_share]
    ).df()
    holdout = con.execute(
        "select * from draws where draw > ceil(stratum * ?) "
        "and draw <= ceil(stratum * ?) + ceil(stratum * ?)" + order,
        [fit_share, fit_share, holdout_share],
    ).df()
    con.execute("drop table draws")
    return fit, holdout


def coarse(n: int) -> int:
    """A count taken from the real microdata (a sample's size), as a released report may show
    it: to the hundred. A sample is a fixed share of the population, so its exact size would
    give the real population, which the published total shows only with noise; to the hundred
    it tells less than that total does."""
    return int(round(n, -2))


# The published national figures of a quarter: per position, and in all ('_T').
NATIONAL_FIGURES = """
    select position, persons from pub.main.global_figures
    where geo_level = 'country' and quarter = ? and sex = '_T' and age_class = '_T'
        and nationality_group = '_T' and persons is not null
"""


def published_population(con, quarter: str) -> pd.Series:
    """Published persons per position (one of the 19) in a quarter; withheld ones absent."""
    return (
        con.execute(
            f"select * from ({NATIONAL_FIGURES}) where position in "
            "(select position_code from wh.main.ref_socio_economic_positions) order by position",
            [quarter],
        )
        .df()
        .set_index("position")["persons"]
        .rename_axis("position_code")
    )


def published_total(con, quarter: str) -> int:
    """The published number of persons in Belgium in a quarter (all positions)."""
    found = con.execute(
        f"select persons from ({NATIONAL_FIGURES}) where position = '_T'", [quarter]
    ).fetchall()
    return int(found[0][0]) if found else 0


# The figures the fidelity of the synthetic data is measured against: the cells they show
# (withheld ones, null, left out), with the columns of fct_person_quarter they count.
PUBLISHED_FIGURES = {
    "global": """
        select quarter, geo_code as region_code, sex, age_class, position as position_code,
            persons
        from pub.main.global_figures
        where geo_level = 'region' and sex <> '_T' and age_class <> '_T'
            and nationality_group = '_T' and persons is not null
            and position in (select position_code from wh.main.ref_socio_economic_positions)
    """,
    "local": """
        select quarter, geo_code as nis_code, cast(substr(position, 2) as integer)
            as main_group_code, persons
        from pub.main.local_figures
        where geo_level = 'municipality' and sex = '_T' and age_class = '_T'
            and position like 'G%' and persons is not null
    """,
}


def published_figures(con, level: str, quarters: tuple[str, ...]) -> pd.DataFrame:
    """The ``level`` ('global' or 'local') published figures of ``quarters`` that show
    persons, by the columns of fct_person_quarter they count."""
    return con.execute(
        f"select * from ({PUBLISHED_FIGURES[level]}) where quarter in (select unnest(?)) "
        "order by all",  # the draws from them must not depend on the order of the threads
        [list(quarters)],
    ).df()


# The published municipality x position figures (all sexes and ages), by their real keys.
MUNICIPALITY_FIGURES = """
    select quarter, geo_code as nis_code, position as position_code, persons
    from pub.main.local_figures
    where geo_level = 'municipality' and sex = '_T' and age_class = '_T'
"""


def published_cells(con, quarters: tuple[str, ...]) -> pd.DataFrame:
    """The published figures of municipality x position (one of the 19) in ``quarters`` that
    show persons: quarter, nis_code, position_code, persons. Withheld figures are absent."""
    return con.execute(
        f"select * from ({MUNICIPALITY_FIGURES}) where quarter in (select unnest(?)) "
        "and persons > 0 "
        "and position_code in (select position_code from wh.main.ref_socio_economic_positions) "
        # DuckDB's threads return rows in any order; the draws from them must not depend on it
        "order by quarter, nis_code, position_code",
        [list(quarters)],
    ).df()


def withheld_shown(con, relation: str) -> dict:
    """The municipality x position x quarter combinations of ``relation`` and how many of them
    have no published figure (withheld, or absent): each of those would tell that a cell the
    figures withhold is not empty."""
    combinations, withheld = con.execute(
        f"""
        with shown as (select distinct quarter, nis_code, position_code from {relation})
        select count(*), count(*) filter (where f.persons is null)
        from shown s left join ({MUNICIPALITY_FIGURES}) f
            using (quarter, nis_code, position_code)
        """
    ).fetchall()[0]
    return {"combinations": combinations, "withheld": withheld}


def register_uniques(con, quarters: tuple[str, ...]):
    """Temp table ``real_uniques``: the quasi-identifier combinations that a single real person
    has in a quarter."""
    qi = ", ".join(QUASI_IDENTIFIERS)
    con.execute(
        f"""
        create or replace temp table real_uniques as
        select quarter, {qi}
        from wh.main.fct_person_quarter
        where quarter in (select unnest(?))
        group by quarter, {qi}
        having count(*) = 1
        """,
        [list(quarters)],
    )


def _unique_join(relation: str) -> str:
    on = " and ".join(f"c.{c} = u.{c}" for c in ("quarter", *QUASI_IDENTIFIERS))
    return f"from {relation} c join real_uniques u on {on}"


def matches_unique(con, rows: pd.DataFrame) -> pd.Series:
    """Which rows (with quarter and the quasi-identifiers) reproduce a real unique."""
    keys = rows[["quarter", *QUASI_IDENTIFIERS]].reset_index(names="row")
    con.register("candidate_rows", keys)
    hit = con.execute(f"select c.row {_unique_join('candidate_rows')}").df()["row"]
    con.unregister("candidate_rows")
    return rows.index.to_series().isin(hit)


def unique_matches(con, relation: str) -> int:
    """How many rows of ``relation`` reproduce a real unique."""
    return con.execute(f"select count(*) {_unique_join(relation)}").fetchall()[0][0]


DURATIONS = 4  # quarters in a position counted apart (1, 2, 3, 4 or more)


def transitions(con, quarters: tuple[str, ...]) -> pd.DataFrame:
    """Quarter-to-quarter moves between positions of persons present in both quarters, with
    the region before the move, the sex and age class after it, and the quarters spent in the
    position before the move since the period began (at most DURATIONS)."""
    con.register("period_quarters", pd.DataFrame({"quarter": quarters, "i": range(len(quarters))}))
    out = con.execute(
        f"""
        with rows as (
            select f.pseudonym, q.i, f.position_code, f.region_code, f.sex, f.age_class,
                case when lag(q.i) over w = q.i - 1
                    and lag(f.position_code) over w = f.position_code then 0 else 1 end as starts
            from wh.main.fct_person_quarter f join period_quarters q using (quarter)
            window w as (partition by f.pseudonym order by q.i)
        ),
        spells as (
            select *, sum(starts) over (partition by pseudonym order by i) as spell from rows
        ),
        timed as (
            select *, row_number() over (partition by pseudonym, spell order by i) as duration
            from spells
        )
        select a.position_code as pos_from, b.position_code as pos_to, a.region_code,
            b.sex, b.age_class, least(a.duration, {DURATIONS}) as duration, count(*) as n
        from timed a join timed b on b.pseudonym = a.pseudonym and b.i = a.i + 1
        group by all
        order by all
        """
    ).df()
    con.unregister("period_quarters")
    return out


def municipalities(con) -> pd.DataFrame:
    return con.execute(
        "select nis_code, arrondissement_code, province_code, region_code, "
        "cast(valid_from as timestamp) as valid_from, cast(valid_to as timestamp) as valid_to "
        "from wh.main.ref_municipalities"
    ).df()


def crosswalk(con) -> pd.DataFrame:
    return con.execute(
        "select old_nis_code, new_nis_code, cast(effective_date as timestamp) as effective_date "
        "from wh.main.ref_municipality_crosswalk where old_nis_code <> new_nis_code"
    ).df()


def age_classes(con) -> pd.DataFrame:
    return con.execute("select age_class, min_age, max_age from wh.main.ref_age_classes").df()


def main_groups(con) -> pd.Series:
    return (
        con.execute(
            "select position_code, main_group_code from wh.main.ref_socio_economic_positions"
        )
        .df()
        .set_index("position_code")["main_group_code"]
    )
