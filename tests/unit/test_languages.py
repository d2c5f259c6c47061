import pytest

from translator.errors import UnsupportedLanguage
from translator.text.languages import AUTO, normalize_language


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("EN-us", "en"),
        ("zh_CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-TW", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("pt-BR", "pt"),
        (" ja ", "ja"),
    ],
)
def test_codes_are_normalised(code: str, expected: str) -> None:
    assert normalize_language(code, field="target") == expected


def test_auto_only_where_allowed() -> None:
    assert normalize_language("AUTO", field="source", allow_auto=True) == AUTO
    with pytest.raises(UnsupportedLanguage) as raised:
        normalize_language("auto", field="target")
    assert raised.value.field == "target"


@pytest.mark.parametrize("code", ["xx", "", "klingon", "-"])
def test_unknown_codes_name_the_field_and_list_supported(code: str) -> None:
    with pytest.raises(UnsupportedLanguage) as raised:
        normalize_language(code, field="source", allow_auto=True)
    assert raised.value.field == "source"
    assert "supported: auto, ar," in raised.value.message
    assert "zh-Hant" in raised.value.message
