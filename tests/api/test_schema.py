"""The OpenAPI schema at /api/schema/ and the human docs at /api/docs/."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

from cases.models import Case
from insight import rollup
from programs.models import Program

if TYPE_CHECKING:
    from tests.api.conftest import World


@pytest.fixture
def schema(program: Program) -> dict[str, Any]:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_schema_is_valid_openapi_3(schema: dict[str, Any]) -> None:
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/agencies/",
        "/api/agencies/{code}/",
        "/api/board",
        "/api/cases/",
        "/api/cases/{tracking_code}/",
        "/api/posts/",
        "/api/posts/{id}/",
        "/api/token/",
    }
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    assert "security" not in schema  # no global requirement: each operation says its own
    assert "security" not in schema["paths"]["/api/board"]["get"]  # public
    assert "security" not in schema["paths"]["/api/token/"]["post"]
    assert schema["paths"]["/api/cases/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_schema_is_served_as_yaml_by_default(program: Program) -> None:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def _schema_shape(schema: dict[str, Any], node: dict[str, Any]) -> Any:
    if "$ref" in node:
        return _schema_shape(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    if node.get("type") == "array":
        return [_schema_shape(schema, node["items"])]
    if node.get("type") == "object" or "properties" in node:
        return {key: _schema_shape(schema, item) for key, item in node["properties"].items()}
    return None


def test_board_json_has_exactly_the_documented_shape(schema: dict[str, Any], world: World) -> None:
    Case.objects.filter(pk=world.case_a.pk).update(first_reply_at=world.case_a.opened_at, first_reply_seconds=0)
    rollup.rebuild(world.case_a.program)  # the worker keeps the board's figures current
    body = Client().get("/api/board", {"period": "all"}).json()
    assert body["latest_answered"] and body["by_agency"]
    documented = schema["paths"]["/api/board"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert _shape(body) == _schema_shape(schema, documented)


def test_docs_page_lists_every_endpoint_without_external_assets(schema: dict[str, Any]) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in schema["paths"]:
        assert path in html, path
    assert 'href="/api/schema/"' in html
    assert "Authorization: Token" in html
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)  # no CDN
    assert Client().get("/api/").url == "/api/docs/"
