"""The disability sources and the disability status: the status is what the delivered files
say, by the documented precedence; the disability figures are sums of their own master cells,
never from 1 to the threshold, and the output check refuses them tampered with (the session's
deliveries, tests/conftest.py: FOD SZ's 2024 allowances missing, every disability source
delivered)."""

import csv
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from dwh.build import output_check
from dwh.core import paths
from dwh.core.pseudonym import pseudonym
from dwh.deliveries import SOURCES
from dwh.publish import disclosure_parameters

import attack

THRESHOLD, NOISE = disclosure_parameters().values()
LEVELS = {  # the disability figures' geographic levels and their column
    "country": None,
    "region": "region_code",
    "province": "province_code",
    "arrondissement": "arrondissement_code",
}
# The status each delivered file gives, by precedence (README, "Disability"): written out
# here, not read from the seed the model uses.
STATUS_OF = {"vsb": "D1", "iriscare_apa": "D1", "fodss_parking": "D2", "fodss": "D3"}
ORDER = ["D1", "D2", "D3"]


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


def test_no_walloon_source_gives_d1_so_it_is_not_applicable_there(files):
    """D1 (a Flemish care budget or a Brussels assistance allowance) has no Walloon source:
    its cells in Wallonia's units are not applicable (no figure, not withheld), every other
    cell keeps its own status, and Wallonia's D2 and total are published as elsewhere."""
    public, warehouse = files
    region_of = dict(
        warehouse.execute(
            "select distinct arrondissement_code, region_code from ref_municipalities union "
            "select distinct province_code, region_code from ref_municipalities "
            "where province_code is not null"
        ).fetchall()
    )
    figures = public.execute(
        "select geo_code, disability_status, status, persons, is_suppressed from disability_figures"
    ).df()
    figures["region"] = figures.geo_code.map(region_of).fillna(figures.geo_code)
    inapplicable = figures[figures.status == "not_applicable"]
    assert set(zip(inapplicable.region, inapplicable.disability_status, strict=True)) == {
        ("03000", "D1")
    }
    assert inapplicable.persons.isna().all() and not inapplicable.is_suppressed.any()
    walloon_d1 = figures[(figures.region == "03000") & (figures.disability_status == "D1")]
    assert set(walloon_d1.status) == {"not_applicable"} and len(walloon_d1) >= 100
    published = figures[figures.status == "published"]
    shown = set(zip(published.region, published.disability_status, strict=True))
    # D1 elsewhere is a few persons here, which the noise may withhold whole: not required
    assert {("03000", "D2"), ("03000", "_T"), ("01000", "D2")} <= shown


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


def _disability_view(public, quarter: str):
    """The attacker's view of the disability figures of ``quarter``: the potential master cells
    (arrondissement valid on the day x published status x sex x age class), the published
    cells and which masters each holds (cells x masters, 0/1)."""
    masters = public.execute(
        "select distinct arrondissement_code, province_code, region_code from dim_municipality "
        "where (valid_from is null or valid_from <= ?) and (valid_to is null or ? < valid_to)",
        [_day(public, quarter)] * 2,
    ).df()
    masters = masters.merge(
        public.execute(
            "select disability_status from dim_disability_status where is_published"
        ).df(),
        how="cross",
    )
    for dim in ("sex", "age_class"):
        masters = masters.merge(public.execute(f"select {dim} from dim_{dim}").df(), how="cross")
    masters["master"] = np.arange(len(masters))
    dims = ["disability_status", "sex", "age_class"]
    keys = []
    for level, column in LEVELS.items():
        for mask in range(2 ** len(dims)):
            frame = pd.DataFrame({"master": masters["master"], "geo_level": level})
            frame["geo_code"] = "01000" if column is None else masters[column]
            for bit, dim in enumerate(dims):
                frame[dim] = masters[dim] if mask >> bit & 1 else "_T"
            keys.append(frame)
    keys = pd.concat(keys).dropna(subset=["geo_code"])
    cells = public.execute(
        "select geo_level, geo_code, disability_status, sex, age_class, persons, status "
        "from disability_figures where quarter = ?",
        [quarter],
    ).df()
    cells = cells[cells["status"] != "not_available"].reset_index(drop=True)
    pairs = keys.merge(cells.reset_index(names="cell"), on=["geo_level", "geo_code", *dims])
    holds = sp.csr_matrix(
        (np.ones(len(pairs)), (pairs["cell"], pairs["master"])), shape=(len(cells), len(masters))
    )
    return masters, cells, holds


def _day(public, quarter: str):
    return public.execute(
        "select max(ref_date) from local_figures where quarter = ?", [quarter]
    ).fetchone()[0]


def _disability_truth(warehouse, masters: pd.DataFrame, quarter: str) -> np.ndarray:
    real = warehouse.execute(
        "select arrondissement_code, disability_status, sex, age_class, persons "
        "from int_disability_cells where strftime(ref_date, '%Y') || 'Q' || "
        "cast(quarter(ref_date) as varchar) = ?",
        [quarter],
    ).df()
    keys = ["arrondissement_code", "disability_status", "sex", "age_class"]
    out = masters.merge(real, how="left", on=keys).sort_values("master")
    return out["persons"].fillna(0).to_numpy(float)


def test_the_joint_attack_with_the_position_figures_pins_no_small_count(files):
    """The disability table's relations solved at once (as attack.py does for the position's
    figures), then its one relation with the position's figures: the persons of a status are
    at most the residents of their arrondissement x sex x age class, whose upper bound is the
    sum of the position's master cells' upper bounds (a master left out by the attacker as
    published 0 counts for T). Neither side gets a count from 1 to T pinned. (On the session's
    4,000 persons the relation tightens no bound at all: the residents' upper bound stays far
    above the persons of a status in every arrondissement x sex x age class.)"""
    public, warehouse = files
    quarter = "2025Q2"
    masters, cells, holds = _disability_view(public, quarter)
    value = cells["persons"].fillna(0).to_numpy(float)
    n = len(masters)
    a_lo, a_hi = attack.propagate(
        holds, value, value, np.zeros(n), np.full(n, attack.BIG), THRESHOLD + 1
    )
    d_lo, d_hi = attack.counts_from_values(a_lo, a_hi, THRESHOLD, NOISE)
    truth = _disability_truth(warehouse, masters, quarter)
    assert ((d_lo <= truth) & (truth <= d_hi)).all()
    assert (d_lo >= 1).sum() >= 10  # the solver learns: masters proved non-empty

    q = attack.read(public, quarter)
    p_lo, p_hi = attack.master_bounds([q], THRESHOLD, NOISE)
    group = ["arrondissement_code", "sex", "age_class"]
    known = q.masters.assign(hi=p_hi).groupby(group).agg(hi=("hi", "sum"), unknown=("hi", "size"))
    potential = public.execute(
        "select arrondissement_code, count(*) * (select count(*) from "
        "dim_socio_economic_position) * (select count(*) from dim_nationality_group) as cells "
        "from dim_municipality where (valid_from is null or valid_from <= ?) and "
        "(valid_to is null or ? < valid_to) group by 1",
        [_day(public, quarter)] * 2,
    ).df()
    residents = (
        masters.drop_duplicates(group)[group]
        .merge(potential)
        .merge(known.reset_index(), how="left")
    )
    residents = residents.fillna({"hi": 0, "unknown": 0})
    residents["upper"] = residents["hi"] + THRESHOLD * (residents["cells"] - residents["unknown"])
    d = masters.assign(lo=d_lo, hi=d_hi).merge(residents[[*group, "upper"]], how="left")
    d = d.sort_values("master")
    others = d.groupby(group)["lo"].transform("sum") - d["lo"]
    new_hi = np.minimum(d_hi, (d["upper"] - others).to_numpy())
    assert (truth <= new_hi).all()
    small = (d_lo == new_hi) & (d_lo >= 1) & (d_lo <= THRESHOLD)
    assert small.sum() == 0
    # the position's masters: at least the persons of the statuses minus the other masters
    p = q.masters.assign(lo=p_lo, hi=p_hi).merge(residents[[*group, "upper"]], how="left")
    status_lo = d.groupby(group)["lo"].sum().rename("status_lo").reset_index()
    p = p.merge(status_lo, how="left").fillna({"status_lo": 0})
    new_lo = np.maximum(p_lo, (p["status_lo"] - (p["upper"] - p["hi"])).to_numpy())
    assert (((new_lo == p_hi) & (new_lo >= 1) & (new_lo <= THRESHOLD)).sum()) == 0


def test_the_same_attack_pins_the_disability_counts_without_the_cell_key(files):
    """The attacker is not toothless: published without the cell key (master values equal
    to their counts), the same solver pins the small counts of the disability table."""
    public, warehouse = files
    quarter = "2025Q2"
    masters, cells, holds = _disability_view(public, quarter)
    truth = _disability_truth(warehouse, masters, quarter)
    value = holds @ truth
    n = len(masters)
    lo, hi = attack.propagate(holds, value, value, np.zeros(n), np.full(n, attack.BIG))
    pinned = (lo == hi) & (lo >= 1) & (lo <= THRESHOLD) & (lo == truth)
    assert pinned.sum() >= 20
