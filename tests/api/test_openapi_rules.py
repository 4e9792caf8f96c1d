"""The OpenAPI document carries the server's own rules (issue 19), and schemathesis checks it.

The adversarial test found a schema-driven client could not make one valid pledge: the
document did not say what a ZIP code, an email or a name must look like, nor that a body
may be too large. Now the request schemas say it, and schemathesis, driving the app
through its WSGI support, makes pledges from them that are accepted (202), and finds no
server error anywhere in the API.

What no schema can carry is data: a well-formed ZIP code that names no place we know, or
lies in another state than the one given, is a 422 naming the ZIP code field. The run is
also reproducible by hand against a running server (README, *API*):
``schemathesis --config-file tests/schemathesis.toml run http://HOST/api/v1/openapi.json``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from pages import SLUG
from schemathesis import GenerationMode
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

PLEDGES = "/campaigns/{slug}/pledges"
# The 422s that need our data to foresee: a ZIP code we do not know, or in another state.
DATA_ONLY = re.compile(r"^(We could not find ZIP code \d{5}\.|ZIP code \d{5} is in .+, not .+\.)")
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same cases on every run: a CI failure is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/v1/openapi.json").get_json()
    return document


@pytest.fixture
def api_schema(app: Flask) -> OpenApiSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def schema_of(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


def validator_for(spec: dict[str, Any], name: str) -> Draft202012Validator:
    return Draft202012Validator({**spec, "$ref": f"#/components/schemas/{name}"})


# --- what the document says --------------------------------------------------------------------


def test_the_pledge_schema_says_what_the_server_checks(spec: dict[str, Any]) -> None:
    pledge = schema_of(spec, "PledgeRequest")
    assert pledge["required"] == ["name", "email", "zip"]
    fields = pledge["properties"]
    zip_string = fields["zip"]["anyOf"][0]
    assert zip_string["pattern"] == "^([0-9]{5})(?:-[0-9]{4})?$"
    assert fields["email"]["format"] == "email" and fields["email"]["maxLength"] == 254
    assert fields["name"]["minLength"] == 1 and fields["name"]["maxLength"] == 100
    assert {name: fields[name]["maxLength"] for name in ("street", "city", "note", "ref")} == {
        "street": 200,
        "city": 100,
        "note": 2000,
        "ref": 64,
    }
    valid = validator_for(spec, "PledgeRequest")
    for bad in (
        {"name": "Amina", "email": "amina@example.org", "zip": "9810"},
        {"name": "Amina", "email": "not-an-email", "zip": "98105"},
        {"name": "   ", "email": "amina@example.org", "zip": "98105"},
        {"name": "\u200b\u202e", "email": "amina@example.org", "zip": "98105"},
        {"name": "Amina", "email": "amina@example.org", "zip": "98105", "state": "XX"},
    ):
        assert not valid.is_valid(bad), bad


def test_every_write_documents_413_and_its_errors(spec: dict[str, Any]) -> None:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "post":
                continue
            assert "413" in operation["responses"], path
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert answer["description"] != "An error", (path, status)


def test_a_body_too_large_is_the_documented_413(client: FlaskClient, spec: dict[str, Any]) -> None:
    body = {"name": "Amina", "email": "amina@example.org", "zip": "98105", "x": "x" * 70_000}
    response = client.post(f"/api/v1/campaigns/{SLUG}/pledges", json=body)
    assert response.status_code == 413
    assert validator_for(spec, "Error").is_valid(response.get_json())


def test_the_documented_example_pledge_is_accepted(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    [example] = schema_of(spec, "PledgeRequest")["examples"]
    assert validator_for(spec, "PledgeRequest").is_valid(example)
    response = client.post(f"/api/v1/campaigns/{SLUG}/pledges", json=example)
    assert response.status_code == 202, response.get_json()
    assert validator_for(spec, "Pledge").is_valid(response.get_json())


def test_the_other_documented_examples_are_answered(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    for example in schema_of(spec, "AddressRequest")["examples"]:
        assert client.post("/api/v1/representatives", json=example).status_code == 200, example
    for letter in schema_of(spec, "LetterRequest")["examples"]:
        answer = client.post(f"/api/v1/campaigns/{SLUG}/letters", json=letter)
        assert answer.status_code == 200, letter
        # The letter closes with as much of the address as the example gives.
        closing = [letter.get(key, "") for key in ("city", "state", "zip")]
        assert f"{closing[0]}, {' '.join(filter(None, closing[1:]))}" in answer.get_json()["body"]


# --- schemathesis ------------------------------------------------------------------------------


def test_schema_valid_pledges_are_accepted(api_schema: OpenApiSchema) -> None:
    operation = api_schema[PLEDGES]["POST"]
    seen: Counter[int] = Counter()

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def pledge(case: Any) -> None:
        case.path_parameters = {"slug": SLUG}
        response = case.call()
        seen[response.status_code] += 1
        if response.status_code == 422:
            # Only what the schema cannot know: the ZIP code against our data.
            fields = response.json()["fields"]
            assert set(fields) == {"zip"} and DATA_ONLY.match(fields["zip"]), case.body
        else:
            assert response.status_code == 202, (case.body, response.text)
            case.validate_response(response)  # the answer matches the document too

    pledge()
    assert seen[202] >= 10, seen  # many pledges made, not only refusals
    assert set(seen) <= {202, 422}


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error_and_nothing_undocumented(
    api_schema: OpenApiSchema, mode: GenerationMode
) -> None:
    # Every operation, valid and invalid data: no 5xx, and every status, header, content
    # type and body as documented. Not checked here: that valid data is always accepted (a
    # ZIP code's place needs our data; the pledge test above allows exactly that), and
    # that invalid data is always refused (the server is lenient by design: it cleans
    # text, takes null or blank as not sent, and ignores fields it does not know).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and operation.label == "GET /campaigns/{slug}":
            continue  # a path's text cannot be invalid: there is nothing negative to make

        @SETTINGS
        @given(case=operation.as_strategy(generation_mode=mode))
        def answer(case: Any) -> None:
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = SLUG
            response = case.call()
            assert response.status_code < 500, (case.body, response.text)
            case.validate_response(
                response,
                additional_checks=[not_a_server_error],
                excluded_checks=[positive_data_acceptance, negative_data_rejection],
            )

        answer()
