"""The CSV export: the filtered list, scoped like the pages, with personal data masked and no formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from cases.models import Case, Status, Urgency
from cases.views import EXPORT_COLUMNS
from programs.models import Agency, Program, Region

EXPORT = reverse("cases:export")


def _rows(client: Client, query: dict[str, str | list[str]] | None = None) -> list[dict[str, str]]:
    response = client.get(EXPORT, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kemala-cases-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert reader.fieldnames == EXPORT_COLUMNS
    return list(reader)


def test_export_content(
    admin_client: Client, make_case: Callable[..., Case], agency_a: Agency, program: Program
) -> None:
    case = make_case(
        "Lampu jalan mati di depan rumah, hubungi 081234567890 atau budi@example.com",
        status=Status.DELEGATED,
        agency=agency_a,
        urgency=Urgency.HIGH,
        region=Region.objects.get(program=program, code="33.74"),
        support_count=3,
    )

    [row] = _rows(admin_client)

    assert row["tracking_code"] == case.tracking_code
    assert row["opened_at"] == "2026-11-20T10:00:00+07:00"
    assert (row["status"], row["urgency"], row["platform"]) == ("delegated", "high", "x")
    assert (row["region_code"], row["region"], row["agency"]) == ("33.74", "Kota Semarang", "dpu-bmck")
    assert (row["support"], row["follow_ups"]) == ("3", "0")
    assert row["text"].startswith("Lampu jalan mati di depan rumah, hubungi ")
    assert "081234567890" not in row["text"] and "budi@example.com" not in row["text"]


def test_export_is_scoped_and_filtered(
    client_for: Callable[..., Client],
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    operator_b: AbstractBaseUser,
    make_case: Callable[..., Case],
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    of_a = make_case(status=Status.DELEGATED, agency=agency_a)
    of_b = make_case(status=Status.DELEGATED, agency=agency_b)
    fresh = make_case()

    def codes(user: AbstractBaseUser, query: dict[str, str | list[str]] | None = None) -> set[str]:
        return {row["tracking_code"] for row in _rows(client_for(user), query)}

    assert codes(admin_user) == {of_a.tracking_code, of_b.tracking_code, fresh.tracking_code}
    assert codes(admin_user, {"status": ["new"]}) == {fresh.tracking_code}
    assert codes(admin_user, {"agency": "kota-semarang"}) == {of_b.tracking_code}
    assert codes(operator_a) == {of_a.tracking_code}
    assert codes(operator_b) == {of_b.tracking_code}
    # Asking for another agency's case by its code finds nothing.
    assert codes(operator_b, {"q": of_a.tracking_code}) == set()


def test_export_defuses_formulas(admin_client: Client, make_case: Callable[..., Case]) -> None:
    texts = ['=HYPERLINK("http://evil.example","klik")', "+62 812", "-1+1", "@SUM(A1:A2)", "aman = biasa"]
    for text in texts:
        make_case(text)

    exported = {row["text"] for row in _rows(admin_client)}

    assert exported == {
        '\'=HYPERLINK("http://evil.example","klik")',
        "'+62 812",
        "'-1+1",
        "'@SUM(A1:A2)",
        "aman = biasa",
    }
