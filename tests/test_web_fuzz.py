"""Schemathesis fuzzes the dashboard's OpenAPI schema: no request gets a server error."""

import schemathesis
from hypothesis import HealthCheck, settings

from oxysim.web.app import create_app
from oxysim.web.limits import Limits

# small bounds, so that a generated request that happens to be a valid scenario stays cheap
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Limits(max_work=2_000, max_queued=2))
)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.path, case.body, response.text)
    if response.status_code >= 400:
        assert "detail" in response.json()  # every error is a JSON body saying what is wrong
