"""Labels of model choices, looked up without rebuilding the choices on every call.

Django's generated `get_FOO_display()` turns the field's choices into a fresh dict on each call; the case
lists call it four times per row (status, kind, urgency, platform), which was a measurable part of rendering
the inbox. The labels stay lazy, so they are translated into the language of the request when shown.
"""

from __future__ import annotations

from functools import cache

from django.db.models import Choices
from django.utils.encoding import force_str


@cache
def _labels(choices: type[Choices]) -> dict[object, object]:
    return dict(choices.choices)


def choice_label(choices: type[Choices], value: object) -> str:
    """The (translated) label of `value` in `choices`, or the value itself when it is not one of them."""
    return force_str(_labels(choices).get(value, value))
