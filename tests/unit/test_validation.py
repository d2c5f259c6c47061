import pytest

from translator.errors import InvalidInput
from translator.text.validation import decode_text, validate_text


def test_valid_text_is_returned_untouched() -> None:
    text = "  宝贝收到了，质量杠杠的！\n"
    assert validate_text(text, max_chars=100) is text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" \t\n ", "empty"),
        ("x" * 11, "limit is 10"),
        ("ok\x00bad", "U+0000"),
        ("ok\x1bbad", "U+001B"),
    ],
)
def test_bad_text_is_rejected_with_field(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_text(text, max_chars=10, field="texts[1]")
    assert raised.value.field == "texts[1]"
    assert reason in raised.value.message


def test_invalid_utf8_names_the_offset() -> None:
    with pytest.raises(InvalidInput, match="offset 2"):
        decode_text(b"ok\xff\xfe", field="stdin")
    assert decode_text("好".encode()) == "好"
