from __future__ import annotations

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from programs.models import Agency

register = template.Library()


def agency_options(agencies: list[Agency]) -> SafeString:
    """The <option>s of every agency, rendered once per page: the inbox repeats them in each of its rows."""
    return format_html_join("", '<option value="{}">{}</option>', ((a.code, a.short_name) for a in agencies))


@register.filter
def with_selected(options: SafeString, value: str | None) -> SafeString:
    """Mark the option whose value is `value` as selected (options from `agency_options`; codes are slugs)."""
    if not value:
        return options
    needle = f'value="{escape(value)}"'
    return mark_safe(options.replace(needle, f"{needle} selected", 1))  # noqa: S308 - both parts are escaped
