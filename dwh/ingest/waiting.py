"""What is waiting for the next build: deliveries new or changed since an ingest (by the
checksums of the file and of its slip), those expected but absent, and those removed."""

from dataclasses import dataclass
from pathlib import Path

from dwh.core import niss
from dwh.core.files import sha256_file
from dwh.deliveries import SLIP, SOURCES, Source, expected_institutions
from dwh.ingest.register import Delivery

STATES = ("new", "changed", "absent", "removed")


@dataclass(frozen=True)
class Waiting:
    institution: str
    period: str
    state: str  # one of STATES
    file: str = ""


def is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit()


def found(deliveries: Path) -> dict[tuple[str, str], Path]:
    """The delivery folders (institution/period) under ``deliveries``, sorted."""
    return {(d.parent.name, d.name): d for d in sorted(deliveries.glob("*/*")) if d.is_dir()}


def absent(folders: dict[tuple[str, str], Path]) -> list[tuple[str, str]]:
    """The deliveries expected for every year delivered that have no folder."""
    years = sorted({int(y) for _, y in folders if is_year(y)})
    return [
        (inst, str(year))
        for year in years
        for inst in expected_institutions(year)
        if (inst, str(year)) not in folders
    ]


def checksum(path: Path) -> str | None:
    """The SHA-256 of a delivered file (or slip), None when there is none."""
    return sha256_file(path) if path.is_file() else None


def checksums(source: Source, folder: Path, year: int) -> tuple[str | None, str | None]:
    """The checksums of a delivery's file and of its slip."""
    return checksum(folder / source.file_name.format(year=year)), checksum(folder / SLIP)


def folder_names(inst: str, period: str) -> tuple[str, str]:
    """A delivery folder's names as the register keeps them (delivered text: masked, short)."""
    return niss.mask(inst)[:40], niss.mask(period)[:40]


def waiting(deliveries: Path, ingested: list[Delivery]) -> list[Waiting]:
    """What differs between the deliveries now under ``deliveries`` and ``ingested`` (the
    register of an ingest): new, changed, absent (expected, not delivered) and removed."""
    folders = found(deliveries)
    before = {(d.institution, d.period): d for d in ingested if d.status != "missing"}
    out = []
    for (inst, period), folder in folders.items():
        if inst not in SOURCES or not is_year(period):
            if folder_names(inst, period) not in before:
                out.append(Waiting(*folder_names(inst, period), "new"))
            continue
        source = SOURCES[inst]
        file = source.file_name.format(year=period)
        last = before.get((inst, period))
        if last is None:
            out.append(Waiting(inst, period, "new", file))
        elif (last.sha256, last.slip_sha256) != checksums(source, folder, int(period)):
            out.append(Waiting(inst, period, "changed", file))
    missing = absent(folders)
    out += [Waiting(inst, period, "absent") for inst, period in missing]
    kept = {folder_names(*k) for k in folders} | set(missing)
    out += [Waiting(*k, "removed", d.file) for k, d in before.items() if k not in kept]
    return sorted(out, key=lambda w: (STATES.index(w.state), w.institution, w.period))
