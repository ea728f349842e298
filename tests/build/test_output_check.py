"""Output checking of the published figures: acro's rules on the true count of every cell,
each answered by the cell key; a warehouse that breaks the cell key's promises is refused."""

import json
import shutil
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dwh.build import output_check
from dwh.build.record import RECORD, read_record
from dwh.core import paths
from dwh.publish import PublishError, disclosure_parameters, publish
from dwh.serving.publication import PUBLIC, current, history

THRESHOLD, _ = disclosure_parameters().values()
# Each table's finest level: its geography and the column of int_figure_cells for it, and
# its breakdowns.
FINEST = {
    "local_figures": ("municipality", "nis_code", ["sex", "age_class"]),
    "global_figures": ("region", "region_code", ["sex", "age_class", "nationality_group"]),
}
# acro's own crosstab of persons, in a child process (matplotlib's cache in the test's folder).
ACRO_CROSSTAB = """
import json, sys
import acro, pandas as pd
rows = pd.read_parquet(sys.argv[1])
categories = json.loads(sys.argv[2])
session = acro.ACRO(suppress=False)
session.config["safe_threshold"] = int(sys.argv[3])
axes = {c: rows[c].astype(pd.CategoricalDtype(v)) for c, v in categories.items()}
session.crosstab(
    index=[axes["region_code"], axes["position_code"]],
    columns=[axes["sex"], axes["age_class"], axes["nationality_group"]],
)
print(json.dumps(session.results.results["output_0"].sdc["summary"]))
"""


def _flag(report: dict, table: str, check: str) -> dict:
    (flag,) = [f for f in report["flags"] if f["table"] == table and f["check"] == check]
    return flag


def _finest(con, table: str, ref_date: str | None = None) -> tuple[int, int]:
    """Zeros and counts from 1 to the threshold among the finest cells of ``table``, summed
    from int_figure_cells (of one quarter if ``ref_date``)."""
    level, column, dims = FINEST[table]
    listed = ", ".join(dims)
    same = " and ".join(f"f.{d} = m.{d}" for d in dims)
    return con.execute(
        f"""
        with m as (
            select ref_date, {column} as geo_code, position_code, {listed}, sum(persons) as n
            from int_figure_cells group by all
        )
        select count(*) filter (m.n is null), count(*) filter (m.n between 1 and ?)
        from {table} as f
        left join m on f.ref_date = m.ref_date and f.geo_code = m.geo_code
            and f.position = m.position_code and {same}
        where f.geo_level = ? and f.position in (select position_code from
            dim_socio_economic_position) and {" and ".join(f"f.{d} <> '_T'" for d in dims)}
            and f.ref_date = coalesce(cast(? as date), f.ref_date)
        """,
        [THRESHOLD, level, ref_date],
    ).fetchone()


def _global_cells(con) -> tuple[int, int, int]:
    """Over every cell of global_figures, its true count summed from int_figure_cells (the
    country and the regions as a cube over the region): cells of zero, cells below the
    threshold + 1, and of these the withheld."""
    return con.execute(
        """
        with positions as (
            select *, position_code as position from int_figure_cells
            union all select *, 'G' || main_group_code from int_figure_cells
            union all select *, '_T' from int_figure_cells
        ),
        truth as (
            select
                ref_date, position,
                if(grouping(region_code) = 1, 'country', 'region') as geo_level,
                coalesce(region_code, '01000') as geo_code,
                coalesce(sex, '_T') as sex, coalesce(age_class, '_T') as age_class,
                coalesce(nationality_group, '_T') as nationality_group,
                sum(persons) as n
            from positions
            group by ref_date, position, cube(region_code, sex, age_class, nationality_group)
        )
        select count(*) filter (t.n is null), count(*) filter (coalesce(t.n, 0) <= ?),
            count(*) filter (coalesce(t.n, 0) <= ? and g.persons is null)
        from global_figures as g left join truth as t using (
            ref_date, position, geo_level, geo_code, sex, age_class, nationality_group
        )
        """,
        [THRESHOLD, THRESHOLD],
    ).fetchone()


def test_the_build_passes_and_acro_flags_the_true_small_counts(in_built, tmp_path):
    report = read_record()["output_check"]
    assert report["violations"] == [] and not report["disclosive"]
    assert report["acro"]["version"] == "1.0.2"
    assert report["acro"]["safe_threshold"] == THRESHOLD + 1
    assert report["checks"]["Sum"] == ["NKCheck", "PPercentCheck"]
    with duckdb.connect(str(paths.build_db()), read_only=True) as con:
        for table in FINEST:
            zeros, small = _finest(con, table)
            assert _flag(report, table, "PresenceOfZeroCheck")["finest"] == zeros > 0
            assert _flag(report, table, "MinimumThresholdCheck")["finest"] == zeros + small
            assert small > 0
        zeros, below, withheld = _global_cells(con)
        quarter = con.execute("select max(ref_date) from int_figure_cells").fetchone()[0]
        in_quarter = _finest(con, "global_figures", str(quarter))
        con.execute(
            "copy (select p.sex, p.age_class, p.nationality_group, p.position_code, "
            "m.region_code from int_person_quarter as p join ref_municipalities as m "
            "using (nis_code) where p.ref_date = ?) to ?",
            [quarter, str(tmp_path / "persons.parquet")],
        )
        categories = {
            column: [r[0] for r in con.execute(f"select {column} from {seed}").fetchall()]
            for column, seed in [
                ("region_code", "ref_regions"),
                ("position_code", "dim_socio_economic_position"),
                ("sex", "ref_sexes"),
                ("age_class", "ref_age_classes"),
                ("nationality_group", "ref_nationality_groups"),
            ]
        }
    threshold = _flag(report, "global_figures", "MinimumThresholdCheck")
    assert _flag(report, "global_figures", "PresenceOfZeroCheck")["cells"] == zeros
    assert (threshold["cells"], threshold["withheld"]) == (below, withheld)
    for flag in report["flags"]:  # each flagged cell withheld or published above T
        assert flag["withheld"] + flag["published"] == flag["cells"]
        if flag["rule"] == "zeros":
            assert flag["published"] == 0
    # acro's own crosstab of one quarter's persons flags what the check counts there.
    env = {"MPLCONFIGDIR": str(tmp_path), "PATH": "", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", ACRO_CROSSTAB, str(tmp_path / "persons.parquet"),
         json.dumps(categories), str(THRESHOLD + 1)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = json.loads(done.stdout)
    assert summary["PresenceOfZeroCheck"] == in_quarter[0]
    assert summary["MinimumThresholdCheck"] == sum(in_quarter)


def test_the_stewards_page_shows_what_acro_flags(in_built, monkeypatch):
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    from i18n import TEXT

    report = current().build_record()["output_check"]
    at = AppTest.from_file(str(paths.PROJECT_DIR / "dashboards" / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = {"name": "sam", "role": "steward", "email": None, "via": "web"}
    at.run()
    at.switch_page("views/stewards.py")
    at.run()
    assert not at.exception
    columns = ("table", "rule", "check", "cells", "withheld", "published", "finest")
    english = [TEXT[f"sw_{c}"]["en"] for c in columns]  # the page's headers, in English
    (shown,) = [d.value for d in at.dataframe if list(d.value.columns) == english]
    assert shown.to_dict("records") == [
        dict(zip(english, (f[c] for c in columns), strict=True)) for f in report["flags"]
    ]
    assert any("Nothing disclosive" in s.value for s in at.success)


@pytest.fixture
def home(built, tmp_path, monkeypatch):
    copy = tmp_path / "home"
    shutil.copytree(built, copy, symlinks=True, ignore=shutil.ignore_patterns("deliveries"))
    monkeypatch.setenv("DWH_HOME", str(copy))
    return copy


def test_a_tampered_warehouse_is_flagged_and_not_published(home):
    served = current()
    published = sorted((home / "serving" / "publications").iterdir())
    log = history().read_text()
    with duckdb.connect(str(paths.build_db())) as con:
        first, last = con.execute(
            "select min(ref_date), max(ref_date) from local_figures"
        ).fetchone()
        con.execute(
            "update local_figures set persons = 3 where rowid = (select min(rowid) from "
            "local_figures where geo_level = 'municipality' and persons is not null "
            "and ref_date = ?)",
            [first],
        )
        con.execute(
            "update global_figures set persons = persons + 7 where rowid = (select min(rowid) "
            "from global_figures where geo_level = 'country' and position = '_T' and sex = '_T'"
            " and age_class = '_T' and nationality_group = '_T' and ref_date = ?)",
            [first],
        )
        con.execute(
            "update global_figures set persons = 0 where rowid = (select min(rowid) "
            "from global_figures where persons is null and ref_date = ?)",
            [first],
        )
        tampered = (
            "select min(rowid) from int_figure_cells where published_persons > 0 "
            "and ref_date = ? and province_code is not null"
        )
        # the indicators' numerators and denominators holding that master cell: each term
        # (position and age band) it falls in, at every level: Belgium and its region by sex
        # and nationality group with their totals (2 x 2 each), province, arrondissement and
        # municipality by sex and its total (2 each)
        (terms,) = con.execute(
            "select count(*) from ref_indicator_terms t join ref_indicators i using (indicator) "
            "join ref_age_classes a on a.min_age >= i.age_from and a.max_age <= i.age_to "
            f"join int_figure_cells m on m.rowid = ({tampered}) and m.age_class = a.age_class "
            "and t.position in (m.position_code, 'G' || m.main_group_code, '_T')",
            [last],
        ).fetchone()
        con.execute(  # a master cell whose value the method cannot give, in another quarter
            f"update int_figure_cells set published_persons = 4 where rowid = ({tampered})",
            [last],
        )
    with pytest.raises(PublishError, match="not the one its output check passed"):
        publish()
    report = output_check.check(paths.build_db())
    found = {(v["rule"], v["table"]): v["cells"] for v in report["violations"]}
    # The master cell (outside Brussels, which has no province) is in 5 x 3 x 4 cells of
    # local_figures (geography, position, the breakdowns and their totals) and 2 x 3 x 8 of
    # global_figures.
    assert found == {
        ("threshold", "local_figures"): 1,
        ("additivity", "local_figures"): 1 + 5 * 3 * 4,
        ("zeros", "global_figures"): 1,
        ("additivity", "global_figures"): 1 + 2 * 3 * 8,
        ("additivity", "indicators"): terms * (2 * 2 + 2 * 2 + 2 + 2 + 2),
        ("cell key", "int_figure_cells"): 1,
    }
    assert terms >= 1  # every age class is in a denominator
    assert report["disclosive"]
    record = read_record()
    record["output_check"] = report  # what the build records
    (paths.build_dir() / RECORD).write_text(json.dumps(record))
    with pytest.raises(PublishError) as refused:
        publish()
    message = str(refused.value)
    assert "output check flags it as disclosive" in message
    assert (
        f"threshold rule, local_figures: 1 cell published with a value from 1 to {THRESHOLD}"
        in message
    )
    assert "zeros rule, global_figures: 1 cell published as 0" in message
    assert "additivity rule, global_figures: 49 cells not the sum" in message
    assert current() == served and history().read_text() == log
    assert sorted((home / "serving" / "publications").iterdir()) == published
    with duckdb.connect(str(served.folder / PUBLIC), read_only=True) as con:
        assert (
            con.execute("select count(*) from local_figures where persons = 3").fetchone()[0] == 0
        )
    assert not (paths.build_dir() / "tmp" / "output-check").exists()


def test_a_public_model_the_check_does_not_know_is_not_published(home, monkeypatch):
    """A new public table (say, wages per municipality) is refused until the check covers it
    or its review is recorded."""
    import dwh.publish

    served = current()
    known = dwh.publish.public_tables()
    assert output_check.unreviewed(known) == []
    monkeypatch.setattr(dwh.publish, "public_tables", lambda: [*known, "int_main_job"])
    with pytest.raises(PublishError, match="neither output-checked nor reviewed: int_main_job"):
        publish()
    assert current() == served
