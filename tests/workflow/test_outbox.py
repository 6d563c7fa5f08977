"""The reply outbox against the sandbox: published once, in the right thread, from the agency's account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from cases import services
from cases.models import AuditEvent, Case, Reply, ReplyStatus, Status
from cases.outbox import claim_due_replies, process_outbox
from programs.models import Agency
from sandbox.server import SandboxServer
from sources.models import Post, PublishingAccount, Source
from sources.runner import run_source_once

OWNER = "test-worker"


def delegated_case_from_sandbox(
    sandbox: SandboxServer, x_source: Source, admin: AbstractBaseUser, agency: Agency
) -> tuple[Case, str]:
    sandbox.store.ensure_account("budi_smg", "Budi")
    tweet = sandbox.store.create_post(username="budi_smg", text="Jalan Kaligawe berlubang besar #KemalaJateng")
    run_source_once(x_source, OWNER)
    case = Post.objects.get(external_id=tweet["id"]).case
    assert case is not None
    return services.delegate_case(case, admin, agency=agency), tweet["id"]


def agency_replies_in(sandbox: SandboxServer, conversation_id: str, handle: str) -> list[dict]:
    author = sandbox.store.account(handle)
    assert author is not None
    return [t for t in sandbox.store.thread(conversation_id) if t["author_id"] == author["id"]]


def test_reply_is_published_in_the_citizens_thread_from_the_agency_account(
    sandbox: SandboxServer,
    x_source: Source,
    agency_a_account: PublishingAccount,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
) -> None:
    case, tweet_id = delegated_case_from_sandbox(sandbox, x_source, admin_user, agency_a)
    reply = services.queue_reply(case, operator_a, text="Terima kasih, tim UPT segera menambal.")
    assert process_outbox(OWNER) == 1
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT
    published = agency_replies_in(sandbox, tweet_id, "DPUBinamargaJtg")
    assert [t["text"] for t in published] == ["Terima kasih, tim UPT segera menambal."]
    assert published[0]["referenced_tweets"] == [{"type": "replied_to", "id": tweet_id}]
    assert reply.external_id == published[0]["id"]
    assert reply.url == f"{sandbox.base_url}/DPUBinamargaJtg/status/{published[0]['id']}"
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert AuditEvent.objects.filter(case=case, action="reply_sent", to_status="answered").exists()
    assert process_outbox(OWNER) == 0  # nothing left: never published twice


def test_server_error_is_retried_with_backoff(
    sandbox: SandboxServer,
    x_source: Source,
    agency_a_account: PublishingAccount,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
) -> None:
    case, tweet_id = delegated_case_from_sandbox(sandbox, x_source, admin_user, agency_a)
    reply = services.queue_reply(case, operator_a, text="Sedang kami cek.")
    sandbox.faults.server_error("/2/tweets", status=503)
    process_outbox(OWNER)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.QUEUED
    assert "503" in reply.last_error
    assert reply.next_attempt_at > timezone.now()
    assert process_outbox(OWNER) == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert process_outbox(OWNER) == 1
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT
    assert len(agency_replies_in(sandbox, tweet_id, "DPUBinamargaJtg")) == 1


def test_rate_limit_waits_for_the_platforms_reset(
    sandbox: SandboxServer,
    x_source: Source,
    agency_a_account: PublishingAccount,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
) -> None:
    case, _ = delegated_case_from_sandbox(sandbox, x_source, admin_user, agency_a)
    reply = services.queue_reply(case, operator_a, text="Baik, kami tindak lanjuti.")
    sandbox.faults.rate_limit("/2/tweets", reset_in=600)
    process_outbox(OWNER)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.QUEUED
    assert reply.next_attempt_at >= timezone.now() + timedelta(seconds=590)


def test_refusal_is_final_and_shown_with_its_reason(
    sandbox: SandboxServer,
    x_source: Source,
    agency_a_account: PublishingAccount,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
) -> None:
    case, _ = delegated_case_from_sandbox(sandbox, x_source, admin_user, agency_a)
    agency_a_account.credentials = {"bearer_token": "revoked"}
    agency_a_account.save()
    reply = services.queue_reply(case, operator_a, text="Baik.")
    process_outbox(OWNER)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.FAILED
    assert "401" in reply.last_error or "Unauthorized" in reply.last_error
    assert AuditEvent.objects.filter(case=case, action="reply_failed").exists()
    case.refresh_from_db()
    assert case.status == Status.ACKNOWLEDGED


def test_lost_response_after_publishing_does_not_publish_twice(
    sandbox: SandboxServer,
    x_source: Source,
    agency_a_account: PublishingAccount,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
) -> None:
    case, tweet_id = delegated_case_from_sandbox(sandbox, x_source, admin_user, agency_a)
    reply = services.queue_reply(case, operator_a, text="Laporan diterima, petugas meluncur.")
    sandbox.faults.server_error("/2/tweets", status=503, after=True)  # published, but the answer is lost
    process_outbox(OWNER)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        process_outbox(OWNER)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT
    assert len(agency_replies_in(sandbox, tweet_id, "DPUBinamargaJtg")) == 1


def test_worker_dying_mid_send_is_recovered_without_a_second_reply(
    sandbox: SandboxServer,
    x_source: Source,
    agency_a_account: PublishingAccount,
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
) -> None:
    case, tweet_id = delegated_case_from_sandbox(sandbox, x_source, admin_user, agency_a)
    reply = services.queue_reply(case, operator_a, text="Sudah kami jadwalkan perbaikan.")
    [claimed] = claim_due_replies("worker-that-dies")
    # The dead worker reached the platform, then died before recording anything.
    sandbox.store.create_post(username="DPUBinamargaJtg", text=claimed.text, in_reply_to_id=tweet_id)
    assert claim_due_replies(OWNER) == []  # its claim still holds
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert process_outbox(OWNER) == 1
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT
    assert len(agency_replies_in(sandbox, tweet_id, "DPUBinamargaJtg")) == 1


def test_two_workers_never_claim_the_same_reply(
    make_case: Callable[..., Case], agency_a: Agency, operator_a: AbstractBaseUser
) -> None:
    for _ in range(3):
        services.queue_reply(make_case(status=Status.ACKNOWLEDGED, agency=agency_a), operator_a, text="Baik")
    first = claim_due_replies("worker-1", limit=2)
    second = claim_due_replies("worker-2", limit=5)
    assert len(first) == 2 and len(second) == 1
    assert {r.pk for r in first}.isdisjoint({r.pk for r in second})
    assert Reply.objects.filter(status=ReplyStatus.SENDING).count() == 3
