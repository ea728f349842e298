"""Ingest: check every delivered file and row, pseudonymise at the door, write the landing zone.

For each delivery (institution x year) the file is checked as a whole first (delivery slip,
header, encoding, row count, types, period); a file that fails is rejected with an error
naming it and what is wrong. Each row of a readable file is then either accepted, its
national number replaced by a keyed pseudonym, or quarantined with a reason code, so that
rows received = rows accepted + rows quarantined. Raw national numbers stay in this
process's memory: only pseudonyms are written.
"""

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from dwh.core import niss, paths, pseudonym
from dwh.deliveries import SLIP, SOURCES, Source
from dwh.ingest import landing
from dwh.ingest.register import DELIVERY_SCHEMA, Delivery
from dwh.ingest.scan import FileScan, scan
from dwh.ingest.waiting import absent, checksum, folder_names, found, is_year

# Quarantine reasons (seeds/ref_quarantine_reasons.csv) are checked in that order: a row
# gets the first that applies.
MAJORITY = 0.5  # above this share of bad values a column (or the period) fails the whole file
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark at the start of a file, read as if absent


class DeliveryError(Exception):
    """A delivered file that cannot be read as a whole. Its message never holds a national
    number: anything that may be one is masked (it ends up in the build record, the register,
    the stewards' pages and the console)."""

    def __init__(self, message: str):
        super().__init__(niss.mask(message))


def describe(value) -> str:
    """What a delivered value looks like, without the value: its length and kinds of
    characters (errors never echo delivered values verbatim)."""
    text = str(value)
    kinds = [
        name
        for name, test in (("digits", str.isdigit), ("letters", str.isalpha))
        if any(test(c) for c in text)
    ]
    if any(not c.isalnum() for c in text):
        kinds.append("other signs")
    return f"{len(text)} characters ({', '.join(kinds) or 'empty'})"


def _column_name(name: str) -> str:
    """A delivered column name as an error may show it: a plain name as it is, anything else
    described."""
    plain = len(name) <= 40 and name.replace("_", "").replace(" ", "").isalpha()
    return repr(name) if plain else f"<{describe(name)}>"


def _may_hold_number(column: str) -> str:
    """:func:`niss.sql_may_hold_number`, its regular expression run only on values long enough
    to hold 11 digits (most are not: the check of every value costs half of the row checks)."""
    may_hold = niss.sql_may_hold_number(column)
    return f"case when length({column}) >= 11 then {may_hold} else false end"


def household_number(column: str) -> str:
    """A delivered household number as the text its pseudonym is the HMAC of (null when the
    value is not a number)."""
    return f"cast(try_cast({column} as bigint) as varchar)"


class Ingest:
    """One ingest run: an in-memory DuckDB holding the number-to-pseudonym map for the run."""

    def __init__(
        self, landing_zone: Path, key: bytes, record_key: bytes, memory_limit: str | None = None
    ):
        self.landing = landing_zone
        self.con = duckdb.connect()
        tmp = landing_zone.parent / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        self.con.execute(f"set temp_directory = '{tmp}'")
        if memory_limit:
            self.con.execute(f"set memory_limit = '{memory_limit}'")
        self.keys = pseudonym.padded_keys(key)
        self.household_keys = pseudonym.padded_keys(pseudonym.derived_key(key, "households"))
        self.record_keys = pseudonym.padded_keys(record_key)
        self.con.execute(
            "create temp table pmap (n varchar, pseudonym varchar, record_key integer)"
        )
        self.con.execute("create temp table hmap (n varchar, pseudonym varchar)")
        for seed in ("ref_municipalities", "ref_source_codes"):
            self.con.execute(
                f"create temp table {seed} as select * from read_csv(?, all_varchar = true)",
                [str(paths.SEEDS_DIR / f"{seed}.csv")],
            )
        self.con.execute(
            "create temp table quarantine (institution varchar, period varchar, file varchar,"
            " line_number bigint, reason_code varchar, reason_column varchar,"
            " pseudonym varchar, row_content varchar)"
        )

    # --- whole-file checks --------------------------------------------------------------
    def _check_file(self, source: Source, folder: Path, year: int) -> tuple[Path, dict]:
        slip_path = folder / SLIP
        if not slip_path.exists():
            raise DeliveryError(f"{folder}: no delivery slip {SLIP}")
        try:
            slip = json.loads(slip_path.read_text())
        except json.JSONDecodeError as e:
            raise DeliveryError(f"{slip_path}: not valid JSON ({e})") from None
        path = folder / source.file_name.format(year=year)
        others = sorted(p.name for p in folder.iterdir() if p.name not in (SLIP, path.name))
        if not path.exists():
            found = f" (found: {', '.join(others)})" if others else ""
            raise DeliveryError(f"{path}: file missing{found}")
        if str(slip.get("period")) != str(year):
            raise DeliveryError(
                f"{path}: wrong period: delivered as {year}, the slip says {slip.get('period')}"
            )
        if path.stat().st_size == 0:
            raise DeliveryError(f"{path}: the file is empty (not even a header)")
        with path.open("rb") as f:
            first = f.readline().rstrip(b"\r\n").removeprefix(BOM)
        try:
            header = first.decode(source.encoding).split(source.delimiter)
        except UnicodeDecodeError:
            raise DeliveryError(
                f"{path}: bad encoding: the header is not {source.encoding}"
            ) from None
        missing = [c for c in source.names if c not in header]
        extra = [c for c in header if c not in source.names]
        if missing or extra:
            parts = [
                f"missing columns {missing}" if missing else "",
                f"unexpected columns [{', '.join(map(_column_name, extra))}]" if extra else "",
            ]
            raise DeliveryError(f"{path}: {' and '.join(p for p in parts if p)}")
        if header != source.names:
            raise DeliveryError(f"{path}: columns in the wrong order: [{', '.join(header)}]")
        return path, slip

    def _read(self, source: Source, path: Path, scanned: FileScan) -> tuple[int, int]:
        """Read the file into ``raw`` (each row with its line number) and its malformed lines
        (a wrong number of fields) into ``malformed``; returns (rows received, malformed).
        A BOM, CRLF line ends and blank lines are read as if absent."""
        columns = {name: "VARCHAR" for name in source.names}
        self.con.execute("drop table if exists rejects; drop table if exists rejects_scan")
        try:
            self.con.execute(
                "create or replace temp table raw as "
                "select row_number() over () + 1 as line_number, * from read_csv(?, "
                "delim = ?, header = true, auto_detect = false, columns = ?, encoding = ?, "
                "quote = '', escape = '', strict_mode = true, null_padding = false, "
                "ignore_errors = true, store_rejects = true, rejects_table = 'rejects', "
                "rejects_scan = 'rejects_scan')",
                [str(path), source.delimiter, columns, source.encoding],
            )
        except duckdb.Error as e:
            detail = str(e).splitlines()[0].removeprefix("Invalid Input Error: ")
            raise DeliveryError(f"{path}: unreadable CSV: {detail}") from None
        if self.con.execute(
            "select count(*) from rejects where error_type ilike '%encoding%' "
            "or error_type ilike '%unicode%'"
        ).fetchone()[0]:
            raise DeliveryError(f"{path}: bad encoding: not valid {source.encoding} text")
        # One row per malformed line (DuckDB gives one per field it missed); only the count
        # of fields leaves its text, never the text itself.
        self.con.execute(
            "create or replace temp table malformed as select line as line_number, "
            "len(string_split(trim(any_value(csv_line), chr(10) || chr(13)), ?)) as fields "
            "from rejects group by line",
            [source.delimiter],
        )
        rows, bad, last = self.con.execute(
            "select (select count(*) from raw), count(*), max(line_number) from malformed"
        ).fetchone()
        received = rows + bad
        if bad and bad > MAJORITY * received:
            raise DeliveryError(
                f"{path}: unreadable CSV: {bad} of {received} lines do not have the "
                f"{len(columns)} fields of the header (e.g. line {last})"
            )
        if (
            bad
            and not scanned.ends_with_newline
            and last == 1 + received + len(scanned.blank_lines)
        ):
            raise DeliveryError(f"{path}: truncated: its last line (line {last}) is cut")
        self._number_lines(scanned.blank_lines)
        return received, bad

    def _number_lines(self, blank_lines: list[int]):
        """Correct the line numbers of ``raw`` (its rows counted from 2) for the lines DuckDB
        left out (malformed and blank) before each: one as-of join, only when there are any
        (a clean file is not copied again)."""
        self.con.execute(
            "create or replace temp table skipped as select line_number from malformed "
            "union all select unnest(cast(? as bigint[]))",
            [blank_lines],
        )
        # the skipped line of rank i comes after (line - 1 - i) rows
        self.con.execute(
            "create or replace temp table skipped as select line_number - 1 - rank as before, "
            "rank from (select line_number, row_number() over (order by line_number) as rank "
            "from skipped where line_number > 1)"
        )
        if self.con.execute("select count(*) from skipped").fetchone()[0]:
            self.con.execute(
                "create or replace temp table raw as select raw.line_number "
                "+ coalesce(s.rank, 0) as line_number, raw.* exclude (line_number) from raw "
                "asof left join skipped s on raw.line_number - 1 > s.before "
                "order by raw.line_number"
            )

    def _check_columns(self, source: Source, path: Path, year: int):
        """Reject the file when most values of a column, or most periods, are wrong (a value
        missing or that did not cast in ``checked``)."""
        checks = [
            (c.name, c.name, f"try_cast({c.name} as {c.type}) is null", c.type)
            for c in source.columns
            if c.type != "varchar"
        ]
        checks.append(
            (source.period, "period_end", f"({source.ref_date_sql}) is null", source.period_format)
        )
        delivered = self.con.execute(
            f"select count(*), {', '.join(f'count({name})' for name, *_ in checks)} from raw"
        ).fetchone()
        typed = self.con.execute(
            f"select {', '.join(f'count({cast})' for _, cast, *_ in checks)}, "
            f"count(*) filter (year(period_end) <> {int(year)}), "
            "list(distinct year(period_end)) from checked"
        ).fetchone()
        for i, (name, _, bad, expected) in enumerate(checks):
            n, failed = delivered[1 + i], delivered[0] - typed[i]
            if n and failed / n > MAJORITY:
                example = self.con.execute(f"select min({name}) from raw where {bad}").fetchone()
                raise DeliveryError(
                    f"{path}: wrong type: column {name} should hold {expected} values, "
                    f"but {failed} of {n} do not (e.g. a value of {describe(example[0])})"
                )
        dated, outside, years = typed[-3:]
        if dated and outside / dated > MAJORITY:
            raise DeliveryError(
                f"{path}: wrong period: delivered as {year}, but most rows are about "
                f"{sorted(y for y in years if y is not None)}"
            )

    # --- row checks ---------------------------------------------------------------------
    def _classify(self, source: Source, year: int):
        inst = source.institution
        cols = source.names
        invalid = (
            [(c.name, f"typed__{c.name} is null") for c in source.columns if c.type != "varchar"]
            + [
                (c.name, f"{c.name} not in ({', '.join(repr(v) for v in c.allowed)})")
                for c in source.columns
                if c.allowed
            ]
            + [(source.period, "period_end is null")]
        )
        whens = [f"when not {niss.sql_is_valid(source.person)} then 'INVALID_NISS|{source.person}'"]
        whens += [
            f"when {c.name} is null then 'MISSING_VALUE|{c.name}'"
            for c in source.columns
            if c.required
        ]
        whens += [f"when {cond} then 'INVALID_VALUE|{name}'" for name, cond in invalid]
        # A national number where none belongs (columns swapped, a file shifted, a number
        # decorated or embedded in text) never lands: no other column has 11 digits or more.
        whens += [
            f"when {_may_hold_number(c.name)} then 'INVALID_VALUE|{c.name}'"
            for c in source.columns
            if c.name != source.person
        ]
        whens.append(f"when year(period_end) <> {int(year)} then 'OUT_OF_PERIOD|{source.period}'")
        if source.code:
            whens.append(
                f"when c.{source.code} not in (select source_code from ref_source_codes "
                f"where institution_code = '{inst}') then 'UNKNOWN_CODE|{source.code}'"
            )
        if source.municipality:
            m = source.municipality
            whens.append(
                f"when not exists (select 1 from ref_municipalities r where r.nis_code = c.{m} "
                "and cast(r.valid_from as date) <= period_end and (r.valid_to is null "
                f"or period_end < cast(r.valid_to as date))) then 'UNKNOWN_MUNICIPALITY|{m}'"
            )
        whens.append("when c.line_number in (select line_number from repeats) then 'DUPLICATE|'")
        # Rows are compared whole only where their hashes collide, not in one big window.
        self.con.execute(
            "create or replace temp table repeats as select line_number from ("
            f"select line_number, row_number() over (partition by {', '.join(cols)} "
            "order by line_number) as nth from raw where hash(" + ", ".join(cols) + ") in ("
            f"select hash({', '.join(cols)}) from raw group by 1 having count(*) > 1)) "
            "where nth > 1"
        )
        self._type_rows(source, f"case {' '.join(whens)} end")

    def _type_rows(self, source: Source, outcome: str):
        """``checked``: every row of ``raw`` in one pass, each value cast to its type once (a
        household number to the text of the number it is, null if it is none), with its
        ``outcome`` (null: accepted), which may read the cast values as ``typed__<column>``."""
        typed = [
            (c.name, household_number(c.name) if c.household else f"try_cast({c.name} as {c.type})")
            for c in source.columns
            if c.name != source.person
        ]
        self.con.execute(
            f"create or replace temp table checked as select line_number, {source.person}, "
            f"{', '.join(f'typed__{name} as {name}' for name, _ in typed)}, period_end, outcome "
            f"from (select c.*, {outcome} as outcome from (select *, {source.ref_date_sql} as "
            f"period_end, {', '.join(f'{cast} as typed__{name}' for name, cast in typed)} "
            "from raw) c)"
        )

    def _pseudonymise(self, source: Source):
        """Compute the pseudonym and the record key once per number not seen before in this run,
        and the household pseudonym once per household number (not once per row)."""
        self.con.execute(
            f"insert into pmap select d.n, {pseudonym.sql_pseudonym('d.n')}, "
            f"{pseudonym.sql_record_key(pseudonym.sql_hmac_hex('d.n'))} from (select distinct "
            f"{source.person} as n from checked where {source.person} is not null) d "
            "where not exists (select 1 from pmap where pmap.n = d.n)",
            [*self.keys, *self.record_keys],
        )
        for c in source.columns:
            if c.household:
                self.con.execute(
                    f"insert into hmap select d.n, {pseudonym.sql_pseudonym('d.n')} from "
                    f"(select distinct {c.name} as n from checked) d "
                    "where d.n is not null and not exists (select 1 from hmap where hmap.n = d.n)",
                    self.household_keys,
                )

    def _land(self, source: Source, out: Path) -> int:
        """Write the accepted rows of ``checked``, pseudonymised and typed, to ``out``; household
        numbers become household pseudonyms (HMAC under a key of their own)."""
        typed, joins = [], []
        for c in source.columns:
            if c.name == source.person:
                continue
            value = f"checked.{c.name}"
            if c.household:
                value = f"h_{c.name}.pseudonym"
                joins.append(f"left join hmap h_{c.name} on h_{c.name}.n = checked.{c.name}")
            typed.append(f"{value} as {c.name.lower()}")
        if source.record_key:
            typed.append("p.record_key")
        out.parent.mkdir(parents=True, exist_ok=True)
        return self.con.execute(
            f"copy (select p.pseudonym, {', '.join(typed)}, period_end, line_number "
            f"from checked join pmap p on p.n = checked.{source.person} {' '.join(joins)} "
            f"where outcome is null) to '{out}' (format parquet)"
        ).fetchone()[0]

    def _quarantine(self, source: Source, year: int, file: str) -> int:
        """Keep the rejected rows of ``checked``, pseudonymised, with their reason."""
        parts, joins = [], []
        for c in source.columns:
            if c.name == source.person:
                continue
            if c.household:  # as the household pseudonym it would have landed as
                parts.append(f"{c.name} := h_{c.name}.pseudonym")
                joins.append(f"left join hmap h_{c.name} on h_{c.name}.n = k.{c.name}")
            else:
                parts.append(f"{c.name} := {niss.sql_masked(f'raw.{c.name}')}")
        return self.con.execute(
            "insert into quarantine select ?, ?, ?, raw.line_number, "
            "split_part(outcome, '|', 1), nullif(split_part(outcome, '|', 2), ''), "
            f"p.pseudonym, to_json(struct_pack({', '.join(parts)})) "
            "from (select * from checked where outcome is not null) k "
            "join raw on raw.line_number = k.line_number "
            f"left join pmap p on p.n = raw.{source.person} {' '.join(joins)} "
            "order by raw.line_number",
            [source.institution, str(year), file],
        ).fetchone()[0]

    def _quarantine_malformed(self, source: Source, year: int, file: str) -> int:
        """Keep the malformed lines: their line number and how many fields they have, never
        their text (it may hold a national number, cut anywhere)."""
        return self.con.execute(
            "insert into quarantine select ?, ?, ?, line_number, 'MALFORMED_LINE', null, null, "
            "to_json(struct_pack(fields := fields, expected := ?)) from malformed",
            [source.institution, str(year), file, len(source.columns)],
        ).fetchone()[0]

    def delivery(
        self, source: Source, folder: Path, year: int, scanned: FileScan | None
    ) -> Delivery:
        """Check, pseudonymise and land one delivery (``scanned``: its file, None if missing)."""
        result = Delivery(
            source.institution, str(year), source.file_name.format(year=year), "received"
        )
        result.sha256, result.slip_sha256 = scanned and scanned.sha256, checksum(folder / SLIP)
        self.con.execute("delete from quarantine")
        try:
            path, slip = self._check_file(source, folder, year)
            result.provisional = bool(slip.get("provisional", False))
            received, malformed = self._read(source, path, scanned)
            announced = slip.get("rows")
            if announced is not None and announced != received:
                raise DeliveryError(
                    f"{path}: truncated: the delivery slip announces {announced} rows, "
                    f"the file holds {received}"
                )
            self._classify(source, year)
            self._check_columns(source, path, year)
            # only the rows quarantined need their delivered text from here on
            self.con.execute(
                "create or replace temp table raw as select * from raw where line_number in "
                "(select line_number from checked where outcome is not null)"
            )
            self._pseudonymise(source)
            accepted = self._land(source, landing.accepted(self.landing, source.institution, year))
            quarantined = self._quarantine(source, year, path.name)
            quarantined += self._quarantine_malformed(source, year, path.name)
            if accepted + quarantined != received:  # each row has exactly one outcome
                raise AssertionError(f"{path}: {received} rows, {accepted} + {quarantined} out")
            part = landing.quarantined(self.landing, source.institution, year)
            part.parent.mkdir(parents=True, exist_ok=True)
            self.con.execute(f"copy quarantine to '{part}' (format parquet)")
        except DeliveryError as e:
            result.status, result.error = "rejected", str(e)
            return result
        result.rows_received, result.rows_accepted = received, accepted
        result.rows_quarantined = quarantined
        return result

    def finish(self, deliveries: list[Delivery]):
        """Write the quarantine and the delivery register of every delivery landed, and empty
        landings where nothing came."""
        for source in SOURCES.values():
            folder = self.landing / source.institution
            empty = folder / landing.EMPTY
            if any(p != empty for p in folder.glob("*.parquet")):
                empty.unlink(missing_ok=True)
            elif not empty.exists():
                nulls = ", ".join(f"cast(null as varchar) as {c}" for c in source.names)
                self.con.execute(
                    "create or replace temp table raw as select cast(null as bigint) as "
                    f"line_number, {nulls} where false"
                )
                self._type_rows(source, "cast(null as varchar)")
                self._land(source, empty)
        parts = sorted((self.landing / landing.QUARANTINED).glob("*/*.parquet"))
        self.con.execute("delete from quarantine")
        if parts:
            self.con.execute(
                "insert into quarantine select * from read_parquet(?)", [list(map(str, parts))]
            )
        self.con.execute(
            f"copy quarantine to '{self.landing / landing.QUARANTINE}' (format parquet)"
        )
        register = pa.Table.from_pylist([asdict(d) for d in deliveries], schema=DELIVERY_SCHEMA)
        ingested_at = datetime.now(UTC).replace(tzinfo=None)
        self.con.register("register", register)
        self.con.execute(
            "copy (select *, cast(? as timestamp) as ingested_at from register) "
            f"to '{self.landing / landing.REGISTER}' (format parquet)",
            [ingested_at],
        )


def ingest(
    deliveries: Path,
    landing_zone: Path,
    key: bytes,
    memory_limit: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
    record_key: bytes | None = None,
    full_refresh: bool = False,
) -> list[Delivery]:
    """Ingest the deliveries under ``deliveries`` into ``landing_zone``: only those new or
    changed since the last ingest there (its other deliveries kept as they landed, removed
    ones dropped), or every one with ``full_refresh``. The record keys come from
    ``record_key``, by default the warehouse's own secret."""
    record_key = record_key or pseudonym.load_record_key()
    fingerprint = landing.fingerprint(key, record_key)
    last = {} if full_refresh else landing.previous(landing_zone, fingerprint)
    if not last:
        shutil.rmtree(landing_zone, ignore_errors=True)
    landing_zone.mkdir(parents=True, exist_ok=True)
    landing.mark(landing_zone, None)  # an ingest cut short leaves no landing to keep
    run = Ingest(landing_zone, key, record_key, memory_limit)
    folders = found(deliveries)
    results = []
    for (inst, period), folder in folders.items():
        progress(niss.mask(f"{inst} {period}"))
        if inst not in SOURCES or not is_year(period):
            # folder names are delivered text too: masked, and kept short
            results.append(
                Delivery(
                    *folder_names(inst, period),
                    "",
                    "rejected",
                    error=niss.mask(f"{folder}: unknown institution or period"),
                )
            )
            continue
        source = SOURCES[inst]
        file = folder / source.file_name.format(year=period)
        scanned = scan(file) if file.is_file() else None
        before = last.pop((inst, period), None)
        sums = (scanned and scanned.sha256, checksum(folder / SLIP))
        if before is not None and (before.sha256, before.slip_sha256) == sums:
            results.append(replace(before, kept=True))
            continue
        landing.drop(landing_zone, inst, period)
        results.append(run.delivery(source, folder, int(period), scanned))
    for inst, period in last:  # no longer delivered
        landing.drop(landing_zone, inst, period)
    results += [Delivery(inst, period, "", "missing") for inst, period in absent(folders)]
    run.finish(results)
    landing.mark(landing_zone, fingerprint)
    return results
