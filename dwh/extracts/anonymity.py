"""k-anonymity of anonymous samples: recode, then suppress, on the quasi-identifiers."""

from dwh.extracts.table import columns, has

QUASI_IDENTIFIERS = ("nis_code", "sex", "age", "nationality_group")
K = 5


def k_anonymise(con, k: int) -> list[str]:
    """Recode, then suppress, until every combination of the quasi-identifiers in a quarter is
    shared by at least ``k`` rows; returns what was done, step by step."""
    steps = []
    if _small(con, k) and has(con, "age"):
        con.execute(
            "create or replace temp table extract as select e.* exclude (age), "
            "a.age_class as age_class_of_age from extract e join wh.main.ref_age_classes a "
            "on e.age between a.min_age and a.max_age"
        )
        steps.append("age recoded to age classes (column age_class_of_age)")
    if _small(con, k) and has(con, "nis_code"):
        con.execute(
            "create or replace temp table extract as select e.* exclude (nis_code), "
            "m.arrondissement_code as arrondissement_of_residence from extract e "
            "join wh.main.ref_municipalities m using (nis_code)"
        )
        steps.append("municipality recoded to arrondissement (column arrondissement_of_residence)")
    if n := _small(con, k):
        qi = ", ".join(["quarter", *_quasi_identifiers(con)])
        con.execute(
            f"delete from extract where ({qi}) in (select ({qi}) from extract group by {qi} "
            "having count(*) < ?)",
            [k],
        )
        steps.append(f"{n} rows in combinations shared by fewer than {k} rows suppressed")
    return steps


def _quasi_identifiers(con) -> list[str]:
    present = set(columns(con))
    names = (*QUASI_IDENTIFIERS, "age_class_of_age", "arrondissement_of_residence")
    return [c for c in names if c in present]


def _small(con, k: int) -> int:
    """Rows whose quasi-identifiers (in their quarter) fewer than ``k`` rows share."""
    identifiers = _quasi_identifiers(con)
    if not identifiers:
        return 0
    qi = ", ".join(["quarter", *identifiers])
    return con.execute(
        f"select coalesce(sum(n), 0) from (select count(*) n from extract group by {qi}) "
        "where n < ?",
        [k],
    ).fetchall()[0][0]
