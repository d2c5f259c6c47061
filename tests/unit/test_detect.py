"""Detection: scripts before statistics, reports that never refuse, refusals that name things."""

import pytest

from translator.errors import InvalidInput, UnsupportedLanguage
from translator.text.detect import UNDETERMINED, detect, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("太炸了", "zh"),
        ("踩屎感", "zh"),
        ("質量槓槓的", "zh-Hant"),
        ("コスパ最高", "ja"),
        ("リピ買い決定！", "ja"),
        ("가성비 좋아요", "ko"),
        ("iPhone 15 壳子很好看", "zh"),
        ("This dress fits perfectly and the fabric feels soft.", "en"),
        ("Ce pull est vraiment confortable et chaud pour l'hiver.", "fr"),
        ("Die Schuhe sind bequem, aber die Größe fällt klein aus.", "de"),
        ("Отличный товар, быстрая доставка", "ru"),
        ("สินค้าดีมาก ส่งเร็ว", "th"),
    ],
)
def test_detects_language(text: str, language: str) -> None:
    detection = detect_language(text)
    assert detection.language == language
    assert 0 < detection.confidence <= 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sony WH-1000XM5 ノイズキャンセリング", "ja"),  # kana beside more Latin letters
        ("Samsung Galaxy Watch6 Classic 47mm 블랙", "ko"),  # hangul beside more Latin letters
        ("Philips Sonicare HX6857 電動牙刷", "zh-Hant"),  # names and codes weigh nothing
        ("I bought these sneakers for the 踩屎感 and they are so comfortable", "en"),
    ],
)
def test_script_evidence_beats_the_latin_names_around_it(text: str, language: str) -> None:
    assert detect(text).best.language == language


def test_han_text_is_split_by_character_forms() -> None:
    simplified, traditional, japanese = (
        detect(text).best.language
        for text in ("电动牙刷 软毛", "電動牙刷 軟毛", "電動歯刷子 替刷毛")
    )
    assert (simplified, traditional, japanese) == ("zh", "zh-Hant", "ja")


def test_a_report_lists_candidates_best_first_and_the_scripts_found() -> None:
    report = detect("Garmin Forerunner 265 运动手表 男款")
    assert report.scripts == ("Latin", "Han")
    assert report.best.language == "zh" and report.best.supported
    assert 1 < len(report.candidates) <= 3
    confidences = [candidate.confidence for candidate in report.candidates]
    assert confidences == sorted(confidences, reverse=True)
    assert {c.language for c in report.candidates} <= {"zh", "zh-Hant", "ja"}


def test_a_language_we_do_not_translate_is_reported_not_refused() -> None:
    report = detect("Πολύ καλό προϊόν, γρήγορη αποστολή")
    assert report.best.language == "el" and not report.best.supported
    assert report.scripts == ("Greek",)
    with pytest.raises(UnsupportedLanguage) as raised:
        detect_language("Πολύ καλό προϊόν, γρήγορη αποστολή", field="texts[2]")
    assert raised.value.field == "texts[2]"
    assert "'el'" in raised.value.message


@pytest.mark.parametrize("text", ["USB-C HDMI 4K", "Garmin Forerunner 265", "iPhone 15 Pro Max"])
def test_latin_names_and_codes_alone_still_get_a_language(text: str) -> None:
    best = detect(text).best
    assert best.supported and 0 < best.confidence < 0.9  # a guess, and said to be one


def test_detection_is_repeatable() -> None:
    text = "good quality, fast shipping"
    assert {detect_language(text) for _ in range(5)} == {detect_language(text)}


@pytest.mark.parametrize("text", ["12345", "!!! ???", "😍😍😍"])
def test_text_without_letters_is_undetermined(text: str) -> None:
    report = detect(text)
    assert report.best.language == UNDETERMINED and report.best.confidence == 0
    assert not report.best.supported and report.scripts == ()
    with pytest.raises(InvalidInput) as raised:
        detect_language(text, field="texts[3]")
    assert raised.value.field == "texts[3]"


@pytest.mark.parametrize(
    ("text", "language"),
    [("日系の少女风 宽松卫衣 秋冬", "zh"), ("北海道産の昆布", "ja"), ("日本製の財布", "ja")],
)
def test_a_lone_kana_among_plainly_chinese_characters_is_a_borrowing(
    text: str, language: str
) -> None:
    assert detect(text).best.language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("<script>window.__xss=2</script>好评返现是假的", "zh"),
        ('这条评论写了 <img src=x onerror="window.__xss=1"> 太坑了', "zh"),
        ("<b>最高</b>のフィット感 https://shop.example/item_1", "ja"),
        ("Really <i>comfy</i> shoes, e.g. for long runs.", "en"),
    ],
)
def test_markup_and_code_are_no_prose(text: str, language: str) -> None:
    """Tags, links and code in a review are words of no language: the prose around them decides."""
    assert detect_language(text).language == language
