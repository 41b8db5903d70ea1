"""The Coach page (placeholder until its issue lands)."""
from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class CoachPage(PlaceholderPage):
    TITLE = "Coach"
    WILL_HOLD = ("The review queue with peer scores per criterion, where scorers disagree, coaching notes, and exemplary takes promoted for everyone to learn from.\n\nThis page is being built.")
