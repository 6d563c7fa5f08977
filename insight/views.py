"""The public transparency board: no login, nothing personal, every figure from `insight.board`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from insight.board import CUSTOM, PRESETS, PeriodError, board_for, parse_period
from programs.access import current_program


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    context: dict[str, object] = {
        "presets": list(PRESETS.items()),
        "custom": CUSTOM,
        "params": request.GET,
    }
    try:
        period = parse_period(request.GET, program)
    except PeriodError as exc:
        context["error"] = str(exc)
        return render(request, "insight/board.html", context, status=400)
    figures = board_for(program, period)
    top_sector = max((c.count for c in figures.by_sector), default=0)
    top_region = max((c.count for c in figures.by_region), default=0)
    context.update(board=figures, period=period, top_sector=top_sector, top_region=top_region)
    return render(request, "insight/board.html", context)
