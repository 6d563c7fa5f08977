"""The shared template tags: `{% time_element %}` gives exactly what the two `date` filters it replaces give;
`web_link` lets only http(s) links into an href."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

MOMENTS = [
    datetime(2026, 12, 2, 7, 5, 9, 123456, tzinfo=UTC),
    datetime(2026, 1, 31, 17, 0, tzinfo=UTC),  # past midnight in Jakarta: the local date is the next day
    datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
    datetime(2000, 5, 1, tzinfo=UTC),
    datetime(2026, 8, 17, 10, 0),  # naive: shown as it is, named after the default time zone
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "UTC"])
def test_same_as_the_date_filters(moment: datetime, language: str, zone: str) -> None:
    filters = Template("""<time datetime="{{ v|date:'c' }}">{{ v|date:"j M Y H:i T" }}</time>""")
    tag = Template("{% load kemala_tags %}{% time_element v %}")
    with translation.override(language), timezone.override(zone):
        assert tag.render(Context({"v": moment})) == filters.render(Context({"v": moment}))


def test_nothing_for_no_time() -> None:
    assert Template("{% load kemala_tags %}[{% time_element v %}]").render(Context({"v": None})) == "[]"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://x.com/warga/status/1", "https://x.com/warga/status/1"),
        ("HTTP://example.go.id/a", "HTTP://example.go.id/a"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//evil.example/x", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_link_keeps_only_http_links(url: str | None, shown: str) -> None:
    from kemala.templatetags.kemala_tags import web_link

    assert web_link(url) == shown
