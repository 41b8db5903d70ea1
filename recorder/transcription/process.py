"""Run Whisper in a child process that can be killed.  No Qt.

    proc = TranscriptionProcess(TranscribeSettings(threads=2))
    result = proc.run("take.mp4", vocabulary, on_segment=store_it)   # blocks; call it off the UI thread
    proc.cancel()        # from any thread: SIGKILLs the child; run() raises TranscriptionCancelled
    proc.close()

The child (multiprocessing *spawn*) loads the model once and serves jobs one after another over a
pipe, streaming ``info`` / ``segment`` / ``done`` / ``error`` messages back.  Output goes through a
``Pipe`` whose write end only the child holds, so a child that dies mid-message (abort, SIGKILL,
out of memory) shows up as EOF, never as a hang: ``run`` then raises ``TranscriptionCrashed``
(retryable).  Segments received before the crash have already been handed to ``on_segment``.
A file that cannot be decoded raises ``TranscriptionFailed`` with ``retryable=False``.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict

from recorder.transcription.results import Segment, Transcript, TranscriptInfo


class TranscriptionFailed(RuntimeError):
    def __init__(self, message: str, retryable: bool, kind: str = "error"):
        super().__init__(message)
        self.retryable = retryable
        self.kind = kind


class TranscriptionCrashed(TranscriptionFailed):
    def __init__(self, message: str):
        super().__init__(message, retryable=True, kind="crash")


class TranscriptionCancelled(TranscriptionFailed):
    def __init__(self, message: str = "cancelled"):
        super().__init__(message, retryable=True, kind="cancelled")


def _child_main(requests, results, settings: dict) -> None:  # runs in the child process
    from recorder.transcription.audio_decode import AudioDecodeError
    from recorder.transcription.transcriber import ModelNotFoundError, TranscribeSettings, Transcriber
    from recorder.transcription.filters import SegmentFilter

    transcriber = None
    while True:
        try:
            req = requests.recv()
        except (EOFError, OSError):
            return
        if req is None:
            return
        job = req["job"]
        try:
            if transcriber is None:
                transcriber = Transcriber(TranscribeSettings(**settings))
            flt = SegmentFilter(transcriber.settings.no_speech_threshold)
            crash_after = req.get("crash_after_segments")
            stall_after = req.get("stall_after_segments")
            n = 0
            for seg in transcriber.transcribe(req["path"], req.get("vocabulary", ()),
                                              on_info=lambda i: results.send(("info", job, i.to_dict())),
                                              stats=flt, start_at=req.get("start_at", 0.0),
                                              term_forms=req.get("term_forms", ())):
                results.send(("segment", job, seg.to_dict(full=True)))
                n += 1
                if crash_after is not None and n >= crash_after:
                    os.abort()  # diagnostic hook: a native crash in the middle of a job
                if stall_after is not None and n >= stall_after:
                    threading.Event().wait()  # diagnostic hook: a child that hangs mid-job until killed
            results.send(("done", job, {"dropped": flt.dropped}))
        except AudioDecodeError as e:
            results.send(("error", job, {"kind": "decode", "message": str(e), "retryable": False}))
        except ModelNotFoundError as e:
            results.send(("error", job, {"kind": "model", "message": str(e), "retryable": False}))
        except Exception as e:  # noqa: BLE001 - report, keep serving
            results.send(("error", job, {"kind": "internal", "retryable": True,
                                         "message": f"{type(e).__name__}: {e}",
                                         "traceback": traceback.format_exc()}))


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"exit code {code}, {signal.Signals(-code).name}"
        except ValueError:
            return f"exit code {code}"
    return f"exit code {code}" + (": it could not start; see the app's error output" if code == 1 else "")


class TranscriptionProcess:
    """One child process serving transcription jobs, restarted after a cancel or a crash."""

    def __init__(self, settings=None, poll_interval: float = 0.1):
        from recorder.transcription.transcriber import TranscribeSettings
        self.settings = settings or TranscribeSettings()
        self.poll_interval = poll_interval
        self._ctx = mp.get_context("spawn")
        self._proc = None
        self._req = None
        self._res = None
        self._lock = threading.Lock()
        self._cancelled = False
        self._job = 0

    @property
    def pid(self) -> int | None:
        p = self._proc
        return p.pid if p is not None and p.is_alive() else None

    def _ensure_started(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            return
        self._discard()
        req_r, req_w = self._ctx.Pipe(duplex=False)
        res_r, res_w = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_child_main, args=(req_r, res_w, asdict(self.settings)),
                                 name="rolecall-transcriber", daemon=True)
        proc.start()
        req_r.close()
        res_w.close()  # only the child holds the write end now: its death reads as EOF
        self._proc, self._req, self._res = proc, req_w, res_r

    def _discard(self) -> None:
        for c in (self._req, self._res):
            if c is not None:
                try:
                    c.close()
                except OSError:
                    pass
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(5)
        self._proc = self._req = self._res = None

    def run(self, path: str | os.PathLike, vocabulary: Sequence[str] = (),
            on_info: Callable[[TranscriptInfo], None] | None = None,
            on_segment: Callable[[Segment], None] | None = None,
            crash_after_segments: int | None = None, start_at: float = 0.0,
            term_forms: Sequence[str] = (), stall_after_segments: int | None = None) -> Transcript:
        with self._lock:
            self._cancelled = False
            self._ensure_started()
            self._job += 1
            job = self._job
            res = self._res
            proc = self._proc
            self._req.send({"job": job, "path": os.fspath(path), "vocabulary": list(vocabulary),
                            "crash_after_segments": crash_after_segments, "start_at": start_at,
                            "stall_after_segments": stall_after_segments,
                            "term_forms": list(term_forms)})
        info: TranscriptInfo | None = None
        segments: list[Segment] = []
        while True:
            try:
                if not res.poll(self.poll_interval):
                    if self._cancelled:    # the child was killed: return once it is gone (reaped)
                        proc.join(5)
                        with self._lock:
                            self._discard()
                        raise TranscriptionCancelled()
                    if not proc.is_alive():
                        raise EOFError
                    continue
                kind, msg_job, payload = res.recv()
                if self._cancelled:        # Cancel wins over what the child had already sent
                    raise EOFError
            except (EOFError, OSError, ValueError):
                proc.join(2)
                with self._lock:
                    self._discard()
                if self._cancelled:
                    raise TranscriptionCancelled() from None
                raise TranscriptionCrashed(
                    f"the transcription process died ({_exit_reason(proc.exitcode)}) after "
                    f"{len(segments)} segment(s); retry the job") from None
            if msg_job != job:
                continue
            if kind == "info":
                info = TranscriptInfo(**payload)
                if on_info:
                    on_info(info)
            elif kind == "segment":
                seg = Segment.from_dict(payload)
                segments.append(seg)
                if on_segment:
                    on_segment(seg)
            elif kind == "done":
                assert info is not None
                return Transcript(info=info, segments=segments, dropped=payload.get("dropped", 0))
            elif kind == "error":
                raise TranscriptionFailed(payload["message"], retryable=payload["retryable"],
                                          kind=payload["kind"])

    def cancel(self) -> None:
        """Stop the running job now (kills the child; the next run starts a fresh one)."""
        self._cancelled = True
        p = self._proc
        if p is not None and p.is_alive():
            p.kill()

    def close(self) -> None:
        with self._lock:
            if self._req is not None and self._proc is not None and self._proc.is_alive():
                try:
                    self._req.send(None)
                    self._proc.join(3)
                except OSError:
                    pass
            self._discard()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
