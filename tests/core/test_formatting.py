"""One formatting rule, by the active language (core.formatting)."""

from django.utils import translation

from core.formatting import euro, in_english, in_language


def test_euros_follow_the_active_language():
    with translation.override("nl"):
        assert euro(1_250_000) == "€\xa01.250.000"
    with translation.override("en"):
        assert euro(1_250_000) == "€1,250,000"  # as the issue asks: no space in English


def test_english_is_every_english_variant():
    # One of the nine copies this replaced compared with == "en" and missed en-gb.
    for code, english in (("nl", False), ("en", True), ("en-gb", True)):
        with translation.override(code):
            assert in_english() is english
            assert in_language("Gezondheid", "Health") == ("Health" if english else "Gezondheid")


def test_a_missing_translation_falls_back_to_the_other_language():
    with translation.override("en"):
        assert in_language("Gezondheid", "") == "Gezondheid"
    with translation.override("nl"):
        assert in_language("", "Health") == "Health"
