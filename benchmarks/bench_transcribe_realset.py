"""The real-speech regression set (issue #13): recordings of human speech that ship with their text.

Built from installed Debian packages (nothing is downloaded):

* ``telephone``: asterisk-core-sounds-en-wav, prompts read by Allison Smith (8 kHz telephone band),
  words from the package's ``core-sounds-en.txt.gz``; licence CC-BY-SA-3.0.
* ``telephone-take``: several of those prompts joined with 0.6-2.0 s pauses into one file of
  20-40 s, the shape of a real take (segment ends inside, pauses, a window boundary).
* ``read``: pocketsphinx-testdata's five LibriVox sentences (Sense and Sensibility, public-domain
  audiobook, 16 kHz), plus ``read-take``: the five joined.
* ``commands``: pocketsphinx-testdata's ``cards`` utterances (card names, 16 kHz).
* ``committed``: the small subset copied to tests/data/realspeech/ (see its README), so tests and
  CI run without the packages.

Held-out split, fixed before any tuning: an item is held out when the first hex digit of
sha1("source/name") is 0-4 (about a third); tuning looked at the other items only.

No item in any package found has disfluent speech (um, uh) marked in its reference; fillers are
measured on what exists (see bench_transcribe_real.py).
"""
from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "tests" / "data" / "realspeech"
ASTERISK_DIR = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ASTERISK_TEXT = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
SPHINX_DIR = Path("/usr/share/pocketsphinx/test/data")

# Terms a team using these recordings would put in its vocabulary (rarer words of each source).
SOURCE_TERMS = {
    "telephone": ["voicemail", "pound key", "extension", "mailbox", "conference", "password",
                  "operator", "call forwarding", "blacklist", "participants"],
    "read": ["Dashwood", "amiable", "prudently", "ill disposed", "cold hearted", "respectable"],
    "commands": ["clubs", "spades", "hearts", "queen"],
}


@dataclass
class Item:
    source: str
    name: str
    text: str  # reference
    path: Path | None = None  # a file to read, or
    samples: np.ndarray | None = None  # 16 kHz float32 audio (joined takes)
    terms: list[str] = field(default_factory=list)

    @property
    def heldout(self) -> bool:
        return is_heldout(self.source, self.name)


def is_heldout(source: str, name: str) -> bool:
    return hashlib.sha1(f"{source}/{name}".encode()).hexdigest()[0] in "01234"


def asterisk_texts() -> dict[str, str]:
    out = {}
    for line in gzip.open(ASTERISK_TEXT, "rt", encoding="utf-8", errors="replace"):
        if line.startswith(";") or ":" not in line:
            continue
        name, text = line.split(":", 1)
        text = text.strip()
        if not text or "[" in text or "<" in text:
            continue  # tones and notes, not speech
        out[name.strip()] = text
    return out


def telephone_items(min_words: int = 4) -> list[Item]:
    texts = asterisk_texts()
    items = []
    for name, text in sorted(texts.items()):
        p = ASTERISK_DIR / f"{name}.wav"
        if p.is_file() and len(text.split()) >= min_words:
            items.append(Item("telephone", name, text, path=p, terms=SOURCE_TERMS["telephone"]))
    return items


def sphinx_items() -> list[Item]:
    items = []
    for sub, source in (("librivox", "read"), ("cards", "commands")):
        for line in (SPHINX_DIR / sub / ("transcription" if sub == "librivox" else "cards.transcription")).read_text().splitlines():
            m = re.match(r"\s*<s>(.*)</s>\s*\((.+)\)", line)
            if m:
                items.append(Item(source, m.group(2), " ".join(m.group(1).split()),
                                  path=SPHINX_DIR / sub / f"{m.group(2)}.wav", terms=SOURCE_TERMS[source]))
    return items


def join(items: list[Item], source: str, name: str, pauses: list[float]) -> Item:
    from recorder.transcription.audio_decode import decode_audio
    parts = []
    for i, it in enumerate(items):
        parts.append(decode_audio(it.path).samples)
        parts.append(np.zeros(int(pauses[i % len(pauses)] * 16000), dtype=np.float32))
    return Item(source, name, " ".join(it.text for it in items), samples=np.concatenate(parts),
                terms=items[0].terms)


def takes(tel: list[Item], read: list[Item], n_takes: int = 8, per_take: int = 7) -> list[Item]:
    """Joined takes: telephone prompts in a fixed shuffled order, and the five LibriVox sentences."""
    order = sorted(tel, key=lambda it: hashlib.sha1(it.name.encode()).hexdigest())
    out = [join(order[k * per_take:(k + 1) * per_take], "telephone-take", f"take{k + 1:02d}",
                [0.6, 1.4, 2.0, 0.9]) for k in range(n_takes) if len(order) >= (k + 1) * per_take]
    if read:
        out.append(join(read, "read-take", "librivox5", [1.0, 0.7, 1.6]))
    return out


def committed_items() -> list[Item]:
    """The clips in tests/data/realspeech (references.tsv: file, source, licence, text)."""
    items = []
    ref = COMMITTED / "references.tsv"
    if not ref.is_file():
        return items
    for line in ref.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        fname, source, _licence, text = line.split("\t")
        items.append(Item("committed", Path(fname).stem, text, path=COMMITTED / fname,
                          terms=SOURCE_TERMS.get(source.split("-")[0], [])))
    return items


def real_set(max_telephone: int | None = None, n_takes: int = 8) -> list[Item]:
    """Every item available on this machine (missing packages are skipped; see ``available``)."""
    items: list[Item] = []
    tel = telephone_items() if ASTERISK_TEXT.is_file() and ASTERISK_DIR.is_dir() else []
    sph = sphinx_items() if SPHINX_DIR.is_dir() else []
    read = [it for it in sph if it.source == "read"]
    items += takes(tel, read, n_takes=n_takes)
    if max_telephone is not None:
        tel = sorted(tel, key=lambda it: hashlib.sha1(it.name.encode()).hexdigest())[:max_telephone]
    items += tel + sph + committed_items()
    return items


def available() -> dict[str, bool]:
    return {"asterisk-core-sounds-en-wav": ASTERISK_DIR.is_dir() and ASTERISK_TEXT.is_file(),
            "pocketsphinx-testdata": SPHINX_DIR.is_dir()}
