"""k-anonymity and l-diversity of anonymous samples, on the catalogue's hierarchies.

The temp table ``extract`` holds ``row_hash``, ``quarter``, ``ref_date`` and, for each
hierarchy asked (:data:`dwh.serving.catalogue.HIERARCHIES`), a column for every level from the
finest asked to the coarsest. Within each quarter, every row must share all its delivered
values with at least ``K - 1`` other rows (so no value or combination of values singles out a
row or links it to a row of another quarter), and the rows of each combination of the
quasi-identifiers must hold at least ``L`` positions (the sensitive variable). While more than
``SUPPRESSION`` of the rows break this, one hierarchy is raised by a level: the quasi-identifier
with the most distinct values (Sweeney's Datafly), the position only when no quasi-identifier
is left to raise; the rows that still break it are then suppressed.
"""

from dataclasses import dataclass, field

from dwh.extracts.table import ident
from dwh.serving import catalogue

K = 5
L = 2
SUPPRESSION = 0.05  # share of rows suppressed rather than recoding further


@dataclass
class Hierarchy:
    """The levels of one hierarchy, from the finest asked (``None``: left out), the variables
    asked in it, and the level it is delivered at."""

    name: str
    levels: tuple
    asked: set = field(default_factory=set)
    at: int = 0

    @property
    def column(self) -> str | None:
        return self.levels[self.at]

    def delivered(self) -> list[str]:
        """Its level, and the coarser variables asked (they follow from it)."""
        return [c for c in self.levels[self.at :] if c and (c == self.column or c in self.asked)]


def hierarchies(variables: list[str]) -> list[Hierarchy]:
    """The hierarchies of the variables asked (catalogue names), each from its finest level
    asked."""
    found: dict[str, Hierarchy] = {}
    for name in variables:
        hierarchy_name, levels = catalogue.hierarchy(name)
        h = found.setdefault(hierarchy_name, Hierarchy(hierarchy_name, levels, at=len(levels)))
        h.asked.add(name)
        h.at = min(h.at, levels.index(name))
    return [Hierarchy(h.name, h.levels[h.at :], h.asked) for h in found.values()]


def anonymise(con, asked: list[Hierarchy]) -> list[str]:
    """Recode, then suppress, until ``extract`` is k-anonymous and l-diverse; leaves the
    delivered columns only and returns what was done, step by step, without counts: the
    numbers of rows before suppression would tell the size of the population asked."""
    steps = []
    rows = _count(con, "select count(*) from extract")
    broken = _broken(con, asked)
    while broken > SUPPRESSION * rows:
        raisable = [h for h in asked if h.at + 1 < len(h.levels)]
        if not raisable:
            break
        quasi = [h for h in raisable if h.name != catalogue.SENSITIVE]  # the position last
        values = _values(con, quasi or raisable)
        best = max(quasi or raisable, key=lambda h: values[h.column])  # ties: the first asked
        before, best.at = best.column, best.at + 1
        after = _broken(con, asked)
        steps.append(
            f"{before} recoded to {best.column or 'nothing (left out)'}, too many rows breaking "
            f"k = {K} or l = {L}"
        )
        broken = after
    if broken:
        con.execute(
            f"delete from extract where row_hash in (select row_hash from ({_breaking(asked)}) "
            "where breaks)",
            [K, L],
        )
        steps.append(
            f"rows suppressed: shared by fewer than {K} rows of their quarter, or "
            f"in a group with fewer than {L} positions shared by {K} rows or more"
        )
    kept = [c for h in asked for c in h.delivered()]
    con.execute(
        "create or replace temp table extract as select row_hash, quarter, ref_date"
        + "".join(f", {ident(c)}" for c in kept)
        + " from extract"
    )
    quasi, sensitive = _current(asked)
    steps.append(
        f"every row shares all its values with at least {K - 1} other rows of its quarter "
        f"(quasi-identifiers: {', '.join(quasi) or 'none'})"
        + (f"; at least {L} values of {sensitive} in each of their groups" if sensitive else "")
    )
    return steps


def _current(asked: list[Hierarchy]):
    """The quasi-identifiers' columns and the sensitive column, at their levels."""
    quasi, sensitive = [], None
    for h in asked:
        column = h.column
        if column is None:
            continue
        if h.name == catalogue.SENSITIVE:
            sensitive = column
        else:
            quasi.append(column)
    return quasi, sensitive


def _breaking(asked: list[Hierarchy]) -> str:
    """SQL: every row (``row_hash``) and whether it is suppressed (``breaks``): when fewer than
    K rows of its quarter share all its values, or when its group (the rows that share its
    quasi-identifiers) has fewer than L positions held by K rows or more. Suppressing those
    rows leaves every cell at K rows or more and every group with L positions or more."""
    quasi, sensitive = _current(asked)
    group = ", ".join(["quarter", *map(ident, quasi)])
    cell = ", ".join([group, *map(ident, [sensitive] if sensitive else [])])
    kept = f"count(distinct case when n >= $1 then {ident(sensitive)} end)" if sensitive else ""
    return (
        "select row_hash, n < $1 or l < $2 as breaks from (select row_hash, n, "
        f"{kept or 'max(null::integer)'} over (partition by {group}) as l from (select *, "
        f"count(*) over (partition by {cell}) as n from extract))"
    )


def _broken(con, asked: list[Hierarchy]) -> int:
    """The rows that break k-anonymity or l-diversity, and are suppressed."""
    return _count(con, f"select count(*) filter (where breaks) from ({_breaking(asked)})", [K, L])


def _values(con, hierarchies: list[Hierarchy]) -> dict[str, int]:
    """The number of distinct values of each hierarchy's column at its level."""
    names = [h.column for h in hierarchies]
    counts = ", ".join(f"count(distinct {ident(c)})" for c in names)
    return dict(zip(names, con.execute(f"select {counts} from extract").fetchall()[0], strict=True))


def _count(con, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchall()[0][0]
