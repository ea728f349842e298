"""``dwh simulate``: write the deliveries the institutions would send for a synthetic population.

One CSV file per institution and year, in that institution's own shape (:mod:`dwh.deliveries`),
under ``deliveries/<institution>/<year>/``, with a delivery slip ``_delivery.json`` (row count,
provisional flag). Realistic imperfections are added at configurable rates.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dwh.core import paths
from dwh.deliveries import SLIP, SOURCES, Source, expected_institutions
from dwh.simulate import calibration as cal
from dwh.simulate.population import (
    FORCED_PCT,
    NACE_SHARES,
    NATIONALITIES,
    POSITION_CODES,
    STATES,
    Geography,
    Population,
    S,
)


@dataclass
class Imperfections:
    """Rates (per row) of the faults found in real deliveries, and the faulty files."""

    invalid_niss: float = 0.0005
    unknown_municipality: float = 0.0005
    duplicate: float = 0.0005
    out_of_period: float = 0.0005
    missing: list[tuple[str, int]] = field(default_factory=lambda: [("fodss", 2021)])
    provisional: list[tuple[str, int]] = field(default_factory=lambda: [("onem", 2020)])

    @classmethod
    def none(cls) -> "Imperfections":
        return cls(0, 0, 0, 0, [], [])


def _text(numbers: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, "0")


def _const(value: str, n: int) -> pa.Array:
    return pa.repeat(value, n)


def _money(values: np.ndarray) -> pa.Array:
    """Amounts with two decimals, as text."""
    return pa.array(values, pa.float64()).cast(pa.decimal128(12, 2)).cast(pa.string())


def _pick(values, codes: np.ndarray) -> pa.Array:
    """``values[codes]`` as text (Arrow's take: no Python string per row)."""
    return pa.array(values, pa.string()).take(pa.array(codes, pa.int64()))


def quarter_end(year: int, quarter: int) -> np.datetime64:
    first_of_next = np.datetime64(f"{year:04d}-{3 * quarter:02d}", "M") + np.timedelta64(1, "M")
    return first_of_next.astype("datetime64[D]") - np.timedelta64(1, "D")


def live_quarters(pop: Population, years, persons: int) -> Iterator[tuple[int, int, np.datetime64]]:
    """Move ``pop`` through every quarter of ``years`` (births, deaths, migration and household
    changes from the second quarter on, then everyone's state) and yield each quarter (year,
    quarter, last day) once its population is ready."""
    for year in years:
        for quarter in range(1, 5):
            day = quarter_end(year, quarter)
            if (year, quarter) != (years[0], 1):
                pop.advance(day, persons)
            pop.update_states(day)
            yield year, quarter, day


class Quarter:
    """The rows every institution delivers about one quarter."""

    def __init__(self, pop: Population, year: int, quarter: int):
        self.pop, self.year, self.quarter = pop, year, quarter
        self.day = quarter_end(year, quarter)
        c = pop.cols
        res = np.flatnonzero(c["resident"])
        self.res = res
        self.state = c["state"][res]
        self.age = pop.ages(self.day)[res]
        self._niss: pa.Array | None = None

    def niss(self, idx: np.ndarray) -> pa.Array:
        """The national numbers of persons ``idx`` as text (the population's written once a
        quarter, then taken: most persons are in several files)."""
        if self._niss is None:
            self._niss = _text(self.pop.cols["niss"], 11)
        return self._niss.take(pa.array(idx, pa.int64()))

    def coded(self, codes: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
        """Residents in the states of ``codes``, and the code of each one's state."""
        idx = self.who(*codes)
        table = np.array([codes.get(name, "") for name in STATES], dtype=object)
        return idx, table[self.pop.cols["state"][idx]]

    def who(self, *states: str) -> np.ndarray:
        """Indices (into the population) of residents in one of ``states``."""
        chosen = np.zeros(len(STATES), bool)
        chosen[[S[s] for s in states]] = True
        return self.res[chosen[self.state]]

    def period(self, source: Source, n: int) -> pa.Array:
        return _const(source.format_period(self.year, self.quarter), n)

    def rr(self, source: Source) -> dict:
        c, idx, geo = self.pop.cols, self.res, self.pop.geo
        return {
            "INSZ": self.niss(idx),
            "REFERENTIEDATUM": self.period(source, len(idx)),
            "NIS_CODE": _pick(geo.codes_on(self.day), c["muni"][idx]),
            "GESLACHT": _pick(["2", "1"], c["male"][idx].astype(int)),
            "GEBOORTEDATUM": pa.array(c["birth"][idx]).cast(pa.string()),
            "NATIONALITEITSGROEP": _pick(NATIONALITIES, c["nat"][idx]),
            "GEZIN": pa.array(c["household"][idx] + 1_000_000, pa.int64()).cast(pa.string()),
            "GEZINSPOSITIE": _pick(POSITION_CODES, c["pos"][idx]),
        }

    def onss(self, source: Source) -> dict:
        c = self.pop.cols
        working = [
            "student_worker",
            "employee",
            "employee_self_employed_secondary",
            "self_employed_with_job",
            "helper_with_job",
            "employee_with_benefit",
            "pensioner_working",
        ]
        idx = self.who(*working)
        forced = np.zeros(len(STATES))
        for name, pct in FORCED_PCT.items():
            forced[S[name]] = pct
        main_pct = np.where(forced[c["state"][idx]] > 0, forced[c["state"][idx]], c["pct"][idx])
        second = idx[(c["state"][idx] == S["employee"]) & c["second_job"][idx]]
        cb = self.pop.cross_border
        niss = np.concatenate([c["niss"][idx], c["niss"][second], cb["niss"]])
        employer = np.concatenate(
            [c["employer"][idx], c["employer"][second] ^ 0x5A5A5A, cb["employer"]]
        )
        student = np.concatenate(
            [c["state"][idx] == S["student_worker"], np.zeros(len(second) + len(cb["niss"]), bool)]
        )
        public = np.concatenate(
            [c["public_sector"][idx], c["public_sector"][second], cb["public_sector"]]
        )
        pct = np.concatenate(
            [
                main_pct,
                np.array([20.0, 30.0, 40.0])[c["niss"][second] % 3],
                np.where(cb["niss"] % 5 == 0, 50.0, 100.0),
            ]
        ).astype(float)
        z = np.concatenate([c["wage_z"][idx], c["wage_z"][second] - 0.5, cb["wage_z"]])
        n = len(niss)
        days = np.round(65 * pct / 100).astype(int)
        low, high = cal.wage_spread()
        monthly = cal.wage_median(self.year) * np.exp(z * np.where(z < 0, low, high))
        wage = np.round(3 * monthly * pct / 100, 2)
        nace_codes = np.array(list(NACE_SHARES))
        nace_w = np.cumsum(list(NACE_SHARES.values()))
        nace = nace_codes[np.searchsorted(nace_w, (employer % 1000) / 1000 * nace_w[-1])]
        worker = np.where(
            student, "840", np.where(public, "675", np.where(employer % 5 < 3, "495", "015"))
        )
        kbo = 2_000_000 + employer % 8_000_000  # enterprise number: 0 + 7 digits + check
        return {
            "quarter": self.period(source, n),
            "niss": pa.concat_arrays([self.niss(idx), self.niss(second), _text(cb["niss"], 11)]),
            "employer_id": _text(kbo * 100 + 97 - kbo % 97, 10),
            "nace_section": pa.array(nace, pa.string()),
            "worker_code": pa.array(worker, pa.string()),
            "time_regime": pa.array(np.where(pct < 100, "P", "F"), pa.string()),
            "part_time_pct": _money(pct),
            "days_paid": pa.array(days).cast(pa.string()),
            "gross_wage": _money(wage),
        }

    def _status(self, source: Source, idx: np.ndarray, codes: np.ndarray, extra=None) -> dict:
        """Rows of a status file: person, period, code (and any extra columns)."""
        person, period, code = source.person, source.period, source.code
        cols = {
            person: self.niss(idx),
            period: self.period(source, len(idx)),
            code: pa.array(codes.astype(str), pa.string()),
        }
        cols.update(extra or {})
        return {name: cols[name] for name in source.names}

    def inasti(self, source: Source) -> dict:
        codes = {
            "employee_self_employed_secondary": "Z2",
            "self_employed": "Z1",
            "self_employed_with_job": "Z1",
            "helper": "H1",
            "helper_with_job": "H2",
            "pensioner_self_employed": "Z2",
        }
        idx, code = self.coded(codes)
        c = self.pop.cols
        spell = c["dur"][idx].astype(int) * 91 + c["niss"][idx] % 91  # days since the start
        start = self.day - spell.astype("timedelta64[D]")
        return self._status(source, idx, code, {"BEGINDATUM": pa.array(start).cast(pa.string())})

    def onem(self, source: Source) -> dict:
        codes = {
            "unemployed": "01",
            "unemployed_part_time": "02",
            "employee_with_benefit": "02",
            "integration_allowance": "03",
            "career_break": "21",
            "swt": "31",
            "exempted_job_seeker": "41",
        }
        idx, code = self.coded(codes)
        days = np.where(code == "02", 30, 65) - self.pop.cols["niss"][idx] % 5
        return self._status(
            source, idx, code, {"JOURS_INDEMNISES": pa.array(days).cast(pa.string())}
        )

    def job_seekers(self, source: Source) -> dict:
        c = self.pop.cols
        idx = self.who(
            "unemployed",
            "unemployed_part_time",
            "integration_allowance",
            "job_seeker_without_benefit",
            "social_integration",
        )
        registered = c["niss"][idx] % 1000 < 1000 * cal.REGISTERED_SI
        keep = (c["state"][idx] != S["social_integration"]) | registered
        idx = idx[keep & (self.pop.geo.office[c["muni"][idx]] == source.institution)]
        code = SOURCE_CODES[source.institution][0]
        return self._status(source, idx, np.full(len(idx), code))

    def inami(self, source: Source) -> dict:
        idx = self.who("incapacity")  # invalidity after a year of incapacity
        return self._status(source, idx, np.where(self.pop.cols["dur"][idx] < 4, "PRIM", "INV"))

    def sfp(self, source: Source) -> dict:
        c = self.pop.cols
        idx = self.who("pensioner", "pensioner_working", "pensioner_self_employed")
        idx = idx[~c["public_sector"][idx]]
        abroad = self.pop.abroad
        abroad_niss = abroad["niss"][~abroad["public_sector"]]
        numbers = np.concatenate([c["niss"][idx], abroad_niss])
        amount = 1200 + numbers % 1300
        code = np.where(numbers % 10 == 0, "SURV", "RET")
        cols = {
            source.person: _text(numbers, 11),
            source.period: self.period(source, len(numbers)),
            source.code: pa.array(code, pa.string()),
            "monthly_amount": _money(amount),
        }
        return {name: cols[name] for name in source.names}

    def pdos(self, source: Source) -> dict:
        c = self.pop.cols
        pensioners = self.who("pensioner", "pensioner_working", "pensioner_self_employed")
        leave = self.who("leave_prior_to_retirement")
        idx = np.concatenate([pensioners[c["public_sector"][pensioners]], leave])
        code = np.where(np.isin(idx, leave), "DPPR", "P")
        abroad = self.pop.abroad
        numbers = np.concatenate([c["niss"][idx], abroad["niss"][abroad["public_sector"]]])
        code = np.concatenate([code, np.full(int(abroad["public_sector"].sum()), "P")])
        cols = {
            source.person: _text(numbers, 11),
            source.period: self.period(source, len(numbers)),
            source.code: pa.array(code, pa.string()),
        }
        return {name: cols[name] for name in source.names}

    def family_allowance(self, source: Source) -> dict:
        c, geo = self.pop.cols, self.pop.geo
        idx = self.who("child", "student_worker")
        fund = geo.fund[c["muni"][idx]]
        if self.year < 2020:  # Wallonia and Brussels: the federal agency until the end of 2019
            fund = np.where(np.isin(fund, ["famiwal", "iriscare"]), "famifed", fund)
        idx = idx[fund == source.institution]
        return self._status(source, idx, np.full(len(idx), SOURCE_CODES[source.institution][0]))

    def mi(self, source: Source) -> dict:
        idx = self.who("social_integration")
        ris = self.pop.cols["niss"][idx] % 1000 < 1000 * cal.RIS_SHARE
        return self._status(source, idx, np.where(ris, "RIS", "ERIS"))

    def fodss(self, source: Source) -> dict:
        idx = self.who("disability")
        old = self.pop.ages(self.day)[idx] >= 65
        code = np.where(old, "THAB", np.where(self.pop.cols["niss"][idx] % 10 < 7, "IVT", "IT"))
        return self._status(source, idx, code)


def _source_codes() -> dict[str, list[str]]:
    codes = pd.read_csv(paths.SEEDS_DIR / "ref_source_codes.csv", dtype=str)
    return codes.groupby("institution_code").source_code.apply(list).to_dict()


SOURCE_CODES = _source_codes()
ROWS: dict[str, Callable[[Quarter, Source], dict]] = {
    "rr": Quarter.rr,
    "onss": Quarter.onss,
    "inasti": Quarter.inasti,
    "onem": Quarter.onem,
    **dict.fromkeys(["vdab", "forem", "actiris", "adg"], Quarter.job_seekers),
    "inami": Quarter.inami,
    "sfp": Quarter.sfp,
    "pdos": Quarter.pdos,
    **dict.fromkeys(
        ["famifed", "opgroeien", "famiwal", "iriscare", "ostbelgien"], Quarter.family_allowance
    ),
    "mi": Quarter.mi,
    "fodss": Quarter.fodss,
}


def _spoil(
    table: pa.Table, source: Source, q: Quarter, faults: Imperfections, rng: np.random.Generator
) -> pa.Table:
    """Add the row-level faults of real deliveries to one quarter's rows."""
    n = table.num_rows
    if n == 0:
        return table

    def replace(column: str, rate: float, values: Callable[[pa.Array, np.ndarray], pa.Array]):
        """Replace the values of ``column`` on a share ``rate`` of the rows: ``values`` gets
        those rows' values and the mask, and returns their replacements."""
        nonlocal table
        mask = rng.random(n) < rate
        if mask.any():
            col, chosen = table[column].combine_chunks(), pa.array(mask)
            new = pc.replace_with_mask(col, chosen, values(col.filter(chosen), mask))
            table = table.set_column(table.schema.get_field_index(column), column, new)

    def bad_check_digits(col, _):
        numbers = pc.cast(col, pa.int64()).to_numpy()
        return _text(numbers - numbers % 100 + (numbers % 100 + 1 + numbers % 7) % 100, 11)

    replace(source.person, faults.invalid_niss, bad_check_digits)
    replace(
        source.period,
        faults.out_of_period,
        lambda col, _: _const(source.format_period(q.year - 1, q.quarter), len(col)),
    )
    if source.municipality:
        replace(
            source.municipality,
            faults.unknown_municipality,
            lambda _, mask: _pick(["99999", "21000", "11007"], rng.integers(0, 3, n)[mask]),
        )
    dups = np.flatnonzero(rng.random(n) < faults.duplicate)
    return pa.concat_tables([table, table.take(dups)]) if len(dups) else table


class DeliveryWriter:
    """One CSV file per institution and year, written quarter by quarter."""

    def __init__(self, out: Path, faults: Imperfections, rng: np.random.Generator):
        self.out, self.faults, self.rng = out, faults, rng
        self.open: dict[str, tuple[pacsv.CSVWriter, pa.OSFile, Path, list[int]]] = {}

    def start_year(self, year: int):
        for inst in expected_institutions(year):
            if (inst, year) in self.faults.missing:
                continue
            source = SOURCES[inst]
            folder = self.out / inst / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / source.file_name.format(year=year)
            schema = pa.schema([(name, pa.string()) for name in source.names])
            options = pacsv.WriteOptions(
                delimiter=source.delimiter, quoting_style="none", include_header=False
            )
            sink = pa.OSFile(str(path), "wb")
            sink.write((source.delimiter.join(source.names) + "\n").encode())
            writer = pacsv.CSVWriter(sink, schema, write_options=options)
            self.open[inst] = (writer, sink, path, [0])

    def write_quarter(self, q: Quarter):
        for inst, (writer, _, _, rows) in self.open.items():
            source = SOURCES[inst]
            table = pa.table(ROWS[inst](q, source))
            table = _spoil(table, source, q, self.faults, self.rng)
            writer.write_table(table)
            rows[0] += table.num_rows

    def end_year(self, year: int):
        for inst, (writer, sink, path, rows) in self.open.items():
            writer.close()
            sink.close()
            slip = {
                "institution": inst,
                "period": str(year),
                "file": path.name,
                "rows": rows[0],
                "provisional": (inst, year) in self.faults.provisional,
            }
            (path.parent / SLIP).write_text(json.dumps(slip, indent=2) + "\n")
        self.open = {}


def simulate(
    persons: int,
    years: list[int],
    seed: int,
    faults: Imperfections,
    out: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Path:
    """Write the deliveries of ``years`` for a population of about ``persons`` residents."""
    from dwh.simulate import disability  # the disability sources' rows (their own module)

    ROWS.update(disability.ROWS)
    out = out or paths.deliveries()
    rng = np.random.default_rng(seed)
    pop = Population(persons, Geography.load(), np.datetime64(f"{years[0]}-03-31"), rng)
    writer = DeliveryWriter(out, faults, rng)
    for year, quarter, _ in live_quarters(pop, years, persons):
        if quarter == 1:
            writer.start_year(year)
        writer.write_quarter(Quarter(pop, year, quarter))
        progress(f"{year}Q{quarter}")
        if quarter == 4:
            writer.end_year(year)
    return out
