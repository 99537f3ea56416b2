"""HopeCircle: live peer-led recovery workshop sessions."""

__version__ = "0.1.0"
