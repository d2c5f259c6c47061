"""LibreTranslate's `/translate_file` and its downloads, on the echo engine."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import docx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.conftest import ClientFactory
from tests.api.engines import EchoEngine, echo_translation, heeded_translation
from tests.api.keys import new_key
from translator.settings import Settings
from translator.store.keys import KeyLimits

REVIEW = "这件衣服太炸了"
SHOES = "这双鞋踩屎感很强"


async def _download(client: AsyncTestClient[Litestar], url: str) -> bytes:
    response = await client.get(urlsplit(url).path)
    assert response.status_code == 200, response.text
    return response.content


async def test_a_text_file_comes_back_translated_line_by_line(client_for: ClientFactory) -> None:
    content = f"{REVIEW}\n\n  {SHOES}\n👍\n".encode()
    async with client_for() as client:
        response = await client.post(
            "/translate_file",
            data={"source": "auto", "target": "en", "api_key": "placeholder"},
            files={"file": ("review.txt", content, "text/plain")},
        )
        assert response.status_code == 200, response.text
        url = response.json()["translatedFileUrl"]
        translated = await _download(client, url)
        download = await client.get(urlsplit(url).path)
    assert list(response.json()) == ["translatedFileUrl"]
    assert url.startswith("http://testserver.local/download_file/")
    assert url.endswith("/review.en.txt")
    expected = f"{echo_translation(REVIEW)}\n\n  {echo_translation(SHOES)}\n👍\n"
    assert translated.decode() == expected
    assert download.headers["content-type"].startswith("text/plain")
    assert "review.en.txt" in download.headers["content-disposition"]


async def test_html_and_word_files_and_fields_in_the_query(client_for: ClientFactory) -> None:
    page = f'<p class="a">{REVIEW}</p><script>var x = "{SHOES}";</script>'.encode()
    word = docx.Document()
    word.add_paragraph(REVIEW)
    word.add_table(rows=1, cols=1).cell(0, 0).text = SHOES
    buffer = io.BytesIO()
    word.save(buffer)
    query = urlencode({"source": "zh", "target": "en", "api_key": "placeholder"})
    async with client_for() as client:
        html = await client.post(
            f"/translate_file?{query}", files={"file": ("page.html", page, "text/html")}
        )
        word_answer = await client.post(
            f"/translate_file?{query}", files={"file": ("shoes.docx", buffer.getvalue())}
        )
        html_file = await _download(client, html.json()["translatedFileUrl"])
        word_file = await _download(client, word_answer.json()["translatedFileUrl"])
    assert html_file.decode() == page.decode().replace(
        f">{REVIEW}<", f">{echo_translation(REVIEW)}<"
    )
    written = docx.Document(io.BytesIO(word_file))
    assert written.paragraphs[0].text == echo_translation(REVIEW)
    assert written.tables[0].cell(0, 0).text == echo_translation(SHOES)


async def test_a_file_part_may_be_larger_than_a_form_field(client_for: ClientFactory) -> None:
    content = ("\n".join([REVIEW] * 200)).encode()  # 4.4 kB, over the 1 kB field limit
    engine = EchoEngine(follows_glossary=True)
    async with client_for(engine, max_form_field_bytes=1024) as client:
        response = await client.post(
            "/translate_file",
            data={"source": "zh", "target": "en"},
            files={"file": ("many.txt", content)},
        )
        translated = await _download(client, response.json()["translatedFileUrl"])
    assert translated.decode() == "\n".join([heeded_translation(REVIEW)] * 200)
    assert engine.calls == 1  # the same line is translated once


@pytest.mark.parametrize(
    ("upload", "fields", "message"),
    [
        (None, {"source": "zh", "target": "en"}, "file: missing file parameter"),
        (("a.pdf", b"%PDF-1.4"), {"source": "zh", "target": "en"}, "file: files .pdf are not"),
        (("a.docx", b"PK broken"), {"source": "zh", "target": "en"}, "file: not a Word"),
        (("a.txt", REVIEW.encode()), {"source": "zh"}, "target: missing parameter"),
        (("a.txt", REVIEW.encode()), {"source": "zh", "target": "xx"}, "target: unsupported"),
        (("a.txt", REVIEW.encode()), {"source": "zh", "target": "zh"}, "target: source and"),
        (("a.txt", f"ok\n{'好' * 31}".encode()), {"source": "zh", "target": "en"},
         "file (line 2): text has 31 characters; the limit is 30"),
        (("a.txt", ("好\n" * 41).encode()), {"source": "zh", "target": "en"},
         "file: the file has 41 characters of text; the limit is 40"),
    ],
)  # fmt: skip
async def test_bad_files_and_fields_are_400_before_any_engine_call(
    client_for: ClientFactory,
    upload: tuple[str, bytes] | None,
    fields: dict[str, str],
    message: str,
) -> None:
    engine = EchoEngine()
    files = {"file": upload} if upload else {"other": ("x.txt", b"x")}
    async with client_for(engine, max_text_chars=30, max_file_chars=40) as client:
        response = await client.post("/translate_file", data=fields, files=files)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(message)
    assert engine.calls == 0


async def test_the_quota_is_checked_for_the_whole_file_first(
    client_for: ClientFactory, settings: Settings
) -> None:
    key = await new_key(settings, "metered", KeyLimits(characters_per_month=10))
    engine = EchoEngine()
    async with client_for(engine) as client:
        response = await client.post(
            "/translate_file",
            data={"source": "zh", "target": "en", "api_key": key},
            files={"file": ("a.txt", f"{REVIEW}\n{SHOES}".encode())},
        )
    assert response.status_code == 429 and response.json()["error"].startswith("Slowdown:")
    assert engine.calls == 0


async def test_unknown_and_malformed_downloads_are_404(client_for: ClientFactory) -> None:
    async with client_for() as client:
        unknown = await client.get(f"/download_file/{'0' * 32}/a.txt")
        malformed = await client.get("/download_file/..%2F..%2Fetc/passwd")
    assert unknown.status_code == 404 and "error" in unknown.json()
    assert malformed.status_code == 404


async def test_frontend_settings_offer_files(client_for: ClientFactory) -> None:
    async with client_for() as client:
        settings = (await client.get("/frontend/settings")).json()
    assert settings["filesTranslation"] is True
    assert settings["supportedFilesFormat"] == [".txt", ".html", ".docx"]
