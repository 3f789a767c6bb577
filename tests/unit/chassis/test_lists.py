"""The one list shape and its deprecated opt-in (``chassis.lists``), on a bare Flask app."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from chassis.lists import (
    DEPRECATED_SINCE,
    LIST_SHAPE_HEADER,
    legacy_response,
    page_in_memory,
    wants_legacy_shape,
)


@pytest.fixture
def client() -> FlaskClient:
    app = Flask(__name__)

    @app.get("/things")
    def things() -> Any:
        try:
            legacy = wants_legacy_shape()
        except HTTPException as refused:
            return {"refused": refused.code, "errors": refused.data["errors"]}, 422
        if legacy:
            return legacy_response([1, 2], {"X-Total-Count": "2"})
        return {"items": [1, 2], "page": 1, "per_page": 50, "total": 2}

    return app.test_client()


def test_the_current_shape_is_the_default_and_carries_no_deprecation(client: FlaskClient) -> None:
    for headers in ({}, {LIST_SHAPE_HEADER: "items"}, {LIST_SHAPE_HEADER: " Items "}):
        response = client.get("/things", headers=headers)
        assert response.json["items"] == [1, 2]
        assert "Deprecation" not in response.headers


def test_the_legacy_opt_in_answers_the_older_shape_marked_deprecated(client: FlaskClient) -> None:
    response = client.get("/things", headers={LIST_SHAPE_HEADER: "legacy"})
    assert response.json == [1, 2]
    assert response.headers["X-Total-Count"] == "2"
    assert response.headers["Deprecation"] == DEPRECATED_SINCE
    assert DEPRECATED_SINCE.startswith("@") and DEPRECATED_SINCE[1:].isdigit()  # RFC 9745 date
    assert response.headers["Link"] == '</docs#list-shapes>; rel="deprecation"'


def test_an_unknown_shape_is_refused_naming_the_header(client: FlaskClient) -> None:
    response = client.get("/things", headers={LIST_SHAPE_HEADER: "bare"})
    assert response.status_code == 422
    assert response.json["errors"] == {
        "headers": {LIST_SHAPE_HEADER: ["Give 'items' or 'legacy'."]}
    }


def test_a_whole_list_is_paged_in_memory() -> None:
    items = list(range(7))
    assert page_in_memory(items, {"page": 2, "per_page": 3}) == {
        "items": [3, 4, 5],
        "page": 2,
        "per_page": 3,
        "total": 7,
    }
    assert page_in_memory(items, {"page": 4, "per_page": 3})["items"] == []
