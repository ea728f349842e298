"""Ingest: every broken file is rejected with a clear error; every bad row gets its reason."""

import json
import secrets
import shutil
from pathlib import Path

import duckdb
import pytest

from dwh.core import pseudonym
from dwh.deliveries import SLIP
from dwh.ingest.run import ingest
from dwh.simulate.run import Imperfections, simulate


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pristine") / "deliveries"
    simulate(400, [2024], 3, Imperfections.none(), out)
    return out


@pytest.fixture
def deliveries(pristine, tmp_path) -> Path:
    copy = tmp_path / "deliveries"
    shutil.copytree(pristine, copy)
    return copy


def _run(deliveries: Path, key: bytes):
    results = ingest(deliveries, deliveries.parent / "landing", key)
    return {(d.institution, d.period): d for d in results}


def _rewrite(path: Path, lines: list[str], encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    slip = path.parent / SLIP
    data = json.loads(slip.read_text())
    data["rows"] = len(lines) - 1
    slip.write_text(json.dumps(data))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="latin-1").splitlines()


def test_clean_deliveries_are_all_accepted(deliveries, pseudonym_key):
    results = _run(deliveries, pseudonym_key)
    assert all(d.status == "received" for d in results.values())
    for d in results.values():
        assert d.rows_quarantined == 0
        rows = sum(1 for _ in (deliveries / d.institution / d.period / d.file).open()) - 1
        assert d.rows_received == d.rows_accepted == rows


ONEM = ("onem", "2024", "onem_2024.csv")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda ls: (
                [ls[0].replace(";JOURS_INDEMNISES", "")]
                + [";".join(x.split(";")[:3]) for x in ls[1:]]
            ),
            "missing columns ['JOURS_INDEMNISES']",
        ),
        (
            lambda ls: [ls[0] + ";EXTRA"] + [x + ";1" for x in ls[1:]],
            "unexpected columns ['EXTRA']",
        ),
        (
            lambda ls: [ls[0]] + [x.rsplit(";", 1)[0] + ";many" for x in ls[1:]],
            "wrong type: column JOURS_INDEMNISES should hold integer values",
        ),
        (
            lambda ls: [ls[0]] + [x.replace("/2024", "/2023") for x in ls[1:]],
            "wrong period: delivered as 2024, but most rows are about [2023]",
        ),
        (lambda ls: [ls[0].replace(";", ",")] + ls[1:], "missing columns"),
    ],
    ids=["missing column", "extra column", "wrong type", "wrong period", "wrong delimiter"],
)
def test_unreadable_file_is_rejected_with_its_name_and_reason(
    deliveries, pseudonym_key, change, message
):
    inst, year, name = ONEM
    path = deliveries / inst / year / name
    _rewrite(path, change(_lines(path)), "latin-1")
    result = _run(deliveries, pseudonym_key)[(inst, year)]
    assert result.status == "rejected"
    assert str(path) in result.error and message in result.error
    others = [d for k, d in _run(deliveries, pseudonym_key).items() if k != (inst, year)]
    assert all(d.status == "received" for d in others)


def test_truncated_file(deliveries, pseudonym_key):
    path = deliveries / "sfp" / "2024" / "sfp_2024.csv"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = _run(deliveries, pseudonym_key)[("sfp", "2024")]
    assert result.status == "rejected" and str(path) in result.error
    assert "truncated" in result.error


def test_bad_encoding(deliveries, pseudonym_key):
    path = deliveries / "sfp" / "2024" / "sfp_2024.csv"
    lines = path.read_bytes().splitlines()
    lines[3] = lines[3].replace(b"RET", b"R\xe9T").replace(b"SURV", b"S\xe9RV")
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = _run(deliveries, pseudonym_key)[("sfp", "2024")]
    assert result.status == "rejected"
    assert str(path) in result.error and "bad encoding: not valid utf-8" in result.error


def test_empty_file_and_missing_slip(deliveries, pseudonym_key):
    (deliveries / "mi" / "2024" / "mi_2024.csv").write_bytes(b"")
    (deliveries / "inami" / "2024" / SLIP).unlink()
    results = _run(deliveries, pseudonym_key)
    assert "the file is empty" in results[("mi", "2024")].error
    assert "no delivery slip" in results[("inami", "2024")].error


def test_missing_delivery_is_registered(deliveries, pseudonym_key):
    shutil.rmtree(deliveries / "fodss" / "2024")
    assert _run(deliveries, pseudonym_key)[("fodss", "2024")].status == "missing"


def test_each_bad_row_is_quarantined_with_its_reason(deliveries, pseudonym_key):
    path = deliveries / "rr" / "2024" / "rr_2024.csv"
    lines = _lines(path)
    good = lines[1].split(";")
    niss = good[0]
    bad_check = niss[:9] + f"{(int(niss[9:]) + 1) % 100:02d}"

    def row(**changes):
        cols = dict(zip(lines[0].split(";"), good, strict=True))
        cols.update(changes)
        return ";".join(cols.values())

    extra = {
        "INVALID_NISS": row(INSZ=bad_check),
        "MISSING_VALUE": row(NIS_CODE=""),
        "INVALID_VALUE": row(GESLACHT="3"),
        "OUT_OF_PERIOD": row(REFERENTIEDATUM="2023-12-31"),
        "UNKNOWN_MUNICIPALITY": row(NIS_CODE="99999"),
        "DUPLICATE": lines[1],
    }
    # 2025 codes are unknown in 2024: Pajottegem (23106) did not exist yet
    extra_merged = row(NIS_CODE="23106")
    _rewrite(path, [*lines, *extra.values(), extra_merged])
    result = _run(deliveries, pseudonym_key)[("rr", "2024")]
    assert result.rows_received == len(lines) - 1 + len(extra) + 1
    assert result.rows_quarantined == len(extra) + 1
    assert result.rows_accepted + result.rows_quarantined == result.rows_received
    quarantine = (
        duckdb.connect()
        .execute(
            "select line_number, reason_code from read_parquet(?) order by line_number",
            [str(deliveries.parent / "landing" / "quarantine.parquet")],
        )
        .fetchall()
    )
    first_extra_line = len(lines) + 1  # header is line 1
    expected = [(first_extra_line + i, r) for i, r in enumerate(extra)]
    expected.append((first_extra_line + len(extra), "UNKNOWN_MUNICIPALITY"))
    assert quarantine == expected


def test_a_national_number_in_another_column_is_quarantined(deliveries, pseudonym_key):
    """Eleven digits or more in a column other than the number's, however written, never land;
    fewer do not count as a number (the check runs only on values long enough to hold one)."""
    path = deliveries / "rr" / "2024" / "rr_2024.csv"
    lines = _lines(path)
    header, good = lines[0].split(";"), lines[1].split(";")
    at = header.index("NIS_CODE")
    values = {
        "12345678901": True,  # exactly 11 characters, all digits
        "123.456.789-01": True,  # decorated
        "NIS 123456789012 x": True,  # embedded in text
        "1234567890": False,  # ten digits
        "ab1234567890": False,  # long enough, but ten digits
    }
    rows = [";".join([*good[:at], value, *good[at + 1 :]]) for value in values]
    _rewrite(path, [*lines, *rows])
    assert _run(deliveries, pseudonym_key)[("rr", "2024")].rows_quarantined == len(values)
    with duckdb.connect() as con:
        found = con.execute(
            "select line_number, reason_code, reason_column from read_parquet(?) "
            "order by line_number",
            [str(deliveries.parent / "landing" / "quarantine.parquet")],
        ).fetchall()
    first = len(lines) + 1
    reason = {True: "INVALID_VALUE", False: "UNKNOWN_MUNICIPALITY"}
    assert found == [
        (first + i, reason[hidden], "NIS_CODE") for i, hidden in enumerate(values.values())
    ]


def test_unknown_code_is_quarantined(deliveries, pseudonym_key):
    inst, year, name = ONEM
    path = deliveries / inst / year / name
    lines = _lines(path)
    fields = lines[1].split(";")
    fields[2] = "99"
    _rewrite(path, [*lines, ";".join(fields)], "latin-1")
    result = _run(deliveries, pseudonym_key)[(inst, year)]
    assert result.rows_quarantined == 1
    reasons = (
        duckdb.connect()
        .execute(
            "select reason_code, reason_column from read_parquet(?)",
            [str(deliveries.parent / "landing" / "quarantine.parquet")],
        )
        .fetchall()
    )
    assert reasons == [("UNKNOWN_CODE", "CODE_ALLOC")]


def test_a_new_pseudonymisation_key_keeps_every_record_key(deliveries, tmp_path):
    """A rotated pseudonymisation key changes every pseudonym but no record key, so a
    rebuilt history publishes the same figures (no second draw of the noise)."""
    record_secret = secrets.token_bytes(32)
    landed = []
    for name in ("before", "after"):
        key = secrets.token_bytes(32)
        ingest(deliveries, tmp_path / name, key, record_key=record_secret)
        with duckdb.connect() as con:
            rows = con.execute(
                "select pseudonym, record_key from read_parquet(?)",
                [str(tmp_path / name / "rr" / "2024.parquet")],
            ).fetchall()
        landed.append((key, dict(rows)))
    numbers = [line.split(";")[0] for line in _lines(deliveries / "rr" / "2024" / "rr_2024.csv")]
    numbers = numbers[1:]
    (before, keys_before), (after, keys_after) = landed
    assert len(numbers) > 1000
    for number in numbers:
        old, new = pseudonym.pseudonym(before, number), pseudonym.pseudonym(after, number)
        assert old != new
        assert keys_before[old] == keys_after[new] == pseudonym.record_key(record_secret, number)


def _quarantine(deliveries: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            "select line_number, reason_code, row_content from read_parquet(?) "
            "order by line_number",
            [str(deliveries.parent / "landing" / "quarantine.parquet")],
        ).fetchall()


def _landed(deliveries: Path, inst: str = "rr") -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(
            "select * from read_parquet(?) order by line_number",
            [str(deliveries.parent / "landing" / inst / "2024.parquet")],
        ).fetchall()


def test_a_few_malformed_lines_are_quarantined_and_the_rest_accepted(deliveries, pseudonym_key):
    path = deliveries / "rr" / "2024" / "rr_2024.csv"
    lines = _lines(path)
    n = len(lines[0].split(";"))  # fields of the header
    number = lines[5].split(";")[0]
    garbage = {  # line number in the new file -> (line, fields)
        3: ("garbage", 1),
        4: (f"{number};1;2;3", 4),  # a national number in a line too short: never kept
        10: (lines[9] + ";extra", n + 1),
        11: (lines[10] + ";;", n),  # empty fields at the end: read as absent
        20: (lines[19].rsplit(";", 1)[0], n - 1),
        21: ("", None),  # a blank line: not a row at all
        22: ('"' + lines[21], n),  # a stray quote is part of a value, not a break
        30: (";".join(["x"] * 3 * n), 3 * n),
        31: (f'"{number}"', 1),
        32: (lines[31].replace(";", ","), 1),
    }
    out = list(lines)
    for at in sorted(garbage):
        out.insert(at - 1, garbage[at][0])
    invalid = lines[1].split(";")
    invalid[lines[0].split(";").index("GESLACHT")] = "3"
    out.append(";".join(invalid))  # a well-formed row with a bad value
    _rewrite(path, out)
    data = json.loads((path.parent / SLIP).read_text())
    (path.parent / SLIP).write_text(json.dumps({**data, "rows": data["rows"] - 1}))
    result = _run(deliveries, pseudonym_key)[("rr", "2024")]
    malformed = {at: fields for at, (_, fields) in garbage.items() if fields not in (None, n)}
    assert result.status == "received"
    assert result.rows_received == len(out) - 2  # the header and the blank line are no rows
    assert result.rows_quarantined == len(malformed) + 3
    assert result.rows_accepted + result.rows_quarantined == result.rows_received
    quarantine = _quarantine(deliveries)
    well_formed = [
        (15, "DUPLICATE"),  # line 11 read as the row it repeats, which comes later
        (22, "INVALID_NISS"),
        (len(out), "INVALID_VALUE"),
    ]
    assert sorted((n, r) for n, r, _ in quarantine) == sorted(
        [*((at, "MALFORMED_LINE") for at in malformed), *well_formed]
    )
    assert [json.loads(c) for _, r, c in quarantine if r == "MALFORMED_LINE"] == [
        {"fields": malformed[at], "expected": n} for at in sorted(malformed)
    ]
    assert not any(number in str(row) for row in quarantine)
    # every accepted row lands with its own line number: the file's lines minus the others
    landed = [row[-1] for row in _landed(deliveries)]
    others = {1, 21, *(n for n, _, _ in quarantine)}
    assert landed == sorted(set(range(1, len(out) + 1)) - others)
    assert len(landed) == result.rows_accepted


def test_a_mostly_unreadable_file_is_rejected(deliveries, pseudonym_key):
    inst, year, name = ONEM
    path = deliveries / inst / year / name
    lines = _lines(path)
    n = len(lines[0].split(";"))
    _rewrite(path, [lines[0]] + [x + ";1" for x in lines[1 : len(lines) // 2 + 2]] + lines[1:2])
    result = _run(deliveries, pseudonym_key)[(inst, year)]
    assert result.status == "rejected" and str(path) in result.error
    bad = len(lines) // 2 + 1
    assert f"unreadable CSV: {bad} of {bad + 1} lines do not have the {n} fields" in result.error


def test_a_cut_last_line_is_truncation(deliveries, pseudonym_key):
    path = deliveries / "sfp" / "2024" / "sfp_2024.csv"
    data = path.read_bytes().rstrip(b"\n")
    path.write_bytes(data[: data.rindex(b",", 0, data.rindex(b","))])  # two fields of four left
    result = _run(deliveries, pseudonym_key)[("sfp", "2024")]
    assert result.status == "rejected"
    assert f"{path}: truncated: its last line (line {len(_lines(path))}) is cut" in result.error


def test_a_bom_crlf_line_ends_and_trailing_blank_lines_read_as_if_absent(deliveries, pseudonym_key):
    clean = _run(deliveries, pseudonym_key)
    rows = {inst: _landed(deliveries, inst) for inst in ("rr", "onss")}
    rr = deliveries / "rr" / "2024" / "rr_2024.csv"
    rr.write_bytes(b"\xef\xbb\xbf" + rr.read_bytes().replace(b"\n", b"\r\n") + b"\r\n\r\n")
    dmfa = deliveries / "onss" / "2024" / "dmfa_2024.csv"
    dmfa.write_bytes(b"\xef\xbb\xbf" + dmfa.read_bytes() + b"\n\n\n")
    dressed = _run(deliveries, pseudonym_key)
    for inst in ("rr", "onss"):
        assert dressed[(inst, "2024")].status == "received"
        assert dressed[(inst, "2024")].rows_received == clean[(inst, "2024")].rows_received
        assert _landed(deliveries, inst) == rows[inst]
    assert _quarantine(deliveries) == []


def test_household_numbers_land_as_their_household_pseudonym(deliveries, pseudonym_key):
    """Every landed and quarantined household number is the HMAC of the number (as an integer)
    under the household key, computed here in Python; a value that is no number has none."""
    path = deliveries / "rr" / "2024" / "rr_2024.csv"
    lines = _lines(path)
    header = lines[0].split(";")
    gezin, sex = header.index("GEZIN"), header.index("GESLACHT")

    def changed(line: str, column: int, value: str) -> str:
        cols = line.split(";")
        cols[column] = value
        return ";".join(cols)

    padded = changed(lines[1], gezin, "000" + lines[1].split(";")[gezin])  # same household
    quarantined = changed(lines[2], sex, "3")  # its household number kept, pseudonymised
    no_number = changed(lines[3], gezin, "12a")
    _rewrite(path, [*lines, padded, quarantined, no_number])
    _run(deliveries, pseudonym_key)
    key = pseudonym.derived_key(pseudonym_key, "households")
    delivered = {n: line.split(";")[gezin] for n, line in enumerate(lines[1:], 2)}
    delivered[len(lines) + 1] = padded.split(";")[gezin]
    con = duckdb.connect()
    landing = deliveries.parent / "landing"
    landed = dict(
        con.execute(
            "select line_number, gezin from read_parquet(?)", [str(landing / "rr" / "2024.parquet")]
        ).fetchall()
    )
    assert len(landed) == len(lines) - 1 + 1
    assert landed == {n: pseudonym.pseudonym(key, str(int(v))) for n, v in delivered.items()}
    assert landed[len(lines) + 1] == landed[2]
    rows = con.execute(
        "select line_number, json_extract_string(row_content, '$.GEZIN') from read_parquet(?) "
        "order by line_number",
        [str(landing / "quarantine.parquet")],
    ).fetchall()
    household = pseudonym.pseudonym(key, str(int(lines[2].split(";")[gezin])))
    assert rows == [(len(lines) + 2, household), (len(lines) + 3, None)]
