"""The variable catalogue: read from dbt's manifest of the served publication, with the
descriptions as dbt renders them (doc blocks resolved) and the code lists of the seeds."""

import duckdb

from dwh.serving import catalogue
from dwh.serving.publication import current


def test_the_catalogue_is_the_manifest_of_the_served_publication(in_built):
    described = catalogue.descriptions()
    with duckdb.connect(str(current().warehouse), read_only=True) as con:
        columns = [r[0] for r in con.execute("describe fct_person_quarter").fetchall()]
    assert list(described) == columns
    assert not [name for name, text in described.items() if "{{" in text or not text.strip()]
    assert described["pseudonym"].startswith("Keyed pseudonym of the person")
    assert described["household_id"].startswith("Household pseudonym")
    variables = catalogue.variables()
    assert set(variables) == set(columns) - set(catalogue.ALWAYS)
    assert variables["household_id"]["kinds"] == ["pseudonymised"]
    assert variables["sex"]["code_list"] == "ref_sexes" and variables["age"]["type"] == "integer"


def test_no_publication_no_catalogue(dwh_home):
    assert catalogue.variables() == {}
    assert catalogue.published()["quarters"] == []
