"""National numbers: check digits against python-stdnum, an independent implementation."""

import duckdb
import numpy as np
import pytest
from stdnum.be import bis, nn

from dwh.core import niss


def _numbers(bis_numbers: bool) -> list[str]:
    births = np.array(
        ["1950-01-01", "1999-12-31", "2000-01-01", "2019-02-28", "1985-07-31"],
        dtype="datetime64[D]",
    )
    male = np.array([True, False, True, False, True])
    rank = np.array([0, 1, 5, 0, 498])
    return [str(n).zfill(11) for n in niss.generate(births, male, rank, bis=bis_numbers)]


def test_generated_national_numbers_are_valid_for_stdnum():
    for number in _numbers(bis_numbers=False):
        assert nn.is_valid(number), number
        assert niss.is_valid(number)


def test_generated_bis_numbers_are_valid_for_stdnum():
    for number in _numbers(bis_numbers=True):
        assert bis.is_valid(number), number
        assert niss.is_valid(number)


def test_sex_is_in_the_serial():
    men = niss.generate(np.array(["1980-05-05"], "datetime64[D]"), np.array([True]), np.array([3]))
    women = niss.generate(
        np.array(["1980-05-05"], "datetime64[D]"), np.array([False]), np.array([3])
    )
    assert (men[0] // 100) % 2 == 1 and (women[0] // 100) % 2 == 0


def _cases() -> list[str]:
    """Numbers made here (none is committed): valid ones and broken variants of them."""
    cases = [""]
    for number in _numbers(bis_numbers=False)[:3] + _numbers(bis_numbers=True)[:2]:
        last = str((int(number[-1]) + 1) % 10)
        base13 = int(number[:2] + "13" + number[4:9])  # month 13, with matching check digits
        cases += [
            number,
            number[:-1] + last,
            number[:10],
            number + "0",
            number[:10] + "a",
            f"{base13:09d}{int(niss.check_digits(base13, False)):02d}",
        ]
    return cases


@pytest.mark.parametrize("number", _cases())
def test_python_and_sql_rules_agree_with_stdnum(number):
    expected = nn.is_valid(number) or bis.is_valid(number)
    assert niss.is_valid(number) == expected
    rule = niss.sql_is_valid("n")
    sql = duckdb.connect().execute(f"select {rule} from (select ? as n)", [number]).fetchone()[0]
    assert sql == expected


def test_too_many_people_on_one_birth_date_is_refused():
    with pytest.raises(ValueError, match="share a birth date"):
        niss.generate(np.array(["1980-05-05"], "datetime64[D]"), np.array([True]), np.array([499]))


def test_serials_000_and_999_are_not_given_to_people():
    base = 850731000
    for serial in (0, 999):
        number = f"{base + serial}{97 - (base + serial) % 97:02d}"
        assert nn.is_valid(number) and not niss.is_valid(number)


def test_anything_that_may_be_a_national_number_is_masked():
    for text in (
        "85073003328",
        "85.07.30-033.28",
        "78..04..14..001..81",
        "89_02_28_001_72",
        "id X85073003328 end",
        "rows: 850730033281234",
    ):
        assert "[national number?]" in niss.mask(text) and "033" not in niss.mask(text), text
    for text in ("2024-03-31", "R2026-00042", "12345.67", "0123456789", "/tmp/pytest-12/x"):
        assert niss.mask(text) == text
