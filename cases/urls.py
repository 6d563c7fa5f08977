from __future__ import annotations

from django.urls import path

app_name = "cases"
urlpatterns: list = []  # filled by the web UI work
