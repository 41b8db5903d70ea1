"""Decode the audio of a media file to 16 kHz mono float32 for Whisper, tolerant of damage.

A take recovered after a crash is a fragmented MP4 that stops mid-fragment; a WAV may promise
more samples than it holds.  We decode packet by packet with PyAV and keep everything that
decodes: a bad packet is skipped, and a container that ends early ends the audio there.  Only a
file from which nothing at all decodes raises ``AudioDecodeError``, with the reason.

No Qt here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import av
import numpy as np

SAMPLE_RATE = 16000


class AudioDecodeError(RuntimeError):
    """The file has no decodable audio (missing, not media, no audio stream, all packets bad)."""


@dataclass
class DecodedAudio:
    samples: np.ndarray  # float32, mono, SAMPLE_RATE
    sample_rate: int = SAMPLE_RATE
    damaged: bool = False  # some packets failed or the container ended early
    problems: list[str] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def probe_duration(path: str) -> float | None:
    """The duration the container declares (seconds), or None if unknown/unreadable."""
    try:
        with av.open(os.fspath(path), metadata_errors="ignore") as c:
            if c.duration:
                return c.duration / av.time_base
            s = next((s for s in c.streams if s.type == "audio"), None)
            if s is not None and s.duration and s.time_base:
                return float(s.duration * s.time_base)
    except Exception:  # noqa: BLE001 - probing is best effort
        return None
    return None


def decode_audio(path: str | os.PathLike, sample_rate: int = SAMPLE_RATE,
                 max_bad_packets: int = 50) -> DecodedAudio:
    """Decode the first audio stream of ``path`` to mono float32 at ``sample_rate``."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise AudioDecodeError(f"{path}: no such file")
    if os.path.isdir(path):
        raise AudioDecodeError(f"{path}: is a directory, not a media file")
    if os.path.getsize(path) == 0:
        raise AudioDecodeError(f"{path}: file is empty")
    try:
        container = av.open(path, metadata_errors="ignore")
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError) as e:
        raise AudioDecodeError(f"{path}: not a readable media file ({_reason(e)})") from e

    problems: list[str] = []
    chunks: list[np.ndarray] = []
    with container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise AudioDecodeError(f"{path}: no audio stream in the file")
        declared = container.duration / av.time_base if container.duration else None
        resampler = av.AudioResampler(format="s16", layout="mono", rate=sample_rate)
        bad = 0
        packets = container.demux(stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except (av.FFmpegError, OSError, EOFError, ValueError) as e:
                problems.append(f"container ends early: {_reason(e)}")
                break
            try:
                frames = packet.decode()
            except (av.FFmpegError, ValueError) as e:
                bad += 1
                if bad <= 3:
                    problems.append(f"bad packet at {_pts(packet)}: {_reason(e)}")
                if bad > max_bad_packets:
                    problems.append("too many bad packets; stopped")
                    break
                continue
            for frame in frames:
                _append(chunks, resampler, frame, problems)
        try:  # flush decoder and resampler
            for frame in stream.codec_context.decode(None):
                _append(chunks, resampler, frame, problems)
        except (av.FFmpegError, ValueError):
            pass
        try:
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except (av.FFmpegError, ValueError):
            pass
        if bad:
            problems.append(f"{bad} packet(s) could not be decoded")

    if not chunks:
        detail = "; ".join(problems) if problems else "no audio frames"
        raise AudioDecodeError(f"{path}: no decodable audio ({detail})")
    pcm = np.concatenate(chunks).astype(np.float32) / 32768.0
    short = _wav_shortfall(path)
    if short:
        problems.append(short)
    elif declared and len(pcm) / sample_rate < declared - 0.25:
        problems.append(f"audio ends at {len(pcm) / sample_rate:.2f}s of the {declared:.2f}s the file declares")
    return DecodedAudio(samples=pcm, sample_rate=sample_rate, damaged=bool(problems), problems=problems)


def _append(chunks: list[np.ndarray], resampler: av.AudioResampler, frame, problems: list[str]) -> None:
    try:
        for out in resampler.resample(frame):
            chunks.append(out.to_ndarray().reshape(-1))
    except (av.FFmpegError, ValueError) as e:
        problems.append(f"resample failed: {_reason(e)}")


def _wav_shortfall(path: str) -> str | None:
    """For a RIFF/WAVE file, say so if its data chunk promises more bytes than the file holds
    (FFmpeg quietly trims the duration to the file size)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            size = os.fstat(f.fileno()).st_size
            while True:
                hdr = f.read(8)
                if len(hdr) < 8:
                    return None
                cid, n = hdr[:4], int.from_bytes(hdr[4:], "little")
                if cid == b"data":
                    have = size - f.tell()
                    if n != 0xFFFFFFFF and have < n:
                        return f"file ends after {have} of the {n} data bytes its WAV header declares"
                    return None
                f.seek(n + (n & 1), 1)
    except OSError:
        return None


def _pts(packet) -> str:
    try:
        return f"{float(packet.pts * packet.time_base):.2f}s"
    except Exception:  # noqa: BLE001
        return "?"


def _reason(e: BaseException) -> str:
    return str(e).strip() or type(e).__name__
