"""Benchmark: the joint attack of ``tests/build/attack.py`` on a published warehouse, every
quarter. Counts pinned from 1 to the threshold under this warehouse's method, with a second
draw of the noise, and under the first design (noise per published cell, recomputed from the
same persons) with and without the noise's consistency. Results: bench/results/disclosure.json.

    python bench/disclosure.py --home /path/to/DWH_HOME
"""

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
from warehouse import save

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "build"))
import attack  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "disclosure.json"


def this_method(public, warehouse, quarter, t, d) -> dict:
    started = time.perf_counter()
    q = attack.read(public, quarter)
    n_lo, n_hi = attack.master_bounds([q], t, d)
    n = attack.truth(q, warehouse, quarter)["persons"].to_numpy(float)
    assert ((n_lo <= n) & (n <= n_hi)).all()
    pins = attack.pins(q, n_lo, n_hi, t, n)
    return {
        "published_cells": int(q.cells["persons"].notna().sum()),
        "unknown_masters": len(q.masters),
        "masters_proved_non_empty": int((n_lo >= 1).sum()),
        "pinned_1_to_threshold": pins.masters + pins.withheld,
        "seconds": round(time.perf_counter() - started, 1),
    }


def second_draw(public, warehouse, quarter, region, t, d) -> int:
    """Pins when the attacker also has the figures under other record keys (one region)."""
    first, second, n = attack.two_draws(public, warehouse, quarter, region, t, d)
    n_lo, n_hi = attack.master_bounds([first, second], t, d)
    pins = attack.pins(first, n_lo, n_hi, t, n)
    return pins.masters + pins.withheld


def first_design(public, warehouse, quarter, t, d) -> dict:
    """Noise per published cell, recomputed from the same persons; the country and region
    cells of both tables (the finest of which are region x position x sex x age x nationality)."""
    q = attack.read(public, quarter, sums=False, regions_only=True)
    real = warehouse.execute(
        "select region_code, position_code, sex, age_class, nationality_group, "
        "sum(persons) as persons, sum(key_sum) as key_sum from int_figure_cells "
        "where strftime(ref_date, '%Y') || 'Q' || cast(quarter(ref_date) as varchar) = ? "
        "group by all",
        [quarter],
    ).df()
    rows = q.masters.merge(real, how="left").fillna({"persons": 0, "key_sum": 0})
    rows = rows.sort_values("master")
    truth = rows["persons"].to_numpy(float)
    q.cells["persons"] = attack.per_cell(
        q.holds @ truth, q.holds @ rows["key_sum"].to_numpy(), t, d
    )
    n_lo, n_hi = attack.cell_bounds(q, t, d)
    relations = attack.pins(q, n_lo, n_hi, t, truth)
    differences = attack.differences(q)
    n_lo, n_hi = attack.with_lower_bounds(n_lo, n_hi, differences, np.ones(differences.shape[0]))
    consistency = attack.pins(q, n_lo, n_hi, t, truth)
    return {
        "relations_only": relations.correct,
        "with_noise_consistency": consistency.correct,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="A DWH_HOME with a publication.")
    args = parser.parse_args()
    os.environ["DWH_HOME"] = str(args.home)
    from dwh.publish import disclosure_parameters
    from dwh.serving.publication import current

    t, d = disclosure_parameters().values()
    pub = current()
    results = {"threshold": t, "noise": d, "quarters": {}}
    with (
        duckdb.connect(str(pub.public), read_only=True) as public,
        duckdb.connect(str(pub.warehouse), read_only=True) as warehouse,
    ):
        results["persons_last_quarter"] = warehouse.execute(
            "select count(*) from fct_person_quarter where ref_date = "
            "(select max(ref_date) from fct_person_quarter)"
        ).fetchone()[0]
        for quarter in attack.quarters(public):
            row = this_method(public, warehouse, quarter, t, d)
            row["second_draw_brussels_pinned"] = second_draw(
                public, warehouse, quarter, "04000", t, d
            )
            row["first_design_pinned"] = first_design(public, warehouse, quarter, t, d)
            print(quarter, row, flush=True)
            results["quarters"][quarter] = row
    rows = results["quarters"].values()
    results["total"] = {
        "pinned_1_to_threshold": sum(r["pinned_1_to_threshold"] for r in rows),
        "second_draw_brussels_pinned": sum(r["second_draw_brussels_pinned"] for r in rows),
        "first_design_relations_only": sum(
            r["first_design_pinned"]["relations_only"] for r in rows
        ),
        "first_design_with_noise_consistency": sum(
            r["first_design_pinned"]["with_noise_consistency"] for r in rows
        ),
    }
    print(results["total"])
    save(RESULTS, results)


if __name__ == "__main__":
    main()
