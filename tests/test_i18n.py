"""Bahasa Indonesia is the product's default language, English is one choice away, and the catalog is complete.

The rest of the suite runs in English (kemala/settings_test.py sets LANGUAGE_CODE = "en" so that it can assert the
source strings); the tests here put back the production default, read from kemala.settings itself.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from cases.models import Case
from kemala import settings as production_settings

LOCALE_DIR = Path(django_settings.BASE_DIR) / "kemala" / "locale" / "id" / "LC_MESSAGES"
PO = LOCALE_DIR / "django.po"
MO = LOCALE_DIR / "django.mo"
LOGIN = reverse("login")
BOARD = reverse("board")
INBOX = reverse("cases:inbox")


@pytest.fixture
def production_language(settings: Any, db: None) -> str:
    """The language a visitor without Accept-Language gets in production (every page reads the program)."""
    settings.LANGUAGE_CODE = production_settings.LANGUAGE_CODE
    return str(production_settings.LANGUAGE_CODE)


def _html(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- the pages ---------------------------------------------------------------------------------------------------


def test_production_default_is_indonesian_with_english_available() -> None:
    assert production_settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in production_settings.LANGUAGES] == ["id", "en"]
    assert Path(production_settings.LOCALE_PATHS[0]) == LOCALE_DIR.parent.parent


def test_login_page_is_indonesian_by_default(production_language: str, client: Client) -> None:
    response = client.get(LOGIN)
    html = _html(response)
    assert production_language == "id"
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in html
    assert "<h1>Masuk petugas</h1>" in html
    assert "Nama pengguna" in html
    assert "Kata sandi" in html
    assert ">Masuk</button>" in html
    assert "Staff login" not in html


def test_login_page_is_english_with_accept_language_en(production_language: str, client: Client) -> None:
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    html = _html(response)
    assert response["Content-Language"] == "en"
    assert "<h1>Staff login</h1>" in html
    assert "Username" in html
    assert "Masuk petugas" not in html


def test_wrong_password_message_is_indonesian(production_language: str, client: Client, admin_user: Any) -> None:
    html = _html(client.post(LOGIN, {"username": "admin", "password": "not-the-password"}))
    assert "Nama pengguna atau kata sandi salah." in html


def test_setlang_switches_to_english_and_back(production_language: str, client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "<h1>Staff login</h1>" in _html(client.get(LOGIN))

    client.post("/i18n/setlang/", {"language": "id", "next": LOGIN})
    assert "<h1>Masuk petugas</h1>" in _html(client.get(LOGIN))


def test_board_is_indonesian_by_default(production_language: str, client: Client, program: Any) -> None:
    html = _html(client.get(BOARD))
    assert '<html lang="id">' in html
    assert "Dasbor transparansi layanan publik" in html
    assert ">Papan publik</a>" in html
    assert "30 hari terakhir" in html
    assert "Public service board" not in html


def test_board_is_english_with_accept_language_en(production_language: str, client: Client, program: Any) -> None:
    html = _html(client.get(BOARD, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Public service board" in html
    assert "Last 30 days" in html
    assert "Dasbor transparansi" not in html


def test_admin_inbox_shows_indonesian_labels(
    production_language: str,
    client_for: Callable[[AbstractBaseUser | None], Client],
    admin_user: AbstractBaseUser,
    make_case: Callable[..., Case],
) -> None:
    make_case("Lampu jalan mati di Jalan Pemuda, Kota Semarang #KemalaJateng")
    html = _html(client_for(admin_user).get(INBOX))
    for label in (
        "<h1>Kotak masuk triase</h1>",
        ">Semua laporan</a>",
        "Filter",
        "Kab/kota",
        "Usulan sistem:",
        ">Disposisikan</button>",
        ">Tolak</button>",
        ">Gabungkan ke</button>",
        "1 laporan",
        ">Baru</span>",  # the status badge
        ">Keluar</button>",
    ):
        assert label in html, label
    assert "Triage inbox" not in html


def test_admin_inbox_in_english_after_choosing_english(
    production_language: str,
    client_for: Callable[[AbstractBaseUser | None], Client],
    admin_user: AbstractBaseUser,
) -> None:
    client = client_for(admin_user)
    client.post("/i18n/setlang/", {"language": "en", "next": INBOX})
    html = _html(client.get(INBOX))
    assert "<h1>Triage inbox</h1>" in html
    assert "Kotak masuk triase" not in html


# --- the catalog -------------------------------------------------------------------------------------------------


def _parse_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a .po file as makemessages writes it: flags, msgctxt, msgid, msgid_plural, msgstr[i]."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {}
    key: tuple[str, int | None] | None = None

    def close() -> None:
        nonlocal entry, key
        if "msgid" in entry:
            entries.append(entry)
        entry, key = {}, None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
        elif line.startswith("#~"):
            raise AssertionError(f"obsolete entry left in {path.name}: {line}")
        elif line.startswith("#"):
            if "msgid" in entry:
                close()
            if line.startswith("#,"):
                entry.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
        elif match := re.fullmatch(r'(msgctxt|msgid|msgid_plural|msgstr)(?:\[(\d+)\])? (".*")', line):
            name, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            key = (name, int(index) if index is not None else None)
            if name == "msgstr":
                entry.setdefault("msgstr", {})[key[1]] = text
            else:
                entry[name] = text
        elif line.startswith('"') and key is not None:
            text = ast.literal_eval(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += text
            else:
                entry[key[0]] += text
        else:
            raise AssertionError(f"unexpected line in {path.name}: {line!r}")
    close()
    return entries


def _header(entries: list[dict[str, Any]]) -> dict[str, str]:
    assert entries[0]["msgid"] == ""
    lines = entries[0]["msgstr"][None].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def test_header_is_indonesian_utf8_with_one_plural_form() -> None:
    header = _header(_parse_po(PO))
    assert header["Language"] == "id"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = _parse_po(PO)[1:]
    assert len(entries) > 300
    problems = []
    for entry in entries:
        if "fuzzy" in entry.get("flags", ()):
            problems.append(("fuzzy", entry["msgid"]))
        forms = entry["msgstr"]
        expected = [0] if "msgid_plural" in entry else [None]  # Indonesian: nplurals=1
        if sorted(forms, key=str) != expected or not all(forms.values()):
            problems.append(("untranslated or wrong plural forms", entry["msgid"]))
    assert problems == []


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def test_translations_keep_the_placeholders() -> None:
    problems = []
    for entry in _parse_po(PO)[1:]:
        source = entry.get("msgid_plural", entry["msgid"])
        for text in entry["msgstr"].values():
            if sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(source)):
                problems.append((entry["msgid"], text))
    assert problems == []


def test_msgattrib_finds_nothing_untranslated_or_fuzzy() -> None:
    if shutil.which("msgattrib") is None:
        pytest.skip("GNU gettext (msgattrib) is not installed")
    for option in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(["msgattrib", option, str(PO)], capture_output=True, text=True, check=True)
        assert "msgid" not in result.stdout, result.stdout[:2000]


def test_msgfmt_check_format_is_clean(tmp_path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "check.mo"), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _mo_catalog(path: Path) -> dict[Any, str]:
    with path.open("rb") as handle:
        catalog: dict[Any, str] = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header: its dates change with every makemessages run
    return catalog


def _po_catalog(path: Path) -> dict[Any, str]:
    catalog: dict[Any, str] = {}
    for entry in _parse_po(path)[1:]:
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            catalog.update({(msgid, index): text for index, text in entry["msgstr"].items()})
        else:
            catalog[msgid] = entry["msgstr"][None]
    return catalog


def test_committed_mo_matches_the_po() -> None:
    """The .mo is committed so production needs no gettext: it must hold exactly what the .po says (`make messages`)."""
    assert MO.exists(), "run `make messages` to compile kemala/locale/id/LC_MESSAGES/django.mo"
    assert _mo_catalog(MO) == _po_catalog(PO)


def test_committed_mo_matches_a_fresh_compile(tmp_path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(PO)], check=True)
    assert _mo_catalog(MO) == _mo_catalog(fresh)
