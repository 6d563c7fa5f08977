from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from programs.access import current_program, membership_for
from programs.models import Role


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    membership = membership_for(request.user, current_program(request))
    if membership is None:
        return render(request, "no_membership.html", status=403)
    if membership.role == Role.ADMIN:
        return redirect("cases:inbox")
    if membership.is_agency_staff:
        return redirect("cases:queue")
    return redirect("cases:all")
