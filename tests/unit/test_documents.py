"""Documents for `/translate_file`: their texts, and the file written back around translations."""

from __future__ import annotations

import codecs
import io
import zipfile

import docx
import pytest

from translator.text.documents import DocumentError, read_document, word


def _upper(name: str, content: bytes) -> tuple[list[str], list[str], bytes]:
    document = read_document(name, content)
    texts = list(document.texts)
    return texts, list(document.places), document.fill([text.upper() for text in texts])


def test_plain_text_is_translated_line_by_line_keeping_breaks_and_spaces() -> None:
    content = "  first line \r\n\nsecond\tline\n   \n👍\nlast".encode()
    texts, places, filled = _upper("notes.TXT", content)
    assert texts == ["first line", "second\tline", "👍", "last"]
    assert places == ["line 1", "line 3", "line 5", "line 6"]
    assert filled == "  FIRST LINE \r\n\nSECOND\tLINE\n   \n👍\nLAST".encode()


def test_a_byte_order_mark_is_kept_and_other_encodings_are_refused() -> None:
    _, _, filled = _upper("a.txt", codecs.BOM_UTF8 + b"ok\n")
    assert filled == codecs.BOM_UTF8 + b"OK\n"
    with pytest.raises(DocumentError, match="line 2: the file is not valid UTF-8"):
        read_document("a.txt", b"ok\n" + "好".encode("gbk"))


def test_html_files_translate_only_their_text_runs() -> None:
    content = b'<html><body>\n<p class="x">good &amp; cheap</p>\n<script>var a = "b";</script>'
    texts, places, filled = _upper("page.htm", content)
    assert texts == ["good & cheap"] and places == ["line 2"]
    assert filled == content.replace(b"good &amp; cheap", b"GOOD &amp; CHEAP")


def _word_file() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("Soft ")
    paragraph.add_run("and comfy").bold = True
    document.add_paragraph("")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "in a table"
    document.sections[0].header.paragraphs[0].text = "header text"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_paragraphs_in_body_tables_and_headers_become_one_text_each() -> None:
    texts, places, filled = _upper("shoes.docx", _word_file())
    assert sorted(texts) == ["Soft and comfy", "header text", "in a table"]
    assert "document paragraph 1" in places
    written = docx.Document(io.BytesIO(filled))
    first = written.paragraphs[0]
    assert first.text == "SOFT AND COMFY"
    assert first.runs[0].text == "SOFT AND COMFY" and first.runs[1].text == ""
    assert written.tables[0].cell(0, 0).text == "IN A TABLE"
    assert written.sections[0].header.paragraphs[0].text == "HEADER TEXT"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF", "files .pdf are not supported; supported: .txt, .html, .docx"),
        ("noext", b"x", "files without an extension are not supported"),
        ("a.docx", b"not a zip", "not a Word .docx file"),
    ],
)
def test_unreadable_files_are_document_errors(name: str, content: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_document(name, content)


def test_a_zip_that_is_not_a_word_file_or_unpacks_too_far_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match="Word"):
        read_document("a.docx", other.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.bin", b"\0" * 2048)
    monkeypatch.setattr(word, "MAX_UNPACKED_BYTES", 1024)
    with pytest.raises(DocumentError, match="unpacks to"):
        read_document("a.docx", bomb.getvalue())
