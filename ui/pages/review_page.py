"""The Review page (placeholder until its issue lands)."""
from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class ReviewPage(PlaceholderPage):
    TITLE = "Review"
    WILL_HOLD = ("Watch a peer's take with its transcript and score it against the exercise's rubric, citing the moments that earned each score.\n\nThis page is being built.")
