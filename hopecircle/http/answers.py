"""What every endpoint shares: answers that are never cached, and reading a posted JSON body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

NO_STORE = {"Cache-Control": "no-store"}


class Refused(Exception):
    """Something no page of the app would send: answered 400, with no sentence."""


class TooBig(Exception):
    """A body past the endpoint's limit: answered 413 (someone pasted a book)."""


def answer(body: dict[str, Any], status: int = 200) -> JSONResponse:
    """A JSON answer no browser or proxy keeps."""
    return JSONResponse(body, status_code=status, headers=NO_STORE)


def bad_request() -> JSONResponse:
    return answer({"error": "bad request"}, 400)


async def json_object(request: Request, max_bytes: int) -> dict[str, Any]:
    """The JSON object a page posted, read no further than `max_bytes`.

    Only `Content-Type: application/json`: another site's page cannot send that without asking
    first (a CORS preflight), and nothing here answers such a question.
    """
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise Refused()
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise TooBig()
        chunks.append(chunk)
    try:
        payload = json.loads(b"".join(chunks))
    except (ValueError, RecursionError) as error:  # not JSON, or nested deeper than any page would send
        raise Refused() from error
    if not isinstance(payload, dict):
        raise Refused()
    return payload
