"""The phone's board cards and nothing else, for tests/app/test_pages.py (run by AppTest in a fresh interpreter)."""

from hopecircle.domain import Card, Kind
from hopecircle.services.board import PublicCards
from hopecircle.ui import phone_board

if __name__ == "__main__":  # AppTest runs it as the main script; nothing runs on a plain import
    cards = tuple(Card(n, Kind.REFLECTION, f"card {n}", None, None, None, n) for n in range(1, 4))
    phone_board.board_cards("token", PublicCards(cards, waiting=0, approved=3), frozenset({2}))
