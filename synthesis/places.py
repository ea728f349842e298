"""Where synthetic persons live: municipalities drawn from the published figures, never from
the real residents of a cell.

A synthetic person of a position in a municipality says that the figure of that municipality
and position is not empty; where the published figure is withheld, that reveals what the
disclosure control hides. So a synthetic person lives only where the published local figures
(municipality x position, all sexes and ages, of the same quarter) show persons of their
position, drawn with probabilities proportional to the published counts: within the area
given (a region for the first quarter, the arrondissement of the last municipality for a
person who moves), else its province, its region, Belgium. A position that no
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

    def crowded(
        self,
        quarter: str,
        nis: pd.Series,
        positions: pd.Series,
        most: int,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Which persons move house: in each municipality and position, those beyond the
        published figure of ``quarter`` (scaled to the synthetic persons of the position),
        drawn at random, at most ``most`` in all (fewer in each municipality in proportion).
        Persons keep their municipality while the figures show their position there, and
        the figures of a municipality then drift from the published ones quarter after
        quarter; real persons move, and those who move here go where the figures show more
        persons than live there (``draw``)."""
        keys = pd.DataFrame({"nis_code": nis.to_numpy(), "position_code": positions.to_numpy()})
        cell = keys.groupby(["nis_code", "position_code"], sort=False).ngroup()
        cell = cell.fillna(-1).to_numpy(int)  # -1: no municipality
        if cell.max(initial=-1) < 0:
            return np.zeros(len(cell), bool)
        held = np.bincount(cell[cell >= 0], minlength=cell.max() + 1).astype(float)
        first = pd.DataFrame({"cell": cell, **keys}).drop_duplicates("cell")
        first = first[first["cell"] >= 0].sort_values("cell")
        published = self.published(quarter)
        figure = published.reindex(pd.MultiIndex.from_frame(first[["nis_code", "position_code"]]))
        figure = figure.fillna(0).to_numpy(float)
        per_position = first.assign(held=held, figure=figure).groupby("position_code")
        shown = per_position["figure"].transform("sum").to_numpy()
        scale = per_position["held"].transform("sum").to_numpy() / np.where(shown > 0, shown, 1)
        # where the figure is 0 they move anyway: the figures do not show them there
        excess = np.where(figure > 0, np.clip(held - figure * scale, 0, None), 0)
        if excess.sum() > most:
            excess *= most / excess.sum()
        excess = np.floor(excess)
        rank = pd.Series(rng.permutation(len(cell))).groupby(cell).rank(method="first") - 1
        return (cell >= 0) & (rank.to_numpy() < excess[np.maximum(cell, 0)])

    def published(self, quarter: str) -> pd.Series:
        """The published figures of ``quarter`` that show persons, by municipality and
        position (empty when none does)."""
        rows = [rows for (q, _), rows in self.cells.items() if q == quarter]
        if not rows:
            return pd.Series(dtype=float)
        return pd.concat(rows).set_index(["nis_code", "position_code"])["persons"]

    def shortfall(self, quarter: str, nis: pd.Series, positions: pd.Series) -> pd.Series:
        """By municipality and position shown in ``quarter``: the published figure, scaled to
        the synthetic persons of the position, less the persons who hold it there (negative
        where more hold it than the figure shows)."""
        held = pd.Series(1, pd.MultiIndex.from_arrays([nis, positions])).groupby(level=[0, 1])
        held = held.sum().rename_axis(["nis_code", "position_code"])
        published = self.published(quarter)
        if published.empty:  # no municipality figure shows anyone this quarter
            return pd.Series(dtype=float)
        per_position = held.groupby(level="position_code").sum()
        shown = published.groupby(level="position_code").sum()
        scale = (per_position / shown).reindex(published.index.get_level_values(1)).to_numpy()
        target = published * np.nan_to_num(scale)
        return target.sub(held.reindex(target.index).fillna(0))

    def area(self, nis: pd.Series) -> np.ndarray:
        """The arrondissement of each municipality."""
        return self.areas[AREAS[0]].reindex(nis).to_numpy()

    def draw(
        self,
        quarter: str,
        positions: pd.Series,
        areas: pd.Series,
        rng: np.random.Generator,
        staying: pd.DataFrame | None = None,
    ) -> np.ndarray:
        """A municipality for each person (given position and arrondissement or region), from the
        published figures of ``quarter``; None where the position has none. ``staying``: the
        persons who keep their municipality (nis_code, position_code); the others then go
        where the figures show more persons than stay there (scaled to the synthetic persons of
        the position), so that the figures of small municipalities, shown one quarter and
        withheld the next, do not lose their persons to the large ones quarter after quarter."""
        out = np.full(len(positions), None, dtype=object)
        keys = pd.DataFrame({"position": positions.to_numpy(), "area": areas.to_numpy()})
        movers = keys["position"].value_counts()
        stay = (
            staying.groupby(["position_code", "nis_code"]).size()
            if staying is not None
            else pd.Series(dtype=float)
        )
        wanted = {}  # the weights of each position's municipalities, before the area
        for (position, area), index in keys.groupby(["position", "area"]).indices.items():
            cells = self.cells.get((quarter, position))
            if cells is None:
                continue
            if position not in wanted:
                weights = cells["persons"].to_numpy(float)
                if staying is not None:
                    held = stay.get(position, pd.Series(dtype=float))
                    persons = held.sum() + movers[position]
                    target = weights * persons / weights.sum()
                    held = held.reindex(cells["nis_code"]).fillna(0).to_numpy()
                    deficit = np.clip(target - held, 0, None)
                    if deficit.sum() > 0:
                        weights = deficit
                wanted[position] = weights
            weights = wanted[position]
            if area in self.arrondissements.index:
                wider = {AREAS[0]: area, **self.arrondissements.loc[area]}
            else:  # a region
                wider = {AREAS[-1]: area}
            for level, code in wider.items():
                near = (cells[level].to_numpy() == code) & (weights > 0)
                if near.any():
                    weights = np.where(near, weights, 0)
                    break
            out[index] = balanced(cells["nis_code"].to_numpy(), len(index), weights, rng)
        return out


def balanced(values: np.ndarray, n: int, weights, rng: np.random.Generator) -> np.ndarray:
    """``n`` of ``values`` in proportion to ``weights``: each the whole part of its expected
    count, the rest drawn at random, in random order. A plain random draw adds the noise of a
    sample to the figures; this keeps them as close as whole persons allow."""
    p = np.asarray(weights, float) / np.sum(weights)
    counts = np.floor(n * p).astype(int)
    rest = n * p - counts
    if n > counts.sum():
        counts += rng.multinomial(n - counts.sum(), rest / rest.sum())
    return rng.permutation(np.repeat(values, counts))
