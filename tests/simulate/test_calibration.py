"""The simulated deliveries reproduce the published Belgian rates and shares of the calibration
file, and households are families. Measured on the delivered files themselves (one year of
30,000 persons), against the file's values."""

import csv

import duckdb
import pytest

from dwh.core import paths
from dwh.simulate.calibration import FILE
from dwh.simulate.run import Imperfections, simulate

DAY = "2023-12-31"
REGIONS = {"flanders": "02000", "wallonia": "03000", "brussels": "04000"}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Register, DmfA and RSVZ files of 2023 as DuckDB views, with each resident's region."""
    out = tmp_path_factory.mktemp("calibrated")
    simulate(30_000, [2023], 3, Imperfections.none(), out)
    con = duckdb.connect()
    seeds = paths.SEEDS_DIR / "ref_municipalities.csv"
    for name, path, delim in [
        ("rr", out / "rr/2023/rr_2023.csv", ";"),
        ("dmfa", out / "onss/2023/dmfa_2023.csv", ","),
        ("rsvz", out / "inasti/2023/rsvz_2023.txt", "|"),
        ("mi", out / "mi/2023/mi_2023.csv", ","),
        ("muni", seeds, ","),
    ]:
        con.read_csv(str(path), sep=delim, header=True, all_varchar=True).create(name)
    con.execute(
        """
        create table residents as
        select rr.*, muni.region_code,
            2023 - year(cast(GEBOORTEDATUM as date)) as age,  -- on 31 December
            exists (select 1 from dmfa where dmfa.niss = rr.INSZ and dmfa.quarter = '20234')
            or exists (select 1 from rsvz where rsvz.INSZ = rr.INSZ and KWARTAAL = '2023/4')
            as working
        from rr join muni on muni.nis_code = rr.NIS_CODE and muni.valid_from = '2019-01-01'
        where REFERENTIEDATUM = ?
        """,
        [DAY],
    )
    return con


@pytest.fixture(scope="module")
def published() -> dict[str, float]:
    with FILE.open(newline="") as f:
        return {row["indicator"]: float(row["value"]) for row in csv.DictReader(f)}


def _near(found: float, expected: float, tolerance: float = 0.10):
    assert abs(found / expected - 1) <= tolerance, (found, expected)


def test_employment_rates_by_region_and_sex(files, published):
    def rate(where: str) -> float:
        return files.execute(
            "select 100 * avg(case when working then 1 else 0 end) from residents "
            f"where age between 20 and 64 {where}"
        ).fetchone()[0]

    _near(rate(""), published["employment_rate_20_64"])
    for name, code in REGIONS.items():
        _near(rate(f"and region_code = '{code}'"), published[f"employment_rate_20_64_{name}"])
    _near(rate("and GESLACHT = '1'"), published["employment_rate_20_64_men"])
    _near(rate("and GESLACHT = '2'"), published["employment_rate_20_64_women"])
    # the contrasts themselves, not only the levels
    assert rate("and GESLACHT = '1'") - rate("and GESLACHT = '2'") > 4
    assert rate("and region_code = '02000'") - rate("and region_code = '03000'") > 7


def test_part_time_shares_of_employees_by_sex(files, published):
    def share(sex: str) -> float:
        return files.execute(
            """
            with main as (
                select niss, arg_max(time_regime, cast(days_paid as integer)) as regime
                from dmfa where quarter = '20234' group by niss
            )
            select 100 * avg(case when regime = 'P' then 1 else 0 end)
            from residents join main on main.niss = residents.INSZ
            where GESLACHT = ? and not exists (
                select 1 from rsvz where rsvz.INSZ = residents.INSZ and KWARTAAL = '2023/4'
                and STATUUT in ('Z1', 'H1')
            )
            """,
            [sex],
        ).fetchone()[0]

    _near(share("1"), published["part_time_share_men"])
    _near(share("2"), published["part_time_share_women"])


def test_social_integration_share_and_full_time_wages(files, published):
    ris = files.execute(
        "select 100 * count(distinct mi.niss) / (select count(*) from residents) "
        "from mi where month = '2023-12' and type = 'RIS'"
    ).fetchone()[0]
    national = 100 * published["social_integration_recipients"] / 11_500  # thousands
    _near(ris, national, 0.15)
    d1, median, d9 = files.execute(
        "select quantile_cont(cast(gross_wage as double) / 3, [0.1, 0.5, 0.9]) from dmfa "
        "where quarter = '20234' and cast(part_time_pct as double) = 100"
    ).fetchone()[0]
    # 2022's deciles indexed a year on: within 10 % of the published ones, above them
    _near(median, published["gross_monthly_wage_full_time_median"])
    _near(d1, published["gross_monthly_wage_full_time_d1"])
    _near(d9, published["gross_monthly_wage_full_time_d9"])
    assert median > published["gross_monthly_wage_full_time_median"]


def test_households_are_families_of_the_published_size(files, published):
    size, one = files.execute(
        "select avg(n), 100 * avg(case when n = 1 then 1 else 0 end) from ("
        "select GEZIN, count(*) as n from residents where GEZINSPOSITIE <> '05' group by GEZIN)"
    ).fetchone()
    _near(size, published["private_household_mean_size"])
    _near(one, published["one_person_household_share"])
    # members share the address; a private household has one reference person
    assert (
        files.execute(
            "select count(*) from (select GEZIN from residents group by GEZIN "
            "having count(distinct NIS_CODE) > 1)"
        ).fetchone()[0]
        == 0
    )
    assert (
        files.execute(
            "select count(*) from (select GEZIN from residents where GEZINSPOSITIE <> '05' "
            "group by GEZIN having count(*) filter (where GEZINSPOSITIE = '01') <> 1)"
        ).fetchone()[0]
        == 0
    )
    # every child lives with a parent (reference person or partner) at least 15 years older
    children, orphans = files.execute(
        """
        select count(*), count(*) filter (where not exists (
            select 1 from residents as p where p.GEZIN = c.GEZIN
            and p.GEZINSPOSITIE in ('01', '02') and p.age >= c.age + 15
        ))
        from residents as c where c.GEZINSPOSITIE = '03'
        """
    ).fetchone()
    assert children > 5000 and orphans == 0
    # and nearly every minor is such a child
    minors_as_children = files.execute(
        "select avg(case when GEZINSPOSITIE = '03' then 1 else 0 end) from residents where age < 18"
    ).fetchone()[0]
    assert minors_as_children > 0.95
