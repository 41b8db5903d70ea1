"""Re-encoding a file recorded elsewhere (a phone, a conference room) into the station's format:
H.264 + AAC in fragmented MP4, through the same Encoder the recorder uses."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from recorder.encoder import Encoder
from recorder.errors import MediaError
from recorder.probe import MediaInfo

AUDIO_RATE = 48000


def transcode(src: str | Path, dest: str | Path, info: MediaInfo) -> None:
    """Decode ``src`` and encode it to ``dest``. Raises MediaError when the file cannot be decoded."""
    import av  # noqa: PLC0415

    vinfo = info.video if info.has_video else None
    size = (vinfo.width // 2 * 2, vinfo.height // 2 * 2) if vinfo else None
    try:
        container = av.open(str(src))
    except Exception as err:  # noqa: BLE001
        raise MediaError(f"{src} cannot be read ({err}).") from err
    try:
        vstream = container.streams.video[0] if vinfo else None
        astream = container.streams.audio[0] if info.has_audio else None
        fps = float(vstream.average_rate) if vstream is not None and vstream.average_rate else 30.0
        enc = Encoder(dest, video_size=size, fps=fps, samplerate=AUDIO_RATE if astream else None)
        enc.open()
        resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE) if astream else None
        start = min(s.start for s in info.streams if s.packets)
        streams = [s for s in (vstream, astream) if s is not None]
        try:
            for frame in container.decode(*streams):
                if isinstance(frame, av.VideoFrame):
                    t = (frame.time if frame.time is not None else 0.0) - start
                    enc.add_video(frame.to_ndarray(format="bgr24"), max(0.0, t))
                else:
                    if enc.audio_samples == 0 and frame.time is not None and frame.time - start > 0.01:
                        enc.add_audio(np.zeros(int((frame.time - start) * AUDIO_RATE), np.float32))
                    for out in resampler.resample(frame):
                        enc.add_audio(out.to_ndarray().reshape(-1))
            if resampler is not None:
                for out in resampler.resample(None):
                    enc.add_audio(out.to_ndarray().reshape(-1))
        except MediaError:
            raise
        except Exception as err:  # noqa: BLE001 - a decode error part way: refuse the file
            enc.abandon()
            raise MediaError(f"{src} is damaged and cannot be converted ({err}).") from err
        end = info.duration - start
        enc.close(end_time=end if size else None)
    finally:
        container.close()
