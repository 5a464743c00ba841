"""What the secretary reads names choices by their Russian titles, never by internal ids («bonus», «representative»)."""
from __future__ import annotations

import re

import pytest

from docgen.errors import InputError
from docgen.validation import russian_choices, validate_all

ENGLISH_IDS = re.compile(r"«(?:bonus|certificate|gratitude|representative|subject)»")


def problems_of(docgen_hooks, payload) -> str:
    with pytest.raises(InputError) as caught:
        validate_all([payload] if isinstance(payload, dict) else payload, docgen_hooks.registry(), docgen_hooks)
    return caught.value.russian()


def raw(payload):
    from docgen.reading import RawDocument

    return [RawDocument(payload, 0)]


def test_a_wrong_reward_kind_lists_the_russian_kinds_only(docgen_hooks, example):
    order = example("reward_order.json")
    order["rewards"][0]["kind"] = "медаль"
    text = problems_of(docgen_hooks, raw(order))
    assert "«медаль» — недопустимое значение; допустимы: «благодарность», «грамота», «премия»" in text
    assert not ENGLISH_IDS.search(text) and "bonus" not in text


def test_a_minor_without_a_representative_is_told_in_words(docgen_hooks, example):
    consent = next(c for c in example("consent.json") if c["subject"]["birth_date"] > "2006")
    consent.pop("representative", None)
    text = problems_of(docgen_hooks, raw(consent))
    assert "Заполните сведения о законном представителе" in text
    assert not ENGLISH_IDS.search(text), text


def test_russian_choices_keep_a_list_without_russian_values_as_it_is():
    assert russian_choices(["m", "f"]) == ["m", "f"]
    assert russian_choices(["bonus", "премия", 5]) == ["премия"]
