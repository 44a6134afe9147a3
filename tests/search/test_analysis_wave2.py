"""Analysis for the wave-2 scripts and languages, with real words (issue 21): each
language's rules are data in portal/scripts.py; these tests hold them to what
readers type."""

from __future__ import annotations

import pytest

from portal.locales import WAVE2
from portal.search.analysis import analysis_for, units


def exact(code, text):
    return [t.text for t in analysis_for(code).exact(text)]


def folded(code, text):
    return [t.text for t in analysis_for(code).fold(text)]


@pytest.mark.parametrize(("code", "word"), [
    ("bn", "বাংলা"), ("bn", "পাসপোর্ট"), ("pa", "ਪੰਜਾਬੀ"), ("pa", "ਮਦਦ"),
    ("ml", "മലയാളം"), ("ml", "സഹായം"), ("ta", "தமிழ்"), ("ta", "உதவி"),
    ("am", "እርዳታ"), ("ur", "پاسپورٹ"), ("ckb", "یارمەتی"),
])
def test_words_of_every_script_stay_whole(code, word):
    # Whoosh's default tokenizer breaks these at every vowel sign and virama.
    assert [text for _, _, text in units(word, code)] == [word]
    assert exact(code, word) and len(exact(code, word)) == 1


def test_every_wave2_language_analyses_its_own_name():
    for lang in WAVE2:
        words = [text for _, _, text in units(lang.endonym, lang.code)]
        assert words and all(exact(lang.code, w) for w in words), lang.code


# Arabic script ---------------------------------------------------------------------

def test_sorani_keeps_ae_apart_from_heh_and_reads_heh_with_non_joiner_as_ae():
    assert exact("ckb", "دەست") != exact("ckb", "دهست")
    assert folded("ckb", "دەست") != folded("ckb", "دهست")
    # Older text writes ە as ه followed by a zero-width non-joiner.
    assert exact("ckb", "ده\u200cست") == exact("ckb", "دەست")


def test_sorani_arabic_keyboard_letters_and_missing_kurdish_letters():
    assert exact("ckb", "كار") == exact("ckb", "کار")
    assert exact("ckb", "يارمەتي") == exact("ckb", "یارمەتی")
    # A reader without ڵ ڕ ێ ۆ on the keyboard still finds the word.
    assert exact("ckb", "کۆڵان") != exact("ckb", "کولان")
    assert folded("ckb", "کۆڵان") == folded("ckb", "کولان")
    assert folded("ckb", "ڕێگا") == folded("ckb", "ریگا")


def test_urdu_letters_and_arabic_keyboard_variants():
    assert exact("ur", "مدد") == ["مدد"]
    assert exact("ur", "كام") == exact("ur", "کام")
    assert exact("ur", "مجهے") == exact("ur", "مجہے")
    assert exact("ur", "پاسپورٹ") == ["پاسپورٹ"]
    # ے ں ھ are Urdu's own: kept on the exact field, forgiven on the fold field.
    assert exact("ur", "ہے") != exact("ur", "ہی")
    assert folded("ur", "ہے") == folded("ur", "ہی")
    assert folded("ur", "میں") == folded("ur", "مین")
    assert folded("ur", "مجھے") == folded("ur", "مجہے")


def test_urdu_and_dari_half_space():
    assert exact("ur", "کر\u200cدیا") == ["کردیا"]
    assert exact("fa-af", "می\u200cخواهم") == exact("fa-af", "میخواهم")
    assert "خواهم" in folded("fa-af", "می خواهم")


def test_dari_reads_persian_rules_and_arabic_keyboard_letters():
    assert exact("fa-af", "كمك") == exact("fa-af", "کمک")
    assert analysis_for("fa-af").rules is analysis_for("fa").rules


# Indic ------------------------------------------------------------------------------

def test_malayalam_chillu_letters_and_joiner_sequences_are_one_spelling():
    atomic = "അവൻ"  # ൻ U+0D7B
    joined = "അവന\u0d4d\u200d"  # NA, virama, ZWJ
    assert exact("ml", atomic) == exact("ml", joined)
    assert exact("ml", "അവർ") == exact("ml", "അവര\u0d4d\u200d")
    assert exact("ml", "അവർ") != exact("ml", "അവൻ")


def test_indic_marks_are_not_folded_away():
    # Accent folding would take vowel signs apart; these scripts keep them.
    assert folded("bn", "কাজ") != folded("bn", "কজ")
    assert folded("ta", "வேலை") != folded("ta", "வலை")
    assert folded("pa", "ਕੰਮ") != folded("pa", "ਕਮ")


def test_native_bengali_digits_are_read_as_ascii():
    assert exact("bn", "৯৯৯") == ["999"]


# Ethiopic ---------------------------------------------------------------------------

def test_amharic_wordspace_and_homophones():
    assert exact("am", "እርዳታ፡እፈልጋለሁ።") == ["እርዳታ", "እፈልጋለሁ"]
    assert folded("am", "ሠራተኛ") == folded("am", "ሰራተኛ")
    assert folded("am", "ፀሐይ") == folded("am", "ጸሐይ")


# Cyrillic ---------------------------------------------------------------------------

def test_russian_yo_is_ye_and_words_are_stemmed():
    assert exact("ru", "ещё") == exact("ru", "еще")
    assert exact("ru", "паспорта") == exact("ru", "паспорт")
    assert "и" not in exact("ru", "работа и деньги")
    assert folded("ru", "ёлка") == folded("ru", "елка")


def test_ukrainian_apostrophe_look_alikes_are_one_letter():
    assert exact("uk", "сім'я") == exact("uk", "сім\u02bcя") == exact("uk", "сім\u2019я")
    assert len(exact("uk", "п'ять")) == 1
    assert folded("uk", "сім'я") == folded("uk", "сімя")


def test_bulgarian_is_lower_cased_not_stemmed():
    assert exact("bg", "Паспорт") == ["паспорт"]
    assert exact("bg", "паспорта") != exact("bg", "паспорт")


# Latin ------------------------------------------------------------------------------

def test_turkish_dotted_and_dotless_i():
    assert exact("tr", "İŞÇİ") == exact("tr", "işçi")
    assert folded("tr", "ISCI") == folded("tr", "işçi")
    assert folded("tr", "yardım") == folded("tr", "yardim")


@pytest.mark.parametrize(("code", "typed", "written"), [
    ("cs", "pomoc pas zamestnavatel", "pomoc pas zaměstnavatel"),
    ("sk", "pomoc zamestnavatel", "pomoc zamestnávateľ"),
    ("lt", "pagalba darbdavys", "pagalba darbdavys"),
    ("lt", "pasas paemė", "pasas paeme"),
    ("hu", "utlevel munkaltato", "útlevél munkáltató"),
    ("pt", "passaporte patrao", "passaporte patrão"),
    ("es", "pasaporte ayuda jefe", "pasaporte ayúda jefe"),
    ("fr", "employeur passeport aide", "employeur passeport aidé"),
    ("fil", "tulong pasaporte", "tulong pasaporte"),
])
def test_typing_without_diacritics_folds_to_the_same_terms(code, typed, written):
    assert folded(code, typed) == folded(code, written)


@pytest.mark.parametrize(("code", "plural", "singular"), [
    ("fr", "travailleurs", "travailleur"), ("es", "trabajadores", "trabajador"),
    ("pt", "trabalhadores", "trabalhador"), ("hu", "munkáltatóm", "munkáltató"),
])
def test_snowball_languages_are_stemmed_on_the_exact_field_only(code, plural, singular):
    assert exact(code, plural) == exact(code, singular)
    assert folded(code, plural) != folded(code, singular)


@pytest.mark.parametrize(("code", "inflected", "plain"), [
    ("tr", "maaşımı", "maaş"), ("tr", "pasaportumu", "pasaport"),
    ("lt", "pagalbos", "pagalba"), ("lt", "atlyginimo", "atlyginimas"),
])
def test_turkish_and_lithuanian_are_stemmed_by_snowball(code, inflected, plain):
    assert exact(code, inflected) == exact(code, plain)
    assert folded(code, inflected) != folded(code, plain)  # the fold field never is


def test_a_snowball_stemmer_survives_the_index_schema_pickle():
    import pickle

    analyser = analysis_for("tr").exact
    again = pickle.loads(pickle.dumps(analyser))
    assert [t.text for t in again("maaşımı")] == ["maaş"]
