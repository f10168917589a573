"""The contract of the open-data API: schemathesis reads the OpenAPI document the app serves and
sends every operation generated requests through the Django WSGI app; each answer's status code,
content type, headers and body must be what the document says."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import BaseSchema, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 40  # per operation: the whole test stays well under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(settings) -> BaseSchema:
    settings.RAPOR_API_RATE = "100000/m"  # the limit has its own test
    cache.clear()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", served())


def served():
    """The site's WSGI app, as a server runs it. Werkzeug's test client, which schemathesis
    uses, sends no client address, which every server does (the rate limit counts by it), and
    schemathesis does not close a streamed answer (a bulk file), which every server does."""
    application = get_wsgi_application()

    def as_a_server(environ, start_response):
        answer = application({"REMOTE_ADDR": "192.0.2.1", **environ}, start_response)
        try:
            return [b"".join(answer)]
        finally:
            answer.close()

    return as_a_server


@pytest.mark.django_db
def test_the_api_keeps_its_openapi_contract(api_schema, data):
    """Every operation, with valid and invalid generated parameters, answers as documented. The
    release is the test's, so that requests reach its data rather than 404s (unknown releases
    and `active` are tested in test_opendata)."""
    # Hypothesis directly rather than `schema.parametrize()`: schemathesis' pytest plugin does
    # not run under pytest 9 with a schema that needs fixtures.
    release = {"release": data.release.release_id}
    # Real region codes too, or nearly every generated code would be a 404.
    province = next(iter(data.children("ID")))
    regions = ["ID", province.code, data.children(province.code)[0].code]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # schemathesis leaves out the document's own path.
    assert {operation.path for operation in operations} == set(api_schema.raw_schema["paths"]) - {
        "/api/v1/openapi.json"
    }
    for operation in operations:
        parameters = [release if "{release}" in operation.path else {}]
        if "{code}" in operation.path:
            parameters += [{**release, "code": code} for code in regions]
        cases = st.one_of(
            operation.as_strategy(mode, path_parameters=fixed)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            for fixed in parameters
        )

        @hypothesis_settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
        @given(case=cases)
        def conforms(case):
            case.call_and_validate(checks=CHECKS)

        conforms()
