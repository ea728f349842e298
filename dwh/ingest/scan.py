"""One pass over a delivered file before DuckDB reads it: its checksum, whether it ends with a
line end, and where its blank lines are (DuckDB skips them, so the line numbers of the rows
after one are counted here)."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 1 << 20


@dataclass(frozen=True)
class FileScan:
    sha256: str
    ends_with_newline: bool
    blank_lines: list[int] = field(default_factory=list)  # line numbers, 1 = the header


def scan(path: Path) -> FileScan:
    """Hash ``path`` a megabyte at a time; look for blank lines only where one may be."""
    h = hashlib.sha256()
    tail, blank, last = b"", False, b""
    with path.open("rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            h.update(block)
            seen = tail + block
            blank = blank or b"\n\n" in seen or b"\n\r\n" in seen
            tail, last = seen[-2:], block[-1:]
    return FileScan(h.hexdigest(), last == b"\n", _blank_lines(path) if blank else [])


def _blank_lines(path: Path) -> list[int]:
    """The line numbers of the empty lines of ``path`` (a line end alone)."""
    with path.open("rb") as f:
        return [n for n, line in enumerate(f, 1) if line in (b"\n", b"\r\n")]
