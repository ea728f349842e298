"""Writing a synthetic dataset (data, stripped metadata, report, README) atomically, writing
the report of a refused one and a run's internal record, and listing the released datasets."""

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dwh.core import paths
from dwh.serving import catalogue

BANNER = "SYNTHETIC DATA: NO ROW DESCRIBES A REAL PERSON. DO NOT USE FOR STATISTICS."


def root() -> Path:
    return paths.home() / "synthetic"


def metadata(schema: list[tuple[str, str]], sdv_metadata: dict) -> dict:
    """What is published about the columns: types, descriptions and code lists by name (the
    lists are the public seeds), and SDV's metadata without ranges or category lists, which
    would give away the real extremes and rare categories."""
    text = catalogue.descriptions()
    columns = sdv_metadata["tables"]["t"]["columns"]
    stripped = {
        name: {k: v for k, v in spec.items() if not k.startswith("range_")}
        for name, spec in columns.items()
    }
    return {
        "table": "fct_person_quarter",
        "synthetic": True,
        "columns": {
            name: {
                "type": type_,
                "description": text.get(name, ""),
                "code_list": catalogue.CODE_LISTS.get(name, (None,))[0],
            }
            for name, type_ in schema
        },
        "sdv_metadata": {"tables": {"fct_person_quarter": {"columns": stripped}}},
    }


def write(
    label: str,
    table: pa.Table,
    schema: list[tuple[str, str]],
    pseudonym_sql: str,
    report: dict,
    readme: str,
    report_md: str,
) -> Path:
    """Write ``synthetic/<label>/`` in one rename; a reader never sees a half dataset."""
    out = root() / label
    partial = root() / f".{label}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    columns = ", ".join(
        f"cast({pseudonym_sql if name == 'pseudonym' else name} as {type_}) as {name}"
        for name, type_ in schema
    )
    data = partial / "data.parquet"
    with duckdb.connect(config={"memory_limit": "1500MB"}) as con:
        con.execute("set temp_directory = ?", [str(partial / ".spill")])
        con.register("synthetic_rows", table)
        con.execute(
            f"copy (select {columns} from synthetic_rows order by pseudonym, quarter) "
            f"to '{data}' (format parquet)"
        )
        con.execute(f"copy (from '{data}') to '{partial / 'data.csv'}' (header, delimiter ',')")
        head = con.execute(f"from '{data}' limit 1000").df()
    shutil.rmtree(partial / ".spill", ignore_errors=True)
    meta = metadata(schema, _sdv_metadata(head))
    (partial / "metadata.json").write_text(json.dumps(meta, indent=2))
    (partial / "report.json").write_text(json.dumps(report, indent=2, default=str))
    (partial / "report.md").write_text(report_md)
    (partial / "README.md").write_text(readme)
    old = root() / f".{label}.old"
    if out.exists():
        out.rename(old)
    partial.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return out


def _sdv_metadata(rows: pd.DataFrame) -> dict:
    from sdv.metadata import Metadata

    return Metadata.detect_from_dataframes({"t": rows}).to_dict()


def refuse(label: str, report: dict, report_md: str) -> Path:
    """Keep the report of a refused run (no data) for the steward."""
    out = root() / "refused" / label
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=2, default=str))
    (out / "report.md").write_text(report_md)
    return out


def internal(label: str, record: dict) -> Path:
    """Keep, for the steward, what a run counted from the real microdata and the released
    report leaves out (the real population, the exact sample sizes, the drawn persons that
    reproduced a real unique): ``synthetic/internal/<label>.json``, never offered."""
    out = root() / "internal" / f"{label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2, default=str))
    return out


def released() -> list[dict]:
    """The released datasets, newest first, with their report's summary and gate."""
    out = []
    for folder in sorted(root().glob("*/report.json")):
        if folder.parent.name.startswith("."):
            continue
        report = json.loads(folder.read_text())
        out.append({"folder": folder.parent, "gate": report["gate"], **report["summary"]})
    return sorted(out, key=lambda d: d["created_at"], reverse=True)
