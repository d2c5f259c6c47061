"""LibreTranslate's `/translate_file`: a .txt, .html or .docx file translated whole, kept for an
hour and answered as `translatedFileUrl`, which `/download_file/...` serves.

The file's texts (lines, HTML text runs, Word paragraphs: `translator.text.documents`) go
through `translate_texts`, the path of `/translate` and `/v1/translate`, in batches of
`max_texts`: same cache, glossaries, memories, quota and usage. Everything that can refuse the
file (its size, format, a text over `max_text_chars`, the whole text over `max_file_chars`, the
key's quota) is checked before the first engine call. With `source=auto`, the language is
detected once on the file's text rather than line by line.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Any
from urllib.parse import quote

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.params import PathParameter

from translator.api.auth import caller_key
from translator.api.compat.body import convert, read_fields
from translator.api.compat.libretranslate import (
    LIBRE_ERROR_RESPONSES,
    LIBRE_ERRORS,
    our_code,
)
from translator.api.compat.shared import CompatRequest, identify_caller, translate_texts
from translator.api.compat.translated_files import TranslatedFiles
from translator.api.downloads import attachment
from translator.api.limits import FILES_OPT
from translator.api.quota import check_quota
from translator.api.schemas import LanguageCode
from translator.api.state import AppState, AppStateDependency
from translator.errors import InvalidInput
from translator.settings import Settings
from translator.text.detect import detect_language, has_letters
from translator.text.documents import Document, DocumentError, document_suffix, read_document
from translator.text.languages import AUTO, normalize_language, normalize_pair

__all__ = ["libre_file_routes"]

_TAG = ["libretranslate"]
_FIELDS = {"source": "source", "target": "target", "texts": "file"}
_MEDIA_TYPES = {
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_DETECTION_CHARS = 2000
"""Text the source language of a whole file is detected on (its first texts)."""


class LibreFileRequest(msgspec.Struct, kw_only=True):
    """`POST /translate_file`'s fields besides `file` (multipart, or the query)."""

    source: LanguageCode
    target: LanguageCode
    api_key: str | None = None


class LibreFileTranslation(msgspec.Struct, rename="camel"):
    translated_file_url: str


async def _read(upload: object) -> tuple[str, Document]:
    if not isinstance(upload, UploadFile):
        raise InvalidInput("file", "missing file parameter: send the file as multipart form data")
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
    try:
        return name, read_document(name, await upload.read())
    except DocumentError as error:
        raise InvalidInput("file", str(error)) from error


def _source(source: str, document: Document) -> str:
    """The file's source language: the request's, or detected once on the file's text."""
    code = normalize_language(our_code(source), field="source", allow_auto=True)
    if code != AUTO:
        return code
    sample = "\n".join(text for text in document.texts if has_letters(text))[:_DETECTION_CHARS]
    return detect_language(sample, field="file").language if sample else AUTO


def _translated_name(name: str, target: str) -> str:
    path = PurePosixPath(name or "file.txt")
    return f"{path.stem}.{target}{path.suffix}"


async def _translate(
    app_state: AppState,
    request: Request[Any, Any, Any],
    document: Document,
    source: str,
    target: str,
) -> list[str]:
    """Every text of the document translated, checked whole before the first batch runs."""
    settings = app_state.settings
    texts, places = list(document.texts), list(document.places)
    characters = sum(len(text) for text in texts)
    if characters > settings.max_file_chars:
        raise InvalidInput(
            "file",
            f"the file has {characters} characters of text; the limit is {settings.max_file_chars}",
        )
    for text, place in zip(texts, places, strict=True):
        if len(text) > settings.max_text_chars:
            raise InvalidInput(
                f"file ({place})",
                f"text has {len(text)} characters; the limit is {settings.max_text_chars}",
            )
    key = caller_key(request)
    await check_quota(app_state, key, characters)
    translations: list[str] = []
    for start in range(0, len(texts), settings.max_texts):
        batch = slice(start, start + settings.max_texts)
        answers = await translate_texts(
            app_state,
            request,
            key,
            CompatRequest(
                texts=texts[batch],
                labels=[f"file ({place})" for place in places[batch]],
                source=source,
                target=target,
                fields=_FIELDS,
            ),
        )
        translations += [answer.translation for answer in answers]
    return translations


def libre_file_routes(settings: Settings) -> list[HTTPRouteHandler]:
    """`/translate_file` (uploads up to `max_file_bytes`) and the download of its results."""
    files = TranslatedFiles(settings.cache_dir / "translated-files")

    @post(
        "/translate_file",
        status_code=200,
        summary="Translate a file (LibreTranslate)",
        description="LibreTranslate's `/translate_file`: a multipart `file` (.txt, .html, "
        ".docx) from `source` (or `auto`) into `target`; answers `translatedFileUrl`.",
        tags=_TAG,
        exception_handlers=LIBRE_ERRORS,
        responses=LIBRE_ERROR_RESPONSES,
        request_max_body_size=settings.max_file_bytes,
        opt={FILES_OPT: True},
    )
    async def libre_translate_file(
        app_state: AppStateDependency, request: Request[Any, Any, Any]
    ) -> LibreFileTranslation:
        fields = await read_fields(request)
        await identify_caller(app_state, request, fields.get("api_key"))  # kept in the scope
        data = convert({k: v for k, v in fields.items() if k != "file"}, LibreFileRequest)
        _, target = normalize_pair(AUTO, our_code(data.target))
        name, document = await _read(fields.get("file"))
        source = _source(data.source, document)
        if source == target:
            raise InvalidInput("target", "source and target languages are the same")
        translations = await _translate(app_state, request, document, source, target)
        token = await files.keep(document.fill(translations))
        file_name = quote(_translated_name(name, target), safe="")
        base = str(request.base_url).rstrip("/")
        return LibreFileTranslation(f"{base}/download_file/{token}/{file_name}")

    @get(
        "/download_file/{token:str}/{name:str}",
        summary="Download a translated file (LibreTranslate)",
        description="The file `/translate_file` translated, for an hour after it was.",
        tags=_TAG,
        exception_handlers=LIBRE_ERRORS,
        responses=LIBRE_ERROR_RESPONSES,
    )
    async def libre_download_file(
        token: Annotated[str, PathParameter(max_length=64)],
        name: Annotated[str, PathParameter(max_length=300)],
    ) -> Response[bytes]:
        content = await files.read(token)
        if content is None:
            raise NotFoundException("no such file: it may have expired")
        media_type = _MEDIA_TYPES.get(document_suffix(name), "application/octet-stream")
        return attachment(content, media_type, name)

    return [libre_translate_file, libre_download_file]
