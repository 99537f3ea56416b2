"""Screening every contribution before it can reach the projector.

- Risk language (suicide, self-harm, overdose, harm to others) that a rule recognises is held and
  raised privately as an alert. Words only the classifier finds are a *caution*: marked for the
  facilitator to read, and kept off the projector even when the session approves by itself, but
  not an alert (the classifier flags many ordinary texts too; an alert must stay rare enough
  that nobody learns to ignore it).
- Personal details (phone, email, address, link, handle, full name) are held, highlighted, and
  can be approved in a redacted form.
- Profanity is off, masked on the board, or held, by organization setting.
Nothing is blocked silently: a held contribution waits for the facilitator's judgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hopecircle.safety import classifier, semantic
from hopecircle.safety.personal import Detail, find_details, has_profanity, mask_profanity, redact
from hopecircle.safety.risk import CATEGORIES, RiskHit, find_risks

__all__ = [
    "CATEGORIES",
    "CAUTION_FLAG",
    "Detail",
    "ProfanityPolicy",
    "RiskHit",
    "Screening",
    "mask_profanity",
    "redact",
    "screen",
    "warm_up",
]


CAUTION_FLAG = "caution:risk"


class ProfanityPolicy(StrEnum):
    OFF = "off"
    MASK = "mask"
    HOLD = "hold"


@dataclass(frozen=True)
class Screening:
    """What the screener noticed in one contribution."""

    risk: tuple[RiskHit, ...] = ()  # what a rule recognised: an alert
    caution: tuple[RiskHit, ...] = ()  # what only the classifier found: worth a human read
    details: tuple[Detail, ...] = ()
    profanity: bool = False
    profanity_policy: ProfanityPolicy = ProfanityPolicy.MASK

    @property
    def risk_categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(hit.category for hit in self.risk))

    @property
    def flags(self) -> tuple[str, ...]:
        """Short labels stored with the contribution: 'risk:suicide', 'personal:phone', 'profanity'."""
        flags = [f"risk:{category}" for category in self.risk_categories]
        if self.caution and not self.risk:
            flags.append(CAUTION_FLAG)
        flags += [f"personal:{kind}" for kind in dict.fromkeys(d.kind for d in self.details)]
        if self.profanity:
            flags.append("profanity")
        return tuple(flags)

    @property
    def holds(self) -> bool:
        """Whether the contribution is held for the facilitator (an alert, a personal detail, profanity held)."""
        profanity_holds = self.profanity and self.profanity_policy is ProfanityPolicy.HOLD
        return bool(self.risk or self.details or profanity_holds)


def screen(
    text: str, others: tuple[str, ...] = (), profanity_policy: ProfanityPolicy = ProfanityPolicy.MASK
) -> Screening:
    """Screen `text` in every language the lexicons cover (people mix languages)."""
    profane = profanity_policy is not ProfanityPolicy.OFF and has_profanity(text)
    hits = find_risks(text, others)
    return Screening(
        risk=tuple(hit for hit in hits if hit.source == "rule"),
        caution=tuple(hit for hit in hits if hit.source != "rule"),
        details=find_details(text),
        profanity=profane,
        profanity_policy=profanity_policy,
    )


def warm_up() -> None:
    """Load what screening needs (the sentence encoder, its exemplar bank, the classifier) now, not on the first send.

    About a second and 130 MB once per process: the app process does it as it starts, so the
    first person to send in a session is not the one who waits.
    """
    screen("warm up")
    semantic.encoder()
    semantic.bank()
    classifier.model()
