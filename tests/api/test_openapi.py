"""The OpenAPI document describes the JSON API as it answers: real answers validate."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from pages import SLUG, pledge_fields

CASES: list[tuple[str, str, str, dict[str, Any] | None, int]] = [
    ("get", f"/campaigns/{SLUG}", "/campaigns/{slug}", None, 200),
    ("get", "/campaigns/no-such", "/campaigns/{slug}", None, 404),
    ("get", "/representatives?zip=98105", "/representatives", None, 200),
    ("get", "/representatives?zip=10001", "/representatives", None, 200),
    ("get", "/representatives?zip=00000", "/representatives", None, 422),
    ("post", "/representatives", "/representatives", {"zip": "20001"}, 200),
    ("post", "/representatives", "/representatives", {"street": "x" * 201}, 422),
    ("post", f"/campaigns/{SLUG}/letters", "/campaigns/{slug}/letters",
     {"bioguide": "C000127", "name": "Amina", "state": "WA"}, 200),
    ("post", f"/campaigns/{SLUG}/letters", "/campaigns/{slug}/letters",
     {"bioguide": "Z999999", "name": "Amina"}, 404),
    ("post", f"/campaigns/{SLUG}/pledges", "/campaigns/{slug}/pledges", pledge_fields(), 202),
    ("post", f"/campaigns/{SLUG}/pledges", "/campaigns/{slug}/pledges", {"name": ""}, 422),
]  # fmt: skip


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.get_json()
    return document


def test_the_document_is_openapi_3_1_with_every_route(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == {
        "/campaigns/{slug}",
        "/representatives",
        "/campaigns/{slug}/letters",
        "/campaigns/{slug}/pledges",
    }
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(("method", "url", "path", "body", "status"), CASES)
def test_real_answers_match_the_document(
    client: FlaskClient,
    spec: dict[str, Any],
    method: str,
    url: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
) -> None:
    response = client.open("/api/v1" + url, method=method.upper(), json=body)
    assert response.status_code == status
    described = spec["paths"][path][method]["responses"][str(status)]
    schema = described["content"]["application/json"]["schema"]
    # The document is the root: its "#/components/schemas/…" references resolve in it.
    validator = Draft202012Validator({**spec, "$ref": schema["$ref"]})
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert not errors, [e.message for e in errors]
