"""The review before publishing: what the last build holds and what it would change in the
served publication, and the history of what was served.

Rejected files with their errors; quarantined rows by reason, with the reason's description
and pseudonymised examples, the new deliveries first; per delivery the rows received,
accepted and quarantined, last build against served; per indicator and region (Belgium and
its regions, all sexes and nationalities) the change of the rate, changes beyond a
threshold flagged. ``dwh review`` prints it, the stewards' page shows it.

A reader: it opens the last build's record and warehouse and the served publication
read-only and imports nothing of the build side, so the dashboards may use it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dwh.core import paths
from dwh.serving import publication as served_files
from dwh.serving.publication import Publication, current

THRESHOLD = 5.0  # per cent: a rate that changes by more than this is flagged
EXAMPLES = 3  # pseudonymised examples per delivery and reason
CHANGES = ("new", "changed", "removed", "unchanged")  # of a delivery, in the order shown
# what can be done with the last build: publish it, or why not
VERDICTS = ("publishable", "served", "failed", "disclosive", "spark")


@dataclass(frozen=True)
class Review:
    """The last build against the served publication (``served`` None: nothing served yet)."""

    record: dict
    served: Publication | None
    threshold: float
    built: bool  # the build made its warehouse (not when it stopped at a rejected file)
    deliveries: pd.DataFrame  # per institution and year, last build and served
    rejected: pd.DataFrame  # institution, year, file, error
    reasons: pd.DataFrame  # quarantined rows per delivery and reason, with its description
    examples: pd.DataFrame  # a few quarantined rows per delivery and reason, pseudonymised
    latest: pd.DataFrame  # per indicator and region: the last quarter built against served
    revisions: pd.DataFrame  # per indicator, region and quarter in both: changed rates only

    @property
    def verdict(self) -> str:
        """One of VERDICTS; ``dwh publish`` checks it all again when it is asked to publish."""
        checked = self.record.get("output_check") or {}
        if self.record.get("target") == "spark":
            return "spark"
        if checked.get("disclosive"):
            return "disclosive"
        if self.record["status"] != "success":
            return "failed"
        if self.served and self.served.build_started_at == self.record["started_at"]:
            return "served"
        return "publishable"


def last_build() -> dict | None:
    """The record of the last build (its deliveries, dbt's results, the output check)."""
    path = paths.build_record()
    return json.loads(path.read_text()) if path.exists() else None


def load(threshold: float = THRESHOLD) -> Review | None:
    """The review of the last build; None when nothing is built."""
    record = last_build()
    if record is None:
        return None
    served = current()
    rows = deliveries(record, served.build_record() if served else None)
    new = rows[rows.change.isin(["new", "changed"])]
    db = paths.build_db()
    reasons = _built(db, _REASONS)
    examples = _built(db, _EXAMPLES, [EXAMPLES])
    latest = revisions = pd.DataFrame(columns=_CHANGE_COLUMNS)
    built = db.exists() and record.get("target") != "spark"
    if served and built:
        latest, revisions = indicator_changes(db, served, threshold)
    return Review(
        record,
        served,
        threshold,
        built,
        rows,
        rows[rows.status == "rejected"][["institution", "year", "file", "error"]],
        _new_first(reasons, new),
        _new_first(examples, new),
        latest,
        revisions,
    )


def deliveries(record: dict, served: dict | None) -> pd.DataFrame:
    """Per institution and year: the last build's status and rows beside the served build's,
    and the change (new, changed, removed or unchanged, by the file's checksum); the new and
    changed deliveries first."""
    counts = ["rows_received", "rows_accepted", "rows_quarantined"]

    def frame(entries: list[dict]) -> pd.DataFrame:
        rows = pd.DataFrame(
            [
                {
                    "institution": d["institution"],
                    "year": int(d["period"]),
                    "status": "provisional"
                    if d.get("provisional") and d["status"] == "received"
                    else d["status"],
                    "file": d.get("file") or "",
                    "error": d.get("error"),
                    "sha256": d.get("sha256"),
                    **{c: d.get(c) for c in counts},
                }
                for d in entries
            ],
            columns=["institution", "year", "status", "file", "error", "sha256", *counts],
        )
        return rows.astype({c: "Int64" for c in counts})

    built, before = frame(record["deliveries"]), frame(served["deliveries"] if served else [])
    rows = built.merge(
        before.drop(columns=["file", "error"]),
        on=["institution", "year"],
        how="outer",
        suffixes=("", "_served"),
    )
    now, then = rows.sha256, rows.sha256_served
    rows["change"] = "unchanged"
    rows.loc[now.notna() & (now != then), "change"] = "changed"
    rows.loc[now.notna() & then.isna(), "change"] = "new"
    rows.loc[now.isna() & then.notna(), "change"] = "removed"
    rows["order"] = rows.change.map(CHANGES.index)
    rows = rows.sort_values(["order", "institution", "year"]).reset_index(drop=True)
    return rows.drop(columns=["order", "sha256", "sha256_served"])


def indicator_changes(
    built: Path, served: Publication, threshold: float = THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per indicator and region (and Belgium), all sexes and nationalities: the last quarter
    of the build against the last served one, and every quarter both hold whose rate or
    status changed. ``change`` is the relative change of the rate in per cent; ``beyond``
    flags a change of more than ``threshold`` per cent, or of the status (a rate withheld or
    not available on one side)."""
    with duckdb.connect() as con:
        con.execute("attach ? as built (read_only)", [str(built)])
        con.execute("attach ? as served (read_only)", [str(served.public)])
        con.execute(_RATES.format(side="built"))
        con.execute(_RATES.format(side="served"))
        latest = con.execute(_LATEST, [threshold]).df()
        revisions = con.execute(_REVISIONS, [threshold]).df()
    return latest, revisions


def history() -> pd.DataFrame:
    """Who published or rolled back what, and when, the latest first (from
    ``serving/history.jsonl``; entries from before the history kept users have none)."""
    log = served_files.history()
    entries = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    rows = [
        {
            "time": e.get("at", e.get("published_at")),
            "action": e.get("action", "publish"),
            "publication": e["id"],
            "user": e.get("user"),
            "via": e.get("via"),
            "previous": e.get("previous"),
        }
        for e in entries
    ]
    columns = ["time", "action", "publication", "user", "via", "previous"]
    return pd.DataFrame(rows, columns=columns).iloc[::-1].reset_index(drop=True)


def _built(db: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """A query on the built warehouse; empty when the build made no such table (it failed
    before dbt created it)."""
    if not db.exists():
        return pd.DataFrame()
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            return con.execute(sql, params or []).df()
        except duckdb.CatalogException:
            return pd.DataFrame()


def _new_first(frame: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The rows of the new and changed deliveries first (``new`` True), then the others."""
    if frame.empty:
        return frame
    keys = set(zip(new.institution, new.year, strict=True))
    frame = frame.assign(
        new=[(i, int(y)) in keys for i, y in zip(frame.institution, frame.year, strict=True)]
    )
    order = ["new", "institution", "year", "reason_code", "line_number"]
    order = [c for c in order if c in frame]
    ascending = [c != "new" for c in order]
    return frame.sort_values(order, ascending=ascending).reset_index(drop=True)


_REASONS = """
select institution_code as institution, year, reason_code, reason_description,
    count(*) as rows_quarantined
from quarantine_rows group by all
"""

_EXAMPLES = """
select institution_code as institution, year, reason_code, line_number, reason_column,
    pseudonym, row_content
from quarantine_rows
qualify row_number() over (
    partition by institution_code, year, reason_code order by line_number
) <= ?
"""

_CHANGE_COLUMNS = [
    "indicator", "geo_code", "name_nl", "name_fr", "name_en",
    "quarter_served", "rate_served", "status_served",
    "quarter", "rate", "status", "change", "beyond",
]  # fmt: skip

# the indicators of Belgium and its regions, all sexes and nationalities, of one side
_RATES = """
create temp table {side}_rates as
select indicator, geo_code, quarter, rate, status
from {side}.main.indicators
where geo_level in ('country', 'region') and sex = '_T' and nationality_group = '_T'
"""

_COMPARED = """
    b.indicator, b.geo_code, g.name_nl, g.name_fr, g.name_en,
    s.quarter as quarter_served, s.rate as rate_served, s.status as status_served,
    b.quarter, b.rate, b.status,
    round(100 * (b.rate - s.rate) / nullif(s.rate, 0), 2) as change,
    coalesce(abs(b.rate - s.rate) > ? * abs(s.rate) / 100, true)
        and not (b.rate is null and s.rate is null and b.status = s.status) as beyond
"""

_LATEST = f"""
select {_COMPARED}
from (select * from built_rates qualify quarter = max(quarter) over ()) as b
left join (select * from served_rates qualify quarter = max(quarter) over ()) as s
    on b.indicator = s.indicator and b.geo_code = s.geo_code
left join built.main.dim_geography as g on b.geo_code = g.geo_code
left join built.main.dim_indicator as i on b.indicator = i.indicator
order by i.sort_order, b.geo_code
"""

_REVISIONS = f"""
select {_COMPARED}
from built_rates as b
inner join served_rates as s
    on b.indicator = s.indicator and b.geo_code = s.geo_code and b.quarter = s.quarter
left join built.main.dim_geography as g on b.geo_code = g.geo_code
left join built.main.dim_indicator as i on b.indicator = i.indicator
where b.rate is distinct from s.rate or b.status is distinct from s.status
order by i.sort_order, b.geo_code, b.quarter
"""
