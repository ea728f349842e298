"""A differencing attacker: subtracts published cells from published totals to pin withheld cells.

The attacker knows the method and its parameters (threshold T, maximum noise D): a published
count p hides a true count in [max(T + 1, p - D), p + D]; a withheld one, a count in [0, T].
For every additive relation among published cells (parent = sum of children) along the
geography, the position hierarchy and every breakdown with a total, the attacker bounds each
withheld cell; a cell is *recovered* when its bounds leave one value from 1 to T - 1.
"""

import duckdb


def _relations(table: str, dims: list[str]) -> list[str]:
    """SQL selecting (relation key..., role, persons, is_suppressed) for every relation."""

    def others(*skip):
        return [d for d in ["ref_date", "position", *dims] if d not in skip]

    out = []
    keep = ", ".join(others())
    # geography: parent unit = sum of its child units
    out.append(
        f"select 'geo' as kind, g.parent_code as parent, {keep}, 'child' as role, f.persons, "
        f"f.is_suppressed from {table} f join dim_geography g using (geo_level, geo_code) "
        f"where g.parent_code is not null union all "
        f"select 'geo', geo_code, {keep}, 'parent', persons, is_suppressed from {table}"
    )
    # each breakdown: _T = sum of its values
    for dim in dims:
        keep = ", ".join(others(dim))
        out.append(
            f"select '{dim}' as kind, geo_level || geo_code as parent, {keep}, "
            f"case when {dim} = '_T' then 'parent' else 'child' end as role, persons, "
            f"is_suppressed from {table}"
        )
    # positions: G<k> = sum of its categories, _T = sum of G1..G4
    keep = ", ".join(others("position"))
    out.append(
        f"select 'group' as kind, geo_level || geo_code || p.main_group_code as parent, {keep}, "
        f"'child' as role, persons, is_suppressed from {table} f "
        f"join dim_socio_economic_position p on f.position = p.position_code union all "
        f"select 'group', geo_level || geo_code || substr(position, 2), {keep}, 'parent', persons, "
        f"is_suppressed from {table} where position like 'G%' union all "
        f"select 'total', geo_level || geo_code, {keep}, "
        f"case when position = '_T' then 'parent' else 'child' end as role, persons, is_suppressed "
        f"from {table} where position = '_T' or position like 'G%'"
    )
    return out


def recovered(
    con: duckdb.DuckDBPyConnection, table: str, dims: list[str], threshold: int, noise_max: int
) -> int:
    """How many (relation, withheld cell) pairs let the attacker pin a small count."""
    total = 0
    for sql in _relations(table, dims):
        con.execute(
            f"create or replace temp table members as select *, "
            f"case when is_suppressed then 0 else greatest({threshold + 1}, persons - {noise_max}) "
            f"end as lo, case when is_suppressed then {threshold} else persons + {noise_max} end "
            f"as hi from ({sql})"
        )
        names = [r[0] for r in con.execute("describe members").fetchall()]
        key = ", ".join(
            n for n in names if n not in ("role", "persons", "is_suppressed", "lo", "hi")
        )
        total += con.execute(
            f"""
            with sums as (
                select {key},
                    max(case when role = 'parent' then lo end) as p_lo,
                    max(case when role = 'parent' then hi end) as p_hi,
                    sum(case when role = 'child' then lo else 0 end) as c_lo,
                    sum(case when role = 'child' then hi else 0 end) as c_hi,
                    count(*) filter (role = 'parent') as parents
                from members group by {key}
            ),
            bounds as (
                select
                    case when m.role = 'child' then s.p_lo - (s.c_hi - m.hi) else s.c_lo end as lo,
                    case when m.role = 'child' then s.p_hi - (s.c_lo - m.lo) else s.c_hi end as hi
                from members m join sums s using ({key})
                where m.is_suppressed and s.parents = 1
            )
            select count(*) from bounds
            where greatest(lo, 0) = least(hi, {threshold})
                and greatest(lo, 0) between 1 and {threshold - 1}
            """
        ).fetchone()[0]
    return total
