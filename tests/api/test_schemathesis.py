"""Schemathesis against the served OpenAPI document: generated requests never get a 5xx.

Each operation's strategy is driven by Hypothesis inside one test (schemathesis' own pytest
loader does not run under this pytest version), against an app on the echo engine; then a
stateful run follows the document's links across routes.
"""

from __future__ import annotations

import collections
import itertools
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Ok
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from tests.api.engines import EchoEngine
from translator.api import create_app
from translator.api.app import OPENAPI_PATH
from translator.settings import Settings

EXAMPLES_PER_OPERATION = 40


def _ok(
    result: Ok[APIOperation[Any, Any, Any, Any]] | Err[InvalidSchema],
) -> APIOperation[Any, Any, Any, Any]:
    assert isinstance(result, Ok), result
    return result.ok()


def test_no_generated_request_gets_a_server_error(settings: Settings) -> None:
    app = create_app(settings, EchoEngine())
    schema = schemathesis.openapi.from_asgi(f"{OPENAPI_PATH}/openapi.json", app)
    operations = [_ok(result) for result in schema.get_all_operations()]
    assert len(operations) >= 9
    failures: list[str] = []

    for operation in operations:

        @given(
            case=st.one_of(
                operation.as_strategy(),
                operation.as_strategy(GenerationMode.NEGATIVE),
                *operation.get_strategies_from_examples(),
            )
        )
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case[Any]) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.body!r}: {response.text}"
                )

        call()
    assert not failures, "\n".join(failures[:5])


STATEFUL_EXAMPLES = 25
STATEFUL_STEPS = 8
CHECKS = [not_a_server_error, use_after_free, ensure_resource_availability]
CATALOG = "title,description\n这件衣服太炸了,买它买它\n鞋子很舒服,踩屎感\n".encode()


def test_linked_flows_of_glossaries_and_jobs_get_no_server_error(settings: Settings) -> None:
    """Follow the document's links: create a glossary, then translate with it, export, replace
    and delete it; upload a job, then read its status and results and cancel it.

    Creating, replacing and uploading get a valid body (random glossaries and catalogs are
    refused before any link is followed, and which links can be followed must not depend on
    luck, or Hypothesis sees an inconsistent run), and translating with a glossary a text
    with its term; every other request is generated, with the linked values in it.
    Schemathesis' feedback from earlier answers and the links it infers (a list's ids) are off
    for the same reason.
    """
    app = create_app(settings, EchoEngine())
    schema = schemathesis.openapi.from_asgi(f"{OPENAPI_PATH}/openapi.json", app)
    names = itertools.count()
    created: set[str] = set()
    reached: dict[str, set[int]] = collections.defaultdict(set)
    failures: list[str] = []

    schema.config.phases.stateful.inference.algorithms = []  # only the document's own links
    machine = schema.build_state_machine(feedback=NO_FEEDBACK, link_calibration=None)

    class Flows(machine):  # type: ignore[misc,valid-type]
        def before_call(self, case: schemathesis.Case[Any]) -> None:
            if case.operation.label == "POST /v1/glossaries":
                case.body = {
                    "name": f"slang-{next(names)}",
                    "source": "zh",
                    "target": "en",
                    "entries": [{"source": "太炸了", "target": "awesome"}],
                }
            elif case.operation.label == "POST /v1/translate" and isinstance(case.body, dict):
                glossary = case.body.get("glossary")  # generated bodies may give any JSON here
                if isinstance(glossary, str) and glossary in created:  # a text to match it
                    case.body = {
                        "glossary": glossary,
                        "source": "zh",
                        "target": "en",
                        "text": "这件衣服太炸了",
                        "mode": "direct",
                    }
            elif case.operation.label == "PUT /v1/glossaries/{glossary_id}/entries":
                case.body = {"entries": [{"source": "太炸了", "target": "lit"}]}

        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            kwargs: dict[str, Any] = super().get_call_kwargs(case)
            if case.operation.label == "POST /v1/jobs":  # a file name that says it is a CSV
                kwargs["files"] = {"file": ("catalog.csv", CATALOG)}
                kwargs["data"] = {"columns": "title,description", "target": "en"}
            return kwargs

        def validate_response(
            self,
            response: Any,
            case: schemathesis.Case[Any],
            additional_checks: Any = None,  # noqa: ARG002 (ours are the ones run)
            **kwargs: Any,
        ) -> None:
            label = case.operation.label
            if response.status_code >= 500:
                failures.append(f"{label} {case.body!r}: {response.status_code} {response.text}")
            named = [*(case.path_parameters or {}).values()]
            if isinstance(case.body, dict):
                named.append(case.body.get("glossary"))
            identified = {value for value in named if isinstance(value, str)}
            if label in ("POST /v1/glossaries", "POST /v1/jobs") and response.status_code < 300:
                created.add(response.json()["id"])
            elif identified & created:
                reached[label].add(response.status_code)
            case.validate_response(
                response, checks=CHECKS, recorder=self.recorder, transport_kwargs=kwargs or None
            )

    Flows.run(
        settings=hypothesis_settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            phases=[Phase.generate],  # as schemathesis runs it: the database outlives a replay
            deadline=None,
            database=None,
            derandomize=True,  # the same flows every run: a random draw once missed a link
            suppress_health_check=list(HealthCheck),
        )
    )
    assert not failures, "\n".join(failures[:5])
    for label in (
        "POST /v1/translate",
        "GET /v1/glossaries/{glossary_id}/entries",
        "PUT /v1/glossaries/{glossary_id}/entries",
        "DELETE /v1/glossaries/{glossary_id}",
        "GET /v1/jobs/{job_id}",
        "POST /v1/jobs/{job_id}/cancel",
    ):
        assert reached[label] & {200, 204}, (label, dict(reached))
