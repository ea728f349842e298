"""The delivery register: one entry per institution and year, with what became of its rows."""

from dataclasses import dataclass

import pyarrow as pa


@dataclass
class Delivery:
    institution: str
    period: str
    file: str
    status: str  # received, rejected, missing
    provisional: bool = False
    rows_received: int | None = None
    rows_accepted: int | None = None
    rows_quarantined: int | None = None
    error: str | None = None
    sha256: str | None = None  # of the file
    slip_sha256: str | None = None  # of its delivery slip
    kept: bool = False  # unchanged since the last ingest: kept as it landed, not read again


DELIVERY_SCHEMA = pa.schema(
    [
        ("institution", pa.string()),
        ("period", pa.string()),
        ("file", pa.string()),
        ("status", pa.string()),
        ("provisional", pa.bool_()),
        ("rows_received", pa.int64()),
        ("rows_accepted", pa.int64()),
        ("rows_quarantined", pa.int64()),
        ("error", pa.string()),
        ("sha256", pa.string()),
        ("slip_sha256", pa.string()),
        ("kept", pa.bool_()),
    ]
)
