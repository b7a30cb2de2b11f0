"""Property-based tests of the API against its own OpenAPI schema (schemathesis + Hypothesis).

Every endpoint, every parameter, generated values valid and hostile (NUL bytes, long strings,
unknown values, negative numbers): never a 5xx, every answer's status, content type and JSON
as the schema declares them. Kept small (max_examples per endpoint) so the suite stays short.

The schema is the one /api/schema/ serves (drf-spectacular's generator, as its view runs it),
read when the module is collected; requests go to the WSGI application, inside each test's
database transaction. (schemathesis.pytest.from_fixture reads a node attribute pytest 9 no longer has.)
"""
import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from newsarchive.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance, negative_data_rejection]

schema = schemathesis.openapi.from_dict(json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True))))


def in_test_transaction(environ, start_response):
    """The WSGI application, without closing the database connection after the request, as Django's
    test client does: the connection holds the test's transaction and its data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema.app = in_test_transaction


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_as_the_schema_says(case, archive):
    case.call_and_validate(checks=CHECKS)


def test_the_tested_schema_is_the_served_one(client):
    served = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert served == json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))
