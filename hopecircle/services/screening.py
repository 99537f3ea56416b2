"""A participant's words screened once, however many times the send that carries them is handled.

The screener (`hopecircle.safety`) is the CPU-heavy part of a send: a few milliseconds of one
core under the interpreter lock. The phone's post screens its words ahead, a few at a time per
process (`http/phone.py`), before the write; the write finds the answer here instead of screening
again. A room's worth of sends arriving at once (the Wi-Fi back after a drop) then queues for the
screener without holding the threads and the interpreter that answer the room's questions, and
without holding a write slot while another process has the database's lock.
"""

from __future__ import annotations

from hopecircle import safety
from hopecircle.domain import SessionInfo
from hopecircle.services import library
from hopecircle.services.context import Context
from hopecircle.services.organization import cached_settings

# Long enough for the write that follows its screening (or a retry of the same send), short
# enough that a room's words do not stay in memory.
SCREENED_SECONDS = 120.0


def screen_fields(ctx: Context, session: SessionInfo, fields: dict[str, object]) -> safety.Screening:
    """Screen every typed field, naming the story's storyteller as someone other than the writer."""
    text = "\n".join(str(fields[key]) for key in ("body", "goal_when", "goal_support") if fields.get(key))
    story = library.get_story(ctx, session.story_id)
    others = (story.storyteller,) if story else ()
    # The process's few-seconds copy: an admin's change applies at once here and within seconds elsewhere.
    policy = cached_settings(ctx).profanity_policy
    return ctx.cache.get(
        ("screened", text, others, policy),
        SCREENED_SECONDS,
        lambda: safety.screen(text, others=others, profanity_policy=policy),
    )
