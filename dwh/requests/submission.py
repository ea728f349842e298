"""Submitting a request, from the form or a YAML file: validated on the server side first."""

from dwh.requests import form, workflow


def submit(user: dict, body: dict, draft: bool = False) -> str:
    """Store the request (a draft is checked for its size, fields and types only, and fully
    when it is submitted); returns its number."""
    if not isinstance(body, dict):
        raise form.InvalidRequest({"request": form.Problem("not_a_request")})
    full = {**form.blank(), **body}
    errors = form.check(full)
    if draft:
        errors = {f: p for f, p in errors.items() if p.code in form.SHAPE or f in form.SHAPE_ONE_OF}
    if errors:
        raise form.InvalidRequest(errors)
    return workflow.create(user, full, full["kind"], draft)
