"""One joint attack on every published table at once: stocks, flows, cohorts and households,
across the two 31 Decembers of a transition year.

The unknowns are the true counts of every potential master cell of six systems:

- the stock figures (``local_figures`` and ``global_figures``) of 31 December of Y - 1 and of
  Y (``attack_mobility.stock``),
- the mobility figures of Y (``attack_mobility.mobility``),
- the cohort figures of the cohort of Y - 1 followed to Y (``attack_cohorts.cohort``),
- the household figures of 31 December of Y - 1 and of Y (``attack_households.households``),

and one slack unknown (from 0 up) per inequality. The relations are every table's own
(each published cell the sum of its masters' values) and every link written between tables,
all in one sparse signed matrix: (A) and (B) of the mobility with the stocks of both days,
(C), (D) and (E) of the cohort with the stock of its day and the mobility, (H) and (M) of the
households of each day with that day's stock. ``attack_mobility.solve`` propagates the bounds
through all of them to a fixpoint. The attacker knows what the other attacks know: the
published values, the method and its parameters T and D, not the record keys.

The stocks and households are those of one region (``region``: Brussels by default, the
fewest municipalities behind a region's row or column; all Belgium's take minutes), the
mobility and cohort figures all Belgium's (both are by region, and (D) sums over the
regions). With one region, (B) (a row over Belgium against the earlier stock) becomes an
inequality: the row holds at least the region's stock.
"""

import attack_cohorts
import attack_households
import attack_mobility
import numpy as np
import scipy.sparse as sp
from attack_mobility import System

NAMES = ("before", "after", "flows", "cohorts", "homes_before", "homes_after")


def systems(con, year: int, region: str | None = "04000", everyone: bool = False):
    """The six systems of transition year ``year`` (with ``everyone``, every potential master
    an unknown, for ``System.suppress``), by name."""
    stock = attack_mobility.stock
    homes = attack_households.households
    return {
        "before": stock(con, f"{year - 1}Q4", region, everyone),
        "after": stock(con, f"{year}Q4", region, everyone),
        "flows": attack_mobility.mobility(con, year, everyone=everyone),
        "cohorts": attack_cohorts.cohort(con, year - 1, year, everyone),
        "homes_before": homes(con, f"{year - 1}Q4", region, everyone),
        "homes_after": homes(con, f"{year}Q4", region, everyone),
    }


def relations(s: dict[str, System], region: str | None = "04000") -> sp.csr_matrix:
    """Every link between the systems ``s`` in one matrix over their counts side by side (in
    the order of ``NAMES``), then one slack column per inequality (row - slack == 0)."""
    only_a = attack_mobility.links(None, s["after"], s["flows"])
    both = attack_mobility.links(s["before"], s["after"], s["flows"])
    cohort = attack_cohorts.links(s["before"], s["flows"], s["cohorts"])
    pieces = [  # (matrix, its systems, whether its rows are at least 0 rather than 0)
        (only_a, ["after", "flows"], False),  # (A)
        (both[only_a.shape[0] :], ["before", "after", "flows"], region is not None),  # (B)
        (cohort, ["before", "cohorts", "flows"], False),  # (C), (E), (D)
    ]
    for day in ("before", "after"):  # (H), (M)
        homes = attack_households.links(s[day], s[f"homes_{day}"])
        pieces.append((homes, [day, f"homes_{day}"], True))
    sizes = [len(s[name].masters) for name in NAMES]
    offset = dict(zip(NAMES, np.cumsum([0, *sizes[:-1]]), strict=True))
    total = sum(sizes)
    rows, cols, vals, start, slack = [], [], [], 0, 0
    for matrix, names, at_least in pieces:
        # the matrix's columns, system by system, moved to their place in the whole
        place = np.concatenate([offset[n] + np.arange(len(s[n].masters)) for n in names])
        coo = matrix.tocoo()
        rows.append(coo.row + start)
        cols.append(place[coo.col])
        vals.append(coo.data)
        if at_least:
            rows.append(np.arange(matrix.shape[0]) + start)
            cols.append(total + slack + np.arange(matrix.shape[0]))
            vals.append(-np.ones(matrix.shape[0]))
            slack += matrix.shape[0]
        start += matrix.shape[0]
    data = (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols)))
    return sp.csr_matrix(data, shape=(start, total + slack))


def solve(s: dict[str, System], matrix: sp.csr_matrix, threshold: int, noise: int):
    """Every system's own relations and ``matrix``, at once (``attack_mobility.solve``)."""
    attack_mobility.solve([s[name] for name in NAMES], matrix, threshold, noise)
    return s


def joint(con, year: int, threshold: int, noise: int, region: str | None = "04000"):
    """The attack on every published table of transition year ``year``, all relations at
    once. Returns the systems by name, solved, and the matrix of the links."""
    s = systems(con, year, region)
    matrix = relations(s, region)
    return solve(s, matrix, threshold, noise), matrix
