"""QR codes a phone can scan from the back of a room."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M


# The projector redraws on every change in the room; drawing the same code each time cost more
# than the rest of the redraw. The PNG bytes are immutable, so share them.
@lru_cache(maxsize=64)
def qr_png(data: str, box_size: int = 16, border: int = 4) -> bytes:
    """A black-on-white PNG of `data`: medium error correction, quiet zone of four modules."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
