"""Benchmark: the calibration's stocks at national scale, without building a warehouse.

Simulates 11.5 million persons over 2019-2023 in memory (no files: the first population
follows the age pyramid of 2019), counts each stock figure of the calibration file on the
simulator's own states (employment rates: the four quarters of 2023; the others at the end of
2023, whatever the figure's reference date, all levels but invalidity's and disability's being
held constant; levels in thousands as they are, not scaled) and writes
bench/results/national_stocks.json. `bench/realism.py` checks the same figures in a built
warehouse (200,000 persons, scaled to 11.5 million); this checks that the levels hold at full
scale, where a national build of several years would take hours and the disk of two years.

    python bench/national_stocks.py            # 11,500,000 persons
    python bench/national_stocks.py --persons 200000     # a quick look (levels not scaled)
"""

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from dwh.simulate import calibration as cal
from dwh.simulate import careers as cr
from dwh.simulate.population import COLLECTIVE, Geography, Population, S
from dwh.simulate.run import live_quarters, quarter_end

RESULTS = Path(__file__).parent / "results" / "national_stocks.json"
REGIONS = ["flanders", "wallonia", "brussels"]


def employment_rates(pop: Population, day: np.datetime64, sums: dict):
    """Add the quarter's working residents and residents aged 20-64 to ``sums``."""
    c, age = pop.cols, pop.ages(day)
    region = pop.geo.region[c["muni"]]
    working = c["resident"] & np.isin(c["state"], cr.WORKING)
    base = c["resident"] & (age >= 20) & (age <= 64)
    groups = {"": base, "_men": base & c["male"], "_women": base & ~c["male"]}
    groups.update({f"_{name}": base & (region == r) for r, name in enumerate(REGIONS)})
    for key, sel in groups.items():
        a, b = sums.get(key, (0, 0))
        sums[key] = (a + (working & sel).sum(), b + sel.sum())


def stocks(pop: Population, day: np.datetime64) -> dict[str, float]:
    """Each stock figure on ``day``: thousands of persons, or percent for shares."""
    c, res = pop.cols, pop.cols["resident"]
    state, age = np.where(res, c["state"], -1), pop.ages(day)
    region, office, fund = (pop.geo.region, pop.geo.office, pop.geo.fund)
    region, office, fund = region[c["muni"]], office[c["muni"]], fund[c["muni"]]

    def held(*names: str) -> np.ndarray:
        return np.isin(state, [S[n] for n in names])

    def thousands(mask: np.ndarray) -> float:
        return float((mask & res).sum()) / 1000

    def percent(part: np.ndarray, whole: np.ndarray) -> float:
        return 100 * float((part & whole).sum()) / float(whole.sum())

    benefit = held(*cr.BENEFIT_NAMES)
    on_si = held("social_integration")
    registered = held(*cr.BENEFIT_NAMES, "job_seeker_without_benefit") | (
        on_si & (c["niss"] % 1000 < 1000 * cal.REGISTERED_SI)
    )
    ris = on_si & (c["niss"] % 1000 < 1000 * cal.RIS_SHARE)
    children = held("child", "student_worker")
    private = res & (c["pos"] != COLLECTIVE)
    sizes = np.bincount(c["household"][private])
    sizes = sizes[sizes > 0]
    out = {
        "self_employed_and_helpers": thousands(
            held(*cr.SELF_EMPLOYED_MAIN, *cr.SELF_EMPLOYED_SECONDARY, "pensioner_self_employed")
        ),
        "self_employed_main_occupation": thousands(held(*cr.SELF_EMPLOYED_MAIN)),
        "self_employed_secondary_occupation": thousands(held(*cr.SELF_EMPLOYED_SECONDARY)),
        "self_employed_after_pension_age": thousands(held("pensioner_self_employed")),
        "unemployed_jobseekers_with_benefit": thousands(benefit),
        "jobseekers_after_full_time_work": thousands(held("unemployed")),
        "jobseekers_after_voluntary_part_time": thousands(held("unemployed_part_time")),
        "jobseekers_integration_allowance": thousands(held("integration_allowance")),
        "social_integration_recipients": thousands(ris),
        "invalidity": thousands(held("incapacity") & (c["dur"] >= 4)),
        "disability_allowance_recipients": thousands(
            held("disability") & (age >= 18) & (age <= 64)
        ),
        "statutory_pensioners": thousands(held(*(cr.STATES[i] for i in cr.PENSION)))
        + len(pop.abroad["state"]) / 1000,
        "age_share_under_18": percent(age < 18, res),
        "age_share_65_plus": percent(age >= 65, res),
        "private_household_mean_size": float(sizes.mean()),
        "one_person_household_share": 100 * float((sizes == 1).mean()),
    }
    for r, name in enumerate(REGIONS):
        out[f"unemployed_jobseekers_with_benefit_{name}"] = thousands(benefit & (region == r))
        out[f"social_integration_share_{name}"] = percent(ris, res & (region == r))
        out[f"population_share_{name}"] = percent(region == r, res)
    for name in ("vdab", "forem", "actiris"):
        out[f"registered_jobseekers_{name}"] = thousands(registered & (office == name))
    for name, agency in zip(REGIONS, ("opgroeien", "famiwal", "iriscare"), strict=True):
        out[f"children_family_allowance_{name}"] = thousands(children & (fund == agency))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=11_500_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started, n = time.perf_counter(), args.persons
    pop = Population(
        n, Geography.load(), np.datetime64("2019-03-31"), np.random.default_rng(args.seed)
    )
    sums: dict = {}
    for year, _, day in live_quarters(pop, range(2019, 2024), n):
        if year == 2023:
            employment_rates(pop, day, sums)
    found = {f"employment_rate_20_64{key}": 100 * a / b for key, (a, b) in sums.items()}
    found.update(stocks(pop, quarter_end(2023, 4)))
    published = cal.figures()
    rows = [
        {
            "indicator": key,
            "published": published[key],
            "simulated": round(value, 2),
            "ratio": round(value / published[key], 3),
        }
        for key, value in found.items()
    ]
    for r in rows:
        print(
            f"{r['indicator']:45s} {r['published']:10.2f} {r['simulated']:10.2f} {r['ratio']:6.3f}"
        )
    within = sum(abs(r["ratio"] - 1) <= 0.10 for r in rows)
    seconds = round(time.perf_counter() - started)
    residents = int(pop.cols["resident"].sum())
    print(f"{within} of {len(rows)} within 10 %; {residents:,} residents; {seconds} s")
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "persons": n,
                "residents_2023q4": residents,
                "years": "2019-2023",
                "seed": args.seed,
                "seconds": seconds,
                "within_10_percent": f"{within} of {len(rows)}",
                "figures": rows,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
