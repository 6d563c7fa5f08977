"""The `kemala` command: Django's manage.py for this project, with Kemala's own subcommands.

`kemala run`, `kemala worker`, `kemala sandbox`, `kemala sources add|list`, `kemala classify`,
`kemala setup` — and every Django command (`kemala migrate`, `kemala createsuperuser` …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kemala.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["run"]:
        _ensure_local_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kemala", *args])


def _ensure_local_secret_key() -> None:
    """`kemala run` on a fresh machine: keep a random secret key in var/secret_key (created once, mode 600)."""
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        return
    import secrets
    from pathlib import Path

    var_dir = Path(os.environ.get("KEMALA_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    os.environ["SECRET_KEY_FILE"] = str(key_file)


if __name__ == "__main__":
    main()
