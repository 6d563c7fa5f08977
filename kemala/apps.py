from __future__ import annotations

from django.apps import AppConfig


class KemalaConfig(AppConfig):
    name = "kemala"
    verbose_name = "Kemala"
