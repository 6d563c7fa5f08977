"""Input of the case actions. Forms only parse and check the shape; `cases.services` decides what is allowed.

The selects are rendered by hand in the templates (the inbox shows one agency list per row, and the region
list must not hold all 8,500 desa), so these forms validate what comes back and are never rendered.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Kind, RejectReason
from programs.models import Agency, Program, Region, Sector

NOTE_MAX = 1000
# Above every platform's limit (cases.services.REPLY_LIMITS), so that the service gives the message.
REPLY_MAX = 5000


def error_text(form: forms.Form) -> str:
    """All of the form's error messages as one line, to show where the action was taken."""
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


class _ProgramForm(forms.Form):
    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program

    def _choices(self, name: str, queryset: QuerySet[Any]) -> None:
        cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset


class TriageForm(_ProgramForm):
    sector = forms.ModelChoiceField(queryset=Sector.objects.none(), to_field_name="code", required=False)
    region = forms.ModelChoiceField(queryset=Region.objects.none(), to_field_name="code", required=False)
    kind = forms.ChoiceField(choices=[("", ""), *Kind.choices], required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, program=program, **kwargs)
        self._choices("sector", Sector.objects.filter(program=program))
        self._choices("region", Region.objects.filter(program=program))


class DelegateForm(_ProgramForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        to_field_name="code",
        error_messages={
            "required": _("Choose the agency to delegate to."),
            "invalid_choice": _("Choose an active agency of this program."),
        },
    )
    note = forms.CharField(required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, program=program, **kwargs)
        self._choices("agency", Agency.objects.filter(program=program, is_active=True))


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        choices=RejectReason.choices,
        error_messages={
            "required": _("Choose a reason: spam, not a public-service matter, or duplicate."),
            "invalid_choice": _("Choose a reason: spam, not a public-service matter, or duplicate."),
        },
    )
    note = forms.CharField(required=False, max_length=NOTE_MAX)


class MergeForm(forms.Form):
    into = forms.CharField(
        max_length=40, error_messages={"required": _("Give the tracking code of the case to merge into.")}
    )
    note = forms.CharField(required=False, max_length=NOTE_MAX)

    def __init__(self, *args: Any, visible_cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visible_cases = visible_cases

    def clean_into(self) -> Case:
        code = self.cleaned_data["into"].strip()
        # Codes are read aloud and retyped, so accept any letter case.
        target = self.visible_cases.filter(tracking_code__iexact=code).first()
        if target is None:
            raise forms.ValidationError(_("There is no case %(code)s."), params={"code": code})
        return target


class NoteForm(forms.Form):
    """Close and resolve: an optional note for the audit trail."""

    note = forms.CharField(required=False, max_length=NOTE_MAX)


class TransferForm(forms.Form):
    # Not required here: the service refuses an empty reason with the message we want to show.
    reason = forms.CharField(required=False, max_length=NOTE_MAX)


class ReplyForm(forms.Form):
    # Not required here either: the service refuses an empty or too long reply with its own message.
    text = forms.CharField(required=False, max_length=REPLY_MAX, strip=False)
