"""The termbase as TBX (ISO 30042:2019, TBX v3, TBX-Basic dialect, DCA style): the
exchange format terminology tools and Weblate's glossaries read.

One ``conceptEntry`` per term; the English ``langSec`` carries the definition; each
language's ``langSec`` carries the approved rendering (``preferredTerm``), the
forbidden ones (``deprecatedTerm``), the avoided ones (``supersededTerm``) and the
translators' note.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .termbase import Termbase

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
          "TBXcoreStructV03_TBX-Basic_integrated.rng")
STATUS = {
    "approved": "preferredTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
    "avoid": "supersededTerm-admn-sts",
}


def tbx_lang(code: str) -> str:
    """BCP 47 for ``xml:lang``: ``zh_Hans`` is ``zh-Hans``."""
    return code.replace("_", "-")


def _el(parent, tag, text=None, attrs=None, **more):
    node = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {**(attrs or {}), **more})
    if text:
        node.text = text
    return node


def _term(lang_sec, text: str, status: str, note: str = ""):
    term_sec = _el(lang_sec, "termSec")
    _el(term_sec, "term", text)
    _el(term_sec, "termNote", STATUS[status], type="administrativeStatus")
    if note:
        _el(term_sec, "note", note)


def to_tbx(termbase: Termbase, languages: list[str] | None = None) -> bytes:
    """The whole termbase (or English and the given languages) as a TBX document."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}tbx", {"type": "TBX-Basic", "style": "dca",
                                               XML_LANG: "en"})
    header = _el(root, "tbxHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "titleStmt"), "title", "The portal: modern slavery terms")
    _el(_el(file_desc, "sourceDesc"), "p",
        "Generated from translations/termbase.yaml; edit that file, not this one.")
    body = _el(_el(root, "text"), "body")
    for term in termbase.terms:
        concept = _el(body, "conceptEntry", id=f"term-{term.id}")
        english = _el(concept, "langSec", attrs={XML_LANG: "en"})
        if term.definition:
            _el(english, "descrip", term.definition, type="definition")
        if term.note:
            _el(english, "note", term.note)
        _term(english, term.en, "approved")
        for code, rendering in term.renderings.items():
            if languages and code not in languages:
                continue
            section = _el(concept, "langSec", attrs={XML_LANG: tbx_lang(code)})
            _term(section, rendering.approved, "approved", rendering.note)
            for word in rendering.forbidden:
                _term(section, word, "forbidden")
            for word in rendering.avoid:
                _term(section, word, "avoid")
    ET.indent(root)
    body_xml = ET.tostring(root, encoding="unicode")
    prolog = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              f'<?xml-model href="{SCHEMA}" type="application/xml" '
              'schematypens="http://relaxng.org/ns/structure/1.0"?>\n')
    return (prolog + body_xml + "\n").encode("utf-8")
