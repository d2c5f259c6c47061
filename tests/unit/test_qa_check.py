import pytest

from translator.text.qa import Kind, Problem, QaFinding, Severity, check_translation, count_errors


def _check(source: str, translation: str, pair: str = "ja-en") -> tuple[QaFinding, ...]:
    source_language, target_language = pair.split("-")
    return check_translation(
        source, translation, source_language=source_language, target_language=target_language
    )


def _summary(findings: tuple[QaFinding, ...]) -> list[tuple[str, str, str | None, str | None]]:
    return [(str(f.kind), str(f.problem), f.source, f.found) for f in findings]


@pytest.mark.parametrize(
    ("source", "translation", "pair"),
    [
        ("#Product2#2,180円(税込)", "#Product2# 2,180 yen (tax included)", "ja-en"),
        ("#Product2#2,180円(税込)", "#Product2# ¥2180 incl. tax", "ja-en"),
        ("最大18%OFF!", "Up to 18 % off!", "ja-en"),
        ("二千円から", "From 2,000 yen", "ja-en"),
        ("2千円から", "From two thousand yen", "ja-en"),
        ("月収100万円", "A monthly income of 1 million yen", "ja-en"),
        ("百分之七八十能救过来", "70 or 80 percent can be saved", "zh-en"),
        ("两年前买的", "Bought it 2 years ago", "zh-en"),
        ("全场8折", "20% off everything", "zh-en"),
        ("15時までのご注文で当日発送", "Same-day shipping for orders by 3 p.m.", "ja-en"),
        ("2021.6.11部分售出", "Partly sold on June 11, 2021", "zh-en"),
        ("A2系列相关宝贝", "Related products of the a2 series", "zh-en"),
        ("iPhone13のケース", "Case for iPhone 13", "ja-en"),
        ("CN1连接器", "CN1 connector", "zh-en"),
        (
            "详情见 https://example.com/item?id=42 。",
            "See https://example.com/item?id=42.",
            "zh-en",
        ),
        ("联系 shop@example.com", "Contact shop@example.com", "zh-en"),
        ("关注 @TaobaoShop", "Follow @taobaoshop", "zh-en"),
        ("#新発想 #スプレータイプ美容液", "#NewIdea #SprayTypeSerum", "ja-en"),
        ("#OOTD 今日のコーデ", "#ootd today's outfit", "ja-en"),
        ("太好吃了😋", "So delicious 😋", "zh-en"),
        ("喜欢❤️", "Love it ❤", "zh-en"),
        ("「GORE-TEX」素材", '"Gore-Tex" material', "ja-en"),
        ("所谓古着，“vintage”", 'The so-called old clothes, "vintage"', "zh-en"),
        ("Hello {name}, %s items", "Hallo {name}, %s Artikel", "en-de"),
        ("<b>限定</b>セール", "<b>Limited</b> sale", "ja-en"),
        ("{{count}}件のレビュー", "{{ count }} reviews", "ja-en"),
        ("[SKU] 在庫あり", "[SKU] in stock", "ja-en"),
        ("价格2,180元", "价格2,180元", "zh-zh"),
        ("1,5 kg pro Packung", "1.5 kg per pack", "de-en"),
        ("Save 2,180 yen", "2,180円お得", "en-ja"),
        ("Save 2000 yen", "二千円お得", "en-ja"),
        ("这是之一", "This is one of them", "zh-en"),
        ("95后的弟弟", "a young guy born after 1995", "zh-en"),
        ("要价两百万", "Asking price of 2 million", "zh-en"),
    ],
)
def test_faithful_translations_are_clean(source: str, translation: str, pair: str) -> None:
    assert _check(source, translation, pair) == ()


def test_a_lost_placeholder_is_an_error_with_its_source_span() -> None:
    (finding,) = _check("#Product2#2,180円(税込)", "2,180 yen (including tax)")
    assert (finding.kind, finding.problem, finding.source) == (
        Kind.PLACEHOLDER,
        Problem.MISSING,
        "#Product2#",
    )
    assert (finding.start, finding.end, finding.found) == (0, 10, None)
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("translation", "found"),
    [("#Product2 # is here", "#Product2 #"), ("# Product 2 # is here", "# Product 2 #")],
)
def test_a_respelled_placeholder_is_changed(translation: str, found: str) -> None:
    assert _summary(_check("#Product2#が登場", translation)) == [
        ("placeholder", "changed", "#Product2#", found)
    ]


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        ("月収100万円", "Monthly income 100 million yen", ("100万", "100 million")),
        ("2,180円", "2,108 yen", ("2,180", "2,108")),
        ("最大18%OFF", "Up to 18 off", ("18%", "18")),
        ("3000円以上で送料無料", "Free shipping over 300 yen", ("3000", "300")),
    ],
)
def test_a_changed_number_names_what_the_translation_has(
    source: str, translation: str, expected: tuple[str, str]
) -> None:
    (finding,) = _check(source, translation)
    assert (finding.kind, finding.problem) == (Kind.NUMBER, Problem.CHANGED)
    assert (finding.source, finding.found) == expected
    assert finding.severity is Severity.ERROR


def test_missing_and_extra_numbers() -> None:
    assert _summary(_check("3点セットで1980円", "A set for 1980 yen")) == [
        ("number", "missing", "3", None)
    ]
    (extra,) = _check("お得なセット", "A bargain set of 5")
    assert (extra.kind, extra.problem, extra.found, extra.start) == (
        Kind.NUMBER,
        Problem.EXTRA,
        "5",
        None,
    )
    assert extra.severity is Severity.WARNING


def test_a_repeated_number_must_come_back_each_time() -> None:
    findings = _check("1980円、今なら1980円", "1980 yen, now")
    assert _summary(findings) == [("number", "missing", "1980", None)]
    assert findings[0].start == len("1980円、今なら")


def test_numerals_with_a_counter_must_survive() -> None:
    assert _summary(_check("二千円から", "From a little money", "ja-en")) == [
        ("number", "missing", "二千", None)
    ]
    assert _check("千万不要买", "Never buy it", "zh-en") == ()  # a word, not a number


@pytest.mark.parametrize(
    ("source", "translation", "kind", "problem"),
    [
        ("A2系列相关宝贝", "Related products of the series", Kind.CODE, Problem.MISSING),
        ("详情见 https://example.com/a", "See the details", Kind.URL, Problem.MISSING),
        ("详情见 https://example.com/a", "See https://example.org/a", Kind.URL, Problem.CHANGED),
        ("联系 shop@example.com", "Contact the shop", Kind.EMAIL, Problem.MISSING),
        ("关注 @TaobaoShop", "Follow the shop", Kind.HANDLE, Problem.MISSING),
        ("#新発想 #スプレー美容液", "#NewIdea spray serum", Kind.HASHTAG, Problem.MISSING),
        ("太好吃了😋", "So delicious", Kind.EMOJI, Problem.MISSING),
        ("太好吃了", "So delicious 😋", Kind.EMOJI, Problem.EXTRA),
        ("「GORE-TEX」素材", "Waterproof material", Kind.BRAND, Problem.MISSING),
        ("Hello {name}", "Hallo {Name}", Kind.PLACEHOLDER, Problem.CHANGED),
        ("Hello %1$s", "Hallo", Kind.PLACEHOLDER, Problem.MISSING),
        ("Hello", "Hallo {name}", Kind.PLACEHOLDER, Problem.EXTRA),
        ("<b>限定</b>セール", "<b>Limited sale", Kind.TAG, Problem.MISSING),
        ('<a href="/a">見る</a>', '<a href="/b">See</a>', Kind.TAG, Problem.CHANGED),
    ],
)
def test_each_kind_of_token(source: str, translation: str, kind: Kind, problem: Problem) -> None:
    pair = "en-de" if source.startswith("Hello") else "ja-en"
    (finding,) = _check(source, translation, pair)
    assert (finding.kind, finding.problem) == (kind, problem)


def test_a_bracketed_label_in_the_translation_is_not_an_added_placeholder() -> None:
    assert _check("[全新]一本书", "[NEW] A book", "zh-en") == ()


def test_quoted_phrases_between_latin_languages_may_be_translated() -> None:
    assert _check('It is "amazing"', "Es ist „toll“", "en-de") == ()


def test_a_quoted_brand_stays_latin_when_translating_into_chinese() -> None:
    (finding,) = _check('Made with "Gore-Tex"', "采用戈尔特斯面料", "en-zh")
    assert (finding.kind, finding.source) == (Kind.BRAND, "Gore-Tex")


def test_findings_come_in_source_order_with_additions_last() -> None:
    findings = _check("#P1#と#P2#、3000円", "#P2#, 300 yen and 5 more")
    assert [(f.source, f.problem) for f in findings] == [
        ("#P1#", Problem.MISSING),
        ("3000", Problem.CHANGED),
        (None, Problem.EXTRA),
    ]
    assert count_errors(findings) == 2


def test_findings_serialise_for_answers() -> None:
    (finding,) = _check("#Product2#が登場", "It is here")
    assert finding.as_dict() == {
        "kind": "placeholder",
        "problem": "missing",
        "severity": "error",
        "source": "#Product2#",
        "start": 0,
        "end": 10,
        "found": None,
    }
    assert finding.message == "placeholder #Product2# missing"
    assert finding.without_span().start is None
