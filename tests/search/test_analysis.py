"""Analysis per language, with real words: the same chain at index and query time."""

from __future__ import annotations

import pytest

from portal.search.analysis import analysis_for, units


def exact(code, text):
    return [t.text for t in analysis_for(code).exact(text)]


def folded(code, text):
    return [t.text for t in analysis_for(code).fold(text)]


# Hindi -------------------------------------------------------------------------------

def test_hindi_words_stay_whole():
    # Whoosh's default tokenizer gives ह, न, द: vowel signs and virama are marks.
    assert exact("hi", "हिन्दी") == ["हिन्दी"]
    assert exact("hi", "मुझे मदद चाहिए।") == ["मुझे", "मदद", "चाहिए"]
    assert exact("hi", "पासपोर्ट") == ["पासपोर्ट"]


def test_hindi_fold_merges_nasal_spellings_and_nukta():
    # हिन्दी and हिंदी are both common spellings; ज़ and ज are typed interchangeably.
    assert folded("hi", "हिन्दी") == folded("hi", "हिंदी")
    assert folded("hi", "ज़बरदस्ती") == folded("hi", "जबरदस्ती")


# Arabic -------------------------------------------------------------------------------

def test_arabic_harakat_and_tatweel_are_removed():
    assert exact("ar", "المُساعَدة") == exact("ar", "المساعدة")
    assert exact("ar", "مســاعدة") == exact("ar", "مساعدة")
    assert len(exact("ar", "المُساعَدة")) == 1


def test_arabic_alef_yeh_teh_marbuta_fold():
    assert exact("ar", "أمان") == exact("ar", "امان") == exact("ar", "إمان")
    assert exact("ar", "آمن") == exact("ar", "امن")
    assert exact("ar", "مستشفى") == exact("ar", "مستشفي")
    assert exact("ar", "شرطة") == exact("ar", "شرطه")


def test_arabic_light_stem_on_fold_field():
    # The article and clitics come off on the folded field only.
    assert folded("ar", "الشرطة") == folded("ar", "شرطة")
    assert folded("ar", "والعمل") == folded("ar", "عمل")
    assert exact("ar", "الشرطة") != exact("ar", "شرطة")


def test_arabic_digits_become_ascii():
    assert exact("ar", "٩٩٩") == ["999"]
    assert exact("fa", "۱۰۱") == ["101"]


# Persian and Pashto ---------------------------------------------------------------------

def test_persian_zwnj_joins_on_exact_field():
    with_zwnj = "می\u200cخواهم"
    assert exact("fa", with_zwnj) == exact("fa", "میخواهم") == ["میخواهم"]


def test_persian_half_space_typed_as_space_still_matches_on_fold():
    # The fold field splits at ZWNJ and drops the affix, so all three spellings meet.
    assert folded("fa", "می\u200cخواهم") == folded("fa", "می خواهم") == ["خواهم"]
    assert folded("fa", "میخواهم") == ["خواهم"]


def test_persian_arabic_keyboard_letters():
    assert exact("fa", "كمك") == exact("fa", "کمک")
    assert exact("fa", "كاري") == exact("fa", "کاری")


def test_pashto_keeps_its_yeh_forms_apart_and_folds_gaf():
    assert exact("ps", "ګټه") == exact("ps", "گټه")
    assert exact("ps", "ښځې") != exact("ps", "ښځی")
    assert exact("ps", "مرسته") == ["مرسته"]


# Chinese -------------------------------------------------------------------------------

def test_chinese_bigrams():
    assert exact("zh-hans", "护照被拿走") == ["护照", "照被", "被拿", "拿走"]
    assert exact("zh-hans", "帮助") == ["帮助"]


def test_chinese_mixed_with_latin():
    assert exact("zh-hans", "NRM热线") == ["nrm", "热线"]
    assert exact("zh-hans", "拨打999") == ["拨打", "999"]


def test_chinese_bigram_positions_are_consecutive():
    # (tokens are reused by Whoosh: read each one as it comes)
    assert [t.pos for t in analysis_for("zh-hans").exact("我的护照", positions=True)] == [
        0, 1, 2]


# Latin scripts: folding ------------------------------------------------------------------

@pytest.mark.parametrize("code, typed, written", [
    ("vi", "quyen cua toi", "quyền của tôi"),
    ("vi", "ho chieu", "hộ chiếu"),
    ("vi", "giup do", "giúp đỡ"),
    ("pl", "szef zabral paszport", "szef zabrał paszport"),
    ("pl", "pomoc zaplata", "pomoc zapłata"),
    ("ro", "ajutor sef pasaport", "ajutor șef pașaport"),
    ("ro", "drepturile mele la munca", "drepturile mele la muncă"),
    ("sq", "ndihme pasaporte", "ndihmë pasaportë"),
    ("so", "caawimaad", "caawimaad"),
])
def test_typing_without_diacritics_folds_to_the_same_terms(code, typed, written):
    assert folded(code, typed) == folded(code, written)


def test_vietnamese_exact_field_keeps_tones():
    assert exact("vi", "quyền") == ["quyền"]
    assert exact("vi", "quyen") != exact("vi", "quyền")


def test_polish_exact_field_keeps_l_stroke():
    assert exact("pl", "zabrał") == ["zabrał"]


def test_romanian_cedilla_and_comma_below_are_one_letter():
    # ş (cedilla, old keyboards) and ș (comma below, correct) in both fields
    assert exact("ro", "situaţie") == exact("ro", "situație")
    assert exact("ro", "paşaport") == exact("ro", "pașaport")
    assert folded("ro", "ţară") == folded("ro", "țară") == ["tara"]


def test_romanian_is_stemmed_and_uses_its_stop_words():
    assert exact("ro", "ajutorul") == exact("ro", "ajutor")
    assert exact("ro", "drepturile") == exact("ro", "drepturi")
    assert "și" not in exact("ro", "muncă și salariu")
    assert exact("ro", "pașaportul") == exact("ro", "pașaport")


def test_english_is_stemmed_with_stop_words():
    assert exact("en", "my boss took my passports") == ["boss", "took", "passport"]
    # the fold field is never stemmed: typos and suggestions work on real words
    assert folded("en", "passports") == ["passports"]


def test_somali_apostrophe_is_part_of_the_word():
    assert exact("so", "la'aan") == exact("so", "la\u2019aan") == ["la'aan"]
    assert folded("so", "la'aan") == folded("so", "laaan")


def test_tigrinya_ethiopic_wordspace_separates_and_homophones_fold():
    assert exact("ti", "ሓገዝ፡ደልየ።") == ["ሓገዝ", "ደልየ"]
    assert folded("ti", "ሠራሕ") == folded("ti", "ሰራሕ")
    assert folded("ti", "ፀሓይ") == folded("ti", "ጸሓይ")


def test_nfkc_folds_full_width_and_presentation_forms():
    assert exact("en", "ＨＥＬＰ") == ["help"]
    assert exact("ar", "\ufefb") == exact("ar", "لا") or exact("ar", "\ufefb") == []


def test_decomposed_input_equals_composed():
    assert exact("vi", "quye\u0302\u0300n") == exact("vi", "quyền")


def test_units_are_what_the_tokenizer_sees():
    assert [u[2] for u in units("passport: taken!", "en")] == ["passport", "taken"]
    assert [u[2] for u in units("护照被拿", "zh")] == ["护照", "照被", "被拿"]

