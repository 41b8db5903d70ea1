"""Plain results of transcription: words, segments and a whole transcript.  No Qt."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


@dataclass
class Word:
    start: float
    end: float
    word: str  # as Whisper wrote it, usually with a leading space and punctuation
    probability: float = 1.0

    def to_dict(self) -> dict:
        return {"start": round(self.start, 3), "end": round(self.end, 3),
                "word": self.word, "probability": round(self.probability, 4)}

    @classmethod
    def from_dict(cls, d: dict) -> "Word":
        return cls(float(d["start"]), float(d["end"]), str(d["word"]), float(d.get("probability", 1.0)))


@dataclass
class Segment:
    index: int
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 0.0

    def to_dict(self, full: bool = False) -> dict:
        d = {"start": round(self.start, 3), "end": round(self.end, 3), "text": self.text,
             "words": [w.to_dict() for w in self.words]}
        if full:
            d.update(index=self.index, avg_logprob=round(self.avg_logprob, 4),
                     no_speech_prob=round(self.no_speech_prob, 4),
                     compression_ratio=round(self.compression_ratio, 4))
        return d

    def with_words(self, words: list[Word], end: float | None = None) -> "Segment":
        """This segment (its index and decoder figures) holding ``words``: text and times from
        them, the end from ``end`` if given."""
        return replace(self, start=words[0].start, end=words[-1].end if end is None else end,
                       text="".join(w.word for w in words).strip(), words=words)

    @classmethod
    def from_dict(cls, d: dict, index: int | None = None) -> "Segment":
        return cls(index=int(d.get("index", index or 0)), start=float(d["start"]), end=float(d["end"]),
                   text=str(d["text"]), words=[Word.from_dict(w) for w in d.get("words", [])],
                   avg_logprob=float(d.get("avg_logprob", 0.0)),
                   no_speech_prob=float(d.get("no_speech_prob", 0.0)),
                   compression_ratio=float(d.get("compression_ratio", 0.0)))


@dataclass
class TranscriptInfo:
    """What is known once the audio is decoded, before the first segment."""
    path: str
    duration: float
    model: str
    language: str = "en"
    damaged: bool = False
    problems: list[str] = field(default_factory=list)
    biasing: str = "hotwords"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Transcript:
    info: TranscriptInfo
    segments: list[Segment]
    dropped: int = 0  # segments removed by the hallucination guards

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def duration(self) -> float:
        return self.info.duration
