"""Find the team's vocabulary in a transcript, with times.  Pure functions, no Qt.

    hits = find_terms(words, [VocabTerm("reframe"), VocabTerm("Socratic question", ("socratic questioning",))])

Each term is looked for in every form: the term itself, its aliases, and the inflections of the
last word of each (reframe -> reframes, reframed, reframing; call -> calls, called, calling;
buyer -> buyers).  Words are compared after normalising case, punctuation and hyphens, and the
run of words may be split or joined differently ("teach back" / "teach-back" / "teachback").
Small recognition slips are tolerated with rapidfuzz's OSA distance (edits and transpositions),
scaled to the length of the form: none for forms under 5 letters, 1 edit up to 10 letters, 2 above.  That keeps
"reframe" heard as "refrain" (2 edits in 7 letters) a miss, on purpose: a different word is not a
slip, and vocabulary biasing at recognition time is what fixes it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

_VOWELS = set("aeiou")


@dataclass(frozen=True)
class VocabTerm:
    term: str
    aliases: tuple[str, ...] = ()
    term_id: str | None = None


@dataclass(frozen=True)
class TimedWord:
    start: float
    end: float
    word: str


@dataclass(frozen=True)
class TermHit:
    term: str  # canonical term
    term_id: str | None
    start: float
    end: float
    text: str  # the words as transcribed
    form: str  # the form (term, alias or inflection) that matched
    score: float  # 1.0 exact, lower for fuzzy
    first_word: int  # index in the word list given
    last_word: int

    def to_dict(self) -> dict:
        return {"term": self.term, "start": round(self.start, 3), "end": round(self.end, 3),
                "text": self.text, "form": self.form, "score": round(self.score, 3)}


def normalize(text: str) -> list[str]:
    """Lower-case tokens, hyphens and slashes split, other punctuation dropped."""
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[-\u2010-\u2015/]+", " ", text)
    return [t for t in (re.sub(r"[^\w']+", "", w).strip("'") for w in text.split()) if t]


def inflections(word: str) -> set[str]:
    """Regular English inflections of ``word`` (noun plural, verb -s/-ed/-ing), plus the word."""
    w = word.lower()
    out = {w}
    if len(w) < 3 or not w.isalpha():
        return out
    if w.endswith("e") and not w.endswith(("ee", "ye", "oe")):
        out |= {w + "s", w + "d", w[:-1] + "ing"}
    elif w.endswith("y") and w[-2] not in _VOWELS:
        out |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        out |= {w + "es", w + "ed", w + "ing"}
    else:
        out |= {w + "s", w + "ed", w + "ing"}
        if len(w) <= 4 and w[-1] not in _VOWELS | {"w", "x", "y"} and w[-2] in _VOWELS \
                and w[-3] not in _VOWELS:  # stop -> stopped, stopping
            out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return out


def term_forms(term: VocabTerm) -> list[tuple[str, tuple[str, ...]]]:
    """All (display form, normalised tokens) for a term: term, aliases, inflected last words."""
    forms: dict[tuple[str, ...], str] = {}
    for phrase in (term.term, *term.aliases):
        toks = normalize(phrase)
        if not toks:
            continue
        for last in sorted(inflections(toks[-1])):
            inflected = tuple(toks[:-1]) + (last,)
            forms.setdefault(inflected, " ".join(inflected))
    return [(display, toks) for toks, display in forms.items()]


def allowed_edits(n_chars: int) -> int:
    if n_chars < 5:
        return 0
    if n_chars <= 10:
        return 1
    return 2


def _as_timed(words: Iterable) -> list[TimedWord]:
    out = []
    for w in words:
        if isinstance(w, TimedWord):
            out.append(w)
        elif isinstance(w, dict):
            out.append(TimedWord(float(w["start"]), float(w["end"]), str(w["word"])))
        else:
            out.append(TimedWord(float(w.start), float(w.end), str(w.word)))
    return out


def find_terms(words: Sequence, terms: Iterable[VocabTerm]) -> list[TermHit]:
    """Every occurrence of every term in ``words`` (objects or dicts with start, end, word).

    Returns hits sorted by start time.  Overlapping hits of the same term keep the best one.
    Hits of different terms may overlap ("cold call" and "call to action" in "cold call to action").
    """
    timed = _as_timed(words)
    # token stream: each transcribed word may yield several tokens ("teach-back" -> teach, back)
    toks: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(timed):
        for t in normalize(w.word):
            toks.append(t)
            owner.append(i)
    hits: list[TermHit] = []
    for term in terms:
        candidates: list[tuple[int, int, int, int, int, str]] = []
        for display, form in term_forms(term):
            target = "".join(form)
            budget = allowed_edits(len(target))
            n = len(form)
            for k in {max(1, n - 1), n, n + 1}:
                for i in range(0, len(toks) - k + 1):
                    window = toks[i:i + k]
                    if window[0][0] != target[0] and budget == 0:
                        continue
                    cand = "".join(window)
                    if abs(len(cand) - len(target)) > budget:
                        continue
                    d = OSA.distance(cand, target, score_cutoff=budget)
                    if d > budget:
                        continue
                    if k != n and d > 0:  # re-split runs must match exactly
                        continue
                    candidates.append((d, abs(k - n), -(k - 1), i, i + k - 1, display))
        candidates.sort()  # fewest edits, natural split, then the longest form ("discovery call"
        taken: list[tuple[int, int]] = []  # before its alias "discovery")
        for d, _, _, i, j, display in candidates:
            if any(not (j < a or i > b) for a, b in taken):
                continue
            taken.append((i, j))
            wi, wj = owner[i], owner[j]
            text = " ".join(timed[x].word.strip() for x in range(wi, wj + 1))
            target_len = max(1, len(display.replace(" ", "")))
            hits.append(TermHit(term=term.term, term_id=term.term_id, start=timed[wi].start,
                                end=timed[wj].end, text=text, form=display,
                                score=1.0 - d / target_len, first_word=wi, last_word=wj))
    hits.sort(key=lambda h: (h.start, h.term))
    return hits


def vocabulary_phrases(terms: Iterable[VocabTerm], with_inflections: bool = False) -> list[str]:
    """Terms and aliases as phrases for recognition biasing (optionally with -ing/-ed forms)."""
    out: dict[str, None] = {}
    for t in terms:
        for p in (t.term, *t.aliases):
            out.setdefault(p, None)
            if with_inflections:
                words = p.split()
                if len(words) == 1 and words[0].isalpha() and words[0].islower():
                    w = words[0]
                    for f in sorted(inflections(w) - {w}):
                        if f.endswith("ing"):
                            out.setdefault(f, None)
    return list(out)


def parse_vocabulary_text(text: str) -> list[VocabTerm]:
    """One term per line; ``term | alias | alias`` adds aliases; ``#`` starts a comment."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|") if p.strip()]
        out.append(VocabTerm(parts[0], tuple(parts[1:])))
    return out


def vocabulary_from_yaml(data) -> list[VocabTerm]:
    """Terms from a parsed kit YAML (its ``vocabulary`` list) or a bare YAML list of terms."""
    items = data.get("vocabulary") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("no 'vocabulary' list in the YAML")
    out = []
    for it in items:
        if isinstance(it, str):
            out.append(VocabTerm(it))
        elif isinstance(it, dict) and it.get("term"):
            out.append(VocabTerm(str(it["term"]), tuple(str(a) for a in it.get("aliases") or ()),
                                 term_id=it.get("id")))
        else:
            raise ValueError(f"vocabulary entry without a term: {it!r}")
    return out


def load_vocabulary_file(path) -> list[VocabTerm]:
    """A kit YAML (.yaml/.yml, or any file with a top-level ``vocabulary:``) or a text file with one
    term per line (``term | alias | alias``).  Raises OSError/ValueError with the reason."""
    import yaml

    with open(path, encoding="utf-8") as f:
        text = f.read()
    name = str(path).lower()
    if name.endswith((".yaml", ".yml")) or re.search(r"^vocabulary\s*:", text, re.M):
        from scoring.yaml_lines import check_bounds   # no alias bombs or deep nesting (#12)
        try:
            check_bounds(text)
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ValueError(f"{path}: not valid YAML ({e})") from e
        terms = vocabulary_from_yaml(data)
    else:
        terms = parse_vocabulary_text(text)
    if not terms:
        raise ValueError(f"{path}: no vocabulary terms in the file")
    return terms
