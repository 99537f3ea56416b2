"""Tables, as SQLAlchemy Core metadata. Migrations in `migrations/` build exactly this.

Nothing here identifies a person: no names of participants, no IP addresses, no user agents,
no headers, no precise times for participants (minutes only), and the phone's anonymous token
is stored only as a hash.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(80), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_on", Date, nullable=False),
    CheckConstraint("role in ('facilitator', 'admin')", name="role"),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("board_key", String(64), nullable=False, unique=True),
    Column("title", String(120), nullable=False),
    Column("program", String(80), nullable=False, server_default=""),
    Column("story_id", String(80), nullable=False),
    Column("language", String(8), nullable=False),
    Column("facilitator_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("status", String(8), nullable=False),
    Column("phase", String(16), nullable=False),
    Column("phase_started_at", DateTime, nullable=False),
    Column("story_section", Integer, nullable=False, server_default="-1"),
    # Which screen of that part the projector shows, when a long part is split (story_screens.py).
    Column("story_screen", Integer, nullable=False, server_default="0"),
    Column("auto_approve", Boolean, nullable=False, server_default="0"),
    Column("agreements", Text, nullable=True),
    Column("notes", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("closed_at", DateTime, nullable=True),
    Column("show_join", Boolean, nullable=False, server_default="1"),
    Column("resources_push", Integer, nullable=False, server_default="0"),
    Column("purged_at", DateTime, nullable=True),
    # The reflection prompts for this session when the facilitator edited them live (a JSON list).
    Column("prompts", Text, nullable=True),
    # The session plan it runs to (a file in facilitator_guides/plans/), for each phase's minutes.
    Column("plan_id", String(80), nullable=True),
    # What the projector shows: the room's phase, a blank screen (a pause), or a big join QR.
    Column("screen", String(8), nullable=False, server_default="room"),
    # The staff account that last moved the room (shown in the consoles, never to the room).
    Column("changed_by", Integer, nullable=True),
    # Whether the projector shows a calm countdown in the timed phases (reflect, next step).
    Column("projector_timer", Boolean, nullable=False, server_default="0"),
    # The recurring group this session is a meeting of (None: a one-off session).
    Column("group_id", Integer, nullable=True, index=True),
    CheckConstraint("status in ('open', 'closed')", name="status"),
)

# Recurring groups of the organization ("Tuesday evening circle"). `key` is a random name a phone
# keeps beside a next step it wants to be reminded of; it names the group, never a person.
recurring_groups = Table(
    "recurring_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(32), nullable=False, unique=True),
    Column("name", String(80), nullable=False),
    Column("program", String(80), nullable=False, server_default=""),
    Column("created_by", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("name", "program"),
)

# "How did your next step go?" at a later meeting: how many phones gave each answer, nothing per
# phone. An aggregate of the session: retention keeps it, like `session_stats`.
follow_ups = Table(
    "follow_ups",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("answer", String(12), primary_key=True),
    Column("count", Integer, nullable=False, server_default="0"),
    CheckConstraint("answer in ('did_it', 'partly', 'not_yet', 'rather_not')", name="answer"),
)

# Words from another circle a facilitator picked to open this session: a reference to the card,
# never a copy, so the words go when retention deletes their own session's.
opening_cards = Table(
    "opening_cards",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "contribution_id", Integer, ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    Column("position", Integer, nullable=False),
)

# Co-facilitators: other staff of the organization who run a session with its owner.
session_hosts = Table(
    "session_hosts",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("added_at", DateTime, nullable=False),
)

# Staff sign-ins that outlive a reload: a short-lived ticket a signed-in page exchanges for an
# HttpOnly cookie, and the cookie's own row (deleted at sign-out). Only hashes are stored.
staff_sign_ins = Table(
    "staff_sign_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(8), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    CheckConstraint("kind in ('ticket', 'cookie')", name="kind"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "session_id",
        Integer,
        ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("language", String(8), nullable=False),
    Column("joined_minute", DateTime, nullable=False),
    # This phone answered "how did your next step go?" here (the answer itself is only counted).
    Column("followed_up", Boolean, nullable=False, server_default="0"),
)

contributions = Table(
    "contributions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("goal_when", String(80), nullable=True),
    Column("goal_support", String(200), nullable=True),
    Column("dimension", String(16), nullable=True),
    Column("status", String(16), nullable=False),
    Column("flags", String(200), nullable=False, server_default=""),
    Column("shareable", Boolean, nullable=False, server_default="0"),
    Column("phase", String(16), nullable=False),
    Column("created_minute", DateTime, nullable=False),
    Column("client_key", String(40), nullable=False),
    Column("shuffle_key", Integer, nullable=False),
    Column("me_too", Integer, nullable=False, server_default="0"),
    # The staff account that last approved, hid or reviewed it (shown in the consoles only).
    Column("moderated_by", Integer, nullable=True),
    # The writer's consent that these words may open a future circle of the same program.
    Column("pass_on", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("participant_id", "client_key"),
    Index("ix_contributions_session_status", "session_id", "status"),
    CheckConstraint("kind in ('reflection', 'goal', 'checkin', 'checkout')", name="kind"),
    CheckConstraint("status in ('pending', 'approved', 'hidden', 'held')", name="status"),
)

reactions = Table(
    "reactions",
    metadata,
    Column(
        "contribution_id",
        Integer,
        ForeignKey("contributions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

pulses = Table(
    "pulses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("moment", String(4), nullable=False),
    Column("value", Integer, nullable=False),
    UniqueConstraint("participant_id", "moment"),
    CheckConstraint("moment in ('pre', 'post')", name="moment"),
    CheckConstraint("value >= 0 and value <= 10", name="value"),
)

support_requests = Table(
    "support_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("note", String(80), nullable=False, server_default=""),
    Column("created_minute", DateTime, nullable=False),
    Column("acknowledged", Boolean, nullable=False, server_default="0"),
    Column("acknowledged_by", Integer, nullable=True),
)

# One row of aggregates per session, written when it closes (and before retention deletes its raw
# rows), so organization reports outlive the contributions they were counted from.
session_stats = Table(
    "session_stats",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("participants", Integer, nullable=False),
    Column("contributions", Integer, nullable=False),
    Column("participants_with_goal", Integer, nullable=False),
    Column("pre_n", Integer, nullable=False),
    Column("pre_sum", Integer, nullable=False),
    Column("post_n", Integer, nullable=False),
    Column("post_sum", Integer, nullable=False),
    Column("paired_n", Integer, nullable=False),
    Column("change_sum", Integer, nullable=False),
    Column("kinds", Text, nullable=False),
    Column("pulse_pre", Text, nullable=False),
    Column("pulse_post", Text, nullable=False),
    Column("pulse_change", Text, nullable=False),
    Column("dimensions", Text, nullable=False),
    Column("checkin_words", Text, nullable=False),
    Column("checkout_words", Text, nullable=False),
    Column("themes", Text, nullable=False),
    Column("computed_at", DateTime, nullable=False),
)

# Stories facilitators write in the app, and their versions in another language. The Markdown is the same format as a file in stories/,
# so export is the text itself and validation is the same loader.
authored_stories = Table(
    "authored_stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", String(80), nullable=False, unique=True),
    Column("author_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("title", String(120), nullable=False),
    Column("language", String(8), nullable=False),
    # The story this one is another language's version of (None for an original).
    Column("translation_of", String(80), nullable=True, index=True),
    Column("markdown", Text, nullable=False),
    Column("valid", Boolean, nullable=False, server_default="0"),
    Column("updated_at", DateTime, nullable=False),
)

# A wrong password (or setup code) and when: the sign-in throttle counts these across processes
# and restarts. `key` is a hash of the username typed (or of the setup code's name), never the
# password; nothing about the browser or its address is kept. Rows older than a day are deleted.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False),
    Column("failed_at", DateTime, nullable=False, index=True),
    Index("ix_sign_in_failures_key_failed_at", "key", "failed_at"),
)
