"""The agency queue: only the agency's delegated cases, resolved ones on request, inline acknowledge."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from cases.models import Case, Status
from programs.models import Agency
from tests.cases.conftest import HTMX, body, events

QUEUE = reverse("cases:queue")


def test_queue_lists_the_agencys_open_work(
    operator_a_client: Client, make_case: Callable[..., Case], agency_a: Agency, agency_b: Agency
) -> None:
    mine = {
        status: make_case(status=status, agency=agency_a)
        for status in (Status.DELEGATED, Status.ACKNOWLEDGED, Status.ANSWERED, Status.TRANSFER_REQUESTED)
    }
    resolved = make_case(status=Status.RESOLVED, agency=agency_a)
    closed = make_case(status=Status.CLOSED, agency=agency_a)
    merged = make_case(status=Status.MERGED, agency=agency_a)
    theirs = make_case(status=Status.DELEGATED, agency=agency_b)
    untriaged = make_case()

    html = body(operator_a_client.get(QUEUE))

    for case in mine.values():
        assert case.tracking_code in html
    for case in (resolved, closed, merged, theirs, untriaged):
        assert case.tracking_code not in html
    assert "Sent back for transfer; waiting for the Kemala admin." in html
    assert 'name="agency"' not in html  # no agency filter: the queue is one agency's
    assert 'value="merged"' not in html  # the status filter offers only the queue's statuses

    done = body(operator_a_client.get(QUEUE, {"status": ["resolved", "closed"]}))
    assert resolved.tracking_code in done and closed.tracking_code in done
    assert mine[Status.DELEGATED].tracking_code not in done


def test_an_agency_filter_in_the_url_cannot_widen_the_queue(
    operator_a_client: Client, make_case: Callable[..., Case], agency_a: Agency, agency_b: Agency
) -> None:
    theirs = make_case(status=Status.DELEGATED, agency=agency_b)
    mine = make_case(status=Status.DELEGATED, agency=agency_a)
    html = body(operator_a_client.get(QUEUE, {"agency": "kota-semarang"}))
    assert mine.tracking_code in html and theirs.tracking_code not in html


def test_htmx_acknowledge_rerenders_the_row(operator_a_client: Client, delegated_case: Case) -> None:
    response = operator_a_client.post(
        reverse("cases:acknowledge", args=[delegated_case.tracking_code]),
        {"surface": "queue", "next": QUEUE},
        **HTMX,  # type: ignore[arg-type]
    )

    assert response.status_code == 200
    html = body(response)
    assert html.startswith(f'<article class="card case-row" id="case-{delegated_case.tracking_code}">')
    assert f'<p class="alert" role="status">{delegated_case.tracking_code} acknowledged.</p>' in html
    assert "Acknowledged</span>" in html
    assert "/acknowledge/" not in html
    delegated_case.refresh_from_db()
    assert delegated_case.status == Status.ACKNOWLEDGED
    assert delegated_case.acknowledged_at is not None
    assert events(delegated_case) == [("acknowledge", "delegated", "acknowledged", "operator_a", "")]


def test_htmx_acknowledge_twice_shows_why_not(
    operator_a_client: Client, make_case: Callable[..., Case], agency_a: Agency
) -> None:
    case = make_case(status=Status.ACKNOWLEDGED, agency=agency_a)
    response = operator_a_client.post(
        reverse("cases:acknowledge", args=[case.tracking_code]),
        {"surface": "queue"},
        **HTMX,  # type: ignore[arg-type]
    )
    assert response.status_code == 200
    assert "A case that is acknowledged cannot be acknowledged." in body(response)
    assert events(case) == []
