"""A transcript to read and navigate: segments with times, vocabulary terms highlighted, click to seek.

    view = TranscriptView()
    view.set_transcript(segments, hits)         # dicts or recorder Segment / scoring TermHit objects
    view.seek_requested.connect(player.seek)    # seconds: a segment's time or a word was clicked
    view.set_position(12.3)                     # highlight the segment being played
    view.load_recording(repo, recording_id)     # or straight from the store (store.transcripts)

Used by the Review page (#5) and the Transcriptions panel.  Export (SRT, WebVTT, TXT, JSON) goes
through ``export_transcript``; the writers themselves are in recorder/transcription/subtitles.py.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QTextBrowser, QVBoxLayout, QWidget)

from recorder.transcription.subtitles import render

TERM_STYLE = "background-color:#ffe08a; color:#3b2f00; font-weight:600; text-decoration:none;"
WORD_STYLE = "color:palette(text); text-decoration:none;"
TIME_STYLE = "color:#5a6b7d; text-decoration:none; font-family:monospace;"
CURRENT_BG = "#e3eefc"


def _get(x, name, default=None):
    return x.get(name, default) if isinstance(x, dict) else getattr(x, name, default)


def fmt_time(seconds: float) -> str:
    s = int(max(0.0, seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class TranscriptView(QWidget):
    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None, show_export: bool = True):
        super().__init__(parent)
        self.segments: list = []
        self.hits: list = []
        self.metrics: dict = {}
        self.title = "transcript"
        self._current = -1
        self.browser = QTextBrowser()
        self.browser.setObjectName("transcriptText")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.summary = QLabel()
        self.summary.setObjectName("transcriptSummary")
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the transcript as SRT, WebVTT, plain text or JSON")
        self.export_button.clicked.connect(lambda: export_transcript(self, self.title, self.segments,
                                                                    self.hits, self.metrics))
        self.export_button.setVisible(show_export)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.browser, 1)
        self.set_transcript([], [])

    # -- content -----------------------------------------------------------------------------------
    def set_transcript(self, segments, hits=(), metrics: dict | None = None, title: str = "transcript") -> None:
        self.segments = list(segments)
        self.hits = list(hits)
        self.metrics = dict(metrics or {})
        self.title = title
        self._current = -1
        self.export_button.setEnabled(bool(self.segments))
        terms = sorted({str(_get(h, "term")) for h in self.hits})
        if self.segments:
            n = len(self.segments)
            bits = [f"{n} segment{'s' if n != 1 else ''}"]
            if self.metrics.get("wpm"):
                bits.append(f"{self.metrics['wpm']:.0f} words/min")
            bits.append(f"terms: {', '.join(terms)}" if terms else "no vocabulary terms heard")
            self.summary.setText(" · ".join(bits))
        else:
            self.summary.setText("No transcript yet.")
        self._render()

    def load_recording(self, repo, recording_id: str) -> bool:
        """Show the latest transcript of a recording from the store; False if there is none."""
        t = repo.latest_transcript(recording_id)
        if t is None:
            self.set_transcript([], [])
            return False
        self.set_transcript(repo.segments(t["id"]), repo.term_hits(t["id"]), t["metrics"],
                            title=f"transcript-{recording_id[:8]}")
        return True

    def append_segment(self, segment) -> None:
        """Add a segment as it arrives from a running job."""
        self.segments.append(segment)
        self.export_button.setEnabled(True)
        self.summary.setText(f"{len(self.segments)} segments so far…")
        self._render()

    def set_position(self, seconds: float) -> None:
        """Highlight the segment playing at ``seconds`` (and keep it in view)."""
        idx = next((i for i, s in enumerate(self.segments)
                    if float(_get(s, "start")) <= seconds < float(_get(s, "end"))), -1)
        if idx != self._current:
            self._current = idx
            self._render()
            if idx >= 0:
                self.browser.scrollToAnchor(f"seg{idx}")

    def term_word_indices(self) -> set[tuple[int, int]]:
        """(segment index, word index) of every word inside a term hit."""
        spans = [(float(_get(h, "start")), float(_get(h, "end"))) for h in self.hits]
        out = set()
        for si, s in enumerate(self.segments):
            for wi, w in enumerate(_get(s, "words") or []):
                ws, we = float(_get(w, "start")), float(_get(w, "end"))
                if any(ws >= a - 1e-3 and we <= b + 1e-3 for a, b in spans):
                    out.add((si, wi))
        return out

    def _render(self) -> None:
        marked = self.term_word_indices()
        rows = []
        for si, s in enumerate(self.segments):
            start = float(_get(s, "start"))
            words = _get(s, "words") or []
            if words:
                parts = []
                for wi, w in enumerate(words):
                    style = TERM_STYLE if (si, wi) in marked else WORD_STYLE
                    raw = str(_get(w, "word"))
                    lead = " " if raw[:1].isspace() and parts else ""  # "teach" + "-back" stay joined
                    parts.append(f'{lead}<a href="seek:{float(_get(w, "start")):.3f}" style="{style}">'
                                 f'{html.escape(raw.strip())}</a>')
                body = "".join(parts)
            else:
                body = html.escape(str(_get(s, "text")))
            bg = f' style="background-color:{CURRENT_BG};"' if si == self._current else ""
            rows.append(f'<p{bg}><a name="seg{si}"></a><a href="seek:{start:.3f}" style="{TIME_STYLE}">'
                        f'[{fmt_time(start)}]</a>&nbsp; {body}</p>')
        self.browser.setHtml("".join(rows) or "<p style='color:#777'>Nothing transcribed yet.</p>")

    def _on_anchor(self, url: QUrl) -> None:
        s = url.toString()
        if s.startswith("seek:"):
            try:
                self.seek_requested.emit(float(s[5:]))
            except ValueError:
                pass

    # -- helpers for tests and callers -------------------------------------------------------------
    def word_rect(self, text: str, occurrence: int = 0):
        """The viewport rectangle of the ``occurrence``-th ``text`` in the view (to click on it)."""
        doc = self.browser.document()
        cursor = QTextCursor(doc)
        for _ in range(occurrence + 1):
            cursor = doc.find(text, cursor)
            if cursor.isNull():
                return None
        c = QTextCursor(cursor)
        c.setPosition(cursor.selectionStart() + 1)
        return self.browser.cursorRect(c)


EXPORT_FILTERS = {"srt": "SubRip subtitles (*.srt)", "vtt": "WebVTT subtitles (*.vtt)",
                  "txt": "Plain text (*.txt)", "json": "JSON (*.json)"}


def export_transcript(parent: QWidget, title: str, segments, hits=(), metrics: dict | None = None,
                      path: str | None = None, fmt: str | None = None) -> Path | None:
    """Ask where to save (unless ``path`` is given) and write the transcript; returns the file."""
    if path is None:
        filters = ";;".join(EXPORT_FILTERS.values())
        path, chosen = QFileDialog.getSaveFileName(parent, "Export transcript", f"{title}.srt", filters)
        if not path:
            return None
        fmt = next((k for k, v in EXPORT_FILTERS.items() if v == chosen), None)
    suffix = Path(path).suffix.lower().lstrip(".")
    fmt = suffix if suffix in EXPORT_FILTERS else (fmt or "txt")
    p = Path(path)
    if p.suffix.lower().lstrip(".") != fmt:
        p = p.with_suffix("." + fmt)
    duration = max((float(_get(s, "end")) for s in segments), default=0.0)
    duration = float((metrics or {}).get("duration") or duration)
    try:
        p.write_text(render(fmt, title, duration, segments, hits, metrics), encoding="utf-8")
    except OSError as e:
        QMessageBox.warning(parent, "Export failed", f"Could not write {p}: {e.strerror or e}")
        return None
    return p


__all__ = ["TranscriptView", "export_transcript", "fmt_time", "Qt"]
