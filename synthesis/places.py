"""Where synthetic persons live: municipalities drawn from the published figures, never from
the real residents of a cell.

A synthetic person of a position in a municipality says that the figure of that municipality
and position is not empty; where the published figure is withheld, that reveals what the
disclosure control hides. So a synthetic person lives only where the published local figures
(municipality x position, all sexes and ages, of the same quarter) show persons of their
position, drawn with probabilities proportional to the published counts: within the
arrondissement the model drew, else its province, its region, Belgium. A position that no
published municipality figure shows in a quarter is given to nobody in that quarter.
"""

import numpy as np
import pandas as pd

AREAS = ("arrondissement_code", "province_code", "region_code")  # the fallbacks, finest first


class Places:
    """The published municipality x position figures of a run's quarters."""

    def __init__(
        self, quarters: tuple[str, ...], cells: pd.DataFrame, municipalities: pd.DataFrame
    ):
        """``cells``: quarter, nis_code, position_code, persons (the published figure, > 0);
        ``municipalities``: nis_code and the codes of its areas."""
        self.quarters = quarters
        geo = municipalities[["nis_code", *AREAS]].drop_duplicates("nis_code")
        self.areas = geo.set_index("nis_code")
        self.arrondissements = geo.drop_duplicates(AREAS[0]).set_index(AREAS[0])[list(AREAS[1:])]
        cells = cells.merge(geo, on="nis_code")
        self.cells = {key: rows for key, rows in cells.groupby(["quarter", "position_code"])}
        self.shown = pd.MultiIndex.from_frame(cells[["quarter", "nis_code", "position_code"]])

    def positions(self, quarter: str) -> pd.Series:
        """The positions some published municipality figure shows in ``quarter``, with their
        published persons (summed over the municipalities)."""
        return pd.Series(
            {p: rows["persons"].sum() for (q, p), rows in self.cells.items() if q == quarter},
            dtype=float,
        )

    def is_shown(self, quarter: str, nis: pd.Series, positions: pd.Series) -> np.ndarray:
        """Whether the published figure of each municipality and position shows persons."""
        keys = pd.MultiIndex.from_arrays([np.full(len(nis), quarter), nis, positions])
        return keys.isin(self.shown)

    def area(self, nis: pd.Series) -> np.ndarray:
        """The arrondissement of each municipality."""
        return self.areas[AREAS[0]].reindex(nis).to_numpy()

    def draw(
        self, quarter: str, positions: pd.Series, areas: pd.Series, rng: np.random.Generator
    ) -> np.ndarray:
        """A municipality for each person (given position and arrondissement), from the
        published figures of ``quarter``; None where the position has none."""
        out = np.full(len(positions), None, dtype=object)
        keys = pd.DataFrame({"position": positions.to_numpy(), "area": areas.to_numpy()})
        for (position, area), index in keys.groupby(["position", "area"]).indices.items():
            cells = self.cells.get((quarter, position))
            if cells is None:
                continue
            if area in self.arrondissements.index:
                wider = self.arrondissements.loc[area]
                for level in AREAS:
                    near = cells[cells[level] == (area if level == AREAS[0] else wider[level])]
                    if len(near):
                        cells = near
                        break
            weights = cells["persons"].to_numpy(float)
            out[index] = rng.choice(
                cells["nis_code"].to_numpy(), len(index), p=weights / weights.sum()
            )
        return out
