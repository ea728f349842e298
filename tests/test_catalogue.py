"""The variable catalogue shows column descriptions as dbt renders them (doc blocks resolved)."""

from dwh import catalogue


def test_descriptions_resolve_doc_blocks():
    described = catalogue.descriptions()
    assert described, "fct_person_quarter has documented columns"
    assert not [name for name, text in described.items() if "{{" in text or "\n" in text]
    assert described["pseudonym"].startswith("Keyed pseudonym of the person")
    assert all(v["description"] for v in catalogue.variables().values())
