"""A virtual microphone for the test session: PulseAudio with a null sink whose monitor PortAudio records.

Note: the first PortAudio stream on this setup often delivers nothing until reopened; MicrophoneSource
handles that itself (see MicrophoneSource.start), so no warm-up happens here.

Use the ``virtual_mic`` fixture; ``virtual_mic.play(wav)`` makes the "microphone" hear a file. When
pulseaudio is not installed the tests that need it are skipped locally and fail under CI=true.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field

import pytest


@dataclass
class VirtualMic:
    env: dict
    players: list = field(default_factory=list)

    @property
    def device(self) -> str:
        """The sounddevice input to record from (the sound server is started again if it went away)."""
        if subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode != 0:
            self.start_server()
        return "pulse"

    def play(self, wav: str) -> subprocess.Popen:
        """Play a file into the null sink (what the virtual microphone hears), in the background."""
        proc = subprocess.Popen(["paplay", "--device=virtmic", str(wav)], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.players.append(proc)
        return proc

    def pactl(self, *args: str) -> None:
        subprocess.run(["pactl", *args], env=self.env, check=True, capture_output=True)

    def kill_server(self) -> None:
        """The sound server goes away (like a USB microphone pulled out)."""
        subprocess.run(["pulseaudio", "-k"], env=self.env, capture_output=True)

    def start_server(self) -> None:
        _start_pulseaudio(self.env)
        self.pactl("set-default-source", "virtmic.monitor")

    def stop_players(self) -> None:
        for proc in self.players:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        self.players.clear()


def _start_pulseaudio(env: dict) -> subprocess.CompletedProcess:
    # exits by itself after 15 idle minutes: a test run killed before its teardown leaves nothing behind
    return subprocess.run(
        ["pulseaudio", "-D", "-n", "--exit-idle-time=900", "--load=module-null-sink sink_name=virtmic",
         "--load=module-native-protocol-unix", "--load=module-always-sink"],
        env=env, capture_output=True, text=True)


def _missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}: the CI machine must have it (see .ci/run)")
    pytest.skip(f"{what}: skipping the real PortAudio tests on this machine")


@pytest.fixture(scope="session")
def virtual_mic():
    for tool in ("pulseaudio", "pactl", "paplay"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is not installed")
    runtime = tempfile.mkdtemp(prefix="rolecall-pulse-")
    os.chmod(runtime, 0o700)
    env = dict(os.environ, XDG_RUNTIME_DIR=runtime, PULSE_SERVER=f"unix:{runtime}/pulse/native")
    start = _start_pulseaudio(env)
    if start.returncode != 0:
        shutil.rmtree(runtime, ignore_errors=True)
        _missing(f"pulseaudio did not start ({start.stderr.strip()[-300:]})")
    saved = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "PULSE_SERVER")}
    os.environ.update(XDG_RUNTIME_DIR=runtime, PULSE_SERVER=env["PULSE_SERVER"])
    mic = VirtualMic(env=env)
    try:
        mic.pactl("set-default-source", "virtmic.monitor")
        try:
            import sounddevice as sd
        except OSError as err:
            _missing(f"PortAudio is not installed ({err})")
        sd._terminate()   # re-scan devices now that the sound server exists
        sd._initialize()
        names = [d["name"] for d in sd.query_devices() if d["max_input_channels"] > 0]
        if "pulse" not in names:
            _missing(f"PortAudio sees no 'pulse' input (inputs: {names}); install libasound2-plugins")
        yield mic
    finally:
        mic.stop_players()
        _stop_pulseaudio(env, runtime)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(runtime, ignore_errors=True)


def _stop_pulseaudio(env: dict, runtime: str) -> None:
    """Stop the daemon this fixture started: politely, then by the pid it wrote."""
    subprocess.run(["pulseaudio", "-k"], env=env, capture_output=True)
    pid_file = os.path.join(runtime, "pulse", "pid")
    try:
        pid = int(open(pid_file).read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:      # never a recycled pid of something else
            if b"pulseaudio" in f.read():
                os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        pass   # already gone
