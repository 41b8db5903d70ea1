"""The kit's types: the team's vocabulary, rubrics, exercises and certification programs as plain
dataclasses, and the error that lists what is wrong with a kit file (scoring/kit.py reads one)."""
from __future__ import annotations

from dataclasses import dataclass, field

EXERCISE_KINDS = ("teach-back", "role-play")


@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class Criterion:
    slug: str
    title: str
    description: str = ""
    terms: tuple[str, ...] = ()
    weight: float = 1.0
    required: bool = False
    min_score: int | None = None
    anchors: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rubric:
    slug: str
    title: str
    description: str = ""
    version: int = 1
    criteria: tuple[Criterion, ...] = ()


@dataclass(frozen=True)
class Exercise:
    slug: str
    kind: str
    title: str
    rubric: str
    prompt: str = ""
    prework: str = ""
    time_limit_s: int = 180
    available_from: str | None = None


@dataclass(frozen=True)
class Program:
    slug: str
    title: str
    rubric: str
    exercises: tuple[str, ...]
    pass_threshold: float = 3.5
    required_criteria: dict[str, int] = field(default_factory=dict)
    min_scorecards: int = 2
    valid_days: int = 365
    description: str = ""
    version: int = 1


@dataclass
class Kit:
    name: str = "kit"
    terms: list[Term] = field(default_factory=list)
    rubrics: list[Rubric] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)


class KitError(ValueError):
    """A kit that cannot be imported; ``problems`` lists every 'file:line: what' found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s) in the kit:\n  " + "\n  ".join(problems))
