"""Reading and writing user glossary files: DeepL-style TSV and CSV, TBX-Basic v2 and v3."""

from __future__ import annotations

import codecs

import pytest

from glossary import formats
from glossary.entries import Entry
from glossary.formats import (
    FileFormat,
    GlossaryFileError,
    guess_format,
    parse_entries,
    write_entries,
)


def parse(
    data: bytes | str, fmt: FileFormat, source: str = "zh", target: str = "en"
) -> list[Entry]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_entries(raw, fmt, source=source, target=target, origin="g1")


def pairs(entries: list[Entry]) -> list[tuple[str, str]]:
    return [(entry.forms[0], entry.preferred[0]) for entry in entries]


def error(
    data: bytes | str, fmt: FileFormat, source: str = "zh", target: str = "en"
) -> GlossaryFileError:
    with pytest.raises(GlossaryFileError) as raised:
        parse(data, fmt, source=source, target=target)
    return raised.value


# --- TSV and CSV -------------------------------------------------------------------------------


def test_tsv_rows_become_entries_with_the_origin() -> None:
    entries = parse("包邮\tfree shipping\n  亲  \t dear \n", FileFormat.TSV)
    assert entries == [
        Entry(forms=("包邮",), preferred=("free shipping",), origin="g1"),
        Entry(forms=("亲",), preferred=("dear",), origin="g1"),
    ]


def test_tsv_skips_blank_lines_and_accepts_crlf_and_a_missing_final_newline() -> None:
    entries = parse("\n包邮\tfree shipping\r\n\r\n   \n亲\tdear", FileFormat.TSV)
    assert pairs(entries) == [("包邮", "free shipping"), ("亲", "dear")]


def test_csv_quoting_with_commas_and_doubled_quotes() -> None:
    data = '包邮,"free shipping, always"\n"say ""hi""",hello\n'
    assert pairs(parse(data, FileFormat.CSV)) == [
        ("包邮", "free shipping, always"),
        ('say "hi"', "hello"),
    ]


def test_csv_blank_lines_are_skipped_and_line_numbers_still_count_them() -> None:
    assert pairs(parse("\na,b\n\n\nc,d\n", FileFormat.CSV)) == [("a", "b"), ("c", "d")]
    assert str(error("\na,b\n\n\nc,d,e\n", FileFormat.CSV)).startswith("line 5: ")


def test_utf8_bom_is_dropped() -> None:
    data = codecs.BOM_UTF8 + "包邮\tfree shipping\n".encode()
    assert pairs(parse(data, FileFormat.TSV)) == [("包邮", "free shipping")]
    data = codecs.BOM_UTF8 + "包邮,free shipping\n".encode()
    assert pairs(parse(data, FileFormat.CSV)) == [("包邮", "free shipping")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_with_a_bom_are_read(encoding: str) -> None:
    text = "包邮,free shipping\n亲,dear\n"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    data = bom + text.encode(encoding)
    assert pairs(parse(data, FileFormat.CSV)) == [("包邮", "free shipping"), ("亲", "dear")]


def test_csv_four_columns_with_matching_languages_in_any_case() -> None:
    data = "包邮,free shipping,ZH,en\n亲,dear,zh,EN\n"
    assert pairs(parse(data, FileFormat.CSV)) == [("包邮", "free shipping"), ("亲", "dear")]


def test_csv_four_columns_with_other_languages_name_the_line() -> None:
    raised = error("包邮,free shipping,zh,en\n亲,dear,ja,en\n", FileFormat.CSV)
    assert raised.line == 2
    assert str(raised) == "line 2: the row is for ja to en, but the glossary is for zh to en"


def test_invalid_utf8_names_its_line() -> None:
    raised = error(b"a\tb\nc\td\ne\t\xff\xfe\n", FileFormat.TSV)
    assert raised.line == 3
    assert "not valid UTF-8" in raised.reason
    assert "must be UTF-8" in raised.reason
    assert str(raised).startswith("line 3: ")


def test_invalid_utf16_names_its_line() -> None:
    data = "a,b\nc,d\n".encode("utf-16") + b"\x00\xd8\n\x00"  # a lone surrogate on line 3
    raised = error(data, FileFormat.CSV)
    assert raised.line == 3
    assert "not valid UTF-16" in raised.reason


@pytest.mark.parametrize(
    ("data", "found"),
    [("a\tb\nc\td\te\n", 3), ("a\tb\nc\n", 1), ("a\tb\nc\td\t\n", 3)],
)
def test_tsv_wrong_column_count(data: str, found: int) -> None:
    raised = error(data, FileFormat.TSV)
    assert str(raised) == (
        f"line 2: wrong number of columns: expected 2 (source, target), found {found}"
    )


@pytest.mark.parametrize(("data", "found"), [("a,b\nc,d,e\n", 3), ("a,b\nc\n", 1)])
def test_csv_wrong_column_count(data: str, found: int) -> None:
    raised = error(data, FileFormat.CSV)
    assert raised.line == 2
    assert raised.reason == (
        "wrong number of columns: expected 2 (source, target) or 4 (source, target, "
        f"source language, target language), found {found}"
    )


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        ("a\tb\n \tc\n", FileFormat.TSV, "line 2: empty source term"),
        ("a\tb\n\nc\t  \n", FileFormat.TSV, "line 3: empty target term"),
        ('a,b\n"",c\n', FileFormat.CSV, "line 2: empty source term"),
        ("a,b\nc,\n", FileFormat.CSV, "line 2: empty target term"),
    ],
)
def test_empty_terms_name_line_and_column(data: str, fmt: FileFormat, message: str) -> None:
    assert str(error(data, fmt)) == message


@pytest.mark.parametrize("fmt", [FileFormat.TSV, FileFormat.CSV])
def test_duplicate_source_terms_name_both_lines(fmt: FileFormat) -> None:
    sep = "\t" if fmt is FileFormat.TSV else ","
    data = f"Apple{sep}x\n包邮{sep}y\n\nAPPLE{sep}z\n"
    raised = error(data, fmt)
    assert str(raised) == "line 4: duplicate source term 'APPLE' (first on line 1)"


def test_duplicates_are_found_after_unicode_normalisation() -> None:
    data = "caf\u00e9\tx\ncafe\u0301\ty\n"  # composed and decomposed é
    assert error(data, FileFormat.TSV).line == 2


def test_too_many_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "MAX_ENTRIES", 2)
    assert len(parse("a\t1\nb\t2\n", FileFormat.TSV)) == 2
    raised = error("a\t1\nb\t2\n\nc\t3\n", FileFormat.TSV)
    assert str(raised) == "line 4: too many entries: the limit is 2"


def test_file_too_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 10)
    assert len(parse("a\tb\nc\td\n", FileFormat.TSV)) == 2  # exactly 10 bytes
    raised = error("a\tb\nc\td\nef\n", FileFormat.TSV)
    assert raised.line is None
    assert str(raised) == "file is too large: 11 bytes, the limit is 10 bytes"


def test_term_length_limit() -> None:
    longest = "x" * formats.MAX_TERM_CHARS
    assert parse(f"a\t{longest}\n", FileFormat.TSV)[0].preferred == (longest,)
    raised = error(f"a\tb\n{longest}y\tb\n", FileFormat.TSV)
    assert str(raised) == "line 2: source term is too long: 1025 characters, the limit is 1024"


@pytest.mark.parametrize(
    ("data", "fmt", "expected"),
    [
        ("a\tb\nc\x07d\te\n", FileFormat.TSV, "2: source U+0007"),
        ("a\tb\rc\n", FileFormat.TSV, "1: target U+000D"),
        ('x,y\na,"b\nc"\n', FileFormat.CSV, "2: target U+000A"),
        ("a,b\x00\n", FileFormat.CSV, "1: target U+0000"),
        ('a,"b\tc"\n', FileFormat.CSV, "1: target U+0009"),
    ],
)
def test_control_characters_in_terms(data: str, fmt: FileFormat, expected: str) -> None:
    line, side, code = expected.replace(":", "").split()
    assert str(error(data, fmt)) == (
        f"line {line}: {side} term contains a control character ({code})"
    )


# --- TBX ---------------------------------------------------------------------------------------

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="zh-CN">
  <martifHeader><fileDesc><sourceDesc><p>shop terms</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
      <termEntry id="t1">
        <descrip type="definition">Shipping   that the
          seller pays for.</descrip>
        <langSet xml:lang="zh-CN">
          <tig><term>包邮</term></tig>
        </langSet>
        <langSet xml:lang="zh-TW">
          <tig><term>包郵</term></tig>
        </langSet>
        <langSet xml:lang="de">
          <tig><term>versandkostenfrei</term></tig>
        </langSet>
        <langSet xml:lang="en-US">
          <tig>
            <term>free shipping</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </tig>
          <tig>
            <term>free delivery</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </tig>
          <tig>
            <term>postage included</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </tig>
          <tig><term>shipping on us</term></tig>
        </langSet>
      </termEntry>
      <termEntry id="t2">
        <langSet xml:lang="zh"><tig><term>亲</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>dear</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCT/TBX-Basic_DCT.sch"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader>
    <fileDesc><sourceDesc><p>shop terms</p></sourceDesc></fileDesc>
  </tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <langSec xml:lang="en">
          <termSec>
            <term>sold out</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>out of stock</term>
            <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="zh-Hant">
          <descrip type="definition">No items left to sell.</descrip>
          <termSec>
            <term>售罄</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>賣完了</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


def test_tbx_v2_with_definition_variants_and_statuses() -> None:
    entries = parse(TBX_V2, FileFormat.TBX, source="zh", target="en")
    assert entries == [
        Entry(
            forms=("包邮", "包郵"),
            preferred=("free shipping", "shipping on us"),
            acceptable=("free delivery",),
            meaning="Shipping that the seller pays for.",
            origin="g1",
        ),
        Entry(forms=("亲",), preferred=("dear",), origin="g1"),
    ]


def test_tbx_v3_with_namespace_for_a_zh_hant_target() -> None:
    # Source terms keep every status: a superseded spelling still turns up in source texts.
    entries = parse(TBX_V3, FileFormat.TBX, source="en", target="zh-Hant")
    assert entries == [
        Entry(
            forms=("sold out", "out of stock"),
            preferred=("售罄",),
            acceptable=("賣完了",),
            meaning="No items left to sell.",
            origin="g1",
        )
    ]


def test_tbx_from_a_utf16_file() -> None:
    data = TBX_V3.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    entries = parse(data, FileFormat.TBX, source="en", target="zh")
    assert entries[0].preferred == ("售罄",)


def test_tbx_only_admitted_target_terms_become_preferred() -> None:
    xml = TBX_V2.replace("preferredTerm-admn-sts", "admittedTerm-admn-sts")
    xml = xml.replace("<tig><term>shipping on us</term></tig>", "")
    entries = parse(xml, FileFormat.TBX)
    assert entries[0].preferred == ("free shipping", "free delivery")
    assert entries[0].acceptable == ()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tbx><text><body><conceptEntry>
  <langSec xml:lang="zh"><termSec><term>&lol3;</term></termSec></langSec>
  <langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>
</conceptEntry></body></text></tbx>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<tbx><text><body><conceptEntry>
  <langSec xml:lang="zh"><termSec><term>&e;</term></termSec></langSec>
  <langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>
</conceptEntry></body></text></tbx>
"""


@pytest.mark.parametrize(("xml", "line"), [(BILLION_LAUGHS, 3), (EXTERNAL_ENTITY, 2)])
def test_tbx_entity_declarations_are_refused(xml: str, line: int) -> None:
    raised = error(xml, FileFormat.TBX)
    assert str(raised) == f"line {line}: XML entity declarations are not allowed"


def test_tbx_malformed_xml_names_its_line() -> None:
    xml = TBX_V3.replace("<term>售罄</term>", "<term>售罄</trem>")
    raised = error(xml, FileFormat.TBX, source="en", target="zh")
    assert raised.line == TBX_V3.splitlines().index("            <term>售罄</term>") + 1
    assert raised.reason.startswith("malformed XML: mismatched tag (column ")


def test_tbx_unescaped_ampersand_is_malformed() -> None:
    raised = error(TBX_V2.replace("shipping on us", "shipping & handling"), FileFormat.TBX)
    assert raised.line == 32
    assert "malformed XML" in raised.reason


def test_tbx_concept_without_target_term_names_the_concept_line() -> None:
    xml = TBX_V2.replace('<langSet xml:lang="en"><tig><term>dear</term></tig></langSet>', "")
    assert str(error(xml, FileFormat.TBX)) == (
        "line 35: concept has no usable term in the target language (en)"
    )


def test_tbx_concept_with_only_deprecated_target_terms_is_refused() -> None:
    xml = TBX_V3.replace("preferredTerm-admn-sts", "deprecatedTerm-admn-sts")
    xml = xml.replace("admittedTerm-admn-sts", "supersededTerm-admn-sts")
    raised = error(xml, FileFormat.TBX, source="en", target="zh")
    assert raised.line == 9
    assert raised.reason == "concept has no usable term in the target language (zh)"


def test_tbx_concept_without_source_term_names_the_concept_line() -> None:
    raised = error(TBX_V2, FileFormat.TBX, source="ja")
    assert str(raised) == "line 7: concept has no term in the source language (ja)"


def test_tbx_empty_term_and_duplicates_across_concepts() -> None:
    empty = TBX_V2.replace("<term>dear</term>", "<term>  </term>")
    assert str(error(empty, FileFormat.TBX)) == "line 35: empty target term"
    duplicate = TBX_V2.replace("<term>亲</term>", "<term>包郵</term>")
    assert str(error(duplicate, FileFormat.TBX)) == (
        "line 35: duplicate source term '包郵' (first on line 7)"
    )


def test_tbx_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    long_term = TBX_V2.replace("<term>dear</term>", f"<term>{'x' * 1025}</term>")
    assert error(long_term, FileFormat.TBX).reason.startswith("target term is too long")
    monkeypatch.setattr(formats, "MAX_ENTRIES", 1)
    assert str(error(TBX_V2, FileFormat.TBX)) == "line 35: too many entries: the limit is 1"


def test_other_xml_is_not_a_tbx_file() -> None:
    raised = error('<?xml version="1.0"?>\n<html><body/></html>', FileFormat.TBX)
    assert str(raised) == (
        "line 2: not a TBX file: the root element is <html>, not <tbx> or <martif>"
    )


# --- writing and round trips -------------------------------------------------------------------

TRICKY = [
    Entry(
        forms=("包邮", "包郵"),
        preferred=("free shipping, always", "shipping on us"),
        acceptable=('"free" delivery',),
        meaning="The seller pays for <all> shipping & handling.",
    ),
    Entry(forms=("A&B店",), preferred=("A & B <shop>",)),
    Entry(forms=('说"好"',), preferred=('say "OK", then',)),
]


def test_tsv_output() -> None:
    entries = [*TRICKY, Entry(forms=("a\tb",), preferred=("c\nd",))]
    data = write_entries(entries, FileFormat.TSV, source="zh", target="en", name="x")
    assert data.decode("utf-8") == (
        '包邮\tfree shipping, always\nA&B店\tA & B <shop>\n说"好"\tsay "OK", then\na b\tc d\n'
    )


def test_csv_output_is_deepl_style() -> None:
    data = write_entries(TRICKY, FileFormat.CSV, source="zh", target="en", name="x")
    assert data.decode("utf-8") == (
        '包邮,"free shipping, always"\nA&B店,A & B <shop>\n"说""好""","say ""OK"", then"\n'
    )


def test_tbx_output_is_v3_basic() -> None:
    data = write_entries(TRICKY[:1], FileFormat.TBX, source="zh", target="en", name="Shop & co")
    text = data.decode("utf-8")
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<tbx ")
    assert (
        '<tbx type="TBX-Basic" style="dct" xml:lang="zh" '
        'xmlns="urn:iso:std:iso:30042:ed-2">' in text
    )
    assert "<title>Shop &amp; co</title>" in text
    assert "<p>exported by translator</p>" in text
    assert '<conceptEntry id="c1">' in text
    assert (
        '<descrip type="definition">The seller pays for &lt;all&gt; shipping &amp; '
        "handling.</descrip>" in text
    )
    assert text.count("<termSec>") == 5
    assert text.count("preferredTerm-admn-sts") == 2
    assert text.count("admittedTerm-admn-sts") == 1


def test_tbx_round_trip_keeps_everything_it_carries() -> None:
    data = write_entries(TRICKY, FileFormat.TBX, source="zh-Hant", target="en", name="t")
    back = parse_entries(data, FileFormat.TBX, source="zh", target="en-GB", origin="g2")
    assert back == [
        Entry(
            forms=e.forms,
            preferred=e.preferred,
            acceptable=e.acceptable,
            meaning=e.meaning,
            origin="g2",
        )
        for e in TRICKY
    ]


@pytest.mark.parametrize("fmt", [FileFormat.TSV, FileFormat.CSV])
def test_tabular_round_trip_keeps_first_form_and_rendering(fmt: FileFormat) -> None:
    data = write_entries(TRICKY, fmt, source="zh", target="en", name="t")
    back = parse(data, fmt)
    assert pairs(back) == [(e.forms[0], e.preferred[0]) for e in TRICKY]
    assert guess_format(f"export.{fmt}", data) is fmt


def test_control_characters_are_dropped_on_export_so_the_file_reads_back() -> None:
    entries = [Entry(forms=("a\x01b",), preferred=("c\x7fd",), meaning="m\x00")]
    for fmt in FileFormat:
        data = write_entries(entries, fmt, source="zh", target="en", name="t")
        assert pairs(parse(data, fmt)) == [("a b", "c d")]


# --- guess_format ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("terms.TSV", b"a,b\n", FileFormat.TSV),
        ("terms.txt", b"a,b\n", FileFormat.TSV),
        ("terms.csv", b"a\tb\n", FileFormat.CSV),
        ("terms.tbx", b"a,b\n", FileFormat.TBX),
        ("C:\\Users\\me\\terms.xml", b"a,b\n", FileFormat.TBX),
        ("terms", b"  \n<?xml version='1.0'?><tbx/>", FileFormat.TBX),
        ("terms.dat", codecs.BOM_UTF8 + b"<martif/>", FileFormat.TBX),
        ("terms", "<tbx/>".encode("utf-16"), FileFormat.TBX),
        ("terms", "包邮\tfree shipping\n".encode(), FileFormat.TSV),
        ("terms", "包邮\tfree shipping\n".encode("utf-16"), FileFormat.TSV),
        ("upload", b"a,b\nc\td\n", FileFormat.CSV),
        ("", b"", FileFormat.CSV),
    ],
)
def test_guess_format(filename: str, data: bytes, expected: FileFormat) -> None:
    assert guess_format(filename, data) is expected
