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

Trajectories (a row per person, or spells) are checked as a whole: ``row_hash`` is then the
person's, and what must be shared by ``K`` persons is the person's values over all the quarters
delivered, the sequence of positions included (a rare sequence singles a person out even when
each quarter's position is common); ``L`` sequences of positions in each group of the other
values. After the position, time coarsens (:data:`TIME`): the last quarter asked of each year
only, then the last quarter asked only. A person is suppressed whole.
"""

from dataclasses import dataclass, field

from dwh.extracts.table import ident
from dwh.serving import catalogue

K = 5
L = 2
SUPPRESSION = 0.05  # share of rows suppressed rather than recoding further
# The quarters a trajectory is delivered at, finest first: every quarter asked, the last asked
# of each year (a position per year), the last asked only.
TIME = ("every quarter", "a quarter a year", "the last quarter")


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


def delivered_quarters(periods: list[str], at: int = 0) -> list[str]:
    """The quarters a trajectory shows at level ``at`` of :data:`TIME`."""
    periods = sorted(periods)
    if at == 0:
        return periods
    if at == 1:
        following = [*periods[1:], ""]
        return [q for q, after in zip(periods, following, strict=True) if after[:4] != q[:4]]
    return periods[-1:]


def anonymise(
    con, asked: list[Hierarchy], periods: list[str] | None = None
) -> tuple[list[str], list[str] | None]:
    """Recode, then suppress, until ``extract`` is k-anonymous and l-diverse; leaves the
    delivered columns only and returns what was done, step by step, without counts: the
    numbers of rows before suppression would tell the size of the population asked.

    ``periods``: the quarters of a trajectory, checked as a whole per person (``row_hash``
    the person's); ``extract`` is then left with the quarters delivered only, which are
    returned with the steps."""
    steps, time = [], 0

    def check() -> tuple[str, list]:
        if periods is None:
            return _breaking(asked), [K, L]
        return _breaking_trajectory(asked), [K, L, delivered_quarters(periods, time)]

    rows = _count(con, "select count(distinct row_hash) from extract")
    broken = _broken(con, *check())
    while broken > SUPPRESSION * rows:
        raisable = [h for h in asked if h.at + 1 < len(h.levels)]
        if raisable:
            quasi = [h for h in raisable if h.name != catalogue.SENSITIVE]  # the position last
            values = _values(con, quasi or raisable)
            best = max(quasi or raisable, key=lambda h: values[h.column])  # ties: first asked
            before, best.at = best.column, best.at + 1
            done = f"{before} recoded to {best.column or 'nothing (left out)'}"
        elif periods is not None and time + 1 < len(TIME):
            time += 1
            shown = ", ".join(delivered_quarters(periods, time))
            done = f"time coarsened to {TIME[time]} ({shown})"
        else:
            break
        broken = _broken(con, *check())
        units = "rows" if periods is None else "persons"
        steps.append(f"{done}, too many {units} breaking k = {K} or l = {L}")
    sql, params = check()
    if broken:
        con.execute(
            f"delete from extract where row_hash in (select row_hash from ({sql}) where breaks)",
            params,
        )
        steps.append(
            f"rows suppressed: shared by fewer than {K} rows of their quarter, or "
            f"in a group with fewer than {L} positions shared by {K} rows or more"
            if periods is None
            else f"persons suppressed: their trajectory shared by fewer than {K} persons, or in a "
            f"group with fewer than {L} sequences of positions shared by {K} persons or more"
        )
    kept = [c for h in asked for c in h.delivered()]
    con.execute(
        "create or replace temp table extract as select row_hash, quarter, ref_date"
        + "".join(f", {ident(c)}" for c in kept)
        + " from extract"
        + (" where quarter in (select unnest(?))" if periods is not None else ""),
        [] if periods is None else [delivered_quarters(periods, time)],
    )
    quasi, sensitive = _current(asked)
    if periods is None:
        steps.append(
            f"every row shares all its values with at least {K - 1} other rows of its quarter "
            f"(quasi-identifiers: {', '.join(quasi) or 'none'})"
            + (f"; at least {L} values of {sensitive} in each of their groups" if sensitive else "")
        )
    else:
        steps.append(
            f"every person's trajectory (all their values over the quarters delivered, "
            f"{TIME[time]} asked, those they are present in included) is shared by at least "
            f"{K - 1} other persons "
            f"(quasi-identifiers: {', '.join(quasi) or 'none'}"
            + (f", and the sequence of {sensitive}" if sensitive else "")
            + ")"
            + (
                f"; at least {L} sequences of {sensitive} in each group of the other values"
                if sensitive
                else ""
            )
        )
    return steps, None if periods is None else delivered_quarters(periods, time)


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


def _breaking_trajectory(asked: list[Hierarchy]) -> str:
    """SQL: :func:`_breaking` on whole trajectories: every person (``row_hash``) and whether they
    are suppressed: when fewer than K persons share their values over the quarters delivered
    ($3), the sequence of positions included, or when their group (the persons who share the
    other values) has fewer than L sequences of positions held by K persons or more."""
    quasi, sensitive = _current(asked)
    record = "list(row({}) order by quarter)".format
    kept = "count(distinct case when n >= $1 then s end)" if sensitive else "max(null::integer)"
    return (
        f"select row_hash, n < $1 or l < $2 as breaks from (select row_hash, n, {kept} over "
        "(partition by q) as l from (select *, count(*) over (partition by q, s) as n from ("
        f"select row_hash, {record(', '.join(['quarter', *map(ident, quasi)]))} as q, "
        f"{record(ident(sensitive)) if sensitive else 'null'} as s from extract "
        "where quarter in (select unnest($3)) group by row_hash)))"
    )


def _broken(con, sql: str, params: list) -> int:
    """The rows (persons, in trajectories) that break k-anonymity or l-diversity, and are
    suppressed."""
    return _count(con, f"select count(*) filter (where breaks) from ({sql})", params)


def _values(con, hierarchies: list[Hierarchy]) -> dict[str, int]:
    """The number of distinct values of each hierarchy's column at its level."""
    names = [h.column for h in hierarchies]
    counts = ", ".join(f"count(distinct {ident(c)})" for c in names)
    return dict(zip(names, con.execute(f"select {counts} from extract").fetchall()[0], strict=True))


def _count(con, sql: str, params: list | None = None) -> int:
    return con.execute(sql, params or []).fetchall()[0][0]
