import pytest

from translator.text.qa import Kind, check_translation, repair_translation, restore_placeholders


def _restore(source: str, translation: str, pair: str = "ja-en") -> str:
    source_language, target_language = pair.split("-")
    return restore_placeholders(
        source, translation, source_language=source_language, target_language=target_language
    )


@pytest.mark.parametrize(
    ("source", "translation", "pair", "restored"),
    [
        ("#Product1#の仕事紹介サイト", "Product1's job site", "ja-en", "#Product1#'s job site"),
        ("#Product2#2,180円", "#Product2 # 2,180 yen", "ja-en", "#Product2# 2,180 yen"),
        ("#Product1#の新作", "New arrivals", "ja-en", "#Product1# New arrivals"),
        ("送料無料 {name}", "Free shipping", "ja-en", "Free shipping {name}"),
        (
            "{name}様、ご注文ありがとうございます",
            "Thank you, {nombre}",
            "ja-en",
            "Thank you, {name}",
        ),
        ("您好{name}，订单已发货", "您好，订单已发货", "zh-ja", "您好{name}，订单已发货"),
        (
            "尊敬的顾客,您的订单 %s 已于今天发货,请注意查收",
            "Dear customer, your order has shipped today, please check",
            "zh-en",
            "Dear customer, your order %s has shipped today, please check",
        ),
    ],
)
def test_a_lost_or_respelled_placeholder_comes_back_as_the_source_spells_it(
    source: str, translation: str, pair: str, restored: str
) -> None:
    assert _restore(source, translation, pair) == restored
    source_language, target_language = pair.split("-")
    findings = check_translation(
        source, restored, source_language=source_language, target_language=target_language
    )
    assert not [f for f in findings if f.kind is Kind.PLACEHOLDER]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("#Product1#の新作", "#Product1# new arrivals"),
        ("送料無料", "Free shipping"),
        ("価格は2,180円", "The price is 2,108 yen"),
    ],
)
def test_a_translation_without_placeholder_trouble_is_left_as_it_is(
    source: str, translation: str
) -> None:
    assert _restore(source, translation) == translation


def test_a_one_word_translation_gets_its_lost_middle_placeholder_after_it() -> None:
    assert _restore("今日{n}個限定です", "Limited") == "Limited {n}"


def test_a_placeholder_named_like_a_word_is_not_taken_for_the_word() -> None:
    assert _restore("ご注文{order}は発送済み", "Your order has shipped") == (
        "Your {order} order has shipped"
    )


@pytest.mark.parametrize(
    ("source", "translation", "pair", "repaired"),
    [
        (
            "1.本店合作快递公司",
            "Our store works with couriers.",
            "zh-en",
            "1. Our store works with couriers.",
        ),
        ("2）顺丰快递", "SF Express", "zh-en", "2) SF Express"),
        ("（3）质量很好", "Good quality", "zh-en", "(3) Good quality"),
        (
            "4、定制产品不退换",
            "No returns on custom items",
            "zh-en",
            "4. No returns on custom items",
        ),
        ("1.本店", "当店です", "zh-ja", "1.当店です"),
        # Kept anywhere, or not a list number at all: left alone.
        ("3.国产xxx", "3. Domestic xxx", "zh-en", "3. Domestic xxx"),
        ("2.买两件", "Buy 2 pieces", "zh-en", "Buy 2 pieces"),
        ("1.5kg 大米", "1.5 kg rice", "zh-en", "1.5 kg rice"),
        ("12345", "", "zh-en", ""),
    ],
)
def test_a_lost_list_number_goes_back_in_front_the_targets_way(
    source: str, translation: str, pair: str, repaired: str
) -> None:
    source_language, target_language = pair.split("-")
    languages = {"source_language": source_language, "target_language": target_language}
    assert repair_translation(source, translation, **languages) == repaired
    if repaired:
        assert not [
            f for f in check_translation(source, repaired, **languages) if f.kind is Kind.NUMBER
        ]
