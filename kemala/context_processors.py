from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from programs.access import membership_for
from programs.models import Program


def kemala(request: HttpRequest) -> dict[str, Any]:
    """Put the program and the user's membership in every template (one query each, cached per request)."""
    if not hasattr(request, "_kemala_program"):
        from django.conf import settings

        request._kemala_program = Program.objects.filter(slug=settings.KEMALA_PROGRAM).first()  # type: ignore[attr-defined]
    program = request._kemala_program  # type: ignore[attr-defined]
    membership = membership_for(request.user, program) if program is not None else None
    return {"program": program, "membership": membership}
