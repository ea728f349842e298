"""Benchmark: ``dwh extract`` of an approved 5% sample, every catalogue variable (20), four
quarters, on a published national-scale warehouse; wall time and peak memory (GNU time).
Results go to bench/results/extracts.json.

    python bench/extracts.py --home /path/to/DWH_HOME --year 2024
"""

import argparse
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from warehouse import DWH, measure, save

RESULTS = Path(__file__).parent / "results" / "extracts.json"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="A DWH_HOME with a publication.")
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    os.environ["DWH_HOME"] = str(args.home)
    from dwh.requests import users, workflow
    from dwh.requests.submission import submit
    from dwh.serving import catalogue

    for name, role in (
        ("bench-researcher", "researcher"),
        ("bench-steward", "steward"),
        ("bench-committee", "committee"),
    ):
        if users.get(name) is None:
            users.add(name, role, "benchmark-password", None)
    researcher, steward = users.get("bench-researcher"), users.get("bench-steward")
    committee = users.get("bench-committee")
    variables = {name: "benchmark" for name in catalogue.variables()}
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    for kind in ("pseudonymised", "anonymous_sample"):
        body = {
            "requester": "Benchmark",
            "organisation": "lmsp-dwh",
            "principal_investigator": "Bench",
            "dpo_contact": "dpo@example.org",
            "purpose": "Benchmark of extract production. " * 8,
            "publication_plan": "None: a benchmark of the platform.",
            "legal_basis": "Benchmark, no data leave the machine.",
            "security": "The extract is deleted after the benchmark.",
            "kind": kind,
            "periods": [f"{args.year}Q{q}" for q in range(1, 5)],
            "sample": {"percent": 5, "stratify_by_region": True},
            "variables": variables,
            "destroy_by": (date.today() + timedelta(days=30)).isoformat(),
        }
        number = submit(researcher, body)
        workflow.move(number, steward, "under_review")
        if kind == "pseudonymised":
            workflow.move(number, steward, "awaiting_committee")
            workflow.move(
                number,
                committee,
                "approved",
                deliberation_number="bench",
                deliberation_date=date.today().isoformat(),
            )
        else:
            workflow.move(number, steward, "approved")
        run = measure([DWH, "extract", number, "--as", "bench-steward"], dict(os.environ))
        book = json.loads((args.home / "extracts" / number / "codebook.json").read_text())
        results["runs"][kind] = {
            "request": number,
            "variables": len(variables),
            "quarters": 4,
            "percent": 5,
            "rows": book["rows"],
            "anonymisation": book["anonymisation"],
            **run,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(kind, results["runs"][kind], flush=True)
    save(RESULTS, results)


if __name__ == "__main__":
    main()
