"""The synthetic version of a request (``synthesis/requested.py``, ``dwh synthesize --request``)
on the session's warehouse: the synthetic release of 2025 (the one ``test_synthesis.py``
released with the same seed if this worker has it, else synthesized once) cut to a request."""

import json
import math
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_synthesis import ATTACKS, SMALL

from dwh.core.files import sha256_file
from dwh.extracts.produce import produce
from dwh.requests import users, workflow
from dwh.requests.submission import submit
from synthesis import release
from synthesis.requested import CutRefused, cut

sys.path.insert(0, str(Path(__file__).parents[1] / "requests"))
from factory import PASSWORD, PEOPLE, body  # noqa: E402

DWH = str(Path(sys.executable).with_name("dwh"))
SEED = 5  # the seed of test_synthesis.py's releases: its 2025 is reused when present
QUARTERS = ["2025Q1", "2025Q2"]
FLANDERS = "02000"
VARIABLES = ["age", "region_code", "position_code"]


def _request(**changes) -> dict:
    asked = {
        "kind": "pseudonymised",
        "periods": QUARTERS,
        "structure": "person",
        "variables": {v: "the outcome and who" for v in VARIABLES},
    }
    out = body(**{**asked, **changes})
    out["population"] = {**out["population"], "regions": [FLANDERS], "age_min": 50}
    return out


@pytest.fixture(scope="module")
def people(built):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(built))
        for name, role in PEOPLE.items():
            if users.get(name) is None:
                users.add(name, role, PASSWORD, f"{name}@example.org")
        return {name: users.get(name) for name in PEOPLE}


@pytest.fixture(scope="module")
def requested(built, people):
    """A request of alice still before the committee, its synthetic version, then (approved)
    its real extract."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(built))
        number = submit(people["alice"], _request())
        workflow.move(number, people["sam"], "under_review")
        workflow.move(number, people["sam"], "awaiting_committee")
        synthetic = cut(number, people["alice"], SEED, SMALL, ATTACKS, make=True)
        workflow.move(
            number,
            people["cora"],
            "approved",
            deliberation_number="25/001",
            deliberation_date=date.today().isoformat(),
        )
        real = produce(number, people["sam"])
    return number, synthetic, real


def _release_rows(built: Path) -> pd.DataFrame:
    data = pd.read_parquet(built / "synthetic" / "2025" / "data.parquet")
    return data[data.quarter.isin(QUARTERS)]


def _value(v):
    """A value as the same thing whatever pandas made of it (a whole float, NaN, NaT)."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return str(v)


def _tuples(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(_value(v) for v in row) for row in frame.itertuples(index=False, name=None)]


def test_rows_are_the_release_cut_to_the_population(requested, built):
    """Every synthetic person of the release in the population asked, with the release's
    values: a cut that left some out (say those equal to a real unique) would tell anyone
    comparing it with the public release which rows a real person alone has."""
    _, synthetic, _ = requested
    data = pd.read_parquet(synthetic / "data.parquet")
    assert len(data) > 100
    assert data.pseudonym.str.fullmatch(r"S\d{11}").all()  # synthetic ids, no project pseudonym
    for q in QUARTERS:
        present = data[f"age_{q}"].notna()
        assert (data.loc[present, f"age_{q}"] >= 50).all()
        assert (data.loc[present, f"region_code_{q}"] == FLANDERS).all()
        assert data.loc[present, f"position_code_{q}"].notna().all()
    assert data[[f"age_{q}" for q in QUARTERS]].notna().any(axis=1).all()
    # the same rows from the released data with pandas: each person's values in each quarter
    rows = _release_rows(built)
    inside = rows[(rows.age >= 50) & (rows.region_code == FLANDERS)]
    assert set(data.pseudonym) == set(inside.pseudonym)
    for q in QUARTERS:
        expected = inside[inside.quarter == q].set_index("pseudonym")
        got = data.set_index("pseudonym")[f"position_code_{q}"].dropna()
        assert got.to_dict() == expected.loc[got.index, "position_code"].to_dict()
        ages = data.set_index("pseudonym")[f"age_{q}"].dropna()
        assert (ages == expected.loc[ages.index, "age"]).all()


def test_columns_are_those_of_the_real_extract(requested):
    _, synthetic, real = requested
    assert (
        pq.read_schema(synthetic / "data.parquet").names
        == pq.read_schema(real / "data.parquet").names
    )
    synthetic_types = pq.read_schema(synthetic / "data.parquet").types
    assert synthetic_types == pq.read_schema(real / "data.parquet").types
    assert "age_2025Q2" in pq.read_schema(real / "data.parquet").names


def test_codebook_and_manifest_say_synthetic(requested):
    number, synthetic, _ = requested
    first = (synthetic / "codebook.md").read_text().splitlines()[0]
    assert first.startswith(release.BANNER)
    assert f"request {number}" in first
    assert "synthetic/2025 " in first and "synthetic/2025/report.md" in first
    book = json.loads((synthetic / "codebook.json").read_text())
    assert book["synthetic"]["release"] == "synthetic/2025"
    assert book["rows"] == len(pd.read_parquet(synthetic / "data.parquet"))
    manifest = json.loads((synthetic / "manifest.json").read_text())
    assert manifest["files"] == {
        f.name: sha256_file(f) for f in sorted(synthetic.iterdir()) if f.name != "manifest.json"
    }
    assert sorted(manifest["files"]) == ["codebook.json", "codebook.md", "data.parquet"]


def test_another_researchers_request_is_no_request(requested, people, in_built):
    number, *_ = requested
    with pytest.raises(workflow.NotFound) as other:
        cut(number, people["bob"], SEED, SMALL, ATTACKS)
    with pytest.raises(workflow.NotFound) as missing:
        cut("R2000-99999", people["bob"], SEED, SMALL, ATTACKS)
    assert str(other.value).replace(number, "N") == str(missing.value).replace("R2000-99999", "N")
    with pytest.raises(workflow.NotFound):
        cut(number, people["cora"], SEED, SMALL, ATTACKS)


def test_withdrawn_request_is_refused(people, in_built):
    number = submit(people["alice"], _request())
    workflow.move(number, people["alice"], "withdrawn", "changed my mind")
    with pytest.raises(CutRefused, match="withdrawn"):
        cut(number, people["alice"], SEED, SMALL, ATTACKS)
    assert not (in_built / "synthetic" / "requests" / number).exists()


def test_refused_cut_writes_nothing_and_says_what_to_do(requested, people, in_built):
    """From the page (no ``make``), a period with no release of the served figures is refused
    with what to ask for, and nothing is synthesized or written."""
    number = submit(people["alice"], _request(periods=["2024Q2"]))
    with pytest.raises(CutRefused) as refused:
        cut(number, people["alice"])
    assert "dwh synthesize --period 2024Q2" in str(refused.value)
    assert not (in_built / "synthetic" / "2024Q2").exists()
    assert not (in_built / "synthetic" / "requests" / number).exists()
    assert not list((in_built / "synthetic" / "requests").glob(f".{number}*"))


def test_cli_prints_where_it_wrote(requested, built):
    number, synthetic, _ = requested
    before = pd.read_parquet(synthetic / "data.parquet")
    done = subprocess.run(
        [DWH, "synthesize", "--request", number, "--as", "alice", "--seed", str(SEED)],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DWH_HOME": str(built), "COLUMNS": "300"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    printed = " ".join((done.stdout + done.stderr).split())  # the console wraps long lines
    assert f"Synthetic version of {number} in {synthetic}" in printed
    pd.testing.assert_frame_equal(pd.read_parquet(synthetic / "data.parquet"), before)


def _page(user: dict, lang: str, number: str):
    """My requests as ``user`` in ``lang``, on request ``number``."""
    from streamlit.testing.v1 import AppTest

    from dwh.core import paths

    # AppTest needs a bound on each script run; the page reads files, synthesizes nothing here
    at = AppTest.from_file(str(paths.PROJECT_DIR / "dashboards" / "app.py"), default_timeout=600)
    at.session_state["lang"] = lang
    at.session_state["user"] = user
    at.run()
    at.switch_page("views/my_requests.py")
    at.run()
    at.selectbox(key="mr_number").set_value(number).run()
    assert not at.exception, at.exception
    return at


def test_my_requests_offers_the_synthetic_version(requested, people, in_built):
    number, synthetic, _ = requested
    files = json.loads((synthetic / "manifest.json").read_text())["files"]
    at = _page(people["alice"], "fr", number)
    assert at.button(key="mr_synthetic").label == "Version synthétique"
    offered = [b.proto.label for b in at.get("download_button")]
    assert offered == [f"Télécharger {name} (synthétique)" for name in files]
    assert _page(people["alice"], "nl", number).button(key="mr_synthetic").label == (
        "Synthetische versie"
    )
    # a draft not yet valid: the button says why, and nothing is written
    draft = submit(people["alice"], body(purpose="unfinished"), draft=True)
    at = _page(people["alice"], "en", draft)
    at.button(key="mr_synthetic").click().run()
    assert at.error[0].value == "No synthetic version: the checks refused it. Reason:"
    assert f"{draft} is not a valid request:" in [x.value for x in at.text]
    wrong = next(d.value for d in at.dataframe if "Field" in d.value)
    assert wrong.to_dict("records") == [
        {"Field": "Purpose (at least 200 characters)", "Error": "at least 200 characters"}
    ]
    # in French, every word of the refusal too
    at = _page(people["alice"], "fr", draft)
    at.button(key="mr_synthetic").click().run()
    assert at.error[0].value.startswith("Pas de version synthétique")
    assert f"{draft} n'est pas une demande valide :" in [x.value for x in at.text]
    wrong = next(d.value for d in at.dataframe if "Champ" in d.value)
    assert wrong.Erreur.tolist() == ["au moins 200 caractères"]
    assert not (in_built / "synthetic" / "requests" / draft).exists()
    assert not at.get("download_button")
