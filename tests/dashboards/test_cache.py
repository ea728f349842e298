"""The pages' cache (``queries.cached``): its keys are digests of the arguments' pickles, so
equal arguments share one computation and any difference of value computes again."""

import pandas as pd

from dwh.core import paths


def test_equal_arguments_share_a_result_and_any_change_computes_again(monkeypatch):
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    import queries

    calls = []

    @queries.cached(100)
    def total(frame: pd.DataFrame, units: list, labels: dict, shown: tuple) -> float:
        calls.append(1)
        return float(frame.persons.sum()) + len(units) + len(labels) + len(shown)

    frame = pd.DataFrame({"geo_code": ["01000", "02000"], "persons": [10, 20]})
    args = (["01000"], {"G1": "werkend"}, ("G1",))
    assert total(frame, *args) == 33
    assert total(frame.copy(), ["01000"], {"G1": "werkend"}, ("G1",)) == 33  # equal, not same
    assert len(calls) == 1
    changed = frame.copy()
    changed.loc[1, "persons"] = 21
    assert total(changed, *args) == 34  # one value of the frame
    assert total(frame.rename(columns={"geo_code": "nis"}), *args) == 33  # a column's name
    assert total(frame.astype({"persons": "float64"}), *args) == 33  # a column's type
    assert total(frame, ["01000", "02000"], *args[1:]) == 34  # a list
    assert total(frame, args[0], {"G1": "au travail"}, args[2]) == 33  # a dict's value
    assert total(frame, *args[:2], ("G2",)) == 33  # a tuple
    assert len(calls) == 7
