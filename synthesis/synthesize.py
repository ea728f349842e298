"""``dwh synthesize``: fit, draw, evaluate, and release only through the gate."""

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import pyarrow.compute as pc

from dwh.serving.publication import current
from synthesis import real, release, report
from synthesis.config import Run
from synthesis.evaluate import evaluate
from synthesis.generate import Codes, draw, pseudonym_sql
from synthesis.model import Model
from synthesis.places import Places


class GateRefused(Exception):
    """The synthetic dataset failed the gate; nothing was released."""

    def __init__(self, failures: list[str], report_folder):
        self.failures, self.report_folder = failures, report_folder
        super().__init__("; ".join(failures))


# Rejections counted against the real microdata: kept for the steward, never released.
INTERNAL = ("reproduces_a_real_unique",)


def _noop(*_):
    pass


def synthesize(run: Run, progress: Callable[[str, int, int], None] = _noop) -> dict:
    """Synthesize ``run.period`` from the served publication. Returns the report; raises
    ``GateRefused`` (report kept, no data) or ``real.SynthesisError``.

    ``progress(stage, done, total)`` is called as fit, sample and evaluation advance.
    """
    started = time.perf_counter()
    publication = current()
    if publication is None:
        raise real.SynthesisError("nothing is published yet: run `dwh build` and `dwh publish`")
    quarters = run.period.quarters
    con = real.connect(publication)
    real.check_period(con, quarters)
    codes = Codes.read(con)
    # How many persons of each position to draw: the published national figures, never the
    # real counts (the data would give them exactly); the real total only sizes the samples.
    published = real.published_population(con, quarters[0])
    total = real.published_total(con, quarters[0])
    rows = run.rows or total
    real_total = int(real.population(con, quarters[0]).sum())
    fit, holdout = real.samples(con, quarters[0], real_total, run.fit_rows, run.seed)
    moves = (
        real.transitions(con, quarters)
        if len(quarters) > 1
        else pd.DataFrame(
            columns=["pos_from", "pos_to", "region_code", "sex", "age_class", "duration", "n"]
        )
    )

    threshold = int(publication.disclosure["threshold"])
    places = Places(quarters, real.published_cells(con, quarters), codes.municipalities)
    model = Model(run.synthesizer, codes.main_groups, threshold, codes.age_class)
    cells = real.published_figures(con, "global", quarters)
    model.fit(
        fit, published, moves, places, cells, lambda done, total: progress("fit", done, total)
    )
    fit_seconds = time.perf_counter() - started

    real.register_uniques(con, quarters)
    drawn = [0]

    def on_round(kept: int):
        drawn[0] += kept
        progress("sample", drawn[0], rows)

    table, rejected, violations = draw(model, rows, quarters, codes, con, run.seed, on_round)
    sample_seconds = time.perf_counter() - started - fit_seconds

    steps = iter(range(1, 5))
    result = evaluate(
        con,
        table,
        violations,
        fit,
        holdout,
        quarters,
        run.seed,
        threshold,
        run.attacks,
        lambda _: progress("evaluate", next(steps), 4),
    )
    failures = run.gate.failures(result["measures"])
    summary = {
        "period": run.period.label,
        "mode": run.period.mode,
        "quarters": list(quarters),
        "persons": pc.count_distinct(table["person"]).as_py(),
        "rows": table.num_rows,
        "published_persons_first_quarter": total,
        "fit_rows": real.coarse(len(fit)),
        "holdout_rows": real.coarse(len(holdout)),
        "seed": run.seed,
        "synthesizer": run.synthesizer,
        "publication": publication.id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "released": not failures,
        "seconds": {
            "fit": round(fit_seconds, 1),
            "sample": round(sample_seconds, 1),
            "evaluate": round(time.perf_counter() - started - fit_seconds - sample_seconds, 1),
        },
    }
    full = {
        "summary": summary,
        "gate": {
            "thresholds": vars(run.gate),
            "measures": result["measures"],
            "failures": failures,
        },
        # counted on the synthetic draws only; hits on real uniques stay internal
        "rejected_while_drawing": {k: v for k, v in rejected.items() if k not in INTERNAL},
        "numeric_bounds": {k: list(v) for k, v in model.limits.items()},
        **{k: v for k, v in result.items() if k != "measures"},
    }
    text = report.markdown(full)
    label = run.period.label
    release.internal(
        label,
        {
            "created_at": summary["created_at"],
            "publication": publication.id,
            "real_persons_first_quarter": real_total,
            "fit_rows": len(fit),
            "holdout_rows": len(holdout),
            "rejected_while_drawing": dict(rejected),
        },
    )
    if failures:
        raise GateRefused(failures, release.refuse(label, full, text))
    schema = real.schema(con)
    con.close()  # its memory is the writer's now
    release.write(label, table, schema, pseudonym_sql(run.seed), full, report.readme(full), text)
    return full
