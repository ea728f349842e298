"""Disclosure control of the published figures, attacked jointly (``attack.py``): every
additive relation of both tables at once, every quarter, a second draw of the noise."""

import numpy as np
import pytest

from dwh.publish import disclosure_parameters

import attack

THRESHOLD, NOISE = disclosure_parameters().values()  # the dbt vars
MODULUS = 256


def method(n: np.ndarray, key_sum: np.ndarray) -> np.ndarray:
    return attack.method(n, key_sum, THRESHOLD, NOISE, MODULUS)


def test_no_small_count_is_published(files):
    public, _ = files
    for table in attack.TABLES:
        small, withheld, cells = public.execute(
            f"select count(*) filter (persons <= {THRESHOLD}), count(*) filter "
            f"(persons is null), count(*) from {table}"
        ).fetchone()
        assert small == 0
        assert 0 < withheld < cells


def test_every_combination_is_published_so_zeros_hide_among_small_counts(files):
    public, _ = files
    rows = public.execute("select count(*) from local_figures where quarter = '2024Q2'").fetchone()
    units_2024 = public.execute(
        "select count(*) from dim_geography where (valid_to is null "
        "or valid_to > '2024-06-30') and (valid_from is null or valid_from <= '2024-06-30')"
    ).fetchone()[0]
    assert rows[0] == units_2024 * (19 + 4 + 1) * 3 * 10  # 9 age classes and _T


def test_master_cells_follow_the_stated_method(files):
    _, warehouse = files
    cells = warehouse.execute("select persons, key_sum, published_persons from int_figure_cells")
    n, key_sum, published = cells.fetchnumpy().values()
    assert (published == method(n, key_sum)).all()
    small = (n >= 1) & (n <= THRESHOLD)
    assert set(np.unique(published[small])) == {0, THRESHOLD + 1}
    # the expectation is kept: over the 256 cell keys (uniform: a sum of HMAC bytes modulo
    # 256), a small count n is published as T + 1 for n / (T + 1) of them, to 1 / 256
    keys = np.arange(MODULUS)
    for count in range(1, THRESHOLD + 1):
        shown = method(np.full(MODULUS, count), keys).mean()
        assert abs(shown - count) < (THRESHOLD + 1) / MODULUS, count


@pytest.mark.parametrize("quarter", ["2024Q1", "2024Q4", "2025Q1", "2025Q4"])
def test_every_figure_is_the_sum_of_its_master_cells(files, quarter):
    """Across both tables, every level, the position hierarchy and every breakdown total, in
    both geographies (2024, and 2025 after the mergers)."""
    public, warehouse = files
    q = attack.read(public, quarter)
    truth = attack.truth(q, warehouse, quarter)
    value = q.cells["persons"].fillna(0).to_numpy()
    assert (q.holds @ truth["published_persons"].to_numpy() == value).all()
    published = sum(
        public.execute(
            f"select count(persons) from {table} where quarter = ?", [quarter]
        ).fetchone()[0]
        for table in attack.TABLES
    )
    assert (value > 0).sum() == published  # every published cell was checked
    hidden = warehouse.execute(
        "select sum(published_persons) from int_figure_cells where published_persons > 0 and "
        "strftime(ref_date, '%Y') || 'Q' || cast(quarter(ref_date) as varchar) = ?",
        [quarter],
    ).fetchone()[0]
    assert truth["published_persons"].sum() == hidden  # no master with a value left out


@pytest.mark.parametrize("quarter", ["2024Q4", "2025Q1"])
def test_the_joint_attack_pins_no_small_count(files, quarter):
    """All relations of both tables at once, in the last quarter before the 2025 mergers and
    the first after them (each quarter is attacked the same way: the two geographies and a
    change of year are what could differ; all eight quarters took four minutes of the tests);
    the attacker's bounds hold the truth (the method is what the attacker is told) and pin no
    count from 1 to the threshold."""
    public, warehouse = files
    assert quarter in attack.quarters(public)
    q = attack.read(public, quarter)
    n_lo, n_hi = attack.master_bounds([q], THRESHOLD, NOISE)
    n = attack.truth(q, warehouse, quarter)["persons"].to_numpy(float)
    assert ((n_lo <= n) & (n <= n_hi)).all()
    assert attack.pins(q, n_lo, n_hi, THRESHOLD, n) == attack.Pins(0, 0, 0)
    assert (n_lo >= 1).sum() > 100  # the solver does learn: masters proved non-empty


def test_a_second_draw_of_the_noise_pins_nothing(files):
    """Were the record keys ever changed, a second publication would be a second draw of every
    small master cell: 0 or 6 again, whatever its count, so nothing narrows to one value."""
    public, warehouse = files
    first, second, n = attack.two_draws(public, warehouse, "2025Q2", "04000", THRESHOLD, NOISE)
    assert (first.cells["persons"] != second.cells["persons"]).any()
    n_lo, n_hi = attack.master_bounds([first, second], THRESHOLD, NOISE)
    assert ((n_lo <= n) & (n <= n_hi)).all()
    assert attack.pins(first, n_lo, n_hi, THRESHOLD, n) == attack.Pins(0, 0, 0)


def test_the_same_attack_pins_counts_of_noise_per_cell(files):
    """The attacker is not toothless: against the first design (noise per published cell),
    here without noise and with +/-1, the same solver pins small counts."""
    public, warehouse = files
    quarter = "2025Q2"
    q = attack.read(public, quarter, sums=False, regions_only=True)
    real = warehouse.execute(
        "select region_code, position_code, sex, age_class, nationality_group, "
        "sum(persons) as persons, sum(key_sum) as key_sum from int_figure_cells "
        "where ref_date = '2025-06-30' group by all"
    ).df()
    rows = q.masters.merge(real, how="left").fillna({"persons": 0, "key_sum": 0})
    rows = rows.sort_values("master")
    n, key_sum = q.holds @ rows["persons"].to_numpy(), q.holds @ rows["key_sum"].to_numpy()
    found = []
    for noise in (0, 1):
        q.cells["persons"] = attack.per_cell(n, key_sum, THRESHOLD, noise, MODULUS)
        n_lo, n_hi = attack.cell_bounds(q, THRESHOLD, noise)
        pinned = attack.pins(q, n_lo, n_hi, THRESHOLD, rows["persons"].to_numpy(float))
        assert pinned.correct == pinned.masters + pinned.withheld
        found.append(pinned.correct)
    assert found[0] > 100  # without noise, hundreds of small counts fall out


def test_the_same_cell_has_the_same_value_in_both_tables(files):
    public, _ = files
    differing, shared = public.execute(
        "select count(*) filter (l.persons is distinct from g.persons), count(*) "
        "from local_figures l join global_figures g using "
        "(geo_level, geo_code, ref_date, position, sex, age_class) "
        "where g.nationality_group = '_T'"
    ).fetchone()
    assert differing == 0 and shared > 0
