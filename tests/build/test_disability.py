"""The disability sources and the disability status: the status is what the delivered files
say, by the documented precedence; the disability figures are sums of their own master cells,
never from 1 to the threshold, and the output check refuses them tampered with (the session's
deliveries, tests/conftest.py: FOD SZ's 2024 allowances missing, every disability source
delivered)."""

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dwh.build import output_check
from dwh.core import paths
from dwh.core.pseudonym import pseudonym
from dwh.deliveries import SOURCES
from dwh.publish import disclosure_parameters
from dwh.serving.publication import current

THRESHOLD, _ = disclosure_parameters().values()
# The status each delivered file gives, by precedence (README, "Disability"): written out
# here, not read from the seed the model uses.
STATUS_OF = {"vsb": "D1", "iriscare_apa": "D1", "fodss_parking": "D2", "fodss": "D3"}
ORDER = ["D1", "D2", "D3"]


@pytest.fixture(scope="module")
def files(built):
    pub = current()
    with (
        duckdb.connect(str(pub.public), read_only=True) as public,
        duckdb.connect(str(pub.warehouse), read_only=True) as warehouse,
    ):
        yield public, warehouse


def _years(built: Path) -> list[int]:
    return sorted(int(p.name) for p in (built / "deliveries" / "rr").iterdir())


def _quarter_end(source, period: str) -> pd.Timestamp:
    """The last day of the quarter a delivered period is about (each source's own format)."""
    if source.institution == "fodss_parking":  # 2024-Q2
        year, quarter = int(period[:4]), int(period[-1])
        return pd.Timestamp(year, 3 * quarter, 1) + pd.offsets.MonthEnd(0)
    day = pd.to_datetime(period, format=source.period_format.replace("%q", ""))
    return day.to_period("Q").end_time.normalize()


def test_the_status_is_what_the_delivered_files_say(built, files, pseudonym_key):
    """Every resident and quarter: the best status of the disability files, read in each
    institution's own shape and pseudonymised with the session's key; D0 when none."""
    _, warehouse = files
    expected, held = _delivered(built, pseudonym_key)
    status = warehouse.execute(
        "select p.pseudonym, p.ref_date, d.disability_status from fct_person_quarter p "
        "join int_person_quarter_disability d using (pseudonym, ref_date)"
    ).df()
    assert len(status) == warehouse.execute("select count(*) from fct_person_quarter").fetchone()[0]
    status["period_end"] = pd.to_datetime(status["ref_date"])
    both = status.merge(expected, on=["pseudonym", "period_end"], how="left")
    both["expected"] = both["expected"].fillna("D0")
    wrong = both[both["disability_status"] != both["expected"]]
    assert wrong.empty, wrong.head()
    counts = both["expected"].value_counts()
    assert set(counts.index) == {"D0", "D1", "D2", "D3"}, counts
    assert counts["D1"] >= 10 and counts["D2"] >= 500 and counts["D3"] >= 50, counts
    # the precedence is exercised: residents holding two statuses or more in a quarter
    several = held.merge(status, on=["pseudonym", "period_end"])
    assert (several["statuses"] >= 2).sum() >= 20


def _delivered(built, key: bytes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per pseudonym and quarter's last day, the best status the delivered disability files
    give (each parsed in its own shape; rows about another year than the file's are left out,
    as the ingest quarantines them), and how many of the statuses each holds."""
    rows = []
    for inst, status in STATUS_OF.items():
        source = SOURCES[inst]
        for year in _years(built):
            path = built / "deliveries" / inst / str(year) / source.file_name.format(year=year)
            if not path.exists():  # a missing delivery (FOD SZ's 2024 allowances)
                continue
            with path.open(newline="", encoding=source.encoding) as f:
                for row in csv.DictReader(f, delimiter=source.delimiter):
                    end = _quarter_end(source, row[source.period])
                    if end.year == year:
                        rows.append((pseudonym(key, row[source.person]), end, ORDER.index(status)))
    found = pd.DataFrame(rows, columns=["pseudonym", "period_end", "rank"])
    grouped = found.groupby(["pseudonym", "period_end"])["rank"]
    best = grouped.min().reset_index()
    best["expected"] = best["rank"].map(dict(enumerate(ORDER)))
    held = grouped.nunique().rename("statuses").reset_index()
    return best.drop(columns="rank"), held


def test_the_masters_hold_the_persons_of_each_published_status(files):
    _, warehouse = files
    differ = warehouse.execute(
        """
        with persons as (
            select ref_date, arrondissement_code, disability_status, sex, age_class,
                count(*) as persons
            from fct_person_quarter join int_person_quarter_disability
                using (pseudonym, ref_date)
            where disability_status in ('D1', 'D2') group by all
        )
        select count(*) from persons full join int_disability_cells as m
            using (ref_date, arrondissement_code, disability_status, sex, age_class)
        where persons.persons is distinct from m.persons
        """
    ).fetchone()[0]
    assert differ == 0
    statuses = warehouse.execute(
        "select list(distinct disability_status order by disability_status) "
        "from int_disability_cells"
    ).fetchone()[0]
    assert statuses == ["D1", "D2"]  # no master of D3 or D0: they are not published


def test_every_disability_figure_is_the_sum_of_its_master_cells(files):
    """Every level, every breakdown and its total, recomputed here from the masters."""
    public, warehouse = files
    masters = warehouse.execute(
        "select ref_date, region_code, province_code, arrondissement_code, disability_status, "
        "sex, age_class, published_persons from int_disability_cells"
    ).df()
    masters["country"] = "01000"
    figures = public.execute("select * from disability_figures").df()
    levels = {
        "country": "country",
        "region": "region_code",
        "province": "province_code",
        "arrondissement": "arrondissement_code",
    }
    dims = ["disability_status", "sex", "age_class"]
    sums = []
    for level, column in levels.items():
        for mask in range(8):
            frame = masters.copy()
            for bit, dim in enumerate(dims):
                if not mask >> bit & 1:
                    frame[dim] = "_T"
            frame = frame.dropna(subset=[column])
            summed = frame.groupby(["ref_date", column, *dims])["published_persons"].sum()
            summed = summed.reset_index().rename(columns={column: "geo_code"})
            summed["geo_level"] = level
            sums.append(summed)
    sums = pd.concat(sums)
    keys = ["geo_level", "geo_code", "ref_date", *dims]
    both = figures.merge(sums, on=keys, how="left", validate="one_to_one")
    both["published_persons"] = both["published_persons"].fillna(0)
    assert (both["status"] != "not_available").all()  # no disability delivery is missing
    published = both[both["persons"].notna()]
    assert (published["persons"] == published["published_persons"]).all()
    assert (both.loc[both["persons"].isna(), "published_persons"] == 0).all()
    assert len(published) >= 1000 and both["persons"].isna().sum() >= 1000


def test_nothing_from_1_to_the_threshold_is_published(files):
    public, _ = files
    small, withheld, published, cells = public.execute(
        f"select count(*) filter (persons <= {THRESHOLD}), count(*) filter (persons is null), "
        "count(persons), count(*) from disability_figures"
    ).fetchone()
    assert small == 0
    assert withheld > 0 and published > 0 and withheld + published == cells


def test_a_missing_allowance_file_makes_no_disability_figure_unavailable(files):
    """FOD SZ's 2024 allowances are missing: they decide the position (n39 not available)
    and D3, which is not published; the published statuses come from other sources."""
    public, _ = files
    assert public.execute(
        "select count(*) from disability_figures where status = 'not_available'"
    ).fetchone() == (0,)
    assert public.execute(
        "select list(distinct unavailable_sources) from local_figures "
        "where status = 'not_available'"
    ).fetchone() == (["fodss"],)


@pytest.fixture
def home(built, tmp_path, monkeypatch):
    copy = tmp_path / "home"
    shutil.copytree(built, copy, symlinks=True, ignore=shutil.ignore_patterns("deliveries"))
    monkeypatch.setenv("DWH_HOME", str(copy))
    return copy


def test_a_tampered_disability_figure_is_flagged(home):
    with duckdb.connect(str(paths.build_db())) as con:
        first, last = con.execute(
            "select min(ref_date), max(ref_date) from disability_figures"
        ).fetchone()
        con.execute(
            "update disability_figures set persons = 3 where rowid = (select min(rowid) from "
            "disability_figures where geo_level = 'arrondissement' and persons is not null "
            "and ref_date = ?)",
            [first],
        )
        con.execute(  # a master cell (outside Brussels: it has a province) changed
            "update int_disability_cells set published_persons = 4 where rowid = (select "
            "min(rowid) from int_disability_cells where published_persons > 0 "
            "and ref_date = ? and province_code is not null)",
            [last],
        )
    report = output_check.check(paths.build_db())
    found = {(v["rule"], v["table"]): v["cells"] for v in report["violations"]}
    # the master cell is in 4 x 2 x 2 x 2 cells: geography (country, region, province,
    # arrondissement) x its status and the total x its sex and the total x its age class and
    # the total
    assert found == {
        ("threshold", "disability_figures"): 1,
        ("additivity", "disability_figures"): 1 + 4 * 2 * 2 * 2,
        ("cell key", "int_disability_cells"): 1,
    }
    assert report["disclosive"]
