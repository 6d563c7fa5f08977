"""Every legal transition of the case lifecycle, a refusal for each illegal one, and the audit rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser

from cases import services
from cases.models import AuditEvent, Case, Reply, ReplyStatus, Status
from programs.models import Agency, Program, Region, Sector

ALL_STATUSES = [s.value for s in Status]


def _events(case: Case) -> list[tuple[str, str, str, str]]:
    return [
        (e.action, e.from_status, e.to_status, e.actor.get_username() if e.actor else e.actor_label)
        for e in AuditEvent.objects.filter(case=case).select_related("actor").order_by("id")
    ]


@pytest.fixture
def case_in(make_case: Callable[..., Case], agency_a: Agency) -> Callable[[str], Case]:
    def make(status: str) -> Case:
        agency = agency_a if status not in (Status.NEW, Status.TRIAGED) else None
        return make_case(status=status, agency=agency)

    return make


def test_triage_new_case_records_correction(
    case_in: Callable[[str], Case], admin_user: AbstractBaseUser, program: Program
) -> None:
    case = case_in(Status.NEW)
    sector = Sector.objects.get(program=program, code="infrastruktur")
    region = Region.objects.get(program=program, code="33.74")
    services.triage_case(case, admin_user, sector=sector, region=region, kind="complaint")
    case.refresh_from_db()
    assert (case.status, case.sector, case.region) == (Status.TRIAGED, sector, region)
    event = AuditEvent.objects.get(case=case, action="triage")
    assert (event.actor, event.from_status, event.to_status) == (admin_user, "new", "triaged")
    assert event.data["changes"]["sector"] == [None, "infrastruktur"]


@pytest.mark.parametrize("start", ["new", "triaged", "transfer_requested", "delegated", "acknowledged"])
def test_delegate_from_each_legal_status(
    start: str, case_in: Callable[[str], Case], admin_user: AbstractBaseUser, agency_b: Agency
) -> None:
    case = case_in(start)
    services.delegate_case(case, admin_user, agency=agency_b, note="kewenangan Pemkot")
    case.refresh_from_db()
    assert case.status == Status.DELEGATED
    assert case.agency == agency_b
    assert case.delegated_at is not None
    event = AuditEvent.objects.get(case=case, action="delegate")
    assert (event.from_status, event.to_status, event.reason) == (start, "delegated", "kewenangan Pemkot")
    assert event.data["agency"] == "kota-semarang"


@pytest.mark.parametrize("start", ["answered", "resolved", "closed", "rejected", "merged"])
def test_delegate_refused_from_other_statuses(
    start: str, case_in: Callable[[str], Case], admin_user: AbstractBaseUser, agency_b: Agency
) -> None:
    case = case_in(start)
    with pytest.raises(services.TransitionError):
        services.delegate_case(case, admin_user, agency=agency_b)
    case.refresh_from_db()
    assert case.status == start
    assert not AuditEvent.objects.filter(case=case).exists()


def test_delegate_to_same_agency_twice_is_refused(
    case_in: Callable[[str], Case], admin_user: AbstractBaseUser, agency_a: Agency
) -> None:
    case = case_in(Status.DELEGATED)
    with pytest.raises(services.TransitionError, match="already delegated"):
        services.delegate_case(case, admin_user, agency=agency_a)


@pytest.mark.parametrize("reason", ["spam", "not_public_service", "duplicate"])
def test_reject_with_each_reason(reason: str, case_in: Callable[[str], Case], admin_user: AbstractBaseUser) -> None:
    case = case_in(Status.NEW)
    services.reject_case(case, admin_user, reason=reason)
    case.refresh_from_db()
    assert (case.status, case.reject_reason) == (Status.REJECTED, reason)
    assert _events(case) == [("reject", "new", "rejected", "admin")]


def test_reject_needs_a_known_reason(case_in: Callable[[str], Case], admin_user: AbstractBaseUser) -> None:
    case = case_in(Status.NEW)
    with pytest.raises(services.TransitionError):
        services.reject_case(case, admin_user, reason="boring")
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.parametrize("start", ["delegated", "acknowledged", "answered", "resolved", "closed"])
def test_reject_refused_once_delegated(
    start: str, case_in: Callable[[str], Case], admin_user: AbstractBaseUser
) -> None:
    case = case_in(start)
    with pytest.raises(services.TransitionError):
        services.reject_case(case, admin_user, reason="spam")


def test_merge_moves_posts_and_support(make_case: Callable[..., Case], admin_user: AbstractBaseUser) -> None:
    target = make_case("Jalan Kaligawe rusak #KemalaJateng", support_count=2)
    duplicate = make_case("jalan kaligawe ancur lur #KemalaJateng", author="warga2", support_count=3)
    services.merge_case(duplicate, admin_user, into=target, note="sama")
    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == target
    assert target.posts.count() == 2
    assert duplicate.posts.count() == 0
    assert target.support_count == 2 + 3 + 1  # its own, the duplicate's, and the duplicate's author
    assert ("merge", "new", "merged", "admin") in _events(duplicate)
    assert AuditEvent.objects.get(case=target, action="merge_in").data["from_case"] == duplicate.tracking_code


def test_merge_into_itself_or_closed_case_is_refused(
    make_case: Callable[..., Case], admin_user: AbstractBaseUser
) -> None:
    case = make_case()
    closed = make_case(status=Status.CLOSED)
    with pytest.raises(services.TransitionError):
        services.merge_case(case, admin_user, into=case)
    with pytest.raises(services.TransitionError):
        services.merge_case(case, admin_user, into=closed)
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_agency_work_from_acknowledge_to_close(
    case_in: Callable[[str], Case], admin_user: AbstractBaseUser, operator_a: AbstractBaseUser
) -> None:
    case = case_in(Status.DELEGATED)
    services.acknowledge_case(case, operator_a)
    reply = services.queue_reply(case, operator_a, text="Terima kasih, laporan sudah kami teruskan ke UPT.")
    assert reply.status == ReplyStatus.QUEUED
    services.mark_reply_sent(reply, external_id="1900000000000000001", url="https://x.com/dpu/status/1")
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert case.first_reply_at is not None and case.first_reply_seconds is not None
    services.resolve_case(case, operator_a, note="sudah ditambal")
    services.close_case(case, admin_user)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert [(a, f, t) for a, f, t, _ in _events(case)] == [
        ("acknowledge", "delegated", "acknowledged"),
        ("reply_queued", "acknowledged", "acknowledged"),
        ("reply_sent", "acknowledged", "answered"),
        ("resolve", "answered", "resolved"),
        ("close", "resolved", "closed"),
    ]


def test_replying_to_a_delegated_case_acknowledges_it_first(
    case_in: Callable[[str], Case], operator_a: AbstractBaseUser
) -> None:
    case = case_in(Status.DELEGATED)
    services.queue_reply(case, operator_a, text="Siap, segera kami cek.")
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED
    assert [e[0] for e in _events(case)] == ["acknowledge", "reply_queued"]


def test_second_report_of_the_same_send_changes_nothing(
    case_in: Callable[[str], Case], operator_a: AbstractBaseUser
) -> None:
    case = case_in(Status.ACKNOWLEDGED)
    reply = services.queue_reply(case, operator_a, text="Baik.")
    services.mark_reply_sent(reply, external_id="1", url="https://x.com/a/status/1")
    services.mark_reply_sent(reply, external_id="2", url="https://x.com/a/status/2")
    reply.refresh_from_db()
    assert reply.external_id == "1"
    assert AuditEvent.objects.filter(case=case, action="reply_sent").count() == 1


def test_transfer_request_needs_reason_and_returns_case_to_admin(
    case_in: Callable[[str], Case], operator_a: AbstractBaseUser
) -> None:
    case = case_in(Status.ACKNOWLEDGED)
    with pytest.raises(services.TransitionError):
        services.request_transfer(case, operator_a, reason="   ")
    services.request_transfer(case, operator_a, reason="Jalan kota, kewenangan Pemkot Semarang")
    case.refresh_from_db()
    assert case.status == Status.TRANSFER_REQUESTED
    assert _events(case)[-1] == ("request_transfer", "acknowledged", "transfer_requested", "operator_a")


ILLEGAL: list[tuple[str, str, dict[str, Any]]] = [
    ("acknowledge_case", "acknowledged", {}),
    ("acknowledge_case", "answered", {}),
    ("resolve_case", "delegated", {}),
    ("resolve_case", "acknowledged", {}),
    ("request_transfer", "answered", {"reason": "bukan kami"}),
    ("request_transfer", "resolved", {"reason": "bukan kami"}),
    ("queue_reply", "resolved", {"text": "halo"}),
    ("queue_reply", "transfer_requested", {"text": "halo"}),
]


@pytest.mark.parametrize(("action", "start", "kwargs"), ILLEGAL)
def test_illegal_agency_transitions_are_refused(
    action: str,
    start: str,
    kwargs: dict[str, Any],
    case_in: Callable[[str], Case],
    operator_a: AbstractBaseUser,
) -> None:
    case = case_in(start)
    with pytest.raises(services.TransitionError):
        getattr(services, action)(case, operator_a, **kwargs)
    case.refresh_from_db()
    assert case.status == start
    assert not AuditEvent.objects.filter(case=case).exists()
    assert not Reply.objects.filter(case=case).exists()


@pytest.mark.parametrize("actor", ["operator_b", "analyst", "admin_user"])
def test_only_the_assigned_agency_may_do_agency_work(
    actor: str, case_in: Callable[[str], Case], request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(actor)
    case = case_in(Status.DELEGATED)
    for action, kwargs in [
        ("acknowledge_case", {}),
        ("queue_reply", {"text": "x"}),
        ("request_transfer", {"reason": "r"}),
    ]:
        with pytest.raises(services.NotAllowed):
            getattr(services, action)(case, user, **kwargs)
    case.refresh_from_db()
    assert case.status == Status.DELEGATED


@pytest.mark.parametrize("actor", ["operator_a", "analyst", "outsider"])
def test_only_admins_triage(
    actor: str, case_in: Callable[[str], Case], agency_b: Agency, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(actor)
    case = case_in(Status.NEW)
    with pytest.raises(services.NotAllowed):
        services.delegate_case(case, user, agency=agency_b)
    with pytest.raises(services.NotAllowed):
        services.reject_case(case, user, reason="spam")
    case.refresh_from_db()
    assert case.status == Status.NEW


def test_reply_longer_than_platform_limit_is_refused(
    case_in: Callable[[str], Case], operator_a: AbstractBaseUser
) -> None:
    case = case_in(Status.ACKNOWLEDGED)
    with pytest.raises(services.TransitionError, match="280"):
        services.queue_reply(case, operator_a, text="a" * 281)
    assert not Reply.objects.filter(case=case).exists()


def test_reply_without_publishing_account_is_refused(
    make_case: Callable[..., Case], agency_a: Agency, operator_a: AbstractBaseUser
) -> None:
    case = make_case(status=Status.ACKNOWLEDGED, agency=agency_a)
    agency_a.publishing_accounts.all().delete()
    with pytest.raises(services.TransitionError, match="no account"):
        services.queue_reply(case, operator_a, text="Baik")


def test_failed_reply_backs_off_then_gives_up(case_in: Callable[[str], Case], operator_a: AbstractBaseUser) -> None:
    case = case_in(Status.ACKNOWLEDGED)
    reply = services.queue_reply(case, operator_a, text="Baik")
    Reply.objects.filter(pk=reply.pk).update(attempts=1)
    reply = services.mark_reply_attempt_failed(reply, error="503", retryable=True, retry_after=None, max_attempts=3)
    assert reply.status == ReplyStatus.QUEUED
    assert reply.next_attempt_at > reply.created_at
    Reply.objects.filter(pk=reply.pk).update(attempts=3)
    reply = services.mark_reply_attempt_failed(
        reply, error="503 again", retryable=True, retry_after=None, max_attempts=3
    )
    assert reply.status == ReplyStatus.FAILED
    assert reply.last_error == "503 again"
    assert [e[0] for e in _events(case)][-2:] == ["reply_retry", "reply_failed"]
    services.retry_failed_reply(reply, operator_a)
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == (ReplyStatus.QUEUED, 0)


def test_every_status_is_covered_by_these_tests() -> None:
    assert set(ALL_STATUSES) == {
        "new",
        "triaged",
        "delegated",
        "acknowledged",
        "answered",
        "resolved",
        "closed",
        "rejected",
        "merged",
        "transfer_requested",
    }
