"""What a synthesis run is asked to do: the period, its size and seed, and the gate's thresholds."""

import re
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Period:
    """A quarter (2023Q4), a year (2023) or a range of years (2019-2023)."""

    label: str
    quarters: tuple[str, ...]

    @property
    def mode(self) -> str:
        return {1: "quarter"}.get(
            len(self.quarters), "year" if len(self.quarters) == 4 else "years"
        )

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = text.strip()
        if m := re.fullmatch(r"(\d{4})Q([1-4])", text):
            return cls(text, (text,))
        if m := re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text):
            first, last = int(m[1]), int(m[2] or m[1])
            if first <= last:
                quarters = tuple(f"{y}Q{q}" for y in range(first, last + 1) for q in range(1, 5))
                return cls(text, quarters)
        raise ValueError(
            f"{text!r} is not a period: write a quarter (2023Q4), a year (2023) or years "
            "(2019-2023)"
        )


@dataclass(frozen=True)
class Gate:
    """Release thresholds: a dataset is written only if every measure passes."""

    quality_score: float = 0.85  # SDMetrics quality report, at least
    diagnostic_score: float = 1.0  # SDMetrics diagnostic report (validity, structure), at least
    # relative error of the figures beyond that of a random sample of real persons, at most
    global_figures_error: float = 0.05
    local_figures_error: float = 0.05
    transition_distance: float = 0.05  # weighted distance of the transition matrices, at most
    replicated_uniques: float = 0  # real unique records reproduced, at most
    dcr_protection: float = 0.8  # distance to closest record, relative to real holdout, at least
    rule_violations: float = 0  # domain rules broken, at most
    # municipality x position x quarter combinations whose published figure is withheld, at most
    withheld_cells_shown: float = 0
    # anonymeter's risks (the attacker's success against training persons beyond the holdout's;
    # with 500 attacks the 95% interval is about +-0.05)
    singling_out_risk: float = 0.15
    linkability_risk: float = 0.05
    inference_risk: float = 0.1

    AT_LEAST = ("quality_score", "diagnostic_score", "dcr_protection")

    @classmethod
    def with_overrides(cls, items: list[str]) -> "Gate":
        """``["quality_score=0.9", ...]`` over the defaults."""
        names = {f.name for f in fields(cls)}
        values = {}
        for item in items:
            name, _, value = item.partition("=")
            if name not in names:
                raise ValueError(
                    f"unknown gate measure {name!r}; known: {', '.join(sorted(names))}"
                )
            try:
                values[name] = float(value)
            except ValueError:
                raise ValueError(f"{item!r}: the threshold must be a number") from None
        return cls(**values)

    @classmethod
    def passes(cls, name: str, value: float, limit: float) -> bool:
        return value >= limit if name in cls.AT_LEAST else value <= limit

    @classmethod
    def bound(cls, name: str, limit: float) -> str:
        """The threshold as it reads: ``≥ 0.85`` or ``≤ 0.05``."""
        return f"{'≥' if name in cls.AT_LEAST else '≤'} {limit:g}"

    def failures(self, measures: dict[str, float]) -> list[str]:
        """A sentence per measure that does not pass, with what the user can do."""
        out = []
        for f in fields(self):
            limit, value = getattr(self, f.name), measures[f.name]
            if not self.passes(f.name, value, limit):
                side = "below the required" if f.name in self.AT_LEAST else "above the allowed"
                out.append(f"{f.name} is {value:.4g}, {side} {limit:g}: {ADVICE[f.name]}")
        return out


# What a user can do when a measure fails (the report's section to read first, then options).
_FIDELITY = (
    "compare the synthetic and published figures in the report (Figures, {0}); try a larger "
    "--fit-rows, another --synthesizer (ctgan, tvae) or a shorter period (each quarter the "
    "transition model adds drifts further from the figures)"
)
_TOO_CLOSE = (
    "the synthetic persons are too close to the real persons the model learned from ({0} in "
    "the report); try another --synthesizer or a larger --fit-rows, and never raise this bound "
    "to release"
)
ADVICE = {
    "quality_score": "see the column shapes and pair trends in the report; try a larger "
    "--fit-rows or another --synthesizer (ctgan, tvae)",
    "diagnostic_score": "a synthetic value lies outside the real categories or range (the "
    "report's diagnostic properties); try another --synthesizer",
    "global_figures_error": _FIDELITY.format("global figures"),
    "local_figures_error": _FIDELITY.format("local figures"),
    "transition_distance": "compare the real and synthetic transition matrices in the report; "
    "a longer period gives the transition model more moves to learn from, or try a single "
    "quarter",
    "replicated_uniques": "synthetic persons equal to a real unique were kept after every "
    "redraw; try another --seed or another --synthesizer",
    "dcr_protection": _TOO_CLOSE.format("distance to closest record"),
    "rule_violations": "persons breaking a domain rule were kept after every redraw (the "
    "report counts them by rule); try another --seed or another --synthesizer",
    "withheld_cells_shown": "synthetic persons live where the figures withhold their position, "
    "which the drawing should never allow: report it to the data steward",
    "singling_out_risk": _TOO_CLOSE.format("anonymeter"),
    "linkability_risk": _TOO_CLOSE.format("anonymeter"),
    "inference_risk": _TOO_CLOSE.format("anonymeter"),
}


@dataclass(frozen=True)
class Run:
    """One ``dwh synthesize`` run."""

    period: Period
    rows: int | None = None  # default: the published total of the period's first quarter
    seed: int = 1
    synthesizer: str = "gaussian_copula"
    fit_rows: int = 200_000  # stratified fit sample when the population is larger
    gate: Gate = field(default_factory=Gate)
    attacks: int = 500  # anonymeter's attacks of each kind
