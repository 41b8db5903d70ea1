"""scripts/system-deps.sh, the one list of OS packages `make run`, `make test` and .ci/run use (#20): run
for real, with dpkg-query, id, apt-get and apt-cache replaced on PATH by small scripts that play a bare
machine, a user without root and without sudo, or root."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "system-deps.sh"
TOOLS = ("bash", "awk", "tr", "sed", "cat")


def names(group: str = "test") -> list[str]:
    out = subprocess.run(["bash", str(SCRIPT), group, "--print"], capture_output=True, text=True, check=True)
    return out.stdout.split()


def fake_machine(tmp_path: Path, *, installed: list[str], uid: int, apt_knows: list[str]) -> dict:
    """A PATH holding only the tools the script needs, the fakes among them; returns the environment."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    log = tmp_path / "apt.log"
    scripts = {
        "dpkg-query": "for p in \"$@\"; do case \" $INSTALLED \" in *\" $p \"*) echo \"$p ii \";; esac; done\n"
                      "exit 1\n",                     # like dpkg-query: non-zero when a name is unknown
        "id": f"echo {uid}\n",
        "apt-cache": "case \" $APT_KNOWS \" in *\" $2 \"*) exit 0;; esac; exit 100\n",
        "apt-get": f"echo \"apt-get $*\" >> {log}\n",
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text("#!/bin/bash\n" + body)
        path.chmod(0o755)
    return {"PATH": str(bin_dir), "INSTALLED": " ".join(installed), "APT_KNOWS": " ".join(apt_knows),
            "LOG": str(log)}


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash"), str(SCRIPT), *args], env=env, capture_output=True, text=True)


def test_groups_nest_and_name_what_the_issue_lists():
    app, test, dist = names("app"), names("test"), names("dist")
    assert set(app) < set(test) < set(dist)
    for package in ("libportaudio2", "libpulse0", "libegl1", "libxkbcommon0", "libxcb-cursor0"):
        assert package in app
    for package in ("pulseaudio", "espeak-ng", "sox", "ffmpeg", "xvfb", "x11-utils"):
        assert package in test and package not in app


@pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="not a Debian system")
def test_this_machine_has_everything_so_the_check_is_silent():
    out = subprocess.run(["bash", str(SCRIPT), "test", "--check"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout == "" and out.stderr == ""


def test_without_root_and_sudo_it_prints_the_exact_line_and_stops(tmp_path):
    env = fake_machine(tmp_path, installed=["libportaudio2"], uid=1000, apt_knows=["libglib2.0-0"])
    out = run(env, "app")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "you are not root and there is no sudo here" in out.stderr
    line = next(x.strip() for x in out.stderr.splitlines() if "apt-get install" in x)
    wanted = [n.split("|")[0] for n in names("app") if n != "libportaudio2"]
    assert line == "apt-get update && apt-get install -y --no-install-recommends " + " ".join(wanted)
    assert not Path(env["LOG"]).exists()             # nothing was run


def test_an_alternative_name_is_the_one_this_release_has(tmp_path):
    env = fake_machine(tmp_path, installed=[], uid=1000, apt_knows=["libglib2.0-0t64"])
    line = next(x for x in run(env, "app").stderr.splitlines() if "apt-get install" in x)
    assert " libglib2.0-0t64 " in line and " libglib2.0-0 " not in line
    env = fake_machine(tmp_path / "t64", installed=["libglib2.0-0t64"], uid=1000, apt_knows=[])
    assert "libglib2.0" not in run(env, "app").stderr   # the renamed package counts as installed


def test_as_root_it_installs_only_what_is_missing(tmp_path):
    present = [n.split("|")[0] for n in names("test")][3:]
    env = fake_machine(tmp_path, installed=present, uid=0, apt_knows=[])
    out = run(env, "test")
    assert out.returncode == 0, out.stderr
    update, install = Path(env["LOG"]).read_text().splitlines()
    assert update == "apt-get update -qq"
    missing = [n.split("|")[0] for n in names("test")][:3]
    assert install == "apt-get install -y -qq --no-install-recommends " + " ".join(missing)


def test_check_only_reports(tmp_path):
    env = fake_machine(tmp_path, installed=[], uid=0, apt_knows=[])
    out = run(env, "app", "--check")
    assert out.returncode == 1 and "missing Debian packages: libportaudio2" in out.stderr
    assert not Path(env["LOG"]).exists()


def test_everything_installed_runs_nothing(tmp_path):
    env = fake_machine(tmp_path, installed=[n.split("|")[0] for n in names("dist")], uid=1000, apt_knows=[])
    out = run(env, "dist")
    assert out.returncode == 0 and out.stderr == "" and not Path(env["LOG"]).exists()


def test_not_debian_says_what_to_install_and_lets_the_set_up_go_on(tmp_path):
    env = fake_machine(tmp_path, installed=[], uid=1000, apt_knows=[])
    os.unlink(Path(env["PATH"]) / "dpkg-query")
    out = run(env, "app")
    assert out.returncode == 0 and "not a Debian/Ubuntu system" in out.stderr
