"""No raw national number leaves the door, whatever the deliveries hold: columns swapped in a
few rows, a file shifted by one column, a file whose header is a data row. The whole build,
the publication and the console are scanned."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from dwh.core import niss, paths
from dwh.serving.publication import current
from dwh.simulate.run import Imperfections, simulate

from scan import delivered_numbers, found_in

DWH = str(Path(sys.executable).with_name("dwh"))


def _rewrite(path: Path, encoding: str, change):
    lines = path.read_text(encoding).splitlines()
    path.write_text("\n".join(change(lines)) + "\n", encoding)


def _swap(lines: list[str], a: int, b: int, rows: range) -> list[str]:
    out = list(lines)
    for i in rows:
        fields = out[i].split(";")
        fields[a], fields[b] = fields[b], fields[a]
        out[i] = ";".join(fields)
    return out


def _dwh(*args) -> subprocess.CompletedProcess:
    return subprocess.run([DWH, *args], capture_output=True, text=True, timeout=900)


def test_swapped_and_shifted_deliveries_leave_no_national_number_anywhere(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("DWH_HOME", str(home))
    simulate(400, [2024], 5, Imperfections.none(), paths.deliveries())
    deliveries = paths.deliveries()
    rr = deliveries / "rr" / "2024" / "rr_2024.csv"
    # INSZ <-> NIS_CODE in five rows, INSZ <-> GEZIN (household) in five more
    _rewrite(rr, "utf-8", lambda lines: _swap(_swap(lines, 0, 2, range(1, 6)), 0, 6, range(6, 11)))
    # the DmfA shifted one column to the left: the quarter column holds national numbers
    dmfa = deliveries / "onss" / "2024" / "dmfa_2024.csv"
    dmfa_lines = dmfa.read_text().splitlines()
    _rewrite(
        dmfa, "utf-8", lambda lines: lines[:1] + [ln.split(",", 1)[1] + "," for ln in lines[1:]]
    )
    # the invalidity file's header replaced by a data row
    inami = next((deliveries / "inami" / "2024").glob("*.csv"))
    _rewrite(inami, "utf-8", lambda lines: lines[1:2] + lines[1:])
    # a folder named after a national number
    stray = next(iter(delivered_numbers(home)))
    (deliveries / stray / "2024").mkdir(parents=True)
    numbers = delivered_numbers(home)
    assert len(numbers) > 300 and stray in numbers

    first = _dwh("build", "--no-docs")
    assert first.returncode == 1  # two files rejected
    errors = " ".join(json.loads((home / "build" / "build.json").read_text())["rejected_files"])
    # what is wrong is said, the delivered values are only described
    assert "column quarter should hold %Y%q values" in errors
    assert "e.g. a value of 11 characters (digits)" in errors
    assert "unexpected columns [<11 characters (digits)>" in errors
    assert found_in(home, numbers, first.stdout + first.stderr) == []

    shutil.rmtree(inami.parent)  # withdrawn: registered as missing
    shutil.rmtree(deliveries / stray)
    # the DmfA delivered again, with national numbers dressed up as employer ids in 5 rows
    people = sorted(numbers - {stray})[:5]
    dressed = [f"X{people[0]}", f'"{people[1]}"', f"{people[2]}\t", f"NISS:{people[3]}"]
    n = people[4]
    dressed.append(f"{n[:2]}_{n[2:4]}_{n[4:6]}..{n[6:9]}..{n[9:]}")
    extra = []
    for i, employer in enumerate(dressed):
        fields = dmfa_lines[1 + i].split(",")
        fields[2] = employer
        extra.append(",".join(fields))
    dmfa.write_text("\n".join(dmfa_lines + extra) + "\n")
    slip = dmfa.parent / "_delivery.json"
    slip.write_text(json.dumps({**json.loads(slip.read_text()), "rows": len(dmfa_lines) + 4}))
    second = _dwh("build", "--no-docs")
    published = _dwh("publish")
    assert second.returncode == 0 and published.returncode == 0, second.stdout + second.stderr
    output = second.stdout + second.stderr + published.stdout + published.stderr
    assert found_in(home, numbers, output) == []

    with duckdb.connect(str(current().warehouse), read_only=True) as con:
        swapped = con.execute(
            "select reason_code, reason_column, row_content from quarantine_rows "
            "where institution_code = 'rr' and line_number between 2 and 11 order by line_number"
        ).fetchall()
        dressed_rows = con.execute(
            "select reason_code, reason_column, row_content from quarantine_rows "
            "where institution_code = 'onss' and line_number > ?",
            [len(dmfa_lines)],
        ).fetchall()
        employers = con.execute("select employer_id from stg_onss__employment_lines").fetchall()
        households = {
            json.loads(content).get("GEZIN")
            for (content,) in con.execute(
                "select row_content from quarantine_rows where institution_code = 'rr'"
            ).fetchall()
        }
    assert len(swapped) == 10
    assert {r[0] for r in swapped} == {"INVALID_NISS"}
    assert all(niss.MASK in r[2] for r in swapped[:5])  # the number in NIS_CODE masked
    assert all(len(json.loads(r[2])["GEZIN"]) == 32 for r in swapped[5:])  # in GEZIN: hashed
    assert len(dressed_rows) == 5 and {r[:2] for r in dressed_rows} == {
        ("INVALID_VALUE", "employer_id")
    }
    assert all(niss.MASK in r[2] for r in dressed_rows)
    assert not [e for (e,) in employers if sum(c.isdigit() for c in e) >= 11]
    # household numbers in the quarantine are household pseudonyms, never the delivered ones
    delivered = {line.split(";")[6] for line in rr.read_text().splitlines()[1:]}
    assert households and not households & delivered
    assert all(h is None or len(h) == 32 for h in households)


def test_the_scan_finds_a_number_where_one_lands(tmp_path):
    """The scan itself can fail: a number written in a table, a Parquet file or a log, in a
    column after the first."""
    (tmp_path / "deliveries" / "rr" / "2024").mkdir(parents=True)
    number = "85073003328"
    (tmp_path / "deliveries" / "rr" / "2024" / "rr_2024.csv").write_text(f"INSZ\n{number}\n")
    assert delivered_numbers(tmp_path) == {number}
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create table t as select 1 as x, ? as note", [f"row {number};"])
        con.execute(f"copy t to '{tmp_path / 'x.parquet'}'")
    (tmp_path / "build.log").write_text("nothing here 8507300332 either")
    assert found_in(tmp_path, {number}) == ["w.duckdb (1)", "x.parquet (1)"]
    assert found_in(tmp_path, {number}, f"console: {number}")[0] == "console"
