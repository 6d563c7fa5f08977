"""The list helpers that replace `{% url %}` and an include per row must give exactly what those gave."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from cases.templatetags.case_tags import case_url

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
