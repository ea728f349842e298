"""The users of the request tests, in the shared built warehouse."""

import pytest

from dwh.requests import users

from factory import PASSWORD, PEOPLE


@pytest.fixture
def people(in_built, monkeypatch) -> dict[str, dict]:
    for name, role in PEOPLE.items():
        if users.get(name) is None:
            users.add(name, role, PASSWORD, f"{name}@example.org")
    return {name: users.get(name) for name in PEOPLE}
