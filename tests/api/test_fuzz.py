"""Property-based fuzzing: no input to any JSON endpoint or form gets a 5xx."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import SLUG

# Hypothesis: many examples per test.
pytestmark = pytest.mark.slow

# Text as attackers send it: any code point (lone surrogates included), control
# characters, right-to-left marks, very long runs.
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec=None), max_size=50),
    st.sampled_from(["\x00", "\ud800", "\u202e", "<script>", "' OR 1=1 --", "٩٦٩١٠", "9" * 9]),
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["name", "email", "zip", "street", "city", "state", "note", "consent", "ref",
          "address", "bioguide"]  # fmt: skip
BODY = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUE, max_size=len(FIELDS)) | JSON_VALUE
ENDPOINTS = [
    ("POST", f"/api/v1/campaigns/{SLUG}/pledges"),
    ("POST", f"/api/v1/campaigns/{SLUG}/letters"),
    ("POST", "/api/v1/representatives"),
]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(endpoint=st.sampled_from(ENDPOINTS), body=BODY)
def test_no_json_body_gets_a_5xx(app: Flask, endpoint: tuple[str, str], body: Any) -> None:
    method, path = endpoint
    response = app.test_client().open(path, method=method, json=body)
    assert response.status_code < 500, (path, body, response.get_data(as_text=True)[:200])


@FUZZ
@given(zip_code=TEXT, slug=TEXT)
def test_no_query_or_slug_gets_a_5xx(app: Flask, zip_code: str, slug: str) -> None:
    client = app.test_client()
    # As a raw client would send them: the UTF-8 bytes (broken ones too), percent-encoded.
    zip_raw, slug_raw = (
        quote(text.encode("utf-8", "surrogatepass"), safe="") for text in (zip_code, slug)
    )
    for response in (
        client.get(f"/api/v1/representatives?zip={zip_raw}"),
        client.get(f"/api/v1/campaigns/{slug_raw}"),
        client.get(f"/c/{slug_raw}"),
    ):
        assert response.status_code < 500, (zip_code, slug, response.status_code)


@FUZZ
@given(form=st.dictionaries(st.sampled_from(FIELDS + ["csrf_token", "started"]), TEXT))
def test_no_pledge_form_gets_a_5xx(make_app: Any, form: dict[str, str]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    raw = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in form.items()})
    try:
        for path in (f"/c/{SLUG}", f"/c/{SLUG}/widget"):
            response = app.test_client().post(
                path, data=raw, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code < 500, (path, form, response.status_code)
    finally:
        # An app per example (fresh limits): its pooled connections go back now, not at
        # the test's end, or sixty examples hold sixty of PostgreSQL's hundred.
        app.extensions["advocacy.engine"].dispose()
