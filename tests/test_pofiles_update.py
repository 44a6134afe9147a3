"""``i18n update`` run twice leaves a fuzzy entry as the first run wrote it."""

from __future__ import annotations

from portal import pofiles
from portal.locales import Registry

POT = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#. paragraph
msgctxt "page:x"
msgid "The new English paragraph, a little longer than it was."
msgstr ""
'''
PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: pl\\n"

#. paragraph
msgctxt "page:x"
msgid "The old English paragraph, a little longer."
msgstr "Stary akapit."
'''


def test_update_twice_keeps_the_previous_source_and_adds_no_comments(tmp_path):
    lang = Registry().get("pl")
    (tmp_path / "content.pot").write_text(POT, encoding="utf-8")
    path = pofiles.po_path(tmp_path, lang, "content")
    path.parent.mkdir(parents=True)
    path.write_text(PO, encoding="utf-8")
    pofiles.update(tmp_path, lang, "content")
    first = path.read_text(encoding="utf-8")
    assert '#| msgid "The old English paragraph, a little longer."' in first
    assert "#, fuzzy" in first
    pofiles.update(tmp_path, lang, "content")
    second = path.read_text(encoding="utf-8")
    assert second == first
    assert "# |" not in second
