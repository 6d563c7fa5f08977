from __future__ import annotations

urlpatterns: list = []  # REST API, schema, api-docs: filled by the API work
