"""Benchmark: does the simulated population behave like Belgium's?

Simulates and builds a population (200,000 persons over 2019-2025 by default) in a temporary
DWH_HOME, measures every figure of the calibration file (dwh/simulate/calibration.csv) in
the built warehouse as its ``compared_as`` column says, prints the published value beside the
warehouse's with their ratio and writes bench/results/realism.json. Levels (thousands of
persons) are read at national scale: the warehouse's count x 11.5 million / its residents.

    python bench/realism.py                         # 200,000 persons, 2019-2025
    python bench/realism.py --persons 50000 --home /tmp/realism   # keep the build
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

DWH = str(Path(sys.executable).with_name("dwh"))
ROOT = Path(__file__).parents[1]
CALIBRATION = ROOT / "dwh" / "simulate" / "calibration.csv"
RESULTS = Path(__file__).parent / "results" / "realism.json"
NATIONAL = 11_500_000
REGIONS = {"flanders": "02000", "wallonia": "03000", "brussels": "04000"}
YEAR_2023 = "year(ref_date) = 2023"
WORKING = "main_group_code = '1'"
UNEMPLOYED = "position_code in ('n21', 'n22', 'n23')"


# Flemish residents aged 15-64 at the end of 2022 (``a``) still resident a year later (``b``)
COHORT = """
    from fct_person_quarter as a
    inner join fct_person_quarter as b
        on b.pseudonym = a.pseudonym and b.ref_date = '2023-12-31'
    where a.ref_date = '2022-12-31' and a.region_code = '02000' and a.age between 15 and 64
"""


def _group(name: str, t: str) -> str:
    """The condition of a transition group on table alias ``t``."""
    working = f"{t}.main_group_code = '1'"
    unemployed = (
        f"({t}.position_code in ('n21', 'n22', 'n23') "
        f"or ({t}.is_registered_job_seeker and not {working}))"
    )
    return {
        "working": working,
        "unemployed": unemployed,
        "inactive": f"not ({working}) and not ({unemployed})",
    }[name]


class Warehouse:
    """The measures, in SQL on the built warehouse."""

    def __init__(self, db: Path):
        self.con = duckdb.connect(str(db), read_only=True)

    def one(self, sql: str, params: list | None = None) -> float:
        value = self.con.execute(sql, params or []).fetchone()[0]
        return float(value) if value is not None else float("nan")

    def residents(self, day: str) -> float:
        return self.one("select count(*) from fct_person_quarter where ref_date = ?", [day])

    def level(self, sql: str, day: str) -> float:
        """A count of persons on ``day`` in thousands at national scale."""
        return self.one(sql, [day]) * NATIONAL / self.residents(day) / 1000

    def mean_level(self, sql: str, year: int) -> float:
        """The mean over the four quarters of ``year`` of a count (``sql`` with ref_date = ?)."""
        days = [f"{year}-03-31", f"{year}-06-30", f"{year}-09-30", f"{year}-12-31"]
        return sum(self.level(sql, d) for d in days) / 4

    def share(self, part: str, whole: str, where: str) -> float:
        return self.one(
            f"select 100 * count(*) filter (where {part}) / count(*) filter (where {whole}) "
            f"from fct_person_quarter where {where}"
        )

    def statuses(self, model: str, codes: tuple[str, ...] | None = None) -> str:
        code = f" and source_code in {codes!r}".replace(",)", ")") if codes else ""
        return f"select count(distinct pseudonym) from {model} where ref_date = ?{code}"

    def wage(self, quantile: float, day: str) -> float:
        return self.one(
            "select quantile_cont(gross_wage / 3, ?) from fct_person_quarter "
            "where ref_date = ? and part_time_pct = 100",
            [quantile, day],
        )

    def households(self, day: str) -> tuple[float, float]:
        """Mean size of private households and share of one-person households on ``day``."""
        size, one = self.con.execute(
            "with members as (select household_id, count(*) as n from stg_rr__residents "
            "where ref_date = ? and household_position in ('01', '02', '03', '04') "
            "group by household_id) select avg(n), 100 * avg(case when n = 1 then 1 else 0 end) "
            "from members",
            [day],
        ).fetchone()
        return float(size), float(one)

    def flows(self, year: int) -> dict[str, float]:
        """Population changes of ``year`` per 1000 residents: births, arrivals, departures."""
        return dict(
            zip(
                ("births", "arrivals", "leaving"),
                self.con.execute(
                    """
            with q as (
                select distinct ref_date from fct_person_quarter
                where ref_date between make_date(? - 1, 12, 31) and make_date(?, 12, 31)
            ),
            pairs as (
                select ref_date as before, lead(ref_date) over (order by ref_date) as after
                from q
            ),
            moves as (
                select
                    pairs.after,
                    count(*) filter (where a.pseudonym is null) as arrived,
                    count(*) filter (
                        where a.pseudonym is null and n.birth_date > pairs.before
                    ) as born,
                    0 as gone
                from pairs
                inner join stg_rr__residents as n on n.ref_date = pairs.after
                left join stg_rr__residents as a
                    on a.ref_date = pairs.before and a.pseudonym = n.pseudonym
                where pairs.after is not null
                group by pairs.after
                union all
                select pairs.after, 0, 0, count(*) filter (where n.pseudonym is null)
                from pairs
                inner join stg_rr__residents as a on a.ref_date = pairs.before
                left join stg_rr__residents as n
                    on n.ref_date = pairs.after and n.pseudonym = a.pseudonym
                where pairs.after is not null
                group by pairs.after
            )
            select
                1000 * sum(born) / avg_residents,
                1000 * (sum(arrived) - sum(born)) / avg_residents,
                1000 * sum(gone) / avg_residents
            from moves, (
                select count(*) / 4 as avg_residents from stg_rr__residents
                where year(ref_date) = ?
            )
            group by avg_residents
            """,
                    [year, year, year],
                ).fetchone(),
                strict=True,
            )
        )

    def transition(self, origin: str, destination: str) -> float:
        """Share of Flemish residents aged 15-64 in ``origin`` on 2022-12-31 found in
        ``destination`` on 2023-12-31 (working; unemployed: with benefit, or registered
        and not working; inactive: the others)."""
        return self.one(
            f"select 100 * count(*) filter (where {_group(destination, 'b')}) / count(*) "
            f"{COHORT} and {_group(origin, 'a')}"
        )

    def transition_balance(self, published: dict[str, float]) -> dict[str, float]:
        """Why the four survey rates cannot all hold on the warehouse's stocks: the Flemish
        residents aged 15-64 working, unemployed and inactive on 2022-12-31 (still resident a
        year later), the change in the number working a year later that the published rates
        imply on those stocks, and the change found (both in % of the group)."""
        names = ("working", "unemployed", "inactive")
        counted = ", ".join(f"count(*) filter (where {_group(n, 'a')})" for n in names)
        *stocks, working_after = self.con.execute(
            f"select {counted}, count(*) filter (where {_group('working', 'b')}) {COHORT}"
        ).fetchone()
        groups = dict(zip(names, stocks, strict=True))
        total = sum(groups.values())
        rate = {k: published[f"transition_{k}"] / 100 for k in (
            "unemployed_to_working", "inactive_to_working",
            "working_to_unemployed", "working_to_inactive")}  # fmt: skip
        implied = (
            rate["unemployed_to_working"] * groups["unemployed"]
            + rate["inactive_to_working"] * groups["inactive"]
            - (rate["working_to_unemployed"] + rate["working_to_inactive"]) * groups["working"]
        )
        return {
            **{f"{k}_share": round(100 * v / total, 2) for k, v in groups.items()},
            "implied_change_of_working": round(100 * implied / total, 2),
            "found_change_of_working": round(100 * (working_after - groups["working"]) / total, 2),
        }

    def long_registered(self, region: str) -> float:
        """Share of the registered job seekers not working on 2023-12-31 in ``region`` who
        were so on each of the nine quarter ends since 2021-12-31 (two years or more)."""
        return self.one(
            f"""
            with seeking as (
                select pseudonym, ref_date from fct_person_quarter
                where is_registered_job_seeker and not ({WORKING})
                    and ref_date between '2021-12-31' and '2023-12-31'
            ),
            spells as (select pseudonym, count(*) as quarters from seeking group by pseudonym)
            select 100 * avg(case when spells.quarters = 9 then 1 else 0 end)
            from seeking inner join spells using (pseudonym)
            inner join fct_person_quarter as f using (pseudonym, ref_date)
            where seeking.ref_date = '2023-12-31' and f.region_code = ?
            """,
            [region],
        )

    def naturalisations(self) -> float:
        """Per 100 residents of a foreign nationality group on 2021-12-31 still resident on
        2022-12-31: Belgian then."""
        return self.one(
            "select 100 * avg(case when b.nationality_group = 'BE' then 1 else 0 end) "
            "from fct_person_quarter as a inner join fct_person_quarter as b "
            "on b.pseudonym = a.pseudonym and b.ref_date = '2022-12-31' "
            "where a.ref_date = '2021-12-31' and a.nationality_group <> 'BE'"
        )

    def same_employer(self, before: str, after: str) -> float:
        """Share of persons with a DmfA line on ``after`` who had a line with the same employer
        on ``before``."""
        return self.one(
            "with lines as (select distinct pseudonym, ref_date, employer_id "
            "from stg_onss__employment_lines where ref_date in (?, ?)) "
            "select 100 * count(distinct a.pseudonym) filter (where b.pseudonym is not null) "
            "/ count(distinct a.pseudonym) from lines as a left join lines as b "
            "on b.pseudonym = a.pseudonym and b.employer_id = a.employer_id and b.ref_date = ? "
            "where a.ref_date = ?",
            [before, after, before, after],
        )

    def trends(self) -> dict[str, dict[int, float]]:
        """What changes from year to year, on each year's last day: the median full-time
        monthly wage (indexed), the share of residents aged 65+ (ageing), invalidity and
        disability allowances (thousands at national scale)."""
        years = [
            int(y)
            for (y,) in self.con.execute(
                "select distinct year(ref_date) from fct_person_quarter "
                "where month(ref_date) = 12 order by 1"
            ).fetchall()
        ]
        out: dict[str, dict[int, float]] = {
            "gross_monthly_wage_full_time_median": {},
            "age_share_65_plus": {},
            "invalidity": {},
            "disability_allowance_recipients": {},
        }
        for y in years:
            day = f"{y}-12-31"
            out["gross_monthly_wage_full_time_median"][y] = round(self.wage(0.5, day), 2)
            out["age_share_65_plus"][y] = round(
                self.share("age >= 65", "true", f"ref_date = '{day}'"), 2
            )
            out["invalidity"][y] = round(
                self.level(self.statuses("stg_inami__incapacity", ("INV",)), day), 1
            )
            out["disability_allowance_recipients"][y] = round(
                self.level(
                    "select count(distinct pseudonym) from stg_fodss__disability_allowances "
                    "where ref_date = ? and source_code in ('IVT', 'IT')",
                    day,
                ),
                1,
            )
        return out


def measure(w: Warehouse, indicator: str) -> float:
    """The warehouse's value of one calibration figure, as its ``compared_as`` says."""
    age_20_64 = "age between 20 and 64"
    region = next((c for name, c in REGIONS.items() if indicator.endswith(name)), None)
    in_region = f" and region_code = '{region}'" if region else ""
    if indicator.startswith("population_share_"):
        return w.share(f"region_code = '{region}'", "true", "ref_date = '2024-12-31'")
    if indicator == "age_share_under_18":
        return w.share("age < 18", "true", "ref_date = '2024-12-31'")
    if indicator == "age_share_65_plus":
        return w.share("age >= 65", "true", "ref_date = '2024-12-31'")
    if indicator == "age_share_65_plus_2019":
        return w.share("age >= 65", "true", "ref_date = '2019-03-31'")
    if indicator.startswith("registered_jobseekers_two_years_share_"):
        return w.long_registered(region)
    if indicator == "naturalisations_per_100_foreigners":
        return w.naturalisations()
    if indicator == "employees_same_employer_five_years":
        return w.same_employer("2019-12-31", "2024-12-31")
    if indicator.startswith("employment_rate_20_64"):
        sex = {"_men": " and sex = 'M'", "_women": " and sex = 'F'"}
        extra = next((v for k, v in sex.items() if indicator.endswith(k)), "") + in_region
        return w.share(WORKING, "true", f"{YEAR_2023} and {age_20_64}{extra}")
    pension = (
        "select pseudonym, ref_date from stg_sfp__pensions union all "
        "select pseudonym, ref_date from stg_pdos__pensions where source_code = 'P'"
    )
    inasti = "select distinct pseudonym, ref_date, source_code from stg_inasti__self_employment"
    retired = (
        f"select count(distinct s.pseudonym) from ({inasti}) as s where s.ref_date = ? and "
        f"{{not_}} exists (select 1 from ({pension}) as p where p.pseudonym = s.pseudonym "
        "and p.ref_date = s.ref_date){codes}"
    )
    self_employed = {
        "self_employed_and_helpers": w.statuses("stg_inasti__self_employment"),
        "self_employed_main_occupation": retired.format(
            not_="not", codes=" and s.source_code in ('Z1', 'H1')"
        ),
        "self_employed_secondary_occupation": retired.format(
            not_="not", codes=" and s.source_code in ('Z2', 'H2')"
        ),
        "self_employed_after_pension_age": retired.format(not_="", codes=""),
    }
    if indicator in self_employed:
        return w.level(self_employed[indicator], "2022-12-31")
    positions = {
        "unemployed_jobseekers_with_benefit": UNEMPLOYED,
        "jobseekers_after_full_time_work": "position_code = 'n21'",
        "jobseekers_after_voluntary_part_time": "position_code = 'n22'",
        "jobseekers_integration_allowance": "position_code = 'n23'",
    }
    for name, condition in positions.items():
        if indicator == name or indicator.startswith(name + "_"):
            return w.level(
                f"select count(*) from fct_person_quarter where ref_date = ? and {condition}"
                f"{in_region}",
                "2023-12-31",
            )
    if indicator == "registered_jobseekers_vdab":
        return w.level(w.statuses("stg_vdab__job_seekers"), "2023-12-31")
    if indicator.startswith("registered_jobseekers_"):
        office = indicator.rsplit("_", 1)[1]
        return w.mean_level(w.statuses(f"stg_{office}__job_seekers"), 2023)
    ris = w.statuses("stg_mi__social_integration", ("RIS",))
    if indicator == "social_integration_recipients":
        return w.mean_level(ris, 2022)
    if indicator.startswith("social_integration_share_"):
        return w.one(
            "select 100 * avg(case when pseudonym in (select pseudonym from "
            "stg_mi__social_integration as m where m.ref_date = f.ref_date and source_code = "
            "'RIS') then 1 else 0 end) from fct_person_quarter as f "
            f"where year(ref_date) = 2022 and region_code = '{region}'"
        )
    if indicator == "invalidity":
        return w.level(w.statuses("stg_inami__incapacity", ("INV",)), "2023-12-31")
    if indicator == "disability_allowance_recipients":
        sql = (
            "select count(distinct d.pseudonym) from stg_fodss__disability_allowances as d "
            "inner join fct_person_quarter as f using (pseudonym, ref_date) "
            "where d.ref_date = ? and d.source_code in ('IVT', 'IT') and f.age between 18 and 64"
        )
        return w.mean_level(sql, 2023)
    if indicator == "statutory_pensioners":
        sql = f"select count(distinct pseudonym) from ({pension}) where ref_date = ?"
        return w.level(sql, "2021-12-31")
    if indicator.startswith("children_family_allowance_"):
        fund, day = {
            "flanders": ("opgroeien", "2022-12-31"),
            "wallonia": ("famiwal", "2023-12-31"),
            "brussels": ("iriscare", "2023-06-30"),
        }[indicator.rsplit("_", 1)[1]]
        return w.level(w.statuses(f"stg_{fund}__entitled_children"), day)
    if indicator.startswith("part_time_share_"):
        sex = {"women": " and sex = 'F'", "men": " and sex = 'M'"}.get(
            indicator.rsplit("_", 1)[1], ""
        )
        return w.share(
            "time_regime = 'P'", "true", f"{YEAR_2023} and position_code in ('n11x', 'n141'){sex}"
        )
    wages = {
        "gross_monthly_wage_full_time_median": (0.5, "2022-12-31"),
        "gross_monthly_wage_full_time_d1": (0.1, "2022-12-31"),
        "gross_monthly_wage_full_time_d9": (0.9, "2022-12-31"),
        "gross_monthly_wage_full_time_median_2019": (0.5, "2019-12-31"),
        "gross_monthly_wage_full_time_median_2021": (0.5, "2021-12-31"),
    }
    if indicator in wages:
        return w.wage(*wages[indicator])
    if indicator.startswith("wage_indexation_pc200_"):
        year = int(indicator.rsplit("_", 1)[1])
        return 100 * (w.wage(0.5, f"{year}-12-31") / w.wage(0.5, f"{year - 1}-12-31") - 1)
    if indicator == "private_household_mean_size":
        return w.households("2023-12-31")[0]
    if indicator == "one_person_household_share":
        return w.households("2023-12-31")[1]
    flows = {"births_per_1000": "births", "immigration_per_1000": "arrivals"}
    if indicator in flows:
        return w.flows(2023)[flows[indicator]]
    if indicator == "residents_leaving_per_1000":
        return w.flows(2023)["leaving"]
    if indicator.startswith("transition_"):
        origin, destination = indicator.removeprefix("transition_").split("_to_")
        return w.transition(origin, destination)
    return float("nan")  # deaths and emigration apart: compared together (residents leaving)


def run(cmd: list[str], env: dict):
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--years", default="2019-2025")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", type=Path, help="keep the build here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="measure the build in --home")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        env = {
            **os.environ,
            "DWH_HOME": str(home),
            "DO_NOT_TRACK": "1",
            "DWH_PSEUDONYM_KEY": os.urandom(32).hex(),
            "DWH_RECORD_KEY": os.urandom(32).hex(),
        }
        seconds = {}
        if not args.reuse:
            for step, cmd in [
                ("simulate", [DWH, "simulate", "--persons", str(args.persons), "--years",
                              args.years, "--seed", str(args.seed), "--clean"]),
                ("build", [DWH, "build", "--no-docs"]),
            ]:  # fmt: skip
                started = time.perf_counter()
                run(cmd, env)
                seconds[step] = round(time.perf_counter() - started, 1)
        w = Warehouse(home / "build" / "warehouse.duckdb")
        with CALIBRATION.open(newline="") as f:
            figures = list(csv.DictReader(f))
        rows = []
        for fig in figures:
            value = float(fig["value"])
            found = measure(w, fig["indicator"])
            ratio = found / value if found == found else None
            rows.append(
                {
                    "indicator": fig["indicator"],
                    "unit": fig["unit"],
                    "reference": fig["reference"],
                    "published": value,
                    "warehouse": round(found, 2) if ratio is not None else None,
                    "ratio": round(ratio, 3) if ratio is not None else None,
                }
            )
        trends = w.trends()
        balance = w.transition_balance({f["indicator"]: float(f["value"]) for f in figures})
        w.con.close()
    width = max(len(r["indicator"]) for r in rows)
    print(f"{'indicator':<{width}} {'published':>10} {'warehouse':>10} {'ratio':>6}")
    for r in rows:
        found = "" if r["warehouse"] is None else f"{r['warehouse']:10.2f}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:6.3f}"
        print(f"{r['indicator']:<{width}} {r['published']:10.2f} {found:>10} {ratio:>6}")
    for name, by_year in trends.items():
        print(f"{name}: " + ", ".join(f"{y} {v:,}" for y, v in by_year.items()))
    print(f"Flemish transitions' balance: {balance}")
    compared = [r for r in rows if r["ratio"] is not None]
    within = sum(abs(r["ratio"] - 1) <= 0.10 for r in compared)
    print(f"{within} of {len(compared)} compared figures within 10 %")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.node()} ({os.cpu_count()} cores)",
                "persons": args.persons,
                "years": args.years,
                "seed": args.seed,
                "seconds": seconds,
                "within_10_percent": f"{within} of {len(compared)}",
                "figures": rows,
                "trends": trends,
                "transition_balance": balance,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
