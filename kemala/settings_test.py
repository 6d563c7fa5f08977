"""Settings for the test suite: the production settings with a throwaway key and a fast password hasher."""

from __future__ import annotations

import os

os.environ.setdefault("KEMALA_TESTING", "1")

from kemala.settings import *  # noqa: F403 - the test settings are the real ones plus the lines below

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests create many users; speed only

# The product defaults to Bahasa Indonesia (kemala/locale); the suite asserts the English source strings, so a
# request without Accept-Language gets English here. tests/test_i18n.py checks the Indonesian default itself.
LANGUAGE_CODE = "en"

# whitenoise wants STATIC_ROOT to exist; the tests serve static files through the finders instead.
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
