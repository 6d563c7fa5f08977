"""Who may see and do what in a program. Views, exports and the API all ask here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404, HttpRequest

from programs.models import Membership, Program, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def loaded_program(request: HttpRequest | None = None) -> Program | None:
    """The program this deployment serves (settings.KEMALA_PROGRAM), or None before `kemala setup`.

    With a request, it is loaded once and kept on the request: the view and the context processor share it.
    """
    if request is not None and hasattr(request, "_kemala_program"):
        program: Program | None = request._kemala_program
        return program
    program = Program.objects.filter(slug=settings.KEMALA_PROGRAM).first()
    if request is not None:
        request._kemala_program = program  # type: ignore[attr-defined]
    return program


def current_program(request: HttpRequest | None = None) -> Program:
    """Return the program this deployment serves; 404 while it is not loaded."""
    program = loaded_program(request)
    if program is None:
        raise Http404(f"Program {settings.KEMALA_PROGRAM!r} is not loaded; run `kemala setup`.")
    return program


def membership_for(user: AbstractBaseUser | AnonymousUser | None, program: Program) -> Membership | None:
    """Return the user's active membership in `program`, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_kemala_memberships", {})
    if program.pk not in cache:
        cache[program.pk] = Membership.objects.select_related("agency").filter(user_id=user.pk, program=program).first()
    return cache[program.pk]


def has_role(user: AbstractBaseUser | AnonymousUser | None, program: Program, *roles: str) -> bool:
    membership = membership_for(user, program)
    return membership is not None and membership.role in roles


def is_admin(user: AbstractBaseUser | AnonymousUser | None, program: Program) -> bool:
    return has_role(user, program, Role.ADMIN)


def is_staff_member(user: AbstractBaseUser | AnonymousUser | None, program: Program) -> bool:
    return membership_for(user, program) is not None
