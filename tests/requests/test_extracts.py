"""Extracts of approved requests: population, sample, project pseudonyms, the codebook of
anonymous samples, formats, a crash mid-extract, expiry (the attacks on anonymous samples are
in test_attacks.py)."""

import hashlib
import hmac
import json
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from dwh.core import pseudonym
from dwh.extracts import produce as produce_module
from dwh.extracts.files import ExtractError, delivery, expire_due, root
from dwh.extracts.produce import FILES, produce, project_key
from dwh.requests import form, workflow

from factory import approved

POSITION = ("position_code", "main_group_code")  # a position, coarsened or not


def _warehouse(home):
    return duckdb.connect(str(home / "serving" / "current" / "warehouse.duckdb"), read_only=True)


def test_extract_applies_population_periods_variables_and_project_pseudonyms(people, in_built):
    population = {
        **form.blank()["population"],
        "regions": ["04000"],
        "age_min": 25,
        "age_max": 54,
    }
    first = approved(people, "pseudonymised", population=population)
    folder = produce(first, people["sam"])
    data = pd.read_parquet(folder / "data.parquet")
    with _warehouse(in_built) as con:
        real = con.execute(
            "select pseudonym, quarter from fct_person_quarter where region_code = '04000' "
            "and age between 25 and 54 and quarter in ('2025Q1', '2025Q2')"
        ).df()
    assert len(data) == len(real)
    assert list(data.columns) == [
        "pseudonym",
        "quarter",
        "ref_date",
        "sex",
        "region_code",
        "position_code",
    ]
    assert set(data["region_code"]) == {"04000"}
    key = project_key(pseudonym.load_key(), first)
    expected = {
        hmac.new(key, p.encode(), hashlib.sha256).hexdigest()[:32] for p in real["pseudonym"]
    }
    assert set(data["pseudonym"]) == expected
    assert not set(data["pseudonym"]) & set(real["pseudonym"])
    again = pd.read_parquet(produce(first, people["sam"]) / "data.parquet")
    pd.testing.assert_frame_equal(data, again)
    second = approved(people, "pseudonymised", population=population)
    other = pd.read_parquet(produce(second, people["sam"]) / "data.parquet")
    assert len(other) == len(data) and not set(other["pseudonym"]) & set(data["pseudonym"])


def test_a_stratified_sample_has_the_share_of_each_region(people, in_built):
    sample = {"percent": 10, "stratify_by_region": True}
    number = approved(people, "pseudonymised", sample=sample)
    data = pd.read_parquet(produce(number, people["sam"]) / "data.parquet")
    with _warehouse(in_built) as con:
        persons = con.execute(
            "select region_code, count(distinct pseudonym) from (select pseudonym, "
            "min_by(region_code, quarter) region_code from fct_person_quarter where quarter in "
            "('2025Q1', '2025Q2') and age between 0 and 120 group by pseudonym) group by 1"
        ).fetchall()
    first_region = data.sort_values("quarter").groupby("pseudonym")["region_code"].first()
    for region, n in persons:
        assert (first_region == region).sum() == -(-n // 10)


def test_the_codebook_of_an_anonymous_sample_lists_every_step_without_counts(people):
    """Every step is said; no count (rows left out, breaking or suppressed would tell the size
    of the population asked, see test_attacks)."""
    variables = {v: "needed" for v in ("age", "sex", "position_code")}
    folder = produce(approved(people, variables=variables), people["sam"])
    data = pd.read_parquet(folder / "data.parquet")
    book = json.loads((folder / "codebook.json").read_text())
    steps = book["anonymisation"]
    assert steps[0].startswith("a sample of 50% of the persons") and "no pseudonym" in steps[0]
    assert steps[1].startswith("rows left out so that every cell the published figures withhold")
    assert steps[-1].startswith("every row shares all its values with at least 4 other rows")
    assert "age" not in data.columns and "pseudonym" not in data.columns
    recoded = [s for s in steps if s.startswith("age recoded to ")]
    assert len(recoded) == 1 and "too many rows breaking k = 5 or l = 2" in recoded[0]
    assert [v["name"] for v in book["variables"]] == list(data.columns)
    assert book["rows"] == len(data) > 0
    markdown = (folder / "codebook.md").read_text()
    assert "Anonymisation: a sample of 50% of the persons" in markdown
    assert "none" not in markdown.split("Anonymisation:")[1].split("\n")[0]
    position = next(v for v in book["variables"] if v["name"] in POSITION)
    assert sum(c["count"] for c in position["codes"]) == len(data)
    assert all(c["en"] for c in position["codes"])


def test_codebook_matches_the_columns_and_checksums_verify(people):
    number = approved(people, "pseudonymised", structure="person")
    folder = produce(number, people["sam"])
    data = pd.read_parquet(folder / "data.parquet")
    book = json.loads((folder / "codebook.json").read_text())
    assert [v["name"] for v in book["variables"]] == list(data.columns)
    assert data["pseudonym"].is_unique and "position_code_2025Q2" in data.columns
    position = next(v for v in book["variables"] if v["name"] == "position_code_2025Q1")
    assert sum(c["count"] for c in position["codes"]) == data["position_code_2025Q1"].notna().sum()
    assert all(c["en"] for c in position["codes"])
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert set(manifest["files"]) == {"codebook.json", "codebook.md", "data.parquet"}


def test_expiry_deletes_the_files_and_says_so(people):
    number = approved(people)
    folder = produce(number, people["sam"])
    destroy_by = date.fromisoformat(workflow.get(number, people["alice"])["destroy_by"])
    assert number not in expire_due(destroy_by)
    assert number in expire_due(destroy_by + timedelta(days=1))
    assert not folder.exists()
    request = workflow.get(number, people["alice"])
    assert request["status"] == "expired"
    assert "files deleted" in workflow.history(number, people["alice"])[-1]["note"]
    with pytest.raises(ExtractError):
        delivery(number, people["alice"])


def test_a_crash_mid_extract_leaves_no_delivery(people, monkeypatch):
    number = approved(people)

    def crash(*_):
        raise RuntimeError("disk full")

    monkeypatch.setattr(produce_module, "codebook", crash)
    with pytest.raises(RuntimeError):
        produce(number, people["sam"])
    assert not (root() / number).exists()
    assert not (root() / f".{number}.partial").exists()  # nothing left behind either
    assert workflow.get(number, people["alice"])["status"] == "approved"
    with pytest.raises(ExtractError):
        delivery(number, people["alice"])


def test_household_members_join_the_population_when_asked(people, in_built):
    population = {**form.blank()["population"], "positions": ["n21"]}
    variables = {"position_code": "outcome", "household_id": "households"}
    alone = approved(people, "pseudonymised", population=population, variables=variables)
    population = {**population, "household_members": True}
    family = approved(people, "pseudonymised", population=population, variables=variables)
    a = pd.read_parquet(produce(alone, people["sam"]) / "data.parquet")
    f = pd.read_parquet(produce(family, people["sam"]) / "data.parquet")
    assert set(a["position_code"]) == {"n21"} and len(f) > len(a)
    assert (f["position_code"] == "n21").sum() == len(a)
    # every member belongs to the household of a chosen person (household pseudonyms are the
    # project's own, so the two extracts are compared each with itself)
    chosen = f[f["position_code"] == "n21"]
    households = set(zip(chosen["quarter"], chosen["household_id"], strict=True))
    assert set(zip(f["quarter"], f["household_id"], strict=True)) == households
    assert not set(a["household_id"]) & set(f["household_id"])


@pytest.mark.parametrize("file_format", ["stata", "spss"])
def test_stata_and_spss_files_hold_the_extract_with_labels(people, file_format):
    import pyreadstat

    number = approved(people, "pseudonymised", format=file_format)
    folder = produce(number, people["sam"])
    read = pyreadstat.read_dta if file_format == "stata" else pyreadstat.read_sav
    data, meta = read(str(folder / FILES[file_format]))
    book = json.loads((folder / "codebook.json").read_text())
    assert list(data.columns) == [v["name"] for v in book["variables"]]
    assert len(data) == book["rows"] > 0
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["position_code"].startswith("Socio-economic position")


def test_expiring_by_hand_deletes_the_files_too(people):
    number = approved(people)
    folder = produce(number, people["sam"])
    assert (folder / "manifest.json").exists()
    workflow.move(number, people["sam"], "expired", "the project ended early")
    assert not folder.exists()
    assert workflow.get(number, people["alice"])["status"] == "expired"
