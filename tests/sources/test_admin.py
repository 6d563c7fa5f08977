"""The Django admin never shows platform credentials, and replaces them only when new ones are given."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from programs.models import Agency
from sources.models import Platform, PublishingAccount


@pytest.fixture
def superuser_client(db: None) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123")
    client = Client()
    client.force_login(user)
    return client


def test_credentials_are_write_only(superuser_client: Client, agency_a: Agency) -> None:
    account = PublishingAccount.objects.create(
        agency=agency_a, platform=Platform.X, handle="DPUJtg", credentials={"bearer_token": "very-secret-token"}
    )
    url = f"/django-admin/sources/publishingaccount/{account.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert "very-secret-token" not in page.content.decode()

    form = {"agency": agency_a.pk, "platform": "x", "handle": "DPUJtg", "base_url": "", "public_base_url": ""}
    assert superuser_client.post(url, {**form, "new_credentials": ""}).status_code == 302
    account.refresh_from_db()
    assert account.credentials == {"bearer_token": "very-secret-token"}  # empty keeps what is stored

    bad = superuser_client.post(url, {**form, "new_credentials": "{not json"})
    assert bad.status_code == 200 and "Not valid JSON" in bad.content.decode()
    account.refresh_from_db()
    assert account.credentials == {"bearer_token": "very-secret-token"}

    assert superuser_client.post(url, {**form, "new_credentials": '{"bearer_token": "rotated"}'}).status_code == 302
    account.refresh_from_db()
    assert account.credentials == {"bearer_token": "rotated"}


def test_posts_and_audit_are_read_only_in_the_admin(superuser_client: Client) -> None:
    assert superuser_client.get("/django-admin/sources/post/add/").status_code == 403
    assert superuser_client.get("/django-admin/cases/auditevent/add/").status_code == 403
    assert superuser_client.get("/django-admin/sources/post/").status_code == 200
