"""Submitting a request, from the form or a YAML file: validated on the server side first."""

from dwh.requests import form, workflow
from dwh.serving import catalogue


class InvalidRequest(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


def check(body: dict) -> dict[str, str]:
    offer = catalogue.published()
    return form.validate(body, catalogue.variables(), offer["quarters"], offer["geography"])


def submit(user: dict, body: dict, draft: bool = False) -> str:
    """Store the request (as a draft, unchecked, when ``draft``); returns its number."""
    full = {**form.blank(), **body}
    if not draft and (errors := check(full)):
        raise InvalidRequest(errors)
    return workflow.create(user, full, full.get("kind", "anonymous_sample"), draft)
