from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sources.models import Post, PublishingAccount, QuarantinedItem, Source

# A URL typed without a scheme means https (Django 6's default; set now to avoid the deprecation).
URL_FIELDS_ASSUME_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class CredentialsForm(forms.ModelForm):
    """Credentials are write-only: the current value is never rendered, a new JSON object replaces it."""

    new_credentials = forms.CharField(
        label=_("New credentials (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_('Leave empty to keep the stored credentials. Example: {"bearer_token": "…"}'),
    )

    def clean_new_credentials(self) -> dict[str, Any] | None:
        raw = self.cleaned_data["new_credentials"].strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc.msg}) from exc
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise forms.ValidationError(_("Give a JSON object of text values."))
        return value

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit=False)
        if self.cleaned_data.get("new_credentials") is not None:
            instance.credentials = self.cleaned_data["new_credentials"]
        if commit:
            instance.save()
        return instance


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = CredentialsForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "platform", "query", "is_paused", "posts_captured", "last_success_at", "last_error_at"]
    list_filter = ["platform", "is_paused"]
    exclude = ["credentials"]
    readonly_fields = [
        "cursor",
        "lease_owner",
        "lease_expires_at",
        "next_run_at",
        "last_run_at",
        "last_success_at",
        "last_error",
        "last_error_at",
        "consecutive_failures",
        "posts_captured",
    ]


@admin.register(PublishingAccount)
class PublishingAccountAdmin(admin.ModelAdmin):
    form = CredentialsForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["agency", "platform", "handle", "base_url"]
    list_filter = ["platform"]
    search_fields = ["handle", "agency__short_name"]
    exclude = ["credentials"]
    autocomplete_fields = ["agency"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence is never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["platform", "external_id", "author_handle", "role", "case", "posted_at"]
    list_filter = ["platform", "role"]
    search_fields = ["external_id", "author_handle"]


@admin.register(QuarantinedItem)
class QuarantinedItemAdmin(ReadOnlyAdmin):
    list_display = ["source", "external_id", "reason", "created_at"]
