"""The delivery contract: what each institution delivers, in which shape, for which years.

File name, CSV dialect, columns and how rows are checked; the delivery slip beside each file;
which institutions deliver for which year. This is the one description of the deliveries:
``dwh simulate`` writes files in these shapes and ``dwh build`` reads them with it, and the two
know each other only through this module. Every column is read as text and cast;
``ref_date`` is a DuckDB expression over the raw columns giving the reference date (the
last day of the quarter the row is about).
"""

import csv
from dataclasses import dataclass

from dwh.core import paths

SLIP = "_delivery.json"  # the delivery slip beside each file: institution, period, rows


def expected_institutions(year: int) -> list[str]:
    """The institutions that deliver for ``year`` (family allowances went regional in 2019-2020)."""
    with (paths.SEEDS_DIR / "ref_institutions.csv").open(newline="") as f:
        return [
            row["institution_code"]
            for row in csv.DictReader(f)
            if int(row["first_year"]) <= year <= int(row["last_year"] or 9999)
        ]


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "varchar"  # a DuckDB type the raw text is cast to
    required: bool = True
    allowed: tuple[str, ...] = ()
    household: bool = False  # a household number: pseudonymised at the door like a person


@dataclass(frozen=True)
class Source:
    institution: str
    entity: str
    file_name: str  # with {year}
    delimiter: str
    encoding: str
    person: str  # column holding the national number
    columns: tuple[Column, ...]
    period: str  # column telling which quarter a row is about
    period_format: str  # strftime codes, and %q for a quarter digit
    code: str | None = None  # column checked against seeds/ref_source_codes.csv
    municipality: str | None = None  # column checked against seeds/ref_municipalities.csv
    record_key: bool = False  # land each person's record key (for cell-key perturbation)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def ref_date_sql(self) -> str:
        """DuckDB expression giving the last day of the quarter a row is about, or NULL."""
        if "%q" not in self.period_format:
            parsed = f"try_strptime({self.period}, '{self.period_format}')"
            return f"last_day(date_trunc('quarter', {parsed}) + interval 2 month)"
        pattern = (
            "^" + self.period_format.replace("%Y", "([0-9]{4})").replace("%q", "([1-4])") + "$"
        )
        year, quarter = (
            f"try_cast(regexp_extract({self.period}, '{pattern}', {g}) as integer)" for g in (1, 2)
        )
        return f"last_day(make_date({year}, 3 * {quarter}, 1))"

    def format_period(self, year: int, quarter: int) -> str:
        """How this institution writes the quarter (its last day, for dates)."""
        month = 3 * quarter
        day = {3: 31, 6: 30, 9: 30, 12: 31}[month]
        text = self.period_format.replace("%q", str(quarter)).replace("%Y", f"{year:04d}")
        return text.replace("%m", f"{month:02d}").replace("%d", f"{day:02d}")


def _status_source(institution: str, file_prefix: str, person: str, date: str, code: str):
    """The common shape of the small status files (job seekers, family allowances)."""
    return Source(
        institution=institution,
        entity="status",
        file_name=file_prefix + "_{year}.csv",
        delimiter=";",
        encoding="utf-8",
        person=person,
        columns=(Column(person), Column(date), Column(code)),
        period=date,
        period_format="%Y-%m-%d",
        code=code,
    )


SOURCES: dict[str, Source] = {
    s.institution: s
    for s in [
        Source(
            institution="rr",
            entity="residents",
            file_name="rr_{year}.csv",
            delimiter=";",
            encoding="utf-8",
            person="INSZ",
            columns=(
                Column("INSZ"),
                Column("REFERENTIEDATUM"),
                Column("NIS_CODE"),
                Column("GESLACHT", allowed=("1", "2")),
                Column("GEBOORTEDATUM", "date"),
                Column("NATIONALITEITSGROEP", allowed=("BE", "EU", "NEU")),
                Column("GEZIN", "bigint", household=True),
                # 01 reference person, 02 partner, 03 child, 04 other member, 05 collective
                Column("GEZINSPOSITIE", allowed=("01", "02", "03", "04", "05")),
            ),
            period="REFERENTIEDATUM",
            period_format="%Y-%m-%d",
            municipality="NIS_CODE",
            record_key=True,
        ),
        Source(
            institution="onss",
            entity="employment_lines",
            file_name="dmfa_{year}.csv",
            delimiter=",",
            encoding="utf-8",
            person="niss",
            columns=(
                Column("quarter"),
                Column("niss"),
                Column("employer_id"),
                Column("nace_section", allowed=tuple("ABCDEFGHIJKLMNOPQRSTU")),
                Column("worker_code"),
                Column("time_regime", allowed=("F", "P")),
                Column("part_time_pct", "decimal(5,2)"),
                Column("days_paid", "integer"),
                Column("gross_wage", "decimal(12,2)"),
            ),
            period="quarter",
            period_format="%Y%q",
            code="worker_code",
        ),
        Source(
            institution="inasti",
            entity="self_employment",
            file_name="rsvz_{year}.txt",
            delimiter="|",
            encoding="latin-1",
            person="INSZ",
            columns=(
                Column("INSZ"),
                Column("KWARTAAL"),
                Column("STATUUT"),
                Column("BEGINDATUM", "date"),
            ),
            period="KWARTAAL",
            period_format="%Y/%q",
            code="STATUUT",
        ),
        Source(
            institution="onem",
            entity="benefits",
            file_name="onem_{year}.csv",
            delimiter=";",
            encoding="latin-1",
            person="NISS",
            columns=(
                Column("NISS"),
                Column("DATE_REF"),
                Column("CODE_ALLOC"),
                Column("JOURS_INDEMNISES", "integer"),
            ),
            period="DATE_REF",
            period_format="%d/%m/%Y",
            code="CODE_ALLOC",
        ),
        *[
            _status_source(office, office, "insz", "reference_date", "category")
            for office in ("vdab", "forem", "actiris", "adg")
        ],
        Source(
            institution="inami",
            entity="incapacity",
            file_name="inami_{year}.csv",
            delimiter=";",
            encoding="latin-1",
            person="NISS",
            columns=(Column("NISS"), Column("TRIMESTRE"), Column("TYPE")),
            period="TRIMESTRE",
            period_format="%YT%q",
            code="TYPE",
        ),
        Source(
            institution="sfp",
            entity="pensions",
            file_name="sfp_{year}.csv",
            delimiter=",",
            encoding="utf-8",
            person="niss",
            columns=(
                Column("niss"),
                Column("reference_date"),
                Column("pension_type"),
                Column("monthly_amount", "decimal(10,2)"),
            ),
            period="reference_date",
            period_format="%Y-%m-%d",
            code="pension_type",
        ),
        Source(
            institution="pdos",
            entity="pensions",
            file_name="pdos_{year}.csv",
            delimiter=";",
            encoding="utf-8",
            person="INSZ",
            columns=(Column("INSZ"), Column("DATUM"), Column("CODE")),
            period="DATUM",
            period_format="%Y%m%d",
            code="CODE",
        ),
        *[
            _status_source(fund, fund, "child_insz", "quarter_end", "entitlement")
            for fund in ("famifed", "opgroeien", "famiwal", "iriscare", "ostbelgien")
        ],
        Source(
            institution="mi",
            entity="social_integration",
            file_name="mi_{year}.csv",
            delimiter=",",
            encoding="utf-8",
            person="niss",
            columns=(Column("niss"), Column("month"), Column("type")),
            period="month",
            period_format="%Y-%m",
            code="type",
        ),
        Source(
            institution="fodss",
            entity="disability_allowances",
            file_name="fodss_{year}.csv",
            delimiter=";",
            encoding="utf-8",
            person="INSZ",
            columns=(Column("INSZ"), Column("REF_DATE"), Column("ALLOWANCE")),
            period="REF_DATE",
            period_format="%Y%m%d",
            code="ALLOWANCE",
        ),
        # The disability sources the KSZ/BCSS warehouse added in 2024 (README, "Disability").
        Source(
            institution="vsb",
            entity="care_budgets",
            file_name="vsb_zorgbudget_{year}.tsv",
            delimiter="\t",
            encoding="utf-8",
            person="rijksregisternummer",
            columns=(
                Column("rijksregisternummer"),
                Column("peildatum"),
                Column("zorgbudget"),
                Column("maandbedrag", "decimal(8,2)"),
            ),
            period="peildatum",
            period_format="%d-%m-%Y",
            code="zorgbudget",
        ),
        Source(
            institution="iriscare_apa",
            entity="elderly_assistance",
            file_name="APA_HANDISERVICE_{year}.csv",
            delimiter=";",
            encoding="latin-1",
            person="NISS",
            columns=(
                Column("NISS"),
                Column("MOIS"),
                Column("CATEGORIE"),
                Column("ORIGINE", allowed=("IRISCARE", "HANDISERVICE")),
            ),
            period="MOIS",
            period_format="%m/%Y",
            code="CATEGORIE",
        ),
        Source(
            institution="fodss_parking",
            entity="parking_cards",
            file_name="parking_cards_{year}.txt",
            delimiter="|",
            encoding="utf-8",
            person="ssin",
            columns=(
                Column("ssin"),
                Column("snapshot"),
                Column("card_type"),
                Column("valid_until", "date"),
            ),
            period="snapshot",
            period_format="%Y-Q%q",
            code="card_type",
        ),
    ]
}
