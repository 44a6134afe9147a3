"""Every setting the code reads has a default in portal/config.py and a line in the
README's configuration table."""

from __future__ import annotations

import re

from portal.config import ROOT, defaults

READ = re.compile(r"""config(?:\[|\.get\()\s*["']([A-Z][A-Z0-9_]+)["']""")
# Set by create_app itself from other settings, never by a deployment.
DERIVED = {"BABEL_TRANSLATION_DIRECTORIES", "SECRET_KEY"}


def settings_read() -> set[str]:
    names = set()
    for path in (ROOT / "portal").rglob("*.py"):
        names.update(READ.findall(path.read_text(encoding="utf-8")))
    return names - DERIVED


def test_the_scan_finds_settings():
    # A scan that finds nothing would pass whatever the code read.
    assert {"PUBLIC_URL", "EXIT_URL", "SEARCH_QUERY_CAP", "TRAINING_EMAIL"} <= settings_read()


def test_every_setting_read_has_a_default():
    missing = settings_read() - set(defaults())
    assert not missing, f"no default in portal/config.py for {sorted(missing)}"


def test_every_setting_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    missing = (settings_read() | set(defaults())) - documented
    assert not missing, f"no line in README.md's configuration table for {sorted(missing)}"
