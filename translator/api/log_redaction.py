"""Keys sent in a query string kept out of the access log.

DeepL's legacy `auth_key` and LibreTranslate's `api_key` may come in the query string, which
uvicorn's access log writes out with the path. A filter on that logger masks their values;
`create_app` installs it (once per process: the logger is global).
"""

from __future__ import annotations

import logging
import re

__all__ = ["ACCESS_LOGGER", "install_access_log_redaction", "redact_query"]

ACCESS_LOGGER = "uvicorn.access"
_SECRET_PARAMETER = re.compile(r"([?&](?:auth_key|api_key|key)=)[^&#\s]*", re.IGNORECASE)


def redact_query(text: str) -> str:
    """`text` with the values of key parameters in its query strings masked."""
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


class _RedactKeys(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_query(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        record.msg = redact_query(str(record.msg))
        return True


_FILTER = _RedactKeys()


def install_access_log_redaction() -> None:
    logging.getLogger(ACCESS_LOGGER).addFilter(_FILTER)  # a no-op when installed already
