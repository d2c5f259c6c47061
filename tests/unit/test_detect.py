import pytest

from translator.errors import InvalidInput
from translator.text.detect import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("太炸了", "zh"),
        ("踩屎感", "zh"),
        ("質量槓槓的", "zh"),
        ("コスパ最高", "ja"),
        ("神", "zh"),
        ("リピ買い決定！", "ja"),
        ("가성비 좋아요", "ko"),
        ("iPhone 15 壳子很好看", "zh"),
        ("This dress fits perfectly and the fabric feels soft.", "en"),
        ("Ce pull est vraiment confortable et chaud pour l'hiver.", "fr"),
        ("Die Schuhe sind bequem, aber die Größe fällt klein aus.", "de"),
    ],
)
def test_detects_language(text: str, language: str) -> None:
    detection = detect_language(text)
    assert detection.language == language
    assert 0 < detection.confidence <= 1


def test_detection_is_repeatable() -> None:
    text = "good quality, fast shipping"
    assert {detect_language(text) for _ in range(5)} == {detect_language(text)}


@pytest.mark.parametrize("text", ["12345", "!!! ???", "😍😍😍"])
def test_text_without_letters_needs_an_explicit_source(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        detect_language(text, field="texts[3]")
    assert raised.value.field == "texts[3]"
