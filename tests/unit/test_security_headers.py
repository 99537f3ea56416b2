"""The security headers' policy: this origin only, and the one inline script of Streamlit's page by hash."""

from __future__ import annotations

import asyncio

from hopecircle.http.headers import SecurityHeaders, content_security_policy, inline_script_hashes


def test_the_policy_allows_streamlits_own_inline_script_by_its_hash():
    hashes = inline_script_hashes()
    assert hashes and all(h.startswith("'sha256-") for h in hashes)
    assert all(h in content_security_policy() for h in hashes)


def test_every_http_answer_gets_the_headers_and_a_websocket_passes_untouched():
    seen: list[dict] = []

    async def app(scope, receive, send):
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": [(b"server", b"x")]})
            await send({"type": "http.response.body", "body": b"ok"})

    async def collect(message):
        seen.append(message)

    middleware = SecurityHeaders(app)
    asyncio.run(middleware({"type": "http", "headers": []}, None, collect))
    headers = dict(seen[0]["headers"])
    assert headers[b"x-frame-options"] == b"DENY" and headers[b"referrer-policy"] == b"no-referrer"
    assert b"frame-ancestors 'none'" in headers[b"content-security-policy"]
    seen.clear()
    asyncio.run(middleware({"type": "websocket"}, None, collect))
    assert seen == []
