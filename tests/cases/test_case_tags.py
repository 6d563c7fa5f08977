"""The list helpers that replace `{% url %}` and an include per row must give exactly what those gave."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from cases.models import Case
from cases.templatetags.case_tags import case_url
from programs.models import Agency

CASE_URL_NAMES = [
    "cases:detail",
    "cases:replies",
    "cases:triage",
    "cases:delegate",
    "cases:reject",
    "cases:merge",
    "cases:close",
    "cases:acknowledge",
    "cases:reply",
    "cases:transfer",
    "cases:resolve",
]


@pytest.mark.parametrize("name", CASE_URL_NAMES)
@pytest.mark.parametrize("code", ["KMJ-2611-0001", "a b?c#d", "kode%20aneh", "ÜNICODE-✓", "0CODE0", "a&b=c;d'!~:@"])
def test_case_url_is_what_reverse_gives(name: str, code: str) -> None:
    assert case_url(name, code) == reverse(name, args=[code])


@pytest.mark.parametrize(("name", "code"), [("cases:nope", "KMJ-1"), ("cases:detail", "a/b"), ("cases:detail", "")])
def test_case_url_refuses_what_reverse_refuses(name: str, code: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse(name, args=[code])
    with pytest.raises(NoReverseMatch):
        case_url(name, code)


def render(source: str, **context: object) -> str:
    return Template("{% load case_tags %}" + source).render(Context(context))


def test_action_hidden_carries_token_return_path_and_surface_escaped() -> None:
    html = render(
        '{% action_hidden "inbox" %}',
        csrf_token="tok123",
        return_to='/cases/inbox/?q="><script>alert(1)</script>',
    )
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="tok123">' in html
    assert 'name="next" value="/cases/inbox/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert '<input type="hidden" name="surface" value="inbox">' in html
    assert "<script>" not in html


def test_action_hidden_without_a_token_leaves_the_token_out() -> None:
    for token in (None, "NOTPROVIDED"):
        html = render('{% action_hidden "queue" %}', csrf_token=token, return_to="/cases/queue/")
        assert "csrfmiddlewaretoken" not in html
        assert 'name="surface" value="queue"' in html


def test_inbox_actions_rendered_once_per_status_equal_the_template_per_case(
    make_case: Callable[..., Case], agency_a: Agency, agency_b: Agency
) -> None:
    from django.template.loader import get_template

    from cases.models import RejectReason, Status
    from cases.templatetags.case_tags import select_options
    from cases.views import ADMIN_OFFERS

    cases = [
        make_case(status=Status.NEW, suggested_agency=agency_a),
        make_case(status=Status.NEW, suggested_agency=None),
        make_case(status=Status.TRIAGED, suggested_agency=agency_b),
        make_case(status=Status.TRANSFER_REQUESTED, agency=agency_a, suggested_agency=agency_a),  # no preselection
        make_case(status=Status.TRANSFER_REQUESTED, agency=agency_a, suggested_agency=agency_b),
        make_case(status=Status.DELEGATED, agency=agency_b),  # offers nothing in the inbox
    ]
    page_context = {
        "csrf_token": "tok",
        "return_to": "/cases/inbox/?q=a&b",
        "offer": ADMIN_OFFERS,
        "agency_options": select_options([(agency_a.code, agency_a.short_name), (agency_b.code, agency_b.short_name)]),
        "reject_options": select_options(RejectReason.choices),
    }
    fragments: dict[str, str] = {}
    once_per_status = Template("{% load case_tags %}{% inbox_actions case %}")
    direct = get_template("cases/_inbox_actions.html")
    for case in cases:
        expected = direct.render({**page_context, "case": case})
        got = once_per_status.render(Context({**page_context, "case": case, "action_fragments": fragments}))
        assert got == expected, case.status
        without_page_dict = once_per_status.render(Context({**page_context, "case": case}))
        assert without_page_dict == expected
    assert set(fragments) == {Status.NEW, Status.TRIAGED, Status.TRANSFER_REQUESTED, Status.DELEGATED}
    first = once_per_status.render(Context({**page_context, "case": cases[0], "action_fragments": fragments}))
    assert f'value="{agency_a.code}" selected' in first and cases[0].tracking_code in first
    assert "selected" not in once_per_status.render(
        Context({**page_context, "case": cases[3], "action_fragments": fragments})
    )
