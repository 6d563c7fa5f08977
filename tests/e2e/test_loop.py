"""The whole loop, driven through the sandbox over HTTP and the web pages through Django's client.

A citizen posts on the sandbox → the worker's cycle captures it and a case appears in the admin's inbox →
the admin delegates it → the operator replies → the worker publishes the reply in the citizen's thread from
the agency's account → the board counts it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from cases.models import AuditEvent, Case, ReplyStatus, Status
from kemala.management.commands.worker import run_worker_cycle
from programs.models import Agency
from sandbox.server import SandboxServer
from sandbox.store import user_token
from sources.models import Platform, PublishingAccount, Source

WORKER = "e2e-worker"


def test_citizen_post_to_public_answer_and_board(
    sandbox: SandboxServer,
    x_source: Source,
    agency_b: Agency,
    admin_user: AbstractBaseUser,
    operator_b: AbstractBaseUser,
    client_for: Callable[[AbstractBaseUser | None], Client],
) -> None:
    sandbox.store.ensure_account("PemkotSemarang", agency_b.name)
    PublishingAccount.objects.create(
        agency=agency_b,
        platform=Platform.X,
        handle="PemkotSemarang",
        base_url=sandbox.base_url,
        public_base_url=sandbox.base_url,
        credentials={"bearer_token": user_token("PemkotSemarang")},
    )
    # 1. A citizen posts on the sandbox; a neighbour retweets it.
    sandbox.store.ensure_account("sri_tembalang", "Sri")
    sandbox.store.ensure_account("tetangga_sri", "Tetangga")
    citizen = sandbox.store.create_post(
        username="sri_tembalang",
        text="Lampu jalan di Jl. Ngesrep Timur, Tembalang, Kota Semarang mati sebulan, gelap bgt #KemalaJateng",
    )
    sandbox.store.create_post(username="tetangga_sri", text="", retweet_of_id=citizen["id"])

    # 2. The worker captures it: one case, with one supporter.
    run_worker_cycle(WORKER)
    case = Case.objects.get()
    assert case.status == Status.NEW
    assert case.support_count == 1
    admin = client_for(admin_user)
    inbox = admin.get(reverse("cases:inbox"))
    assert case.tracking_code in inbox.content.decode()
    assert "Ngesrep Timur" in inbox.content.decode()

    # 3. The admin delegates it from the inbox with htmx.
    response = admin.post(
        reverse("cases:delegate", args=[case.tracking_code]),
        {"agency": agency_b.code, "note": "lampu jalan kota"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.status, case.agency) == (Status.DELEGATED, agency_b)

    # 4. The operator of Pemkot Semarang sees it in the queue and replies.
    operator = client_for(operator_b)
    assert case.tracking_code in operator.get(reverse("cases:queue")).content.decode()
    reply_text = "Terima kasih Kak, petugas PJU akan memperbaiki lampu di Jl. Ngesrep Timur minggu ini."
    response = operator.post(reverse("cases:reply", args=[case.tracking_code]), {"text": reply_text})
    assert response.status_code in (200, 302)
    reply = case.replies.get()
    assert reply.status == ReplyStatus.QUEUED

    # 5. The worker publishes it: in the citizen's thread, from the agency's account.
    run_worker_cycle(WORKER)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.SENT
    thread = sandbox.store.thread(citizen["conversation_id"])
    agency_account = sandbox.store.account("PemkotSemarang")
    assert agency_account is not None
    [published] = [t for t in thread if t["author_id"] == agency_account["id"]]
    assert published["text"] == reply_text
    assert published["referenced_tweets"] == [{"type": "replied_to", "id": citizen["id"]}]
    assert reply.url.endswith(f"/PemkotSemarang/status/{published['id']}")
    detail = operator.get(reverse("cases:detail", args=[case.tracking_code])).content.decode()
    assert reply.url in detail

    # 6. The agency's reply, captured again by the next poll, does not open a case.
    run_worker_cycle(WORKER)
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    assert [e.action for e in AuditEvent.objects.filter(case=case).order_by("id")] == [
        "open",
        "delegate",
        "acknowledge",
        "reply_queued",
        "reply_sent",
    ]

    # 7. The public board counts it, with the agency's reply.
    board = Client().get("/api/board").json()
    assert board["total_cases"] == 1
    assert board["answered_cases"] == 1
    assert {"code": "kota-semarang"}.items() <= board["by_agency"][0].items()
    assert board["latest_answered"][0]["reply"] == reply_text
    assert "Ngesrep Timur" in Client().get("/").content.decode()
