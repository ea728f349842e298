"""`dwh status` says what is waiting for the next build: deliveries new or changed since the
last build (by the checksums of file and slip), expected but absent, removed. The builds here
have a rejected file, so they stop before dbt: the answer comes in seconds."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from dwh.build import record as build_record
from dwh.build import status
from dwh.core import paths
from dwh.deliveries import SLIP, expected_institutions
from dwh.ingest.register import Delivery
from dwh.ingest.waiting import waiting
from dwh.simulate.run import Imperfections, simulate

DWH = str(Path(sys.executable).with_name("dwh"))


def _waiting() -> set[tuple[str, str, str]]:
    record = build_record.read_record()
    ingested = build_record.deliveries_of(record) if record else []
    return {(w.institution, w.period, w.state) for w in waiting(paths.deliveries(), ingested)}


def _status() -> str:
    out = io.StringIO()
    status.show(Console(file=out, width=200))
    return out.getvalue()


def test_status_lists_new_changed_absent_and_removed_deliveries(dwh_home):
    deliveries = paths.deliveries()
    simulate(300, [2024], 11, Imperfections.none(), deliveries)
    delivered = {(p.parent.name, p.name) for p in deliveries.glob("*/*")}
    assert len(delivered) > 15
    (deliveries / "mi" / "2024" / "mi_2024.csv").write_bytes(b"")  # rejected: dbt not run
    assert _waiting() == {(inst, year, "new") for inst, year in delivered}
    assert "Waiting for the next build" in _status()

    built = subprocess.run(
        [DWH, "build", "--no-docs"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert built.returncode == 1
    assert "mi_2024.csv: the file is empty" in built.stderr
    assert "A delivery was rejected (above), so dbt was not run." in built.stderr
    record = build_record.read_record()
    assert record["status"] == "failed" and record["dbt_success"] is None
    assert record["nodes"] == [] and not paths.build_db().exists()
    assert (paths.landing() / "quarantine.parquet").exists()  # the ingest's report is there
    assert _waiting() == set()
    assert "Waiting: nothing, every delivery is as the last build ingested it." in _status()
    assert "dbt not run (a file was rejected)" in _status()

    onem = deliveries / "onem" / "2024" / "onem_2024.csv"
    lines = onem.read_bytes().splitlines(keepends=True)
    onem.write_bytes(b"".join(lines[:-1]))  # a corrected file: one row fewer
    slip = deliveries / "sfp" / "2024" / SLIP
    slip.write_text(json.dumps({**json.loads(slip.read_text()), "provisional": True}))
    shutil.rmtree(deliveries / "inami" / "2024")
    shutil.copytree(deliveries / "rr" / "2024", deliveries / "rr" / "2023")  # a year more
    assert _waiting() == {
        ("onem", "2024", "changed"),
        ("sfp", "2024", "changed"),
        ("inami", "2024", "absent"),
        ("rr", "2023", "new"),
        *((inst, "2023", "absent") for inst in expected_institutions(2023) if inst != "rr"),
    }
    shown = _status()
    for inst, state in (("onem", "changed"), ("inami", "absent"), ("rr", "new")):
        assert any(f" {inst} " in line and state in line for line in shown.splitlines()), shown

    shutil.rmtree(deliveries / "rr" / "2023")
    onem.write_bytes(b"".join(lines))  # back as it was built
    assert _waiting() == {("sfp", "2024", "changed"), ("inami", "2024", "absent")}
    # a year the last build had and that is no longer delivered at all
    gone = Delivery("rr", "2022", "rr_2022.csv", "received")
    before = [*build_record.deliveries_of(record), gone]
    removed = waiting(deliveries, before)
    assert [(w.institution, w.period, w.state) for w in removed][-1] == ("rr", "2022", "removed")
