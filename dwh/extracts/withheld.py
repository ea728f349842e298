"""Anonymous samples against the published figures: no cell the figures withhold is shown
whole.

The figures are sums of the published values of master cells (``int_figure_cells``: quarter x
municipality x position x sex x age class x nationality group); a master cell published as 0
is withheld. A sample only gives lower bounds of counts (its counts are at most the true
ones). If every withheld cell that holds persons keeps one of them out of the sample, taking
that person away gives another population that agrees with the sample and with every
published figure (a count of 1 to the threshold may be published as 0), so the sample pins no
withheld count, alone or with the figures. Where the sample holds a whole withheld cell, the
row of the cell with the greatest keyed row hash is left out.
"""

MASTER_CELL = ("ref_date", "nis_code", "position_code", "sex", "age_class", "nationality_group")


def leave_one_out(con) -> str:
    """Leave out of ``extract`` one row of every withheld master cell that the sample holds
    whole (``sampled`` holds each row's cell); returns what was done, without a count (how
    many cells were held whole would say how many are small)."""
    match = " and ".join(f"s.{c} is not distinct from c.{c}" for c in MASTER_CELL)
    cell = ", ".join(f"c.{c}" for c in MASTER_CELL)
    con.execute(
        "create or replace temp table left_out as select max(s.row_hash) as row_hash "
        f"from sampled s join wh.main.int_figure_cells c on {match} "
        "where c.published_persons = 0 and c.persons >= 1 "
        "and s.row_hash in (select row_hash from extract) "
        f"group by {cell}, c.persons having count(*) >= c.persons"
    )
    con.execute("delete from extract where row_hash in (select row_hash from left_out)")
    return (
        "rows left out so that every cell the published figures withhold keeps at "
        "least one of its persons out of the sample (a sample shows no withheld count whole)"
    )
