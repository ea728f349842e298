"""Simulated deliveries: reproducible, in each institution's shape, believable."""

import hashlib

import duckdb
import numpy as np

from dwh.core import niss
from dwh.deliveries import SLIP, SOURCES
from dwh.simulate.run import Imperfections, simulate


def _digest(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    simulate(300, [2024], 11, Imperfections(), tmp_path / "a")
    simulate(300, [2024], 11, Imperfections(), tmp_path / "b")
    simulate(300, [2024], 12, Imperfections(), tmp_path / "c")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_each_institution_in_its_own_shape(tmp_path):
    simulate(500, [2020], 5, Imperfections.none(), tmp_path)
    for inst in ("rr", "onss", "inasti", "onem", "famiwal", "ostbelgien"):
        folder = tmp_path / inst / "2020"
        source = SOURCES[inst]
        header = (
            (folder / source.file_name.format(year=2020))
            .read_text(encoding=source.encoding)
            .splitlines()[0]
        )
        assert header.split(source.delimiter) == source.names
        assert (folder / SLIP).exists()
    assert not (tmp_path / "famifed" / "2020").exists()  # regional funds from 2020


def test_national_numbers_valid_bis_for_cross_border_workers_no_working_children(tmp_path):
    simulate(2000, [2023], 9, Imperfections.none(), tmp_path)
    con = duckdb.connect()
    dmfa = con.execute(
        "select niss from read_csv(?, all_varchar = true)",
        [str(tmp_path / "onss" / "2023" / "dmfa_2023.csv")],
    ).fetchall()
    numbers = [n for (n,) in dmfa]
    assert all(niss.is_valid(n) for n in numbers)
    months = np.array([int(n[2:4]) for n in numbers])
    assert (months > 40).sum() > 0  # BIS numbers
    residents = con.execute(
        "select distinct INSZ, GEBOORTEDATUM from read_csv(?, delim = ';', all_varchar = true)",
        [str(tmp_path / "rr" / "2023" / "rr_2023.csv")],
    ).fetchall()
    birth = dict(residents)
    young = [n for n in numbers if n in birth and birth[n] > "2008-12-31"]
    assert young == []
    assert not any(int(n[2:4]) > 40 for n in birth)


def test_age_counts_birthdays_by_calendar_date_in_leap_years():
    from dwh.simulate.population import Population

    births = np.array(["2009-04-01", "2009-03-31", "2008-02-29"], dtype="datetime64[D]")
    holder = type("Holder", (), {"cols": {"birth": births}})()
    assert list(Population.ages(holder, np.datetime64("2024-03-31"))) == [14, 15, 16]
    assert list(Population.ages(holder, np.datetime64("2023-02-28"))) == [13, 13, 14]
