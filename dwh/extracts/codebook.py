"""The codebook of an extract: every delivered column with its label, type, source and code
list or summary, and what was done to anonymise it (JSON and Markdown)."""

import json

from dwh.extracts.table import ident
from dwh.requests import form
from dwh.serving import catalogue


def codebook(con, request: dict, steps: list[str]) -> dict:
    """Every variable of the delivered file: label, type, source, code list, counts."""
    body, known, labels = request["body"], catalogue.variables(), catalogue.descriptions()
    # a delivered column is a catalogue variable, or one of its quarters in the wide structure
    names = [*known, *catalogue.DERIVED]
    base_of = {column: v for v in names for column in (v, *_per_quarter(v, body))}
    out = {
        "request": request["number"],
        "population": body["population"],
        "periods": body["periods"],
        "structure": body["structure"],
        "sample": body["sample"],
        "anonymisation": steps,
        "rows": con.execute("select count(*) from extract").fetchall()[0][0],
        "variables": [],
    }
    for name, type_, *_ in con.execute("describe extract").fetchall():
        base = base_of.get(name, name)
        derived = catalogue.DERIVED.get(base)  # a level recoded from a catalogue variable
        spell = body["structure"] == "spells" and name not in form.SPELL_POSITIONS
        at = _AT_START if spell else ""
        entry = {
            "name": name,
            "type": type_,
            "label": _LABELS.get(name) or (derived[1] if derived else labels.get(base, "")) + at,
            "source": known.get(derived[2] if derived else base, {}).get("source", "lmsp-dwh"),
        }
        if base in catalogue.CODE_LISTS:
            counts = dict(
                con.execute(
                    f"select cast({ident(name)} as varchar), count(*) from extract "
                    "group by 1 order by 1"
                ).fetchall()
            )
            entry["codes"] = [
                {**c, "count": counts.get(c["code"], 0)}
                for c in catalogue.codes(con, base)
                if c["code"] in counts
            ]
        else:
            q = ident(name)
            entry["summary"] = dict(
                zip(
                    ("missing", "distinct", "min", "max"),
                    con.execute(
                        f"select count(*) - count({q}), count(distinct {q}), "
                        f"cast(min({q}) as varchar), cast(max({q}) as varchar) from extract"
                    ).fetchall()[0],
                    strict=True,
                )
            )
        out["variables"].append(entry)
    return out


def _per_quarter(variable: str, body: dict) -> list[str]:
    return [f"{variable}_{q}" for q in body["periods"]]


_LABELS = {
    "pseudonym": "Project pseudonym of the person (valid for this request only).",
    "spell_start": "First quarter of the spell.",
    "spell_end": "Last quarter of the spell.",
    "spell_quarters": "Number of quarters of the spell (of the quarters delivered).",
    "left_censored": "The spell was already running in the first quarter delivered (its start "
    "is not observed).",
    "right_censored": "The spell was still running in the last quarter delivered (its end is "
    "not observed). A spell that is not right-censored ends with another position, or with "
    "the person out of the population asked in the next quarter delivered (no spell of theirs "
    "starts there).",
}
# in spells, a variable other than the position is its value in the spell's first quarter
_AT_START = " In spells: its value in the spell's first quarter."


def codebook_markdown(book: dict) -> str:
    lines = [
        f"# Codebook of extract {book['request']}",
        "",
        f"{book['rows']:,} rows; periods {', '.join(book['periods'])}; structure "
        f"{book['structure']}; sample {book['sample']['percent']}%"
        f"{' stratified by region' if book['sample'].get('stratify_by_region') else ''}.",
        "",
        f"Population: {json.dumps(book['population'])}.",
        "",
        "Anonymisation: "
        + ("; ".join(book["anonymisation"]) or "none (pseudonymised data, for the committee)."),
        "",
    ]
    for v in book["variables"]:
        lines += [
            f"## {v['name']}",
            "",
            f"{v['label']}",
            "",
            f"- type: {v['type']}",
            f"- source: {v['source']}",
        ]
        for c in v.get("codes", []):
            lines.append(f"- `{c['code']}` {c['nl']} / {c['fr']} / {c['en']}: {c['count']:,}")
        if "summary" in v:
            lines.append(f"- {json.dumps(v['summary'])}")
        lines.append("")
    return "\n".join(lines)
