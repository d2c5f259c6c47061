"""Schemathesis against the served OpenAPI document: generated requests never get a 5xx.

Each operation's strategy is driven by Hypothesis inside one test (schemathesis' own pytest
loader does not run under this pytest version), against an app on the echo engine.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Ok
from schemathesis.schemas import APIOperation

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
