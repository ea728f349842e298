"""The landing zone's layout, and what an incremental ingest keeps of the last one.

``<institution>/<year>.parquet`` holds a delivery's accepted rows (``none.parquet`` an empty
one where an institution delivered nothing), ``quarantined/<institution>/<year>.parquet`` its
quarantined rows, ``quarantine.parquet`` and ``deliveries.parquet`` (the register) all of them.
``ingest.json`` holds the fingerprint of what the landing depends on besides the files: the
keys, the ingest's code, the delivery contract and the seeds it checks against. A delivery
whose file and slip have the checksums the register recorded, under the same fingerprint,
is kept as it landed; any other is ingested again.
"""

import hashlib
import hmac
import json
from dataclasses import fields
from pathlib import Path

import pyarrow.parquet as pq

from dwh import deliveries as contract
from dwh.core import niss, paths, pseudonym
from dwh.deliveries import SOURCES
from dwh.ingest.register import Delivery

FINGERPRINT = "ingest.json"
REGISTER = "deliveries.parquet"
QUARANTINE = "quarantine.parquet"
QUARANTINED = "quarantined"
EMPTY = "none.parquet"
SEEDS = ("ref_municipalities", "ref_source_codes")  # the row checks read them


def fingerprint(key: bytes, record_key: bytes) -> str:
    """What the landed rows depend on besides the delivered files (the keys only through an
    HMAC of a fixed text: the fingerprint reveals nothing of them)."""
    h = hashlib.sha256()
    for k in (key, record_key):
        h.update(hmac.new(k, b"lmsp-dwh landing", hashlib.sha256).digest())
    code = [*sorted(Path(__file__).parent.glob("*.py")), Path(contract.__file__)]
    code += [Path(niss.__file__), Path(pseudonym.__file__)]
    code += [paths.SEEDS_DIR / f"{seed}.csv" for seed in SEEDS]
    for path in code:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def previous(landing: Path, expected: str) -> dict[tuple[str, str], Delivery]:
    """The deliveries the last ingest landed or rejected, by (institution, year), when its
    fingerprint is ``expected`` and it finished; otherwise nothing (ingest everything)."""
    marker = landing / FINGERPRINT
    if not marker.exists() or json.loads(marker.read_text()).get("fingerprint") != expected:
        return {}
    names = {f.name for f in fields(Delivery)}
    rows = pq.read_table(landing / REGISTER).to_pylist()
    return {
        (d.institution, d.period): d
        for d in (Delivery(**{k: v for k, v in row.items() if k in names}) for row in rows)
        if d.institution in SOURCES and d.status in ("received", "rejected")
    }


def accepted(landing: Path, institution: str, year: int | str) -> Path:
    return landing / institution / f"{year}.parquet"


def quarantined(landing: Path, institution: str, year: int | str) -> Path:
    return landing / QUARANTINED / institution / f"{year}.parquet"


def drop(landing: Path, institution: str, year: int | str):
    """Remove what a delivery landed (before it is ingested again, or when it is removed)."""
    accepted(landing, institution, year).unlink(missing_ok=True)
    quarantined(landing, institution, year).unlink(missing_ok=True)


def mark(landing: Path, value: str | None):
    """Write the fingerprint once the landing is whole; None removes it while it is not."""
    marker = landing / FINGERPRINT
    if value is None:
        marker.unlink(missing_ok=True)
    else:
        marker.write_text(json.dumps({"fingerprint": value}) + "\n")
