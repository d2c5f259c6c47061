"""Translation memory files: TMX 1.4b, TSV and CSV in and out, and bad files refused whole."""

from __future__ import annotations

import pytest

from translator.memory.formats import MemoryFormat, guess_format, parse_pairs, write_pairs
from translator.memory.pairs import MAX_FILE_BYTES, MAX_PAIRS, MemoryFileError
from translator.store.pairs import Pair

PAIRS = [
    Pair("这款鞋踩屎感太强了", "These shoes feel like walking on clouds"),
    Pair("买它买它！", "Buy it, buy it!"),
    Pair(
        "尺码偏小，建议拍大一码\n颜色和图片一样",
        "Runs small, order one size up\nSame colour as shown",
    ),
    Pair('他说"绝了", 真的', 'He said "amazing", really'),
]

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="cat" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="zh-CN" datatype="plaintext"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="zh-CN">
        <seg>显瘦 <bpt i="1">&lt;b&gt;</bpt>神裤<ept i="1">&lt;/b&gt;</ept></seg></tuv>
      <tuv xml:lang="fr-FR"><seg>pantalon amincissant</seg></tuv>
      <tuv xml:lang="en-US"><seg>Slimming <hi>wonder</hi> pants</seg></tuv>
    </tu>
    <tu>
      <tuv lang="ZH"><seg>包邮</seg></tuv>
      <tuv lang="EN"><seg>Free shipping</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.mark.parametrize("fmt", list(MemoryFormat))
def test_every_format_reads_back_what_it_writes(fmt: MemoryFormat) -> None:
    data = write_pairs(PAIRS, fmt, source="zh", target="en")
    pairs = parse_pairs(data, fmt, source="zh", target="en")
    if fmt is MemoryFormat.TSV:  # no quoting: line breaks become spaces
        expected = [
            Pair(" ".join(p.source.split("\n")), " ".join(p.target.split("\n"))) for p in PAIRS
        ]
        assert pairs == expected
    else:
        assert pairs == PAIRS


def test_tmx_picks_the_pairs_languages_and_the_text_without_native_codes() -> None:
    pairs = parse_pairs(TMX.encode(), MemoryFormat.TMX, source="zh", target="en")
    assert pairs == [Pair("显瘦 神裤", "Slimming wonder pants"), Pair("包邮", "Free shipping")]
    first_unit = TMX.replace(TMX[TMX.index("    <tu>\n") : TMX.index("  </body>")], "")
    french = parse_pairs(first_unit.encode(), MemoryFormat.TMX, source="zh", target="fr")
    assert french == [Pair("显瘦 神裤", "pantalon amincissant")]


def test_written_tmx_is_tmx_14_with_a_header() -> None:
    data = write_pairs(PAIRS[:1], MemoryFormat.TMX, source="zh", target="en").decode()
    assert '<tmx version="1.4">' in data
    assert 'srclang="zh"' in data and 'xml:lang="en"' in data


def error(
    data: str | bytes, fmt: MemoryFormat = MemoryFormat.TMX, target: str = "en"
) -> MemoryFileError:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(MemoryFileError) as caught:
        parse_pairs(raw, fmt, source="zh", target=target)
    return caught.value


def test_a_unit_without_the_target_language_is_refused_naming_its_line() -> None:
    failure = error(TMX, target="ja")
    assert failure.line == 6
    assert "no segment in ja" in failure.reason and "en, fr, zh" in failure.reason


def test_a_missing_segment_names_the_tuv_line() -> None:
    data = TMX.replace('<tuv lang="EN"><seg>Free shipping</seg></tuv>', '<tuv lang="EN"></tuv>')
    failure = error(data)
    assert failure.line == 14 and "has no <seg>" in failure.reason


def test_an_empty_segment_and_a_tuv_without_language_are_refused() -> None:
    assert "empty target segment" in error(TMX.replace("Free shipping", " ")).reason
    assert "no xml:lang" in error(TMX.replace('lang="EN"', "")).reason


def test_entity_declarations_are_refused_before_they_expand() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        '<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>&b;</seg></tuv></tu></body></tmx>'
    )
    failure = error(bomb)
    assert failure.line == 3 and "entity declarations are not allowed" in failure.reason
    external = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<tmx/>'
    )
    assert "entity" in error(external).reason


def test_malformed_xml_and_other_roots_name_the_line() -> None:
    failure = error(TMX.replace("</tu>\n    <tu>", "</tuv>\n    <tu>"))
    assert failure.line == 11 and "malformed XML" in failure.reason
    assert "root element is <martif>" in error("<martif><body/></martif>").reason
    assert "no <body>" in error('<tmx version="1.4"><header/></tmx>').reason


def test_tsv_and_csv_errors_name_the_line() -> None:
    failure = error("a\tb\nc\td\te\n", MemoryFormat.TSV)
    assert failure.line == 2 and "expected 2" in failure.reason
    failure = error("源,target,zh,ja\n", MemoryFormat.CSV)
    assert failure.line == 1 and "zh to ja" in failure.reason
    assert error("好\t\n", MemoryFormat.TSV).reason == "empty target segment"
    assert "control character" in error("好\x07\tgood\n", MemoryFormat.TSV).reason
    assert "not valid UTF-8" in error(b"ok\tok\n\xff\xfe\x00x\tb\n", MemoryFormat.TSV).reason


def test_csv_takes_a_header_and_language_columns() -> None:
    data = "source,target\n包邮,Free shipping,zh,en\n"
    assert parse_pairs(data.encode(), MemoryFormat.CSV, source="zh", target="en") == [
        Pair("包邮", "Free shipping")
    ]


def test_a_repeated_source_keeps_its_last_translation_in_first_seen_order() -> None:
    data = "包邮\tFree shipping\n好评\tGreat\n 包邮 \tShipping included\n"
    assert parse_pairs(data.encode(), MemoryFormat.TSV, source="zh", target="en") == [
        Pair("包邮", "Shipping included"),
        Pair("好评", "Great"),
    ]


def test_huge_files_and_too_many_pairs_are_refused() -> None:
    assert "too large" in error(b" " * (MAX_FILE_BYTES + 1), MemoryFormat.TSV).reason
    many = "".join(f"{i}号\t#{i}\n" for i in range(MAX_PAIRS + 1))
    failure = error(many, MemoryFormat.TSV)
    assert failure.line == MAX_PAIRS + 1 and "too many pairs" in failure.reason


def test_formats_are_guessed_from_names_then_content() -> None:
    assert guess_format("shop.tmx", b"") is MemoryFormat.TMX
    assert guess_format("shop", b"\xef\xbb\xbf<?xml") is MemoryFormat.TMX
    assert guess_format("shop", b"a\tb") is MemoryFormat.TSV
    assert guess_format("shop", b"a,b") is MemoryFormat.CSV
