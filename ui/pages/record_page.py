"""The Record page (placeholder until its issue lands)."""
from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class RecordPage(PlaceholderPage):
    TITLE = "Record"
    WILL_HOLD = ("Pick an exercise, read its prompt and pre-work, and record a teach-back or role-play on camera. Retake as often as you like, then submit.\n\nThis page is being built.")
