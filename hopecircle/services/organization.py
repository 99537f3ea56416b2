"""Organization-wide settings: retention, suppression, profanity, reveal threshold, programs, local lines."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from hopecircle.domain import MAX_PROGRAM_CHARS, Account, InvalidChoice, NotAuthorized
from hopecircle.safety import ProfanityPolicy
from hopecircle.services.authz import require_admin
from hopecircle.services.context import Context
from hopecircle.store import Tx


@dataclass(frozen=True)
class OrgSettings:
    """Defaults are what a peer-run agency would pick; an admin can change each one."""

    retention_days: int = 30
    suppression_threshold: int = 5
    profanity_policy: ProfanityPolicy = ProfanityPolicy.MASK
    reveal_threshold: int = 3
    organization_name: str = ""
    # One program or site per line; offered as report filters (and to whoever starts a session).
    program_labels: str = ""
    # Local support lines, one per line: "Name | phone to call | number to text | what it is".
    local_crisis_lines: str = ""

    @property
    def program_list(self) -> tuple[str, ...]:
        """The program/site labels, trimmed, without blanks or repeats."""
        return tuple(dict.fromkeys(line.strip() for line in self.program_labels.splitlines() if line.strip()))

    @property
    def local_lines(self) -> tuple[dict[str, str], ...]:
        """Local support lines in the shape `crisis.crisis_lines(extra=...)` takes."""
        lines = []
        for number, raw in enumerate(line for line in self.local_crisis_lines.splitlines() if line.strip()):
            name, call, text, detail = ([part.strip() for part in raw.split("|")] + ["", "", ""])[:4]
            lines.append({"id": f"local-{number + 1}", "name": name, "call": call, "text": text, "detail": detail})
        return tuple(lines)

    def validate(self) -> OrgSettings:
        if not 1 <= self.retention_days <= 3650:
            raise InvalidChoice(field="retention_days")
        # "Fewer than 2" would say "exactly 1": the smallest threshold that hides anyone is 3.
        if not 3 <= self.suppression_threshold <= 50:
            raise InvalidChoice(field="suppression_threshold")
        if not 0 <= self.reveal_threshold <= 50:
            raise InvalidChoice(field="reveal_threshold")
        if len(self.organization_name) > 120:
            raise InvalidChoice(field="organization_name")
        if len(self.program_list) > 50 or any(len(label) > MAX_PROGRAM_CHARS for label in self.program_list):
            raise InvalidChoice(field="program_labels")
        if len(self.local_lines) > 10 or any(
            not line["name"] or not (line["call"] or line["text"]) or len(line["name"]) > 120
            for line in self.local_lines
        ):
            raise InvalidChoice(field="local_crisis_lines")
        return self


_PREFIX = "org."


def read_settings(tx: Tx) -> OrgSettings:
    """Settings as stored, with defaults for anything never set."""
    values: dict[str, object] = {}
    stored = tx.settings.with_prefix(_PREFIX)  # one query: every send is screened with these
    for field in fields(OrgSettings):
        raw = stored.get(_PREFIX + field.name)
        if raw is None:
            continue
        default = getattr(OrgSettings(), field.name)
        if isinstance(default, ProfanityPolicy):
            values[field.name] = ProfanityPolicy(raw)
        elif isinstance(default, int):
            values[field.name] = int(raw)
        else:
            values[field.name] = raw
    return OrgSettings(**values)  # type: ignore[arg-type]


def get_settings(ctx: Context) -> OrgSettings:
    with ctx.store.read() as tx:
        return read_settings(tx)


def update_settings(ctx: Context, by: Account, **changes: object) -> OrgSettings:
    """An admin changes organization settings; the whole set is validated before anything is saved."""
    if not by.is_admin:
        raise NotAuthorized()
    with ctx.store.write() as tx:
        require_admin(tx, by)
        current = read_settings(tx)
        try:
            updated = replace(current, **changes).validate()  # type: ignore[arg-type]
            if not isinstance(updated.profanity_policy, ProfanityPolicy):
                updated = replace(updated, profanity_policy=ProfanityPolicy(updated.profanity_policy))
        except (TypeError, ValueError) as error:
            raise InvalidChoice() from error
        for name, value in asdict(updated).items():
            tx.settings.put(_PREFIX + name, str(value.value if isinstance(value, ProfanityPolicy) else value))
    ctx.cache.forget(_CACHE_KEY)
    return updated


# Every send is screened with the profanity setting and every phone's crisis panel lists the
# local lines: they read the process's copy, at most SETTINGS_SECONDS old (an admin's change
# applies at once in the process that made it).
SETTINGS_SECONDS = 5.0
_CACHE_KEY = ("org-settings",)


def cached_settings(ctx: Context) -> OrgSettings:
    """Settings for screens every phone redraws and for every send: the process's shared copy."""
    return ctx.cache.get(_CACHE_KEY, SETTINGS_SECONDS, lambda: get_settings(ctx))
