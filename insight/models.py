"""The board's rollup: tallies per local day and per local month, kept current by the worker (`insight.rollup`).

Nothing here is a source of truth: every row can be recomputed from the cases (`kemala rollup --rebuild`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Agency, Program, Sector


class Span(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    ALL = "all", _("All time")  # one row per value, on rollup.ALL_TIME: "all time" reads no year rows


class Dimension(models.TextChoices):
    SECTOR = "sector", _("Sector")
    REGION = "region", _("Regency/city")
    AGENCY = "agency", _("Agency")
    PLATFORM = "platform", _("Platform")
    KIND = "kind", _("Kind")


class Tally(models.Model):
    """How many cases the board counts, and how many of them were answered, per value of one dimension.

    One row per (program, span, day, dimension, value): the cases opened (by the citizen's posting time, as a
    calendar date in the program's time zone) on that day, or in the month or year starting on that day, that
    the board counts (not rejected, not merged); a period is read as whole years, whole months and days
    (`rollup.cover`). Only the column of `dimension` is set; empty/null in it is the unknown bucket (not
    classified, region unknown, not delegated). Each case is counted once per dimension.

    One row per dimension value rather than per combination of values: with ~100 cases a day spread over 17
    sectors, 35 regencies/cities and 95 agencies, a row per combination would be about a row per case, and the
    board only needs each dimension on its own.
    """

    # Not indexed alone: the index (program, span, day) serves every query.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", db_index=False)
    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField(
        help_text=_("The local date the span starts: the day, or the first day of the month or year")
    )
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, related_name="+", db_index=False)
    region = models.CharField(max_length=20, blank=True, help_text=_("Kemendagri code of the regency/city"))
    platform = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    cases = models.PositiveIntegerField()
    answered = models.PositiveIntegerField(help_text=_("Cases with a first public reply"))

    class Meta:
        verbose_name = _("board tally")
        verbose_name_plural = _("board tallies")
        indexes = [models.Index(fields=["program", "span", "day"], name="insight_tally_span_day")]

    def __str__(self) -> str:
        return f"{self.span} {self.day} {self.dimension}: {self.cases}"


class ReplyTimeTally(models.Model):
    """A histogram of the time to first public reply, per agency, of the answered cases the board counts.

    One row per (program, span, day, agency, band): `cases` answered cases whose reply time falls in the band
    (13 bands, from "under 15 minutes" to "over 7 days": `rollup.BANDS`), and `buckets`, the band's fine
    histogram as [[bucket, cases, sum of seconds], …] in increasing order. A bucket is one minute wide under
    24 hours, 15 minutes under 7 days and one hour beyond (`rollup.reply_bucket`); its value is the mean of its
    reply times. So a median read from here is exact when the middle bucket(s) hold equal times (always so for
    whole minutes under 24 hours, and for a bucket of one case), otherwise within the bucket's width.

    The bands make a median over a long period cheap: their counts say which band holds the middle case, and
    only that band's fine histogram is read.
    """

    # Not indexed alone: the index (program, span, day) serves every query.
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", db_index=False)
    span = models.CharField(max_length=5, choices=Span.choices)
    day = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False)
    band = models.PositiveSmallIntegerField()
    cases = models.PositiveIntegerField()
    buckets = models.JSONField(help_text=_("[[lower bound in seconds, cases, sum of seconds], …]"))

    class Meta:
        verbose_name = _("reply time tally")
        verbose_name_plural = _("reply time tallies")
        # Holds what the band counts read, so that only the rows whose fine histogram is needed are visited.
        indexes = [
            models.Index(
                fields=["program", "span", "day", "agency", "band", "cases"], name="insight_replytime_span_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.span} {self.day} agency {self.agency_id} band {self.band}: {self.cases}"


class RollupState(models.Model):
    """How far the rollup of a program has read the audit log, and when its figures were last known current."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, primary_key=True, related_name="rollup_state")
    last_event_id = models.BigIntegerField(
        default=0, help_text=_("Every audit event up to this id is reflected in the tallies")
    )
    updated_at = models.DateTimeField(help_text=_("When the worker last found the tallies current"))
    pending_ids = models.JSONField(
        default=list, blank=True, help_text=_("Audit events after the watermark already counted (not yet settled)")
    )

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self) -> str:
        return f"{self.program_id}: event {self.last_event_id} at {self.updated_at:%Y-%m-%d %H:%M}"
