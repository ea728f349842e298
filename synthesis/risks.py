"""Anonymeter's three attacks on the synthetic persons: singling out, linkability, inference.

Each attack uses the synthetic first quarter against real persons the model learned from and,
as control, real persons it never saw (the holdout). The risk is anonymeter's residual risk:
the attacker's success against the first beyond that against the second, over what is left
to gain (0: the synthetic data help against the persons they came from no more than against
anyone; 1: every attack succeeds). Anonymeter (https://github.com/statice/anonymeter) pins
numpy<1.27 but works with numpy 2: it is installed without its pins (``make setup``).
"""

import warnings

import numpy as np
import pandas as pd

from synthesis.real import coarse

ROWS = 10_000  # synthetic persons of the first quarter attacked with, at most
COLUMNS = (
    "arrondissement_code",
    "sex",
    "age",
    "nationality_group",
    "position_code",
    "is_registered_job_seeker",
    "nace_section",
    "worker_code",
    "part_time_pct",
    "days_paid",
    "gross_wage",
    "total_gross_wage",
)
NUMERIC = ("age", "part_time_pct", "days_paid", "gross_wage", "total_gross_wage")
ATTACKS = ("singling_out", "linkability", "inference")
QUERY_COLUMNS = 3  # singling out: the columns of each query the attacker writes
# Linkability: an attacker holds, about the same persons, a register file (where they live,
# sex, age, nationality) and a social-security file (position, job) and links the two through
# their closest synthetic persons.
LINKED = (
    ["arrondissement_code", "sex", "age", "nationality_group"],
    ["position_code", "is_registered_job_seeker", "nace_section", "worker_code", "gross_wage"],
)
# Inference: knowing everything else about a salaried person, the attacker guesses their wage
# (right within 5%) from the closest synthetic person.
SECRET = "gross_wage"
KNOWN = [c for c in COLUMNS if c not in (SECRET, "total_gross_wage")]


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The attacked columns: numbers as floats, the rest as text (missing: None)."""
    out = rows[list(COLUMNS)].reset_index(drop=True)
    for column in COLUMNS:
        if column in NUMERIC:
            out[column] = out[column].astype("float64")
        else:
            out[column] = [None if pd.isna(v) else str(v) for v in out[column]]
    return out


def _compiled_once():
    """Numba compiles anonymeter's distance functions at their first call (half a minute on
    this machine); cache the compiled code beside the package for the next runs."""
    from anonymeter.neighbors import mixed_types_kneighbors as knn

    for function in (knn.gower_distance, knn._nearest_neighbors):
        function.enable_caching()


def risks(
    fit: pd.DataFrame, holdout: pd.DataFrame, synthetic: pd.DataFrame, attacks: int, seed: int
) -> dict:
    """The three risks (value and 95% confidence interval) and the success rates behind
    them, with ``attacks`` attacks each (at most as many as the holdout has persons). The
    training persons attacked are as many as the holdout's, so that the two successes compare
    without anonymeter's correction for size."""
    from anonymeter.evaluators import (
        InferenceEvaluator,
        LinkabilityEvaluator,
        SinglingOutEvaluator,
    )

    _compiled_once()
    n = min(ROWS, len(fit), len(synthetic))
    ori = _frame(fit.sample(min(n, len(holdout)), random_state=seed))
    syn = _frame(synthetic.sample(n, random_state=seed))
    control = _frame(holdout)
    asked, attacks = attacks, min(attacks, len(control), n)
    np.random.seed(seed)  # anonymeter draws its targets from numpy's global generator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "attack as good or worse as baseline" and the like
        evaluators = {
            "singling_out": SinglingOutEvaluator(
                ori,
                syn,
                n_attacks=attacks,
                n_cols=QUERY_COLUMNS,
                control=control,
                max_attempts=attacks * 1000,
                seed=seed,
            ).evaluate(mode="multivariate"),
            "linkability": LinkabilityEvaluator(
                ori, syn, LINKED, n_attacks=attacks, control=control
            ).evaluate(n_jobs=1),
            "inference": InferenceEvaluator(
                *(frame[frame[SECRET].notna()] for frame in (ori, syn)),
                KNOWN,
                SECRET,
                regression=True,
                n_attacks=attacks,
                control=control[control[SECRET].notna()],
            ).evaluate(n_jobs=1),
        }
        out = {}
        for name, evaluator in evaluators.items():
            risk, result = evaluator.risk(), evaluator.results()
            out[name] = {
                "risk": round(float(risk.value), 4),
                "confidence_interval": [round(float(v), 4) for v in risk.ci],
                "attack_success": round(float(result.attack_rate.value), 4),
                "control_success": round(float(result.control_rate.value), 4),
                "baseline_success": round(float(result.baseline_rate.value), 4),
            }
    return {  # the sizes come from the real samples: to the hundred (real.coarse)
        "attacks": attacks if attacks == asked else coarse(attacks),
        "synthetic_persons": coarse(n),
        "training_persons": coarse(len(ori)),
        "control_persons": coarse(len(control)),
        **out,
    }
