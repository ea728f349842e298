"""Where extracts are delivered, who may download them, and their deletion at expiry."""

from datetime import date
from pathlib import Path

from dwh.core import paths
from dwh.requests import workflow


class ExtractError(Exception):
    """An extract that cannot be produced or downloaded, with the reason."""


def root() -> Path:
    return paths.extracts()


def delivery(number: str, viewer: dict) -> Path:
    """The delivery folder, for its owner (or a steward) while it may be downloaded."""
    request = workflow.get(number, viewer)  # NotFound for anyone else's request
    folder = root() / number
    if viewer["role"] == "committee":
        raise workflow.NotFound(f"no delivery for {number}")
    if request["status"] not in workflow.DOWNLOADABLE or not (folder / "manifest.json").exists():
        raise ExtractError(f"{number} is {request['status']}: nothing to download")
    if date.fromisoformat(request["destroy_by"]) < date.today():
        raise ExtractError(f"{number} passed its destroy-by date")
    return folder


def expire_due(today: date | None = None) -> list[str]:
    """Delete the files of every request past its destroy-by date and mark it expired."""
    system = {"name": "system", "role": "steward", "via": "system"}
    due = workflow.past_destroy_by(today or date.today())
    for number in due:  # the move to expired deletes the files
        workflow.move(number, system, "expired", "destroy-by date passed: files deleted")
    return due
