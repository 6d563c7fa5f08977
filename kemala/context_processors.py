from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from programs.access import loaded_program, membership_for


def kemala(request: HttpRequest) -> dict[str, Any]:
    """Put the program and the user's membership in every template (both cached per request)."""
    program = loaded_program(request)
    membership = membership_for(request.user, program) if program is not None else None
    return {"program": program, "membership": membership}
