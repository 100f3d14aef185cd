"""The API fuzzed from its own OpenAPI document (schemathesis): whatever a client sends, the
server answers without a 5xx. Run with an admin's token, so every route is reachable, against a
real uvicorn on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.slow


@pytest.fixture
def api_schema(book):
    return schemathesis.openapi.from_url(f"{book.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case, book):
    headers = {"Authorization": f"Bearer {book.tokens['root']}"}
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
