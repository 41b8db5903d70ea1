"""Media probe: which streams a file holds and how long each really is, read from the packets.

Works on a fragmented MP4 cut short by a crash (no index, no duration in the header), which is how the
app finds out how much of an interrupted take survived, and on anything `rolecall import` is given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from recorder.errors import MediaError

if TYPE_CHECKING:
    import numpy as np


@dataclass
class StreamInfo:
    kind: str                 # 'video' or 'audio'
    codec: str
    start: float              # seconds, first packet's pts
    end: float                # seconds, last packet's pts + duration
    packets: int
    width: int = 0
    height: int = 0
    samplerate: int = 0
    channels: int = 0

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass
class MediaInfo:
    path: str
    format_name: str
    streams: list[StreamInfo] = field(default_factory=list)

    def first(self, kind: str) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == kind), None)

    @property
    def video(self) -> StreamInfo | None:
        return self.first("video")

    @property
    def audio(self) -> StreamInfo | None:
        return self.first("audio")

    @property
    def has_video(self) -> bool:
        return self.video is not None and self.video.packets > 0

    @property
    def has_audio(self) -> bool:
        return self.audio is not None and self.audio.packets > 0

    @property
    def duration(self) -> float:
        ends = [s.end for s in self.streams if s.packets]
        return max(ends) if ends else 0.0

    @property
    def is_h264_aac_mp4(self) -> bool:
        """True when the file can be kept as it is (MP4/MOV container, H.264 video and/or AAC audio)."""
        if "mp4" not in self.format_name and "mov" not in self.format_name:
            return False
        v, a = self.video, self.audio
        return (v is None or v.codec == "h264") and (a is None or a.codec == "aac") and (v or a) is not None


def probe(path: str | Path, *, allow_empty: bool = False) -> MediaInfo:
    """Read every packet header (no decoding) and report the streams. Raises MediaError when the file
    is not media, is empty, or holds no audio/video packet (unless ``allow_empty``: a take killed
    before its first fragment reached the disk still opens, with nothing in it)."""
    import av  # noqa: PLC0415

    path = str(path)
    if not Path(path).is_file():
        raise MediaError(f"{path} does not exist.")
    if Path(path).stat().st_size == 0:
        raise MediaError(f"{path} is empty: there is no recording in it.")
    try:
        container = av.open(path)
    except Exception as err:  # noqa: BLE001 - InvalidDataError and friends
        raise MediaError(f"{path} is not a readable audio or video file ({err}).") from err
    try:
        chosen = [s for s in container.streams if s.type in ("video", "audio")]
        if not chosen:
            raise MediaError(f"{path} holds no audio or video.")
        stats = {s.index: [None, None, 0] for s in chosen}
        try:
            for pkt in container.demux(chosen):
                if pkt.pts is None or pkt.size == 0:
                    continue
                tb = float(pkt.time_base)
                st = stats[pkt.stream.index]
                start, end = pkt.pts * tb, (pkt.pts + (pkt.duration or 0)) * tb
                st[0] = start if st[0] is None else min(st[0], start)
                st[1] = end if st[1] is None else max(st[1], end)
                st[2] += 1
        except Exception:  # noqa: BLE001 - a cut-off tail: keep what was read before it
            pass
        streams = []
        for s in chosen:
            start, end, count = stats[s.index]
            cc = s.codec_context
            info = StreamInfo(kind=s.type, codec=cc.name if cc else "?", start=start or 0.0,
                              end=end or 0.0, packets=count)
            if s.type == "video":
                info.width, info.height = cc.width, cc.height
            else:
                info.samplerate = cc.sample_rate or 0
                info.channels = getattr(cc, "channels", 0) or 0
            streams.append(info)
        info = MediaInfo(path=path, format_name=container.format.name, streams=streams)
    finally:
        container.close()
    if not (info.has_video or info.has_audio) and not allow_empty:
        raise MediaError(f"{path} holds no recorded audio or video (it may have been cut off at the start).")
    return info


def decode_audio(path: str | Path, samplerate: int = 48000) -> np.ndarray:
    """Decode a file's first audio stream to float32 mono at ``samplerate``."""
    import av  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415 - the probe itself is imported at start-up (recovery)

    chunks = []
    with av.open(str(path)) as container:
        if not container.streams.audio:
            raise MediaError(f"{path} holds no audio.")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=samplerate)
        for frame in container.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
