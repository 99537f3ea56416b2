"""Browser security headers on every HTTP answer of the served app (pages, assets, the app's routes).

- A Content-Security-Policy that allows only this origin: the app works offline on a venue's
  LAN and loads nothing from anywhere else, so nothing else needs to be allowed. Streamlit's page
  carries one small inline script; it is allowed by its hash, read from the installed page. No
  `eval`, no inline event handlers, no other site's scripts, fonts, images or connections.
- `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for older browsers) on every page: no
  other site may frame the console, the staff pages or the projector (a projector is a window of
  its own, never needs framing; a framed board would let another page overlay it).
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a phone's address carries its
  anonymous token: it must never leave in a Referer header), and a Permissions-Policy that turns
  off camera, microphone and location (the app asks for none).

The WebSocket itself is not an HTTP answer and passes untouched. `deploy/nginx/hopecircle.conf`
sets the same headers at the proxy.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import re
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _streamlit_page() -> Path | None:
    """Streamlit's index.html as installed (found without importing Streamlit: routes never do)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "static" / "index.html"


@functools.cache
def inline_script_hashes() -> tuple[str, ...]:
    """The CSP hashes of the inline scripts in Streamlit's page, as this install serves it."""
    index = _streamlit_page()
    try:
        page = index.read_text(encoding="utf-8") if index is not None else ""
    except OSError:
        return ()
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"
        for script in scripts
    )


@functools.cache
def content_security_policy() -> str:
    """The policy: this origin only, inline styles allowed (Streamlit styles its elements inline).

    Scripts: this origin, the page's inline script by hash, `blob:` (Streamlit loads each
    `st.components.v2` component's code, made by this page's own script, from a blob URL) and
    `'wasm-unsafe-eval'` (Streamlit compiles a WebAssembly module; this allows that and not eval).
    """
    scripts = " ".join(("'self'", "blob:", "'wasm-unsafe-eval'", *inline_script_hashes()))
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' data: blob:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def security_headers() -> dict[str, str]:
    """The headers every answer carries."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP answer (the app's own routes and Streamlit's)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.added = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.added.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
