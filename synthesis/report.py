"""The readable forms of a run's report: report.md and the dataset's README."""

from synthesis.config import Gate
from synthesis.generate import MOVING, RAKING, RENEWAL
from synthesis.risks import ATTACKS as RISKS


def _measures(report: dict) -> list[str]:
    gate = report["gate"]
    lines = ["| measure | value | threshold | passes |", "|---|---:|---:|---|"]
    for name, value in gate["measures"].items():
        limit = gate["thresholds"][name]
        ok = Gate.passes(name, value, limit)
        lines.append(
            f"| {name} | {value:g} | {Gate.bound(name, limit)} | {'yes' if ok else '**no**'} |"
        )
    return lines


def _matrix(matrix: dict) -> list[str]:
    columns = sorted({c for row in matrix.values() for c in row})
    lines = ["| from \\ to | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for source in sorted(matrix):
        cells = [f"{matrix[source][c]:.3f}" if c in matrix[source] else "" for c in columns]
        lines.append(f"| {source} | " + " | ".join(cells) + " |")
    return lines


def _anonymeter(a: dict) -> list[str]:
    lines = [
        "### Anonymeter",
        "",
        f"[Anonymeter](https://github.com/statice/anonymeter)'s attacks ({a['attacks']} of "
        f"each kind) with about {a['synthetic_persons']:,} synthetic persons of the first "
        f"quarter against about {a['training_persons']:,} real persons the model learned from, "
        f"and against about {a['control_persons']:,} it never saw (control; sizes of real "
        "samples are given to the hundred). The risk is the success against the "
        "first beyond that against the second (0: no more than against anyone; 1: every attack "
        "succeeds).",
        "",
        "| attack | risk | 95% interval | success: trained | control | random |",
        "|---|---:|---|---:|---:|---:|",
    ]
    described = {
        "singling_out": "singling out (queries on 3 columns)",
        "linkability": "linkability (register file to social-security file)",
        "inference": "inference (the wage from all else)",
    }
    for name, label in described.items():
        r = a[name]
        low, high = r["confidence_interval"]
        lines.append(
            f"| {label} | {r['risk']:g} | {low:g}-{high:g} | {r['attack_success']:g} | "
            f"{r['control_success']:g} | {r['baseline_success']:g} |"
        )
    return [*lines, ""]


def markdown(report: dict) -> str:
    s, r = report["summary"], report["reports"]
    verdict = "released" if s["released"] else "REFUSED: nothing was released"
    lines = [
        f"# Synthetic data {s['period']}: quality and privacy report",
        "",
        f"**{verdict}.** {s['persons']:,} synthetic persons, {s['rows']:,} rows "
        f"({s['mode']} mode, quarters {s['quarters'][0]} to {s['quarters'][-1]}), "
        f"synthesizer `{s['synthesizer']}`, seed {s['seed']}, from publication "
        f"{s['publication']} (published total of the first quarter: "
        f"{s['published_persons_first_quarter']:,} persons; fit on about {s['fit_rows']:,} "
        f"real persons, holdout about {s['holdout_rows']:,}, to the hundred).",
        "",
        "## The gate",
        "",
        *_measures(report),
        "",
    ]
    if report["gate"]["failures"]:
        lines += ["Failing:", "", *[f"- {f}" for f in report["gate"]["failures"]], ""]
    d = report["dcr"]
    lines += [
        "## Quality (SDMetrics)",
        "",
        f"Quality score {r['quality_score']} ({r['quality_properties']}); diagnostic "
        f"{r['diagnostic_score']} ({r['diagnostic_properties']}); "
        f"{r['rows_compared']['synthetic']:,} synthetic rows compared with about "
        f"{r['rows_compared']['real']:,} real ones (to the hundred).",
        "",
        "## Figures",
        "",
        "Persons per quarter x region x sex x age class x position (global) and per quarter x "
        "municipality x main group (local), against the published figures: over the cells "
        "they show (a withheld cell is only checked to be empty in the synthetic data too: "
        "the gate's withheld_cells_shown), the synthetic counts in them scaled to their "
        "published total in each quarter. Relative error: the sum of the absolute differences "
        "over the published total.",
        "",
        "| figures | published cells | mean absolute error (persons) | relative error |",
        "|---|---:|---:|---:|",
    ]
    for name in ("global_figures", "local_figures"):
        f = report[name]
        lines.append(
            f"| {name} | {f['cells']:,} | {f['mean_absolute_error']} | {f['relative_error']} |"
        )
    w, b = report["withheld_cells"], report["numeric_bounds"]
    lines += [
        "",
        "## Privacy",
        "",
        f"- Municipality x position x quarter combinations of the synthetic data whose published "
        f"figure is withheld: {w['withheld']} of {w['combinations']:,} (municipalities are drawn "
        "from the published figures, so a synthetic person never tells that a withheld cell is "
        "not empty).",
        "- Numbers clipped to rounded bounds, none a lone real person's value (more real persons "
        "than the figures' threshold lie at or beyond each; age starts at 0, a public bound): "
        + ", ".join(f"{c} {lo:g}-{hi:g}" for c, (lo, hi) in b.items())
        + ".",
        f"- Real records unique on municipality, sex, age, nationality group and position in "
        f"their quarter, checked: {report['replicated_uniques']} released persons reproduce a "
        "real unique (drawn persons who did were drawn again; how many is counted on the real "
        "data and not published).",
        f"- Distance to closest record (first quarter, {d['rows_compared']:,} persons each, "
        f"to all of about {d['training_rows']:,} persons the model learned from): mean "
        f"{d['mean_dcr_synthetic']} for synthetic persons, {d['mean_dcr_real_holdout']} for real "
        f"persons the model never saw; protection {d['dcr_protection']} (1 = as far as new "
        f"real persons). SDMetrics' DCRBaselineProtection against random rows: "
        f"{d['sdmetrics_dcr_baseline_protection']}.",
        "",
        *_anonymeter(report["anonymeter"]),
        "## Domain rules (violations in the released data)",
        "",
        *[f"- {rule}: {n}" for rule, n in report["rule_violations"].items()],
        "",
        "Persons drawn and rejected before release for a domain rule or a position no "
        "published figure shows (then drawn again): "
        + (
            ", ".join(f"{k} {v:,}" for k, v in report["rejected_while_drawing"].items() if v)
            or "none"
        )
        + ".",
        "",
    ]
    t = report["transitions"]
    if t["real"]:
        lines += [
            "## Transitions between quarters",
            "",
            f"Distance (total variation per row, weighted by the real row's share): "
            f"{t['distance']}.",
            "",
            f"Thresholded like the figures: a flow of {t['threshold']} moves or fewer between "
            "two positions is not shown (blank), real or synthetic, and each row's shares are "
            "of the flows shown. The distance is computed on all moves.",
            "",
            "### Real",
            "",
            *_matrix(t["real"]),
            "",
            "### Synthetic",
            "",
            *_matrix(t["synthetic"]),
            "",
        ]
    return "\n".join(lines)


def readme(report: dict) -> str:
    s, a = report["summary"], report["anonymeter"]
    t = report["transitions"]["threshold"]
    withheld = report["withheld_cells"]["withheld"]
    uniques = report["replicated_uniques"]
    risks = ", ".join(f"{k.replace('_', ' ')} {a[k]['risk']:g}" for k in RISKS)
    return f"""# ⚠ SYNTHETIC DATA ⚠

**No row in these files describes a real person. These are synthetic data for writing and
testing code; do not use them for statistics, figures or conclusions. Ask for real data
through a request.**

- Period {s["period"]} ({s["mode"]} mode): {s["persons"]:,} synthetic persons, {s["rows"]:,}
  rows (by default as many persons as the published total of the first quarter), one row per
  person and quarter, the columns, types and code lists of the warehouse's
  `fct_person_quarter` (`metadata.json`). The `pseudonym` column holds synthetic numbers
  (`S…`); `household_id` is empty (households are not synthesised).
- Made {s["created_at"]} from publication {s["publication"]} with SDV
  (`{s["synthesizer"]}`), seed {s["seed"]}; quality and privacy in `report.md`.
- Files: `data.parquet`, `data.csv` (the same rows), `metadata.json`, `report.json`,
  `report.md`.

## How they were made

The persons to draw are shared out among the positions as the published national figures of
the first quarter count them (never the real counts). One model per socio-economic position
(small positions share one per main group) learns the persons of the first quarter:
arrondissement, sex, age, nationality group, registration as job seeker and, for salaried
positions, the main job. The municipality is drawn from the published
local figures (municipality x position of the same quarter, in proportion to the published
counts), never from the real residents: a synthetic person lives only where the figures show
persons of their position, so the data never tell that a withheld figure is not empty. Later
quarters follow a transition model of the position given sex and age class, learned from the
real moves between quarters (moves seen {t} times or fewer, which the figures would withhold,
are left out); each quarter up to {RAKING:.0%} of the persons then have their new position
redirected toward that quarter's published figures (by region, sex and age class; the
municipality figures decide who and to what). Persons age by one year over four quarters and
keep their municipality (renumbered at the 2025 mergers) while the figures show their
position there, else move to where they do; up to {MOVING:.0%} a quarter also move house to
where the figures show more persons of their position than live there. Up to {RENEWAL:.0%} a
quarter leave, and as many enter, where the population exceeds or falls short of the
published figures. Numbers are clipped to rounded bounds that are no real person's value (in
`report.md`). Every person who breaks a rule of the domain or reproduces a real person who is
unique on municipality, sex, age, nationality group and position was drawn again.

## Privacy

Measured on these data before release (`report.md`; its counts of persons and cells are
published figures or counts of published cells, and the sizes of real samples are given to
the hundred): municipality x position combinations whose published figure is withheld:
{withheld}; released persons who reproduce a real unique: {uniques}; numbers within rounded
bounds that are no lone real person's value; anonymeter's risks: {risks}; the distance to the
closest real record.

## What they preserve, and what not

- Preserved: the number of persons per position; the distributions of and pairwise relations
  between position, age, sex, municipality (hence region), nationality group and the job
  details within each position; the quarter-to-quarter transitions between positions, but
  for the persons redirected toward the figures (see the matrices in `report.md`); the domain
  rules (no working children, pensions at
  plausible ages, job details only with a salaried job, valid municipality codes).
- Not preserved: relations across more than two variables beyond what the per-position
  models carry; moving house (synthetic persons move far more often than real ones, to
  follow the figures); births, deaths and migration (persons leave and enter only to follow
  the figures); households; wages over time (a job keeps its first
  quarter's details); rare combinations (removed on purpose); persons in municipalities and
  positions whose figures are withheld (they live where the figures show their position);
  values beyond the rounded bounds.
"""
