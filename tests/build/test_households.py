"""Household composition: the households are what the delivered register says (recomputed
here with pandas from the register's CSV files, not from the models), the household figures
are sums of their own master cells, never from 1 to the threshold, the output check refuses
them tampered with, and the attack on the household table jointly with the person figures
pins no small count (the session's deliveries, tests/conftest.py)."""

import shutil

import attack_households
import duckdb
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from dwh.build import output_check
from dwh.core import paths
from dwh.core.pseudonym import load_record_key, pseudonym, record_key
from dwh.deliveries import SOURCES
from dwh.publish import disclosure_parameters

import attack

THRESHOLD, NOISE = disclosure_parameters().values()
QUARTER = "2025Q2"
PROVINCE = "80000"  # Luxembourg: 44 municipalities, small counts
# Written out here, not read from the seeds the models use.
AGE_BINS = [0, 15, 20, 25, 35, 45, 55, 65, 75, 200]
AGE_CLASSES = ["00-14", "15-19", "20-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
SIZES = {1: "1", 2: "2", 3: "3", 4: "4"}  # 5 or more: "5+"
PERSON = ["sex", "age_class", "nationality_group"]
LEVELS = attack_households.LEVELS


def _register(built, warehouse, key: bytes) -> pd.DataFrame:
    """The accepted rows of the delivered register: every line of each year's CSV but those
    the ingest quarantined (by line number; line 1 is the header)."""
    source = SOURCES["rr"]
    frames = []
    for folder in sorted((built / "deliveries" / "rr").iterdir()):
        year = int(folder.name)
        rows = pd.read_csv(
            folder / source.file_name.format(year=year),
            sep=source.delimiter,
            dtype=str,
            encoding=source.encoding,
        )
        rows["line_number"] = np.arange(len(rows)) + 2
        out = warehouse.execute(
            "select line_number from quarantine_rows where institution_code = 'rr' and year = ?",
            [year],
        ).df()
        frames.append(rows[~rows.line_number.isin(out.line_number)])
    rows = pd.concat(frames, ignore_index=True)
    rows["pseudonym"] = [pseudonym(key, n) for n in rows.INSZ]
    day = pd.to_datetime(rows.REFERENTIEDATUM)
    birth = pd.to_datetime(rows.GEBOORTEDATUM)
    before_birthday = (day.dt.month < birth.dt.month) | (
        (day.dt.month == birth.dt.month) & (day.dt.day < birth.dt.day)
    )
    rows["age"] = day.dt.year - birth.dt.year - before_birthday.astype(int)
    rows["age_class"] = pd.cut(rows.age, AGE_BINS, right=False, labels=AGE_CLASSES).astype(str)
    rows["sex"] = rows.GESLACHT.map({"1": "M", "2": "F"})
    rows["ref_date"] = day.dt.date
    return rows


def _households(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per household and quarter, as the README defines them."""
    # the reference person first, else the partner, else the oldest member (README)
    rank = rows.GEZINSPOSITIE.where(rows.GEZINSPOSITIE.isin(["01", "02"]), "99")
    rows = rows.assign(rank=rank).sort_values(
        ["rank", "age", "pseudonym"], ascending=[True, False, True]
    )
    pos = rows.GEZINSPOSITIE
    rows = rows.assign(
        adult=rows.age >= 18,
        young=rows.age.between(18, 24),
        child=rows.age < 18,
        partner=pos == "02",
        son=pos == "03",
        other=pos == "04",
        collective=pos == "05",
        son_age=rows.age.where(pos == "03"),
    )
    g = rows.groupby(["ref_date", "GEZIN"], sort=False)
    h = g.agg(
        members=("pseudonym", "size"),
        adults=("adult", "sum"),
        young_adults=("young", "sum"),
        children=("child", "sum"),
        partners=("partner", "sum"),
        sons=("son", "sum"),
        others=("other", "sum"),
        collective=("collective", "any"),
        youngest=("son_age", "min"),
        nis_code=("NIS_CODE", "first"),
        sex=("sex", "first"),
        age_class=("age_class", "first"),
        nationality_group=("NATIONALITEITSGROEP", "first"),
    ).reset_index()
    h["household_type"] = np.select(
        [
            h.collective,
            h.members == 1,
            h.others > 0,
            (h.partners == 1) & (h.sons == 0) & (h.members == 2),
            (h.partners == 1) & (h.sons > 0),
            (h.partners == 0) & (h.sons > 0) & (h.adults > 0),
        ],
        ["H6", "H1", "H5", "H2", "H3", "H4"],
        "H5",
    )
    for column in PERSON:
        h.loc[h.collective, column] = "_Z"
    h["household_size"] = h.members.map(SIZES).fillna("5+")
    h["youngest_child_age_class"] = pd.cut(
        h.youngest, AGE_BINS, right=False, labels=AGE_CLASSES
    ).astype(object)
    return h


def test_households_are_what_the_delivered_register_says(built, files, pseudonym_key):
    """Every master cell's true count and every household's members, adults, young adults,
    children and youngest child, by quarter x municipality x type x size x the reference
    person's sex, age class and nationality group, against pandas on the delivered files."""
    _, warehouse = files
    expected = _households(_register(built, warehouse, pseudonym_key))
    keys = ["ref_date", "nis_code", "household_type", "household_size", *PERSON]
    want = expected.groupby(keys).size().rename("expected").reset_index()
    got = warehouse.execute(
        "select ref_date, nis_code, household_type, household_size, sex, age_class, "
        "nationality_group, households from int_household_cells"
    ).df()
    got["ref_date"] = pd.to_datetime(got.ref_date).dt.date
    both = want.merge(got, on=keys, how="outer")
    assert (both.expected == both.households).all(), both[both.expected != both.households]
    assert len(both) >= 1000 and expected.household_type.nunique() == 6
    counts = ["members", "adults", "young_adults", "children"]
    columns = ", ".join(keys[:3] + counts + ["youngest_child_age_class"])
    rows = warehouse.execute(f"select {columns} from int_household_quarter").df()
    rows["ref_date"] = pd.to_datetime(rows.ref_date).dt.date
    by = ["ref_date", "nis_code", "household_type"]
    mine = rows.groupby(by)[counts].sum().sort_index()
    theirs = expected.groupby(by)[counts].sum().sort_index()
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)
    youngest = ["ref_date", "youngest_child_age_class"]
    assert rows.groupby(youngest).size().equals(expected.groupby(youngest).size())
    # households counted once: as many as distinct households in the register
    assert len(rows) == len(expected) == expected.groupby(["ref_date", "GEZIN"]).ngroups


def test_every_household_master_takes_the_stated_method(built, files, pseudonym_key):
    """Each master cell's published value is the README's method (attack.method: small counts
    0 or T + 1, larger ones a noise of -D..+D) for its true count and cell key, recomputed
    here from the delivered register: a household's key the sum of its members' record keys
    (the HMAC of their national numbers under the record-key secret) modulo 256, a cell's the
    sum of its households' keys. Dropping the rounding fails it, and the noise whenever a cell
    above T draws a noise other than 0 (few cells are above T on the session's warehouse)."""
    _, warehouse = files
    rows = _register(built, warehouse, pseudonym_key)
    secret = load_record_key()
    rows["record_key"] = [record_key(secret, n) for n in rows.INSZ]
    homes = _households(rows).merge(
        (rows.groupby(["ref_date", "GEZIN"]).record_key.sum() % 256).reset_index(),
        on=["ref_date", "GEZIN"],
    )
    keys = ["ref_date", "nis_code", "household_type", "household_size", *PERSON]
    cells = homes.groupby(keys).agg(n=("GEZIN", "size"), key_sum=("record_key", "sum"))
    cells = cells.reset_index()
    got = warehouse.execute(
        f"select {', '.join(keys)}, published_households from int_household_cells"
    ).df()
    got["ref_date"] = pd.to_datetime(got.ref_date).dt.date
    both = cells.merge(got, on=keys, how="outer")
    assert both.n.notna().all() and both.published_households.notna().all()
    expected = attack.method(both.n, both.key_sum, THRESHOLD, NOISE)
    assert (both.published_households == expected).all()
    # both sides of the small counts' rounding occur (so the check above saw them)
    small = both[both.n.between(1, THRESHOLD)].published_households
    assert set(small) == {0, THRESHOLD + 1} and len(small) >= 100


def _masters(warehouse) -> pd.DataFrame:
    return warehouse.execute(
        "select ref_date, nis_code, arrondissement_code, province_code, region_code, "
        "household_type, household_size, sex, age_class, nationality_group, households, "
        "published_households from int_household_cells"
    ).df()


def test_every_household_figure_is_the_sum_of_its_master_cells(files):
    """Every level, every breakdown and its total, recomputed here from the masters (in an
    DuckDB query of its own); every master in the finest published cells, so none is left out."""
    public, warehouse = files
    masters = _masters(warehouse)
    dims = "household_type, household_size, sex, age_class, nationality_group"
    by_level = " union all ".join(
        f"select '{level}' as geo_level, {column or repr('01000')} as geo_code, * from masters"
        for level, column in LEVELS.items()
    )
    with public.cursor() as con:  # the masters beside the public file's table
        con.register("masters", masters)
        cells, published, withheld, wrong, missing, lost = con.execute(
            f"""
            with levels as ({by_level}),
            sums as (
                select geo_level, geo_code, ref_date,
                    {", ".join(f"coalesce({d}, '_T') as {d}" for d in dims.split(", "))},
                    sum(published_households) as value
                from levels where geo_code is not null
                group by geo_level, geo_code, ref_date, cube({dims})
            ),
            both_ as (
                select f.households, f.status, coalesce(s.value, 0) as value
                from household_figures as f left join sums as s
                    using (geo_level, geo_code, ref_date, {dims})
            )
            select count(*), count(households), count(*) filter (households is null),
                count(*) filter (households is distinct from nullif(value, 0)),
                count(*) filter (status = 'not_available'),
                (select count(*) from masters as m anti join household_figures as f on
                    f.geo_level = 'municipality' and f.geo_code = m.nis_code
                    and f.ref_date = m.ref_date and f.household_type = m.household_type
                    and f.household_size = m.household_size and f.sex = '_T'
                    and f.age_class = '_T' and f.nationality_group = '_T')
            from both_
            """
        ).fetchone()
    assert missing == 0  # the register is delivered every year
    assert wrong == 0 and lost == 0
    assert published >= 10_000 and withheld >= 10_000 and published + withheld == cells
    # the country's total of each quarter is the sum of every master
    total = public.execute(
        "select ref_date, households from household_figures where geo_level = 'country' and "
        "household_type = '_T' and household_size = '_T' and sex = '_T' and age_class = '_T' "
        "and nationality_group = '_T' order by ref_date"
    ).df()
    per_quarter = masters.groupby("ref_date")["published_households"].sum().sort_index()
    assert total["households"].to_list() == per_quarter.to_list()


def test_nothing_from_1_to_the_threshold_is_published(files):
    public, _ = files
    small, withheld, published, cells = public.execute(
        f"select count(*) filter (households <= {THRESHOLD}), count(*) filter (households is "
        "null), count(households), count(*) from household_figures"
    ).fetchone()
    assert small == 0
    assert withheld > 0 and published > 0 and withheld + published == cells


@pytest.fixture
def home(built, tmp_path, monkeypatch):
    copy = tmp_path / "home"
    shutil.copytree(built, copy, symlinks=True, ignore=shutil.ignore_patterns("deliveries"))
    monkeypatch.setenv("DWH_HOME", str(copy))
    return copy


def test_a_tampered_household_figure_is_flagged(home):
    with duckdb.connect(str(paths.build_db())) as con:
        first, last = con.execute(
            "select min(ref_date), max(ref_date) from household_figures"
        ).fetchone()
        con.execute(
            "update household_figures set households = 3 where rowid = (select min(rowid) from "
            "household_figures where geo_level = 'municipality' and households is not null "
            "and ref_date = ?)",
            [first],
        )
        master = con.execute(  # a master cell (outside Brussels: it has a province) changed
            "select rowid, * from int_household_cells where published_households > 0 "
            "and ref_date = ? and province_code is not null and household_type <> 'H6' "
            "order by rowid limit 1",
            [last],
        ).df()
        con.execute(
            "update int_household_cells set published_households = 4 where rowid = ?",
            [int(master["rowid"].iloc[0])],
        )
        m = master.iloc[0]
        holding = con.execute(  # the published cells holding the master (structure only)
            "select count(*) from household_figures where ref_date = ? and geo_code in "
            "('01000', ?, ?, ?, ?) and household_type in (?, '_T') and household_size in "
            "(?, '_T') and sex in (?, '_T') and age_class in (?, '_T') and nationality_group "
            "in (?, '_T')",
            [
                last,
                m.region_code,
                m.province_code,
                m.arrondissement_code,
                m.nis_code,
                m.household_type,
                m.household_size,
                m.sex,
                m.age_class,
                m.nationality_group,
            ],
        ).fetchone()[0]
    report = output_check.check(paths.build_db())
    found = {(v["rule"], v["table"]): v["cells"] for v in report["violations"]}
    assert holding >= 30
    assert found == {
        ("threshold", "household_figures"): 1,
        ("additivity", "household_figures"): 1 + holding,
        ("cell key", "int_household_cells"): 1,
    }
    assert report["disclosive"]


# The attack: the household table's relations at once, then its relations with the person
# figures (every household has one reference person, a resident of its cell; its members are
# residents of its municipality).


def _truth(warehouse, masters: pd.DataFrame, day) -> np.ndarray:
    real = _masters(warehouse)
    real = real[pd.to_datetime(real.ref_date) == pd.Timestamp(day)]
    keys = ["nis_code", "household_type", "household_size", *PERSON]
    out = masters.merge(real[[*keys, "households"]], how="left", on=keys).sort_values("master")
    return out["households"].fillna(0).to_numpy(float)


def test_the_joint_attack_with_the_person_figures_pins_no_small_count(files):
    """The household table's relations solved at once (attack.py's solver), then its
    relations with the position's figures, both ways: the private households of a reference
    person's cell (municipality x sex x age class x nationality group) are at most its
    residents, and the members of a municipality's households (at least the size class's
    minimum each) at most its residents; the residents' bounds are the sums of the position's
    master cells' bounds (a master the attacker knows to be 0 in value counts for 0..T).
    Neither side gets a count from 1 to T pinned, and every bound holds the truth."""
    public, warehouse = files
    masters, cells, holds, day = attack_households.view(public, QUARTER)
    value = cells["households"].fillna(0).to_numpy(float)
    n = len(masters)
    a_lo, a_hi = attack.propagate(
        holds, value, value, np.zeros(n), np.full(n, attack.BIG), THRESHOLD + 1
    )
    h_lo, h_hi = attack.counts_from_values(a_lo, a_hi, THRESHOLD, NOISE)
    truth = _truth(warehouse, masters, day)
    assert ((h_lo <= truth) & (truth <= h_hi)).all()
    assert (h_lo >= 1).sum() >= 20  # the solver learns: masters proved non-empty

    q = attack.read(public, QUARTER)
    p_lo, p_hi = attack.master_bounds([q], THRESHOLD, NOISE)
    persons = q.masters.assign(lo=p_lo, hi=p_hi)
    positions = public.execute("select count(*) from dim_socio_economic_position").fetchone()[0]
    households = masters.assign(
        lo=h_lo, hi=h_hi, k=masters.household_size.map(attack_households.SIZE_MIN)
    )
    pinned = 0
    for group, potential in ((["nis_code", *PERSON], positions), (["nis_code"], None)):
        # residents of the group: known masters' bounds, T for each master known as 0 in value
        res = persons.groupby(group).agg(hi=("hi", "sum"), lo=("lo", "sum"), known=("hi", "size"))
        if potential is None:  # every position x sex x age class x nationality group
            potential = positions * np.prod(
                [public.execute(f"select count(*) from dim_{d}").fetchone()[0] for d in PERSON]
            )
        res["upper"] = res["hi"] + THRESHOLD * (potential - res["known"])
        private = households[households.household_type != "H6"] if len(group) > 1 else households
        k = 1 if len(group) > 1 else private["k"]
        h = private.assign(k=k, klo=private["lo"] * k)
        h = h.merge(res[["upper"]].reset_index(), how="left", on=group)
        h["upper"] = h["upper"].fillna(THRESHOLD * potential)  # no known person master
        others = h.groupby(group)["klo"].transform("sum") - h["klo"]
        new_hi = np.minimum(h["hi"], np.floor((h["upper"] - others) / h["k"]))
        assert (truth[h["master"]] <= new_hi).all()
        small = (h["lo"] == new_hi) & (h["lo"] >= 1) & (h["lo"] <= THRESHOLD)
        pinned += int(small.sum())
        # the position's masters: at least the members of the households minus the others
        need = h.groupby(group)["klo"].sum().rename("need").reset_index()
        p = persons.merge(need, how="left", on=group).fillna({"need": 0})
        p = p.merge(res[["upper"]].reset_index(), how="left", on=group)
        new_lo = np.maximum(p["lo"], p["need"] - (p["upper"] - p["hi"]))
        pinned += int(((new_lo == p["hi"]) & (new_lo >= 1) & (new_lo <= THRESHOLD)).sum())
    assert pinned == 0


def test_the_same_attack_pins_the_household_counts_without_the_cell_key(files):
    """The attacker is not toothless: published without the cell key (master values equal
    to their counts), the same solver pins the small counts of the household table."""
    public, warehouse = files
    day = public.execute(
        "select max(ref_date) from household_figures where quarter = ?", [QUARTER]
    ).fetchone()[0]
    # without the cell key every potential master is an unknown: those of a province (the
    # cells of the province, its arrondissements and municipalities)
    masters = attack_households.potential(public, day, PROVINCE).reset_index(drop=True)
    masters["master"] = np.arange(len(masters))
    truth = _truth(warehouse, masters, day)
    cells = public.execute(
        "select * from household_figures where quarter = ? and geo_level not in "
        "('country', 'region')",
        [QUARTER],
    ).df()
    keys = ["geo_level", "geo_code", "household_type", "household_size", *PERSON]
    levels = {k: v for k, v in LEVELS.items() if k not in ("country", "region")}
    pairs = attack_households.cell_keys(masters, levels).merge(
        cells.reset_index(names="cell")[["cell", *keys]], on=keys
    )
    holds = sp.csr_matrix(
        (np.ones(len(pairs)), (pairs.cell, pairs.master)), shape=(len(cells), len(masters))
    )
    value = holds @ truth
    n = len(masters)
    lo, hi = attack.propagate(holds, value, value, np.zeros(n), np.full(n, attack.BIG))
    assert ((lo <= truth) & (truth <= hi)).all()
    pinned = (lo == hi) & (lo >= 1) & (lo <= THRESHOLD)
    assert pinned.sum() >= 10
