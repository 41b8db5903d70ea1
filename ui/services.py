"""The engines the app's pages use, built once by the composition root (main.py → ui.app.run_app) and
injected through AppContext. No widget installs a service; tests build their own with overrides.

    services = build_services(store)                       # what the app uses
    services = build_services(store, open_hub=gated_hub)   # a test's hub, camera, microphone ...
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from store.db import Store
from store.sync import SyncConfig, load_key
from store.sync.hub import Hub
from store.sync.keys import TeamKey
from ui.workers.media_fetch import MediaFetcher, default_open_hub


@dataclass
class Services:
    media: MediaFetcher                              # remote takes' videos for the players
    open_hub: Callable[[SyncConfig], Hub]            # the hub a sync talks to
    load_key: Callable[[], TeamKey]                  # the team key a sync signs with
    camera_factory: Callable                         # device name -> recorder camera source
    microphone_factory: Callable                     # device name -> recorder microphone source
    transcription_queue: object                      # ui.workers.transcription_queue.TranscriptionQueue
    lrs_sender: object = None                        # ui.workers.lrs_sender.LrsSender (xAPI, #25)

    def shutdown(self) -> None:
        """The app is ending: stop the transcription queue, cancel and wait for downloads."""
        self.transcription_queue.shutdown()
        self.media.wait()
        if self.lrs_sender is not None:
            self.lrs_sender.shutdown()


def build_services(store: Store, *, open_hub: Callable[[SyncConfig], Hub] | None = None,
                   load_key_fn: Callable[[], TeamKey] | None = None, camera_factory: Callable | None = None,
                   microphone_factory: Callable | None = None, transcription_queue=None) -> Services:
    from recorder.camera import CameraSource  # noqa: PLC0415 - devices only where the app runs
    from recorder.microphone import MicrophoneSource  # noqa: PLC0415
    from recorder.transcription.jobs import station_settings  # noqa: PLC0415
    from ui.workers.lrs_sender import LrsSender  # noqa: PLC0415
    from ui.workers.transcription_queue import TranscriptionQueue  # noqa: PLC0415

    hub = open_hub or default_open_hub
    return Services(
        media=MediaFetcher(store, hub),
        open_hub=hub,
        load_key=load_key_fn or (lambda: load_key(store.data_dir)),
        camera_factory=camera_factory or CameraSource,
        microphone_factory=microphone_factory or MicrophoneSource,
        transcription_queue=transcription_queue or TranscriptionQueue(store, station_settings(store)),
        lrs_sender=LrsSender(store),
    )
