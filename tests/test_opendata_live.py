"""Schemathesis over the standard's OpenAPI description, against the live test server.

For every path of ``schema/openapi.json`` it generates requests from the
parameters the standard declares (and ids that do not exist) and checks
that no answer is a server error and every 200 answer fits the declared
schema. Transactional (the live server reads committed data): a file of its own.
"""

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings

from tests.hsds import openapi

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_request_the_standard_describes_gets_a_server_error_or_an_invalid_answer(live_server):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_dict(openapi())
    call_command("load_demo_data", verbosity=0)
    base_url = f"{live_server.url}/api/hsds"
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(base_url=base_url)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        check()
        checked.append(operation.label)

    assert len(checked) == 11, checked
