"""The gate's measures, each computed from the synthetic table and the real warehouse."""

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from synthesis import real, risks
from synthesis.rules import DETAIL_COLUMNS

SAMPLE = 20_000  # rows of each side in the SDMetrics reports
DCR_SAMPLE = 500  # rows of each side in the distance to closest record
EVALUATED = {  # columns of the SDMetrics reports and their sdtypes
    "quarter": "categorical",
    "nis_code": "categorical",
    "arrondissement_code": "categorical",
    "region_code": "categorical",
    "sex": "categorical",
    "age": "numerical",
    "nationality_group": "categorical",
    "position_code": "categorical",
    "is_registered_job_seeker": "boolean",
    "nace_section": "categorical",
    "worker_code": "categorical",
    "time_regime": "categorical",
    "part_time_pct": "numerical",
    "days_paid": "numerical",
    "gross_wage": "numerical",
    "job_lines": "numerical",
    "total_gross_wage": "numerical",
}
GLOBAL = ("region_code", "sex", "age_class", "position_code")
LOCAL = ("nis_code", "main_group_code")


def metadata(columns) -> dict:
    return {"columns": {c: {"sdtype": EVALUATED[c]} for c in columns}}


def _floats(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[list(EVALUATED)].copy()
    for column, sdtype in EVALUATED.items():
        if sdtype == "numerical":
            out[column] = out[column].astype("float64")
        else:  # SDMetrics wants plain objects with NaN for missing values
            out[column] = out[column].astype(object).where(out[column].notna(), np.nan)
    return out


def _real_rows(con, quarters, seed) -> pd.DataFrame:
    return con.execute(
        "select * from wh.main.fct_person_quarter where quarter in (select unnest(?)) "
        "order by hash(pseudonym, quarter, ?) limit ?",
        [list(quarters), seed, SAMPLE],
    ).df()


def _real_support(con, quarters) -> pd.DataFrame:
    """Every value of every categorical column and the extremes of every numerical one, one
    row each (other columns empty): the diagnostic compares the synthetic values with all the
    real table holds, not with a sample of it."""
    aggregates = [
        f"min({c}), max({c})" if t == "numerical" else f"list(distinct {c})"
        for c, t in EVALUATED.items()
    ]
    values = con.execute(
        f"select {', '.join(aggregates)} from wh.main.fct_person_quarter "
        "where quarter in (select unnest(?))",
        [list(quarters)],
    ).fetchall()[0]
    rows, i = [], 0
    for column, sdtype in EVALUATED.items():
        found = values[i : i + 2] if sdtype == "numerical" else values[i]
        i += 2 if sdtype == "numerical" else 1
        rows += [{column: v} for v in found]
    return pd.DataFrame(rows, columns=list(EVALUATED))


def reports(con, quarters, seed) -> dict:
    from sdmetrics.reports.single_table import DiagnosticReport, QualityReport

    real_rows = _floats(_real_rows(con, quarters, seed))
    syn_rows = _floats(_sample(con, "select * from synthetic_rows", SAMPLE, seed))
    meta = metadata(EVALUATED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quality = QualityReport()
        quality.generate(real_rows, syn_rows, meta, verbose=False)
        diagnostic = DiagnosticReport()
        support = pd.concat([real_rows, _floats(_real_support(con, quarters))], ignore_index=True)
        diagnostic.generate(support, syn_rows, meta, verbose=False)
    return {
        "quality_score": round(float(quality.get_score()), 4),
        "quality_properties": _properties(quality),
        "diagnostic_score": round(float(diagnostic.get_score()), 4),
        "diagnostic_properties": _properties(diagnostic),
        "rows_compared": {"real": real.coarse(len(real_rows)), "synthetic": len(syn_rows)},
    }


def _properties(report) -> dict:
    props = report.get_properties()
    return {p: round(float(s), 4) for p, s in zip(props["Property"], props["Score"], strict=True)}


def figures(con, quarters, level: str, seed: int) -> dict:
    """Persons per quarter and the cells of the ``level`` ('global' or 'local') published
    figures, published against synthetic, over the cells the figures show (withheld cells are
    the gate's ``withheld_cells_shown``): the synthetic counts in those cells are scaled to
    their published total in each quarter. Mean absolute error (persons per cell) and relative
    error (sum of the absolute differences over the published total). The same error for a
    random draw of as many persons from the published figures (sampling noise) is the
    reference: the gate looks at the excess over it. Nothing here counts real persons, so the
    number of cells is that of published cells, which is public."""
    published = real.PUBLISHED_FIGURES[level]
    keys = ", ".join(("quarter", *(GLOBAL if level == "global" else LOCAL)))
    cells = con.execute(
        f"""
        with p as (select * from ({published}) where quarter in (select unnest(?))),
        s as (select {keys}, count(*) as n from synthetic_rows group by all)
        select p.quarter, p.persons as pub_n, coalesce(s.n, 0) as syn_n
        from p left join s using ({keys})
        order by all
        """,  # the sampling noise's draw follows the rows' order: not the threads' order
        [list(quarters)],
    ).df()
    rng = np.random.default_rng(seed)
    by_quarter = cells.groupby("quarter")
    pub_total = by_quarter["pub_n"].transform("sum")
    syn_total = by_quarter["syn_n"].transform("sum")
    scaled = (cells["syn_n"] * pub_total / syn_total.where(syn_total > 0)).fillna(0)
    noise = pd.concat(
        [
            pd.Series(rng.multinomial(g["syn_n"].sum(), g["pub_n"] / g["pub_n"].sum()), g.index)
            for _, g in by_quarter
        ]
    )
    noise_total = noise.groupby(cells["quarter"]).transform("sum")
    noise = (noise * pub_total / noise_total.where(noise_total > 0)).fillna(0)
    diff = (cells["pub_n"] - scaled).abs()
    error = float(diff.sum() / cells["pub_n"].sum())
    noise_error = float((cells["pub_n"] - noise).abs().sum() / cells["pub_n"].sum())
    return {
        "compared_with": "published figures",
        "cells": len(cells),
        "mean_absolute_error": round(float(diff.mean()), 3),
        "relative_error": round(error, 4),
        "sampling_noise_relative_error": round(noise_error, 4),
        "excess_error": round(max(0.0, error - noise_error), 4),
    }


def transition_matrices(con, quarters, threshold: int) -> dict:
    """Real and synthetic quarter-to-quarter transition matrices (row: from, column: to) and
    their distance: the total variation distance of each row, weighted by the real row's
    share. The matrices are thresholded like the figures: a flow of ``threshold`` moves or
    fewer is not shown, and each row's shares are of the flows shown (so they tell nothing of
    the others); the distance is computed on all moves."""
    if len(quarters) < 2:
        return {"distance": 0.0, "threshold": threshold, "real": {}, "synthetic": {}}
    moves = real.transitions(con, quarters).groupby(["pos_from", "pos_to"])["n"].sum()
    con.register("quarter_pairs", pd.DataFrame({"q0": quarters[:-1], "q1": quarters[1:]}))
    syn_moves = (
        con.execute(
            "select a.position_code as pos_from, b.position_code as pos_to, count(*) as n "
            "from quarter_pairs p join synthetic_rows a on a.quarter = p.q0 "
            "join synthetic_rows b on b.quarter = p.q1 and b.person = a.person group by all"
        )
        .df()
        .set_index(["pos_from", "pos_to"])["n"]
    )
    con.unregister("quarter_pairs")
    real_p, syn_p = _rows(moves), _rows(syn_moves)
    real_p, syn_p = real_p.align(syn_p, fill_value=0)
    weight = moves.groupby("pos_from").sum() / moves.sum()
    tvd = (real_p - syn_p).abs().sum(axis=1) / 2
    return {
        "distance": round(float((tvd * weight.reindex(tvd.index).fillna(0)).sum()), 4),
        "threshold": threshold,
        "real": _rounded(_rows(moves[moves > threshold])),
        "synthetic": _rounded(_rows(syn_moves[syn_moves > threshold])),
    }


def _rows(counts: pd.Series) -> pd.DataFrame:
    if counts.empty:
        return pd.DataFrame()
    matrix = counts.unstack(fill_value=0)
    return matrix.div(matrix.sum(axis=1), axis=0)


def _rounded(matrix: pd.DataFrame) -> dict:
    return {i: {c: round(float(v), 4) for c, v in row.items() if v} for i, row in matrix.iterrows()}


def _sample(con, query: str, rows: int, seed: int, params=()) -> pd.DataFrame:
    return con.execute(
        f"select * from ({query}) using sample reservoir({rows} rows) repeatable ({seed})",
        list(params),
    ).df()


# The columns the engines learn and a first-quarter synthetic person keeps: the region (the
# engines' arrondissement is replaced by that of the municipality drawn in the region from the
# published figures; compared, it would hide a copied person behind a place drawn at random).
DCR_COLUMNS = (
    "region_code",
    "sex",
    "age",
    "nationality_group",
    "position_code",
    "is_registered_job_seeker",
    *DETAIL_COLUMNS,
)
NUMERICAL = ("age", "part_time_pct", "days_paid", "gross_wage", "job_lines", "total_gross_wage")


def closest(rows: pd.DataFrame, reference: pd.DataFrame, block: int = 64) -> np.ndarray:
    """Distance of each row to its closest reference row, as SDMetrics defines it (the mean
    over the columns of: 0 or 1 for categories, the absolute difference over the reference's
    range, capped at 1, for numbers; two missing values are equal, one missing is 1), computed
    against every reference row."""
    dist_parts = []
    columns = []
    for column in DCR_COLUMNS:
        ref, own = reference[column], rows[column]
        if column in NUMERICAL:
            r, o = ref.to_numpy(float), own.to_numpy(float)
            span = np.nanmax(r) - np.nanmin(r)
            columns.append((o, r, span if span > 0 else None))
        else:
            codes = pd.factorize(pd.concat([ref, own], ignore_index=True).astype(object))[0]
            columns.append((codes[len(ref) :], codes[: len(ref)], "categorical"))
    for start in range(0, len(rows), block):
        total = np.zeros((min(block, len(rows) - start), len(reference)), dtype=np.float32)
        for own, ref, kind in columns:
            o = own[start : start + block, None]
            if kind == "categorical":  # factorize gives -1 to missing values: equal to each other
                total += o != ref[None, :]
                continue
            diff = np.abs(o - ref[None, :])
            d = (diff > 0).astype(np.float32) if kind is None else np.minimum(diff / kind, 1)
            missing_o, missing_r = np.isnan(o), np.isnan(ref)[None, :]
            d = np.where(missing_o & missing_r, 0, np.where(missing_o | missing_r, 1, d))
            total += d
        dist_parts.append(total.min(axis=1) / len(DCR_COLUMNS))
    return np.concatenate(dist_parts)


def dcr(fit: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame, seed: int) -> dict:
    """Distance to closest record of first-quarter synthetic persons to all the persons the
    engines learned from, against the same for real persons they never saw (the holdout): a
    synthesizer that copies or memorises lands closer to its training persons than new real
    persons do. The mean is compared: on these mostly categorical data most closest distances
    are 0 for real and synthetic persons alike, and the difference lies in the rest.
    SDMetrics' DCRBaselineProtection (against random rows) is reported beside."""
    from sdmetrics.single_table import DCRBaselineProtection

    n = min(DCR_SAMPLE, len(holdout), len(synthetic))
    train = _floats(fit)[list(DCR_COLUMNS)]
    hold = _floats(holdout.sample(n, random_state=seed))[list(DCR_COLUMNS)]
    syn = _floats(synthetic.sample(n, random_state=seed))[list(DCR_COLUMNS)]
    syn_mean = float(closest(syn, train).mean())
    hold_mean = float(closest(hold, train).mean())
    np.random.seed(seed)
    DCRBaselineProtection._seed = seed
    baseline = DCRBaselineProtection.compute_breakdown(
        train.sample(n, random_state=seed), syn, {"tables": {"t": metadata(DCR_COLUMNS)}}, "t"
    )
    return {
        "dcr_protection": 1.0 if hold_mean == 0 else round(min(1.0, syn_mean / hold_mean), 4),
        "mean_dcr_synthetic": round(syn_mean, 4),
        "mean_dcr_real_holdout": round(hold_mean, 4),
        "sdmetrics_dcr_baseline_protection": round(float(baseline["score"]), 4),
        "rows_compared": real.coarse(n),
        "training_rows": real.coarse(len(train)),
    }


def evaluate(
    con,
    synthetic: pa.Table,
    violations: dict,
    fit: pd.DataFrame,
    holdout: pd.DataFrame,
    quarters,
    seed: int,
    threshold: int,
    attacks: int,
    on_step: Callable[[str], None],
) -> dict:
    """Every measure of the gate, with the details the report shows; ``violations``: the
    domain rules the synthetic rows break, counted as they were drawn; ``threshold``: the
    figures' disclosure threshold; ``attacks``: anonymeter's attacks of each kind."""
    con.register("synthetic_rows", synthetic)
    on_step("quality and diagnostic reports")
    out = {"reports": reports(con, quarters, seed)}
    on_step("figures")
    out["global_figures"] = figures(con, quarters, "global", seed)
    out["local_figures"] = figures(con, quarters, "local", seed)
    on_step("transitions")
    out["transitions"] = transition_matrices(con, quarters, threshold)
    on_step("privacy")
    out["replicated_uniques"] = real.unique_matches(con, "synthetic_rows")
    out["withheld_cells"] = real.withheld_shown(con, "synthetic_rows")
    first_quarter = "select * from synthetic_rows where quarter = ?"
    first = _sample(con, first_quarter, DCR_SAMPLE, seed, [quarters[0]])
    out["dcr"] = dcr(fit, holdout, first, seed)
    first = _sample(con, first_quarter, risks.ROWS, seed, [quarters[0]])
    out["anonymeter"] = risks.risks(fit, holdout, first, attacks, seed)
    out["rule_violations"] = dict(violations)
    con.unregister("synthetic_rows")
    out["measures"] = {
        "quality_score": out["reports"]["quality_score"],
        "diagnostic_score": out["reports"]["diagnostic_score"],
        "global_figures_error": out["global_figures"]["excess_error"],
        "local_figures_error": out["local_figures"]["excess_error"],
        "transition_distance": out["transitions"]["distance"],
        "replicated_uniques": out["replicated_uniques"],
        "dcr_protection": out["dcr"]["dcr_protection"],
        "rule_violations": sum(out["rule_violations"].values()),
        "withheld_cells_shown": out["withheld_cells"]["withheld"],
        **{f"{k}_risk": out["anonymeter"][k]["risk"] for k in risks.ATTACKS},
    }
    return out
