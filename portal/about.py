"""The partnership's own pages (partners, resources): the interface strings they are
made of, written once here for both their templates and the search index, which
indexes them as a reader sees them."""

from gettext import NullTranslations

N_ = NullTranslations().gettext  # marks a string for extraction; translated where shown

PARTNERS = N_("Partners")
PARTNER_COUNT = 100  # "more than …": the partnership's own figure
PARTNERS_SUMMARY = N_("The partnership brings together more than %(num)d organisations. "
                      "These are some of them.")
RESOURCES = N_("Resources to print")
RESOURCES_SUMMARY = N_("Each of these prints on one sheet, in this language.")
HELPLINE_CARD = N_("Helpline card")
