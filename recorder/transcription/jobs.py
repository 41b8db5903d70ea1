"""Run queued transcription jobs against the store: one job at a time, resumable.  No Qt.

    runner = TranscriptionJobRunner(TranscriptRepo(store), TranscriptionProcess(settings))
    runner.recover()                 # on start: jobs a crash left 'transcribing' go back to the queue
    while (outcome := runner.run_next(on_progress=print)) is not None: ...
    runner.cancel()                  # from another thread: kills the child, job -> cancelled

The model runs in the child process (recorder/transcription/process.py).  Each segment is stored as it
arrives; progress is the end of the last segment over the audio duration.  If the job was
interrupted before (crash, cancel, kill), its unfinished transcript is resumed from the end of the
last stored segment instead of starting over.  When the audio is done, term hits and speech metrics
are computed over the whole transcript and the job is marked done.  The ui/ worker wraps this in a
QThread; ``rolecall transcribe-queue`` runs it headless.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from recorder.transcription.audio_decode import probe_duration
from recorder.transcription.process import (TranscriptionCancelled, TranscriptionFailed,
                                         TranscriptionProcess)
from recorder.transcription.results import Segment, TranscriptInfo
from recorder.transcription.pipeline import bias_phrases, said_forms
from scoring.speech_metrics import segment_start_indices, speech_metrics
from scoring.terms import find_terms
from store.transcripts import TranscriptRepo


META_MODEL, META_THREADS = "transcription_model", "transcription_threads"


def station_settings(store) -> "TranscribeSettings":
    """The station's transcription settings (model, threads), kept in the station database."""
    from recorder.transcription.transcriber import TranscribeSettings

    model = store.get_meta(META_MODEL) or None
    try:
        threads = max(1, int(store.get_meta(META_THREADS) or 2))
    except ValueError:
        threads = 2
    return TranscribeSettings(model=model, threads=threads)


@dataclass
class JobOutcome:
    recording_id: str
    status: str  # done | failed | cancelled
    error: str | None = None
    retryable: bool = True
    transcript_id: str | None = None
    resumed_at: float = 0.0


class TranscriptionJobRunner:
    def __init__(self, repo: TranscriptRepo, process: TranscriptionProcess):
        self.repo = repo
        self.process = process
        self.current: str | None = None

    @property
    def model_name(self) -> str:
        from recorder.transcription.transcriber import resolve_model
        return resolve_model(self.process.settings.model)[0]

    def recover(self) -> int:
        return self.repo.reset_interrupted()

    def cancel(self) -> None:
        self.process.cancel()

    def run_next(self, on_progress: Callable[[str, float], None] | None = None,
                 on_segment: Callable[[str, Segment], None] | None = None) -> JobOutcome | None:
        """Claim and run the oldest queued job; None when the queue is empty."""
        while True:
            rid = self.repo.next_queued()
            if rid is None:
                return None
            if self.repo.claim(rid):
                return self._run_claimed(rid, on_progress, on_segment)

    def run_job(self, recording_id: str, on_progress=None, on_segment=None) -> JobOutcome:
        if not self.repo.claim(recording_id):
            job = self.repo.job(recording_id)
            return JobOutcome(recording_id, job["status"] if job else "failed", "not queued", True)
        return self._run_claimed(recording_id, on_progress, on_segment)

    def _run_claimed(self, rid: str, on_progress, on_segment) -> JobOutcome:
        self.current = rid
        try:
            return self._transcribe(rid, on_progress, on_segment)
        finally:
            self.current = None

    def _transcribe(self, rid: str, on_progress, on_segment) -> JobOutcome:
        media = self.repo.media_file(rid)
        if media is None or not media.is_file():
            reason = f"media file missing: {media}" if media else "the recording has no media file"
            self.repo.mark_failed(rid, reason, retryable=False)
            return JobOutcome(rid, "failed", reason, retryable=False)
        terms = self.repo.vocabulary_for(rid)  # the exercise's rubric terms first
        model = self.model_name
        duration = self.repo.recording_duration(rid) or probe_duration(str(media)) or 0.0
        inc = self.repo.incomplete_transcript(rid)
        if inc and inc["model"] == model:
            tid, next_idx, start_at = inc["id"], inc["next_idx"], inc["resume_at"]
        else:
            tid, next_idx, start_at = self.repo.begin_transcript(rid, model, "en", duration or None), 0, 0.0
        state = {"idx": next_idx, "duration": duration}

        def info(i: TranscriptInfo) -> None:
            if i.duration > 0:
                state["duration"] = i.duration

        def segment(seg: Segment) -> None:
            self.repo.add_segment(tid, seg, state["idx"])
            state["idx"] += 1
            if state["duration"] > 0:
                p = min(0.99, seg.end / state["duration"])
                self.repo.set_progress(rid, p)
                if on_progress:
                    on_progress(rid, p)
            if on_segment:
                on_segment(rid, seg)

        try:
            self.process.run(media, bias_phrases(terms), on_info=info, on_segment=segment, start_at=start_at,
                             term_forms=said_forms(terms))
        except TranscriptionCancelled:
            self.repo.mark_cancelled(rid)
            return JobOutcome(rid, "cancelled", "cancelled by the user", True, tid, start_at)
        except TranscriptionFailed as e:
            self.repo.mark_failed(rid, str(e), e.retryable)
            return JobOutcome(rid, "failed", str(e), e.retryable, tid, start_at)
        segs = self.repo.segments(tid)
        words = [w for s in segs for w in s["words"]]
        hits = find_terms(words, terms)
        metrics = speech_metrics(words, state["duration"], segment_starts=segment_start_indices(segs))
        self.repo.complete_transcript(tid, rid, metrics, hits)
        self.repo.mark_done(rid)
        if on_progress:
            on_progress(rid, 1.0)
        return JobOutcome(rid, "done", None, True, tid, start_at)
