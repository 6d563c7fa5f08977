from __future__ import annotations

urlpatterns: list = []  # board, api-board: filled by the insight work
