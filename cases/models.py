"""Cases, the reply outbox and the audit trail. State changes only through `cases.services`."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kemala.choices import choice_label
from programs.models import Agency, Program, Region, Sector
from sources.models import Platform

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    DELEGATED = "delegated", _("Delegated")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")


# Cases that can still receive citizen follow-ups in their thread.
OPEN_STATUSES = (
    Status.NEW,
    Status.TRIAGED,
    Status.DELEGATED,
    Status.ACKNOWLEDGED,
    Status.ANSWERED,
    Status.TRANSFER_REQUESTED,
)


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    QUESTION = "question", _("Question")
    SUGGESTION = "suggestion", _("Suggestion")
    APPRECIATION = "appreciation", _("Appreciation")
    OTHER = "other", _("Other")
    SPAM = "spam", _("Spam")


class Urgency(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    HIGH = 1, _("High")
    EMERGENCY = 2, _("Emergency")

    @classmethod
    def from_label(cls, value: str) -> Urgency:
        return {"emergency": cls.EMERGENCY, "high": cls.HIGH}.get(value, cls.NORMAL)


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    NOT_PUBLIC_SERVICE = "not_public_service", _("Not a public-service matter")
    DUPLICATE = "duplicate", _("Duplicate")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: AbstractBaseUser | AnonymousUser, program: Program) -> CaseQuerySet:
        """Return the cases of `program` that `user` may see: the one scoping rule for pages, exports and API.

        Admins and analysts see the whole program; agency staff only cases currently delegated to their
        agency; everyone else nothing.
        """
        from programs.access import membership_for

        membership = membership_for(user, program)
        if membership is None:
            return self.none()
        scoped = self.filter(program=program)
        if membership.is_agency_staff:
            return scoped.filter(agency_id=membership.agency_id)
        return scoped


class Case(models.Model):
    """One citizen matter: opened by a post, possibly supported and followed up by others."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cases")
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.NEW)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    urgency = models.IntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    summary = models.CharField(_("summary"), max_length=280, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("agency"),
    )
    # What the reader suggested, kept apart from what the admin decided: every correction is a training example.
    suggested_sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    suggested_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    suggested_region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sector_confidence = models.FloatField(default=0)
    agency_confidence = models.FloatField(default=0)
    model_version = models.CharField(max_length=60, blank=True)
    support_count = models.PositiveIntegerField(_("support"), default=0)
    reject_reason = models.CharField(_("reject reason"), max_length=30, choices=RejectReason.choices, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), help_text=_("When the citizen posted"))
    created_at = models.DateTimeField(_("captured at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    delegated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(_("first public reply"), null=True, blank=True)
    # Seconds from the citizen's post to the agency's first public reply; stored so the board's medians
    # are an indexed read, not a computation over every case.
    first_reply_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["program", "status", "-urgency", "-opened_at"], name="cases_case_inbox"),
            # The agency queue pages over ids in this order (cases.views._page_of_cases) without reading rows.
            models.Index(fields=["program", "agency", "status", "-urgency", "-opened_at"], name="cases_case_queue"),
            # The board (insight.board) reads these in order without touching the table; the columns after
            # the first ones are there so that its GROUP BYs and period filters are answered from the index.
            models.Index(
                fields=["program", "agency", "status", "sector", "opened_at", "first_reply_seconds"],
                name="cases_case_agency_queue",
            ),
            models.Index(
                fields=[
                    "program",
                    "opened_at",
                    "status",
                    "agency",
                    "sector",
                    "region",
                    "first_reply_seconds",
                    "first_reply_at",
                ],
                name="cases_case_opened",
            ),
            models.Index(fields=["agency", "first_reply_seconds", "opened_at", "status"], name="cases_case_reply_time"),
            models.Index(fields=["program", "region", "status", "opened_at"], name="cases_case_region"),
            models.Index(fields=["program", "first_reply_at", "opened_at", "status"], name="cases_case_answered"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    # Instead of Django's generated get_FOO_display, which rebuilds the choices on every call (kemala.choices).
    def get_status_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        return choice_label(Status, self.status)

    def get_kind_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        return choice_label(Kind, self.kind)

    def get_urgency_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        return choice_label(Urgency, self.urgency)

    def get_platform_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        return choice_label(Platform, self.platform)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def first_response_seconds(self) -> float | None:
        if self.first_reply_at is None:
            return None
        return (self.first_reply_at - self.opened_at).total_seconds()


class ReplyStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Reply(models.Model):
    """An agency's public reply: a row in the outbox until the worker has published it, exactly once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    in_reply_to = models.ForeignKey("sources.Post", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=12, choices=ReplyStatus.choices, default=ReplyStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed: ingest looks replies up by platform id to attach citizens' answers to the agency's reply.
    external_id = models.CharField(_("platform id"), max_length=200, blank=True, db_index=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="cases_reply_due")]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_status_display()}"


class AuditEvent(models.Model):
    """One recorded action: who, when, from which state to which, and why. Never updated or deleted."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True, help_text=_("For actions by the system"))
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"
