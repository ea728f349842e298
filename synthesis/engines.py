"""The replaceable part: an engine learns one table and samples rows like it.

The rest of the package only calls ``fit`` and ``sample``, so another engine (another library,
a differentially private one) can take SDV's place by adding an entry to ``ENGINES``.
"""

from typing import Protocol

import pandas as pd


class Engine(Protocol):
    def fit(self, table: pd.DataFrame, columns: dict[str, dict]) -> None:
        """Learn ``table``; ``columns`` gives each column's SDV sdtype (and representation)."""

    def sample(self, rows: int, seed: int) -> pd.DataFrame:
        """``rows`` new rows; the same seed after the same fit gives the same rows."""


CATEGORIES = ("categorical", "boolean")


class SdvEngine:
    """An SDV single-table synthesizer."""

    def __init__(self, synthesizer: str):
        self.synthesizer = synthesizer

    def fit(self, table: pd.DataFrame, columns: dict[str, dict]) -> None:
        from sdv import single_table
        from sdv.metadata import Metadata

        metadata = Metadata.load_from_dict({"tables": {"t": {"columns": columns}}})
        cls = getattr(single_table, self.synthesizer)
        # Not the fit sample's range: its ends are real persons' values (the lowest and highest
        # wage); the model clips to rounded bounds instead (synthesis/bounds.py).
        options = {"enforce_min_max_values": False}
        if self.synthesizer in ("CTGANSynthesizer", "TVAESynthesizer"):
            options["epochs"] = 50
        else:  # a copula: SDV's encoder spreads each category uniformly over its share of
            # [0, 1], so a uniform marginal is exact (the default beta, fitted by an
            # optimiser, took most of the fit's time)
            options["numerical_distributions"] = {
                c: "uniform" for c, t in columns.items() if t["sdtype"] in CATEGORIES
            }
        self.model = cls(metadata, **options)
        self.model.fit({"t": table})

    def sample(self, rows: int, seed: int) -> pd.DataFrame:
        # SDV has no public seed: its own samplers reset to a fixed seed after fit.
        self.model._set_random_state(seed)
        out = self.model.sample(rows)
        return out["t"] if isinstance(out, dict) else out


ENGINES = {
    "gaussian_copula": lambda: SdvEngine("GaussianCopulaSynthesizer"),
    "ctgan": lambda: SdvEngine("CTGANSynthesizer"),
    "tvae": lambda: SdvEngine("TVAESynthesizer"),
}


def engine(name: str) -> Engine:
    if name not in ENGINES:
        raise ValueError(f"unknown synthesizer {name!r}; known: {', '.join(ENGINES)}")
    return ENGINES[name]()
