"""The Dashboard page (placeholder until its issue lands)."""
from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class DashboardPage(PlaceholderPage):
    TITLE = "Dashboard"
    WILL_HOLD = ("Leaderboards by team, vocabulary adoption, engagement after the event, and score distributions.\n\nThis page is being built.")
