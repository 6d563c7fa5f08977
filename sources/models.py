"""Sources (where posts are captured), the posts themselves with their evidence, and publishing accounts."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kemala.choices import choice_label
from programs.models import Agency, Program


class Platform(models.TextChoices):
    X = "x", "X"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    TELEGRAM = "telegram", "Telegram"
    WEB = "web", _("Web form")
    ARCHIVE = "archive", _("Archive import")


class Source(models.Model):
    """A configured capture of one platform for one program, read by exactly one runner at a time (the lease)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sources")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=512)
    base_url = models.URLField(_("base URL"), max_length=300, blank=True)
    public_base_url = models.URLField(_("public base URL"), max_length=300, blank=True)
    # Credentials are read only by connectors and never rendered; encryption at rest arrives with issue #4.
    credentials = models.JSONField(_("credentials"), default=dict, blank=True)
    cursor = models.CharField(_("cursor"), max_length=200, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(_("poll interval (seconds)"), default=30)
    is_paused = models.BooleanField(_("paused"), default=False)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    posts_captured = models.PositiveBigIntegerField(_("posts captured"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="sources_source_unique_program_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"


class PostRole(models.TextChoices):
    REPORT = "report", _("Report")  # opened a case
    FOLLOW_UP = "follow_up", _("Follow-up in the thread")
    SUPPORT = "support", _("Support (repost)")
    AGENCY_REPLY = "agency_reply", _("Agency reply")
    UNLINKED = "unlinked", _("Not linked to a case")


class Post(models.Model):
    """A captured post, stored exactly once per platform id, with its raw payload kept as evidence."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="posts")
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    external_id = models.CharField(_("platform id"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    author_id = models.CharField(_("author id"), max_length=200)
    author_handle = models.CharField(_("author"), max_length=200)
    author_name = models.CharField(_("author name"), max_length=300, blank=True)
    author_location = models.CharField(_("author location"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    lang = models.CharField(max_length=20, blank=True)
    place_name = models.CharField(max_length=300, blank=True)
    posted_at = models.DateTimeField(_("posted at"))
    captured_at = models.DateTimeField(_("captured at"), auto_now_add=True)
    conversation_id = models.CharField(max_length=200, blank=True)
    in_reply_to_id = models.CharField(max_length=200, blank=True)
    repost_of_id = models.CharField(max_length=200, blank=True)
    raw = models.JSONField(_("raw payload"))
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts")
    role = models.CharField(_("role"), max_length=20, choices=PostRole.choices, default=PostRole.UNLINKED)
    # The triage reading of this post (see triage.Reading); the case shows its first report's reading.
    kind = models.CharField(max_length=20, blank=True)
    sector_code = models.CharField(max_length=40, blank=True)
    sector_confidence = models.FloatField(default=0)
    agency_code = models.CharField(max_length=60, blank=True)
    agency_confidence = models.FloatField(default=0)
    region_code = models.CharField(max_length=20, blank=True)
    region_evidence = models.CharField(max_length=200, blank=True)
    urgency = models.CharField(max_length=20, blank=True)
    pii = models.JSONField(default=list, blank=True)
    model_version = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "external_id"], name="sources_post_unique_platform_id"),
        ]
        indexes = [
            models.Index(fields=["platform", "conversation_id"], name="sources_post_conversation"),
            models.Index(fields=["case", "posted_at"], name="sources_post_case_time"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.external_id}"

    # Cheaper than the one Django generates (kemala.choices).
    def get_platform_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Platform, self.platform)

    @property
    def masked_text(self) -> str:
        from triage import mask_pii

        return mask_pii(self.text)


class QuarantinedItem(models.Model):
    """Something a source returned that could not be stored as a post: kept with the reason, for a human."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="quarantine")
    external_id = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    raw = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quarantined item")
        verbose_name_plural = _("quarantined items")

    def __str__(self) -> str:
        return f"{self.source} · {self.external_id or '?'} · {self.reason[:60]}"


class PublishingAccount(models.Model):
    """An agency's own account on a platform, from which its replies are published."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="publishing_accounts")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=200)
    base_url = models.URLField(_("base URL"), max_length=300, blank=True)
    public_base_url = models.URLField(_("public base URL"), max_length=300, blank=True)
    credentials = models.JSONField(_("credentials"), default=dict, blank=True)

    class Meta:
        verbose_name = _("publishing account")
        verbose_name_plural = _("publishing accounts")
        constraints = [
            models.UniqueConstraint(fields=["agency", "platform"], name="sources_account_unique_agency_platform"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle} ({self.platform})"

    def credentials_for_connector(self) -> dict[str, Any]:
        return {**self.credentials, "username": self.handle}
