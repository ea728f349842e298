"""Requests for the tests: the users, a valid body, and a request taken to approval."""

from datetime import date, timedelta

from dwh.requests import form, workflow
from dwh.requests.submission import submit

PASSWORD = "correct horse battery"
PEOPLE = {"alice": "researcher", "bob": "researcher", "sam": "steward", "cora": "committee"}


def body(**changes) -> dict:
    out = form.blank()
    out.update(
        requester="Alice Researcher",
        organisation="University of Example",
        principal_investigator="Prof. Example",
        dpo_contact="dpo@example.org",
        purpose="Transitions from unemployment to work by region and age. " * 5,
        publication_plan="An article with aggregated tables only.",
        legal_basis="GDPR art. 6.1.e and art. 89",
        security="Encrypted disk, two named researchers, no cloud.",
        periods=["2025Q1", "2025Q2"],
        variables={"sex": "gender gaps", "region_code": "regions", "position_code": "outcome"},
        destroy_by=(date.today() + timedelta(days=300)).isoformat(),
    )
    out.update(changes)
    if "sample" not in changes:  # anonymous samples: at most half; pseudonymised: everybody
        percent = form.MAX_ANONYMOUS_PERCENT if out["kind"] == "anonymous_sample" else 100
        out["sample"] = {"percent": float(percent), "stratify_by_region": False}
    return out


def approved(people, kind="anonymous_sample", **changes) -> str:
    number = submit(people["alice"], body(kind=kind, **changes))
    workflow.move(number, people["sam"], "under_review")
    if kind == "pseudonymised":
        workflow.move(number, people["sam"], "awaiting_committee")
        workflow.move(
            number,
            people["cora"],
            "approved",
            deliberation_number="24/123",
            deliberation_date=date.today().isoformat(),
        )
    else:
        workflow.move(number, people["sam"], "approved")
    return number
