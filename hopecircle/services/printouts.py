"""Printouts a session's hosts download from the console: the join sheet and the hope board."""

from __future__ import annotations

from hopecircle import printing
from hopecircle.crisis import crisis_lines
from hopecircle.domain import Account
from hopecircle.i18n import available_languages
from hopecircle.services import board
from hopecircle.services.context import Context
from hopecircle.services.organization import cached_settings
from hopecircle.services.sessions import hosted_session


def join_sheet(ctx: Context, by: Account, session_id: int, address: str, url: str, paper: str = "a4") -> bytes:
    """The session's join sheet as a PDF: `url` is what the QR code opens, `address` where to type the code.

    The session's language comes first; the support lines are printed in every language phones
    can pick, with the organization's local lines.
    """
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
    languages = (session.language, *(code for code in available_languages() if code != session.language))
    local = cached_settings(ctx).local_lines
    sheet = printing.JoinSheet(
        title=session.title,
        code=session.code,
        url=url,
        address=address,
        languages=languages,
        support=tuple(crisis_lines(language, local) for language in languages),
    )
    return printing.join_sheet_pdf(sheet, paper)


def board_sheet(ctx: Context, by: Account, session_id: int, paper: str = "a4") -> bytes:
    """The hope board as a PDF: the cards as the room saw them (the projector's own, masked, no
    support lines; none while fewer than the reveal threshold were approved), no names or times."""
    with ctx.store.read() as tx:
        session = hosted_session(tx, by, session_id)
    cards = board.public_cards(ctx, session).cards
    return printing.board_pdf(printing.BoardSheet(title=session.title, language=session.language, cards=cards), paper)
