"""An incremental ingest lands exactly what a full one lands, row for row: after adding a year,
replacing one institution's file (and a rejected file corrected), and removing a delivery.
Unchanged deliveries are kept as they landed, not read again."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dwh.deliveries import SLIP
from dwh.ingest import landing
from dwh.ingest.run import ingest
from dwh.simulate.run import Imperfections, simulate

FAULTS = Imperfections(0.01, 0.01, 0.01, 0.01, [], [])


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("two_years") / "deliveries"
    simulate(300, [2023, 2024], 5, FAULTS, out)
    return out


def _files(zone: Path) -> dict[str, int]:
    """Every Parquet file of a landing zone and its inode and modification time."""
    return {
        str(p.relative_to(zone)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in zone.rglob("*.parquet")
    }


def _rows(zone: Path, name: str) -> list[tuple]:
    with duckdb.connect() as con:
        drop = "exclude (ingested_at, kept)" if name == landing.REGISTER else ""
        return con.execute(
            f"select * {drop} from read_parquet(?) order by all", [str(zone / name)]
        ).fetchall()


def _same_as_a_full_ingest(deliveries: Path, zone: Path, key: bytes) -> dict:
    """Ingest incrementally into ``zone`` and fully into a fresh folder; every table of both
    equal, row for row (sorted: the order of a Parquet file's rows is not kept from one run
    to the next). Returns the incremental ingest's deliveries."""
    results = {(d.institution, d.period): d for d in ingest(deliveries, zone, key)}
    full = zone.parent / "full"
    shutil.rmtree(full, ignore_errors=True)
    ingest(deliveries, full, key, full_refresh=True)
    files = sorted(_files(zone))
    assert files == sorted(_files(full))
    for name in files:
        assert _rows(zone, name) == _rows(full, name), name
    return results


def test_an_incremental_ingest_lands_what_a_full_ingest_lands(two_years, tmp_path, pseudonym_key):
    deliveries = tmp_path / "deliveries"
    for folder in two_years.glob("*/2023"):
        shutil.copytree(folder, deliveries / folder.parent.name / "2023")
    zone = tmp_path / "landing"
    first = ingest(deliveries, zone, pseudonym_key)
    assert not any(d.kept for d in first) and len(first) > 15

    # a year added (2023 kept as it landed, 2024 ingested), a 2023 file now rejected
    before = _files(zone)
    for folder in two_years.glob("*/2024"):
        shutil.copytree(folder, deliveries / folder.parent.name / "2024")
    (deliveries / "mi" / "2023" / "mi_2023.csv").write_bytes(b"")
    added = _same_as_a_full_ingest(deliveries, zone, pseudonym_key)
    assert {k for k, d in added.items() if not d.kept} == {
        *(k for k in added if k[1] == "2024"),
        ("mi", "2023"),
    }
    assert added[("mi", "2023")].status == "rejected"
    after = _files(zone)
    rejected = ("mi/2023.parquet", "quarantined/mi/2023.parquet")
    kept = [f for f in before if f.endswith("2023.parquet") and f not in rejected]
    assert len(kept) > 15 and all(after[f] == before[f] for f in kept)
    assert "mi/2023.parquet" not in after

    # one institution's file replaced (a row dropped, a line malformed), the rejected file
    # corrected, one delivery removed
    onem = deliveries / "onem" / "2024" / "onem_2024.csv"
    lines = onem.read_bytes().splitlines(keepends=True)
    onem.write_bytes(b"".join([*lines[:3], b"cut;line\n", *lines[4:-1]]))
    slip = onem.parent / SLIP
    slip.write_text(json.dumps({**json.loads(slip.read_text()), "rows": len(lines) - 2}))
    shutil.copy(two_years / "mi" / "2023" / "mi_2023.csv", deliveries / "mi" / "2023")
    shutil.rmtree(deliveries / "inami" / "2024")
    before = _files(zone)
    changed = _same_as_a_full_ingest(deliveries, zone, pseudonym_key)
    assert {k for k, d in changed.items() if not d.kept} == {
        ("onem", "2024"),
        ("mi", "2023"),
        ("inami", "2024"),
    }
    assert changed[("onem", "2024")].rows_received == len(lines) - 2
    assert changed[("onem", "2024")].rows_quarantined >= 1
    assert changed[("mi", "2023")].status == "received"
    assert changed[("inami", "2024")].status == "missing"
    after = _files(zone)
    assert "inami/2024.parquet" not in after and "quarantined/inami/2024.parquet" not in after
    assert after["rr/2024.parquet"] == before["rr/2024.parquet"]


def test_another_key_or_code_keeps_nothing(tmp_path, pseudonym_key):
    """A landing made under other keys (pseudonyms, record keys) is not kept."""
    zone = tmp_path / "landing"
    zone.mkdir()
    record_key = bytes(range(32))
    ours = landing.fingerprint(pseudonym_key, record_key)
    assert ours == landing.fingerprint(pseudonym_key, record_key)
    assert ours != landing.fingerprint(bytes(32), record_key)
    assert ours != landing.fingerprint(pseudonym_key, bytes(32))
    landing.mark(zone, landing.fingerprint(bytes(32), record_key))
    assert landing.previous(zone, ours) == {}
