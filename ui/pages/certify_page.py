"""The Certify page (placeholder until its issue lands)."""
from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class CertifyPage(PlaceholderPage):
    TITLE = "Certify"
    WILL_HOLD = ("Certifiers sign reps off on the new messaging, with the evidence behind each decision and its history.\n\nThis page is being built.")
