"""Longitudinal extracts: spells recomputed from the warehouse, anonymous trajectories
k-anonymous and l-diverse as a whole (and the attack that singles persons out when they are
checked quarter by quarter only), the withheld-cell rule in every quarter, the form's checks."""

import hashlib
import hmac
import json

import duckdb
import pandas as pd
import pytest

from dwh.extracts import anonymity, withheld
from dwh.extracts.produce import produce
from dwh.requests import form
from dwh.serving import catalogue
from dwh.serving.publication import current

from factory import approved, body

QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
POSITION = ("position_code", "main_group_code")


def _extract(people, kind, structure, variables, **changes) -> tuple[str, pd.DataFrame, dict]:
    number = approved(
        people,
        kind,
        structure=structure,
        variables={v: "needed" for v in variables},
        **changes,
    )
    folder = produce(number, people["sam"])
    book = json.loads((folder / "codebook.json").read_text())
    return number, pd.read_parquet(folder / "data.parquet"), book


def _warehouse(sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(str(current().warehouse), read_only=True) as con:
        return con.execute(sql, params or []).df()


def _project_pseudonym(master: bytes, number: str):
    """The README's rule, computed here: HMAC-SHA256 (first 32 hex characters) under a key
    derived with HKDF-SHA256 (RFC 5869; salt ``lmsp-dwh``, info ``extracts/<number>``) from
    the master key."""
    prk = hmac.new(b"lmsp-dwh", master, hashlib.sha256).digest()  # HKDF-Extract
    key = hmac.new(prk, f"extracts/{number}".encode() + b"\x01", hashlib.sha256).digest()
    return lambda p: hmac.new(key, p.encode(), hashlib.sha256).hexdigest()[:32]


def _spells(rows: pd.DataFrame, quarters: list[str], position: str) -> pd.DataFrame:
    """Spells recomputed with pandas: a new spell where the person, the position or the run of
    consecutive quarters changes."""
    rows = rows.assign(t=rows["quarter"].map({q: i for i, q in enumerate(quarters)}))
    rows = rows.sort_values(["pseudonym", "t"]).reset_index(drop=True)
    before = rows.shift()
    new = (
        (rows["pseudonym"] != before["pseudonym"])
        | (rows[position] != before[position])
        | (rows["t"] != before["t"] + 1)
    )
    rows["spell"] = new.cumsum()
    spells = rows.groupby("spell").agg(
        pseudonym=("pseudonym", "first"),
        spell_start=("quarter", "first"),
        spell_end=("quarter", "last"),
        spell_quarters=("t", "size"),
        position=(position, "first"),
        first=("t", "first"),
        last=("t", "last"),
        age=("age", "first"),
    )
    spells["left_censored"] = spells["first"] == 0
    spells["right_censored"] = spells["last"] == len(quarters) - 1
    return spells.rename(columns={"position": position}).drop(columns=["first", "last"])


def test_spells_equal_those_recomputed_from_the_warehouse(people, pseudonym_key):
    quarters = QUARTERS[2:7]  # 2024Q3-2025Q3: spells censored on both sides and in between
    population = {**form.blank()["population"], "age_min": 20, "age_max": 60}
    variables = ["position_code", "age"]
    number, data, book = _extract(
        people,
        "pseudonymised",
        "spells",
        variables,
        periods=quarters,
        population=population,
    )
    rows = _warehouse(
        "select pseudonym, quarter, position_code, age from fct_person_quarter "
        "where quarter in (select unnest(?)) and age between 20 and 60",
        [quarters],
    )
    expected = _spells(rows, quarters, "position_code")
    expected["pseudonym"] = expected["pseudonym"].map(_project_pseudonym(pseudonym_key, number))
    columns = ["pseudonym", "spell_start", "spell_end", "spell_quarters", "position_code"]
    columns += ["left_censored", "right_censored", "age"]
    assert list(data.columns) == columns
    ordered = expected[columns].sort_values(["pseudonym", "spell_start"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(data, ordered, check_dtype=False)
    # every kind of spell is there: censored on the left, the right, both and neither, and
    # spells ended by a quarter out of the population asked (here: past 60)
    kinds = data.groupby(["left_censored", "right_censored"]).size()
    assert len(kinds) == 4 and kinds.min() > 10
    assert data["spell_quarters"].max() == len(quarters) and data["spell_quarters"].min() == 1
    labels = {v["name"]: v["label"] for v in book["variables"]}
    assert "first quarter" in labels["age"] and labels["right_censored"].startswith("The spell")


def _assert_whole_trajectories_anonymous(data: pd.DataFrame):
    """Every row shares all its values with at least 4 other rows (k = 5 on the whole
    trajectory: a row per person, or a spell of a trajectory shared by 5 persons), and each
    combination of the other values holds at least 2 sequences of positions (l = 2)."""
    assert not {"pseudonym", "household_id"} & set(data.columns)
    assert data.groupby(list(data.columns), dropna=False).size().min() >= 5
    positions = [c for c in data.columns if c.startswith(POSITION)]
    others = [c for c in data.columns if c not in positions]
    if others:
        sequences = data[positions].astype(str).agg("|".join, axis=1)
        assert sequences.groupby([data[c].astype(str) for c in others]).nunique().min() >= 2


REVIEWER = ["region_code", "age_class", "sex", "position_code"]


@pytest.mark.parametrize("structure", ["person", "spells"])
def test_an_anonymous_trajectory_is_k_anonymous_and_l_diverse_as_a_whole(people, structure):
    _, data, book = _extract(people, "anonymous_sample", structure, REVIEWER, periods=QUARTERS)
    assert len(data) > 100
    _assert_whole_trajectories_anonymous(data)
    steps = book["anonymisation"]
    assert "a person's trajectory is checked as a whole" in steps[0]
    assert steps[-1].startswith("every person's trajectory")
    assert any(s.startswith("time coarsened to a quarter a year (2024Q4, 2025Q4)") for s in steps)
    if structure == "spells":
        assert {"spell_start", "spell_end", "left_censored", "right_censored"} <= set(data)
        assert set(data["spell_start"]) | set(data["spell_end"]) <= {"2024Q4", "2025Q4"}


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.convert_dtypes().astype("string").fillna("-")


def _trajectories(columns: list[str]) -> pd.DataFrame:
    """Every person of the warehouse as the attacker knows them: the columns of a row-per-person
    sample (``<variable>_<quarter>``, or a variable that does not change), from the warehouse."""
    rows = _warehouse(
        "select pseudonym, quarter, cast(ref_date as varchar) as ref_date, * exclude "
        "(pseudonym, quarter, ref_date) from fct_person_quarter where quarter in "
        "(select unnest(?))",
        [QUARTERS],
    )
    wide = rows.pivot(index="pseudonym", columns="quarter")
    out = {}
    for column in columns:
        variable, _, quarter = column.rpartition("_")
        if quarter in QUARTERS:
            out[column] = wide[(variable, quarter)]
        else:
            out[column] = rows.groupby("pseudonym")[column].min()
    return _normalised(pd.DataFrame(out))


def _rows_holding(data: pd.DataFrame, persons: pd.Index) -> pd.Series:
    """For each of ``persons`` (of the warehouse), how many rows of a row-per-person sample
    hold their trajectory at the levels delivered."""
    theirs = _trajectories(list(data.columns)).loc[persons].reset_index()
    counts = _normalised(data).value_counts().rename("rows").reset_index()
    held = theirs.merge(counts, how="left", on=list(data.columns)).fillna({"rows": 0})
    return held.set_index("pseudonym")["rows"]


def _quarter_by_quarter(asked):
    """The check before trajectories: a person breaks it when one of their rows breaks the
    check of its quarter."""
    return (
        f"select row_hash, bool_or(breaks) as breaks from ({anonymity._breaking(asked)}) "
        "where row_hash in (select row_hash from extract where quarter in (select unnest($3))) "
        "group by row_hash"
    )


def test_a_rare_sequence_does_not_single_out_a_person(people, monkeypatch):
    """The attacker knows persons' trajectories (from the warehouse here: the strongest
    knowledge there is) and takes those that are unique in the population: a row of the sample
    that holds one of them, and is the only one to, is that person. Checked quarter by quarter
    (the same sample, the same ladder), dozens are singled out; checked as a whole, none: a
    target's trajectory is held by no row or by 5 or more."""
    variables = ["sex", "position_code"]
    with monkeypatch.context() as patched:
        patched.setattr(anonymity, "_breaking_trajectory", _quarter_by_quarter)
        _, weak, _ = _extract(people, "anonymous_sample", "person", variables, periods=QUARTERS)
    positions = [c for c in weak.columns if c.startswith(POSITION)]
    assert len(positions) == len(QUARTERS)  # a position every quarter
    everybody = _trajectories(list(weak.columns))
    targets = everybody.index[~everybody.duplicated(keep=False)]  # rare sequences
    assert len(targets) > 300
    assert (_rows_holding(weak, targets) == 1).sum() > 25  # singled out (50-71 in trials)

    _, data, _ = _extract(people, "anonymous_sample", "person", variables, periods=QUARTERS)
    assert len(data) > 100
    held = _rows_holding(data, targets)
    assert held.between(1, 4).sum() == 0 and (held >= 5).sum() > 100


def test_an_anonymous_trajectory_shows_no_withheld_cell_whole_in_any_quarter(people, monkeypatch):
    """With recoding off (k = l = 1), every master cell the figures withhold that holds persons
    keeps one of them out of a row-per-person sample in each quarter asked (a person left out
    is out of every quarter); with the rule off, the sample shows cells whole."""
    monkeypatch.setattr(anonymity, "K", 1)
    monkeypatch.setattr(anonymity, "L", 1)
    cell = ["nis_code", "position_code", "sex", "age_class", "nationality_group"]
    quarters = ["2025Q1", "2025Q2"]
    withheld_cells = _warehouse(
        f"select quarter, {', '.join(cell)}, persons from int_figure_cells c join (select "
        "distinct quarter, ref_date from fct_person_quarter) using (ref_date) "
        "where published_persons = 0 and persons >= 1 and quarter in (select unnest(?))",
        [quarters],
    )

    def shown_whole() -> int:
        _, data, _ = _extract(people, "anonymous_sample", "person", cell, periods=quarters)
        long = pd.concat(
            data.rename(columns={f"{c}_{q}": c for c in cell})[cell].assign(quarter=q)
            for q in quarters
        ).dropna(subset=["nis_code"])
        sampled = long.groupby(["quarter", *cell]).size().rename("sampled").reset_index()
        shown = withheld_cells.merge(sampled, how="left").fillna({"sampled": 0})
        assert len(withheld_cells) > 500 and (shown["sampled"] >= 1).sum() > 100
        return int((shown["sampled"] >= shown["persons"]).sum())

    assert shown_whole() == 0
    monkeypatch.setattr(withheld, "leave_one_out", lambda con: "")  # the rule off: it can fail
    assert shown_whole() > 100


def test_spells_need_a_position_and_consecutive_quarters_said_in_three_languages(monkeypatch):
    import streamlit as st

    from dwh.core import paths

    offer = (catalogue.GEOGRAPHY, QUARTERS)
    known = ("sex", "age", "region_code", *POSITION)
    variables = {v: {"kinds": list(form.KINDS)} for v in known}

    def problems(**changes) -> dict:
        return form.validate(
            body(**changes), variables, offer[1], {level: set() for level in offer[0]}
        )

    no_position = problems(structure="spells", variables={"sex": "x", "age": "x"})
    assert list(no_position) == ["structure"]
    gaps = problems(structure="spells", periods=["2025Q2", "2024Q4"])
    assert list(gaps) == ["periods"]
    for kind in form.KINDS:  # both kinds may ask for trajectories
        for structure in form.STRUCTURES:
            asked = {"sex": "x", "main_group_code": "x"}
            quarters = ["2024Q4", "2025Q1"]
            assert problems(kind=kind, structure=structure, variables=asked, periods=quarters) == {}
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    import requests_view

    said = {}
    for lang in ("nl", "fr", "en"):
        monkeypatch.setitem(st.session_state, "lang", lang)
        said[lang] = (
            requests_view.message(no_position["structure"]),
            requests_view.message(gaps["periods"]),
        )
    assert said["en"] == (str(no_position["structure"]), str(gaps["periods"]))
    assert said["en"][0].startswith("spells are runs of a position")
    assert said["fr"][1] == "les épisodes demandent des trimestres consécutifs, sans interruption"
    assert said["nl"][0].startswith("periodes zijn reeksen van een positie")


def test_the_form_says_in_french_that_spells_need_a_position(people):
    from test_requests import _app

    at = _app(lang="fr", user=people["alice"], page="views/request_form.py")
    filled = body()
    for field in form.TEXTS:
        long = field in ("purpose", "publication_plan", "security")
        (at.text_area if long else at.text_input)(key=f"rf_{field}").set_value(filled[field])
    at.text_input(key="rf_dpo_contact").set_value(filled["dpo_contact"])
    at.multiselect(key="rf_periods").set_value(["2025Q1", "2025Q3"])
    at.radio(key="rf_structure").set_value("spells")
    at.number_input(key="rf_percent").set_value(20.0)
    at.multiselect(key="rf_variables").set_value(["sex"]).run()
    at.text_input(key="rf_why_sex").set_value("les écarts entre femmes et hommes")
    at.button(key="rf_submit").click().run()
    shown = " ".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "les épisodes sont des suites d'une position" in shown
    assert "les épisodes demandent des trimestres consécutifs" in shown
    assert not at.success
