"""`kemala.choices.choice_label` replaces Django's get_FOO_display on the hot models: same labels, same language."""

from __future__ import annotations

from django.utils import translation

from cases.models import Case, Kind, Status, Urgency
from kemala.choices import choice_label
from sources.models import Platform, Post


def test_labels_follow_the_active_language() -> None:
    with translation.override("id"):
        assert choice_label(Status, Status.NEW) == "Baru"
    with translation.override("en"):
        assert choice_label(Status, Status.NEW) == "New"


def test_a_value_outside_the_choices_shows_as_itself() -> None:
    assert choice_label(Status, "no-such-status") == "no-such-status"
    assert Case(status="legacy").get_status_display() == "legacy"


def test_the_models_give_what_the_choices_say() -> None:
    case = Case(status=Status.TRANSFER_REQUESTED, kind=Kind.QUESTION, urgency=Urgency.EMERGENCY, platform=Platform.WEB)
    for language in ("id", "en"):
        with translation.override(language):
            assert case.get_status_display() == str(Status.TRANSFER_REQUESTED.label)
            assert case.get_kind_display() == str(Kind.QUESTION.label)
            assert case.get_urgency_display() == str(Urgency.EMERGENCY.label)
            assert case.get_platform_display() == str(Platform.WEB.label)
            assert Post(platform=Platform.ARCHIVE).get_platform_display() == str(Platform.ARCHIVE.label)
