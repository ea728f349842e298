"""Belgian national numbers (NISS/INSZ) and BIS numbers: check digits, validation, generation.

An 11-digit number ``YYMMDD SSS CC``: ``SSS`` is odd for men and even for women,
``CC = 97 - (YYMMDDSSS mod 97)``, with ``2`` put before the nine digits for people
born from 2000 on. BIS numbers (people not in the national register) add 40 to the
month (20 when the sex is unknown).
"""

import re

import numpy as np

_Y2K = 2_000_000_000
BIS_MONTH_OFFSET = 40
MASK = "[national number?]"
# In text: a run of 11 or more digits, up to two signs that are neither digits nor letters
# between them (85.01.01-123.45, 78..04..14..001..81, 89_02_28_001_72): anything that may be
# a national number. Linear to match (each repetition takes exactly one digit).
_RUN_RE = re.compile(r"[0-9](?:[^0-9A-Za-z\n]{0,2}[0-9]){10,}")
# In one delivered value: 11 digits or more, whatever stands between them.
_DIGITS = "regexp_replace({}, '[^0-9]', '', 'g')"


def check_digits(base9: np.ndarray | int, born_from_2000: np.ndarray | bool) -> np.ndarray | int:
    """Check digits for the nine first digits ``YYMMDDSSS``."""
    return 97 - (base9 + np.where(born_from_2000, _Y2K, 0)) % 97


def is_valid(number: str) -> bool:
    """Whether a string is a well-formed NISS or BIS number with correct check digits."""
    if len(number) != 11 or not number.isdigit():
        return False
    base, cc = divmod(int(number), 100)
    month, day, serial = base // 100_000 % 100, base // 1000 % 100, base % 1000
    if month % 20 > 12 or month > 52 or day > 31 or serial in (0, 999):
        return False
    return cc in (97 - base % 97, 97 - (base + _Y2K) % 97)


def sql_is_valid(column: str) -> str:
    """The rule of :func:`is_valid` as a DuckDB boolean expression on a text ``column``."""
    n = f"try_cast({column} as bigint)"
    base = f"({n} // 100)"
    month = f"({base} // 100000 % 100)"
    return (
        f"coalesce(regexp_full_match({column}, '[0-9]{{11}}')"
        f" and {month} % 20 <= 12 and {month} <= 52 and {base} // 1000 % 100 <= 31"
        f" and {base} % 1000 not in (0, 999)"
        f" and {n} % 100 in (97 - {base} % 97, 97 - ({base} + {_Y2K}) % 97), false)"
    )


def mask(text: str) -> str:
    """``text`` with anything that may be a national number replaced by :data:`MASK`."""
    return _RUN_RE.sub(MASK, text)


def sql_may_hold_number(column: str) -> str:
    """Whether a delivered text value holds 11 digits or more, whatever stands between them:
    it may hide a national number (no other column of the deliveries has that many)."""
    return f"coalesce(length({_DIGITS.format(column)}) >= 11, false)"


def sql_masked(column: str) -> str:
    """The text ``column``, or :data:`MASK` where it may hold a national number."""
    return f"case when {sql_may_hold_number(column)} then '{MASK}' else {column} end"


def generate(birth_dates: np.ndarray, male: np.ndarray, rank: np.ndarray, bis: bool = False):
    """National numbers as int64 for people born on ``birth_dates`` (datetime64[D]).

    ``rank`` numbers the people sharing a birth date and sex (0, 1, ...); it becomes the
    serial ``SSS`` (odd for men, even for women), so numbers are unique when ranks are.
    """
    days = birth_dates.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    mday = (days - days.astype("datetime64[M]")).astype(int) + 1
    serial = 2 * rank + np.where(male, 1, 2)
    if serial.max(initial=0) > 998:
        raise ValueError("more than 499 people of one sex share a birth date")
    month_field = months + (BIS_MONTH_OFFSET if bis else 0)
    base = ((years % 100) * 10_000 + month_field * 100 + mday) * 1000 + serial
    return base.astype(np.int64) * 100 + check_digits(base, years >= 2000)
