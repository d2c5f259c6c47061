"""OpenAPI links: how one operation's answer feeds the next.

A created glossary's id goes into translating with it, exporting, replacing and deleting it; an
uploaded job's id into its status, results and cancelling. Clients can follow them, and so does
the stateful schemathesis run (`tests/api/test_schemathesis.py`). Litestar's response specs
have no links, so a route declares them with `operation_class=linked(...)`, and its targets
carry the stable `operation_id`s named in `OperationId`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from litestar.openapi.spec import Operation

__all__ = ["Link", "OperationId", "glossary_links", "job_links", "linked"]


class OperationId(StrEnum):
    """Operations that links lead to."""

    TRANSLATE = "translate"
    GET_GLOSSARY = "getGlossary"
    GET_GLOSSARY_ENTRIES = "getGlossaryEntries"
    REPLACE_GLOSSARY_ENTRIES = "replaceGlossaryEntries"
    DELETE_GLOSSARY = "deleteGlossary"
    GET_JOB = "getJob"
    GET_JOB_RESULTS = "getJobResults"
    CANCEL_JOB = "cancelJob"


@dataclass(frozen=True)
class Link:
    """One link: the target operation, its parameters and body from this answer."""

    target: OperationId
    description: str
    parameters: dict[str, str] = field(default_factory=dict)
    request_body: dict[str, str] | None = None

    def as_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"operationId": self.target.value, "description": self.description}
        if self.parameters:
            schema["parameters"] = self.parameters
        if self.request_body is not None:
            schema["requestBody"] = self.request_body
        return schema


def linked(status: int, links: dict[str, Link]) -> type[Operation]:
    """An operation class whose `status` answer carries `links`."""

    @dataclass
    class Linked(Operation):
        def to_schema(self) -> dict[str, Any]:
            document = super().to_schema()
            answer = document.get("responses", {}).get(str(status))
            if answer is not None:
                answer["links"] = {name: link.as_schema() for name, link in links.items()}
            return document

    return Linked


def _glossary_id(body_field: str) -> dict[str, str]:
    return {"path.glossary_id": f"$response.body#/{body_field}"}


def glossary_links(*, translate: bool = True) -> dict[str, Link]:
    """From an answer that holds a glossary (its `id`, and `source`/`target` for translating)."""
    links = {
        "getGlossary": Link(OperationId.GET_GLOSSARY, "This glossary.", _glossary_id("id")),
        "exportGlossary": Link(
            OperationId.GET_GLOSSARY_ENTRIES, "Its entries, or a file.", _glossary_id("id")
        ),
        "replaceGlossaryEntries": Link(
            OperationId.REPLACE_GLOSSARY_ENTRIES, "Replace its entries.", _glossary_id("id")
        ),
        "deleteGlossary": Link(OperationId.DELETE_GLOSSARY, "Delete it.", _glossary_id("id")),
    }
    if translate:
        links["translateWithGlossary"] = Link(
            OperationId.TRANSLATE,
            "Translate with this glossary, in its language pair.",
            request_body={
                "glossary": "$response.body#/id",
                "source": "$response.body#/source",
                "target": "$response.body#/target",
            },
        )
    return links


def job_links() -> dict[str, Link]:
    """From an answer that holds a job's `id`."""
    job_id = {"path.job_id": "$response.body#/id"}
    return {
        "getJob": Link(OperationId.GET_JOB, "The job's state and counts.", job_id),
        "getJobResults": Link(OperationId.GET_JOB_RESULTS, "Its results so far.", job_id),
        "cancelJob": Link(OperationId.CANCEL_JOB, "Stop it.", job_id),
    }
