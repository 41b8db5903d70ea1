"""The Review page: pick a peer's take, watch it with its transcript, score it against the rubric.

    [ takes + filters ] | [ player, vocabulary timeline, speech metrics, transcript ] | [ scorecard ]

Keys (anywhere on the page except while typing): Space play/pause, Left/Right -5/+5 s, 1-5 score the
focused criterion, N / Shift+N next / previous criterion, E cite the current moment as evidence,
Ctrl+Enter submit. Rules (own take, every criterion, evidence inside the take) are enforced by
store.scores.ScoreRepo; this page only shows what it says.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from store.changes import Changes
from store.review_queries import ReviewQueries, TakeDetail
from store.scores import ScorecardDraft, ScoreRepo, ScoringError
from ui.widgets.player import TakePlayer, clock
from ui.widgets.review_list import ReviewList
from ui.widgets.scorecard_form import ScorecardForm
from ui.widgets.term_timeline import TermTimeline
from ui.widgets.transcript_view import TranscriptView


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1] + " …"


def metrics_text(metrics: dict, hits: list[dict]) -> str:
    if not metrics:
        return "No speech metrics yet."
    bits = []
    if metrics.get("talk_ratio") is not None:
        bits.append(f"talking {metrics['talk_ratio'] * 100:.0f}%")
    if metrics.get("longest_monologue"):
        bits.append(f"longest stretch {clock(metrics['longest_monologue'])}")
    if metrics.get("filler_count") is not None:
        bits.append(_count(metrics["filler_count"], "filler"))
    if metrics.get("pauses") is not None:
        bits.append(_count(metrics["pauses"], "pause"))
    bits.append(_count(len(hits), "vocabulary hit") + " (gold on the timeline)")
    return "Delivery: " + " · ".join(bits)


class ReviewPage(QWidget):
    TITLE = "Review"

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.queries = ReviewQueries(context.store)
        self.scores = ScoreRepo(context.store)
        self.detail: TakeDetail | None = None
        self._drafts: dict[tuple[str, str], dict] = {}     # (scorer, take) -> unsubmitted form contents
        self._viewed: set[tuple[str, str]] = set()          # transcript views logged this session
        self._form_owner: str | None = None                 # whose scorecard the form holds

        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        self.list = ReviewList(context, self.queries)
        self.list.take_selected.connect(self.open_take)

        self.take_title = QLabel("Choose a take on the left.")
        self.take_title.setObjectName("takeTitle")
        self.take_title.setStyleSheet("font-weight:600; font-size:14px;")
        self.take_title.setWordWrap(True)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("color:#4a5560;")

        self.player = TakePlayer(context.services.media)
        self.timeline = TermTimeline()
        self.metrics = QLabel()
        self.metrics.setObjectName("speechMetrics")
        self.metrics.setWordWrap(True)
        self.transcript = TranscriptView(show_export=False)
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        mid.addWidget(self.take_title)
        mid.addWidget(self.prompt)
        mid.addWidget(self.player, 2)
        mid.addWidget(self.timeline)
        mid.addWidget(self.metrics)
        mid.addWidget(self.transcript, 3)

        self.form = ScorecardForm(self.player.position)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([330, 520, 400])
        root = QVBoxLayout(self)
        root.addWidget(title)
        root.addWidget(self.splitter, 1)

        self.player.position_changed.connect(self._on_position)
        self.transcript.seek_requested.connect(self.player.seek)
        self.timeline.seek_requested.connect(self.player.seek)
        self.form.seek_requested.connect(self.player.seek)
        self.form.evidence_changed.connect(self.timeline.set_evidence)
        self.form.submit_requested.connect(self.submit)
        self._shortcuts()
        context.person_changed.connect(self._on_person)
        context.on_change({"scores", "recordings", "transcripts"}, lambda _c: self.list.refresh(), self)
        context.on_change({"kit"}, lambda _c: self.list.load_choices(), self)
        context.on_change({"transcripts", "media"}, self._on_take_data, self)
        context.people_changed.connect(self.list.load_choices)
        self.list.refresh()

    def _shortcuts(self) -> None:
        # Text fields take printable keys and arrows first (Qt's ShortcutOverride), so typing a comment
        # never plays the video or scores a criterion.
        def add(key, slot):
            QShortcut(QKeySequence(key), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add(Qt.Key.Key_Space, self.player.toggle)
        add(Qt.Key.Key_Left, lambda: self.player.jump(-5))
        add(Qt.Key.Key_Right, lambda: self.player.jump(5))
        for value in range(1, 6):
            add(getattr(Qt.Key, f"Key_{value}"), lambda v=value: self.form.score_focused(v))
        add(Qt.Key.Key_N, self.form.next_criterion)
        add(QKeySequence("Shift+N"), self.form.previous_criterion)
        add(Qt.Key.Key_E, self.form.cite_focused)
        add(QKeySequence("Ctrl+Return"), self.submit)
        add(QKeySequence("Ctrl+Enter"), self.submit)

    # -- a take -------------------------------------------------------------------------------------
    def _keep_draft(self) -> None:
        """Remember what the reviewer entered but did not submit (kept per reviewer and take)."""
        owner, detail = self._form_owner, self.detail
        if owner and detail and self.form.dirty:
            self._drafts[(owner, detail.recording_id)] = self.form.snapshot()

    def open_take(self, recording_id: str) -> None:
        self._keep_draft()
        detail = self.queries.take(recording_id)
        self.detail = detail
        if detail is None:
            self.take_title.setText("That take is no longer on this station.")
            return
        self.take_title.setText(f"{detail.rep}{' · ' + detail.team if detail.team else ''} · {detail.exercise}")
        self.prompt.setText(first_sentence(detail.prompt))      # the whole prompt in the tooltip
        self.prompt.setToolTip(detail.prompt)
        self.player.load_take(recording_id, detail.duration_s)
        self.timeline.set_take(detail.duration_s or 0.0, detail.segments, detail.hits)
        self.transcript.set_transcript(detail.segments, detail.hits, (detail.transcript or {}).get("metrics"),
                                       title=f"transcript-{recording_id[:8]}")
        self.metrics.setText(metrics_text((detail.transcript or {}).get("metrics") or {}, detail.hits))
        self.form.set_rubric(detail.criteria)
        self._update_form_state()
        person = self.context.person
        if person is not None and person.id != detail.rep_id:
            if (person.id, recording_id) not in self._viewed:        # once per take and session
                self._viewed.add((person.id, recording_id))
                self.scores.log_event("transcript_view", person.id, recording_id, detail.exercise_id)

    def _update_form_state(self) -> None:
        person, detail = self.context.person, self.detail
        self._form_owner = None
        if detail is None:
            self.form.set_enabled_for("Choose a take to score.")
            return
        if person is None:
            self.form.load(None)
            self.form.set_enabled_for("Choose who you are (Ctrl+P) to score this take.")
        elif person.id == detail.rep_id:
            self.form.load(None)
            self.form.set_enabled_for("This is your own take: peers score it, you cannot.")
        elif not detail.criteria:
            self.form.set_enabled_for("This exercise has no rubric to score against.")
        else:
            self.form.load(self.scores.current(detail.recording_id, person.id))
            self.form.set_enabled_for(None)
            self.form.message.clear()
            self._form_owner = person.id
            draft = self._drafts.get((person.id, detail.recording_id))
            if draft is not None:
                self.form.restore(draft)
                self.form.show_message("Your unsubmitted scores for this take are back.")

    def submit(self) -> None:
        person, detail = self.context.person, self.detail
        if detail is None or person is None or not self.form.submit_button.isEnabled():
            return
        missing = self.form.missing()
        if missing:
            self.form.show_message("Score every criterion first; missing: " + ", ".join(missing) + ".", error=True)
            return
        scores, comments, overall = self.form.draft_parts()
        try:
            card = self.scores.submit(ScorecardDraft(detail.recording_id, person.id, scores, comments, overall))
        except ScoringError as exc:
            self.form.show_message(str(exc), error=True)
            return
        self._drafts.pop((person.id, detail.recording_id), None)
        self.form.load(card)
        self.form.show_message(f"Submitted (version {card.version}). Thank you, {person.name.split()[0]}.")
        self.context.say(f"Scorecard for {detail.rep}'s take submitted.")
        self.context.notify(Changes.of("scores"), origin=self)
        self.list.refresh()

    # -- reacting -------------------------------------------------------------------------------------
    def _on_position(self, seconds: float) -> None:
        self.transcript.set_position(seconds)
        self.timeline.set_position(seconds)
        self.form.update_time(seconds)

    def _on_person(self, _person) -> None:
        self._keep_draft()      # a draft stays with the person who typed it
        self.list.refresh()
        self._update_form_state()

    def _on_take_data(self, changes: Changes) -> None:
        """A transcript or the video of the open take may have arrived (sync, transcription)."""
        detail = self.detail
        if detail is None:
            return
        if changes.media:
            self.player.media_arrived()
        if changes.transcripts and not detail.segments:
            fresh = self.queries.take(detail.recording_id)
            if fresh is not None and fresh.segments:
                self.detail = fresh
                self.timeline.set_take(fresh.duration_s or 0.0, fresh.segments, fresh.hits)
                self.transcript.set_transcript(fresh.segments, fresh.hits, (fresh.transcript or {}).get("metrics"),
                                               title=f"transcript-{fresh.recording_id[:8]}")
                self.metrics.setText(metrics_text((fresh.transcript or {}).get("metrics") or {}, fresh.hits))

    def hideEvent(self, event) -> None:  # noqa: N802 (leaving the page stops the sound)
        self.player.pause()
        super().hideEvent(event)

    def shutdown(self) -> None:
        self.player.shutdown()
