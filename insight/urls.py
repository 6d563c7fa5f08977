from __future__ import annotations

from django.urls import path

from insight import views

urlpatterns = [
    path("", views.board, name="board"),
]
