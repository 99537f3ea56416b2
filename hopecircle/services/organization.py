"""Organization-wide settings: retention, small-count suppression, profanity, reveal threshold."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from hopecircle.domain import Account, InvalidChoice, NotAuthorized
from hopecircle.safety import ProfanityPolicy
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

    def validate(self) -> OrgSettings:
        if not 1 <= self.retention_days <= 3650:
            raise InvalidChoice(field="retention_days")
        if not 2 <= self.suppression_threshold <= 50:
            raise InvalidChoice(field="suppression_threshold")
        if not 0 <= self.reveal_threshold <= 50:
            raise InvalidChoice(field="reveal_threshold")
        if len(self.organization_name) > 120:
            raise InvalidChoice(field="organization_name")
        return self


_PREFIX = "org."


def read_settings(tx: Tx) -> OrgSettings:
    """Settings as stored, with defaults for anything never set."""
    values: dict[str, object] = {}
    for field in fields(OrgSettings):
        raw = tx.settings.get(_PREFIX + field.name)
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
        current = read_settings(tx)
        try:
            updated = replace(current, **changes).validate()  # type: ignore[arg-type]
            if not isinstance(updated.profanity_policy, ProfanityPolicy):
                updated = replace(updated, profanity_policy=ProfanityPolicy(updated.profanity_policy))
        except (TypeError, ValueError) as error:
            raise InvalidChoice() from error
        for name, value in asdict(updated).items():
            tx.settings.put(_PREFIX + name, str(value.value if isinstance(value, ProfanityPolicy) else value))
    return updated
