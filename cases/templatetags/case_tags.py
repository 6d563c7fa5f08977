"""Template helpers for the case lists, where the same small pieces are rendered for every row of a page.

A list page renders 25 rows with up to four links and three action forms each; `{% url %}` and an
`{% include %}` per form were a measurable share of the inbox's time at 100,000 cases (BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from django import template
from django.template.context import Context
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from cases.models import Case

register = template.Library()

# Stands for a tracking code in URLs and markup rendered once and filled in per case: letters and digits only,
# so `reverse`, quoting and escaping all leave it as it is.
_CODE_PLACEHOLDER = "0CODE0"


def _quoted_code(tracking_code: str) -> str:
    """The tracking code as `reverse` puts it into a URL path."""
    return quote(tracking_code, safe=RFC3986_SUBDELIMS + "~:@")


@register.filter
def with_selected(options: SafeString, value: str | None) -> SafeString:
    """Mark the option whose value is `value` as selected (options from `select_options`; values are slugs)."""
    if not value:
        return options
    needle = f'value="{escape(value)}"'
    return mark_safe(options.replace(needle, f"{needle} selected", 1))  # noqa: S308 - both parts are escaped


@register.simple_tag
def select_options(choices: Iterable[tuple[object, object]], selected: object = "") -> SafeString:
    """The <option>s of `(value, label)` pairs with `selected` marked: the filter form's long lists (95
    agencies, 35 regencies) in one call instead of a loop and a comparison per option in the template."""
    chosen = str(selected or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if chosen and str(value) == chosen else "", label) for value, label in choices),
    )


@lru_cache(maxsize=64)
def _case_url_parts(script_prefix: str, name: str) -> tuple[str, str]:
    # Keyed on the script prefix too: `reverse` includes it, and it is what could differ between requests.
    url = reverse(name, args=[_CODE_PLACEHOLDER])
    before, _, after = url.partition(_CODE_PLACEHOLDER)
    return before, after


@register.simple_tag
def case_url(name: str, tracking_code: str) -> str:
    """`{% url name tracking_code %}` for the case URLs (one argument, the tracking code), without resolving
    the pattern again for every row: the URL is reversed once per name and the code put in its place,
    quoted as `reverse` would quote it."""
    code = str(tracking_code)
    if not code or "/" in code:  # what the `<str:tracking_code>` converter refuses, `reverse` refuses too
        raise NoReverseMatch(f"No case URL {name!r} for {code!r}")
    before, after = _case_url_parts(get_script_prefix(), name)
    return f"{before}{_quoted_code(code)}{after}"


@register.simple_tag(takes_context=True)
def action_hidden(context: Context, surface: str) -> SafeString:
    """The hidden fields every case action form carries: the CSRF token, where to go back to, and which
    surface (inbox, queue, list, detail) the form is on, so an htmx answer re-renders the right thing."""
    token = context.get("csrf_token")
    # No field without a token, nor for views exempt from CSRF ("NOTPROVIDED"): what `{% csrf_token %}` does.
    has_token = bool(token) and str(token) != "NOTPROVIDED"
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token) if has_token else ""
    return format_html(
        '{}<input type="hidden" name="next" value="{}"><input type="hidden" name="surface" value="{}">',
        csrf,
        context.get("return_to", ""),
        surface,
    )


INBOX_ACTIONS = "cases/_inbox_actions.html"


@dataclass(frozen=True)
class _StandIn:
    """What `_inbox_actions.html` may read of a case, for rendering it once per status."""

    tracking_code: str
    status: str
    suggested_agency: None = None
    suggested_agency_id: None = None
    agency_id: None = None


@register.simple_tag(takes_context=True)
def inbox_actions(context: Context, case: Case) -> SafeString:
    """The action forms of an inbox row (`_inbox_actions.html`), rendered once per status on a page.

    The forms of two rows differ only in the tracking code in their URLs and the agency preselected in
    "delegate to" (the suggestion); rendering them for each of 25 rows was a quarter of the inbox's time. So
    the template is rendered for a stand-in case of the row's status, kept in the page's `action_fragments`
    dict, and each row gets its own code and selection put in (a test checks the result equals rendering
    the template with the real case).
    """
    # A single row (the htmx answer to an action) has no page dict: a fresh one, used once.
    fragments: dict[str, str] | None = context.get("action_fragments")
    if fragments is None:
        fragments = {}
    html = fragments.get(case.status)
    if html is None:
        if context.template is None:
            raise template.TemplateSyntaxError("{% inbox_actions %} works only inside a template")
        with context.push(case=_StandIn(_CODE_PLACEHOLDER, case.status)):
            html = context.template.engine.get_template(INBOX_ACTIONS).render(context)
        fragments[case.status] = html
    html = html.replace(_CODE_PLACEHOLDER, escape(_quoted_code(case.tracking_code)))
    if case.suggested_agency is not None and case.suggested_agency_id != case.agency_id:
        start = html.find('<select name="agency"')
        end = html.find("</select>", start)
        if start != -1 and end != -1:
            html = html[:start] + with_selected(mark_safe(html[start:end]), case.suggested_agency.code) + html[end:]  # noqa: S308
    return mark_safe(html)  # noqa: S308 - rendered by the template engine; the code is quoted and escaped
