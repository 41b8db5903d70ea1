"""Term detection (scoring/terms.py): forms, inflections, slips, times.  Pure, no model."""
from pathlib import Path

from scoring.terms import (TimedWord, VocabTerm, allowed_edits, find_terms, inflections, normalize,
                           parse_vocabulary_text, term_forms, vocabulary_phrases)


def words(text: str, step: float = 0.5):
    return [TimedWord(i * step, i * step + 0.4, " " + w) for i, w in enumerate(text.split())]


def found(text, *terms):
    return [(h.term, h.start, h.end) for h in find_terms(words(text), [VocabTerm(t) for t in terms])]


def test_normalize_splits_hyphens_and_drops_punctuation():
    assert normalize(" Teach-back,") == ["teach", "back"]
    assert normalize("Socratic question?") == ["socratic", "question"]
    assert normalize("don't") == ["don't"]


def test_inflections_of_regular_words():
    assert {"reframe", "reframes", "reframed", "reframing"} <= inflections("reframe")
    assert {"call", "calls", "called", "calling"} <= inflections("call")
    assert {"buyer", "buyers"} <= inflections("buyer")
    assert {"stop", "stopped", "stopping"} <= inflections("stop")
    assert {"qualify", "qualifies", "qualified"} <= inflections("qualify")


def test_every_inflection_of_reframe_is_found_with_its_time():
    hits = find_terms(words("we reframe then reframed and reframing it reframes"), [VocabTerm("reframe")])
    assert [(h.text, h.start) for h in hits] == [
        ("reframe", 0.5), ("reframed", 1.5), ("reframing", 2.5), ("reframes", 3.5)]


def test_multiword_term_times_span_its_words():
    assert found("ask the economic buyer now", "economic buyer") == [("economic buyer", 1.0, 1.9)]


def test_hyphen_space_and_joined_spellings_all_match():
    text = "a teach-back then a teach back then a teachback"
    assert [s for _, s, _ in found(text, "teach-back")] == [0.5, 2.0, 4.0]


def test_small_slip_matches_but_a_different_word_does_not():
    assert found("ask a socratic questoin", "Socratic question")  # one edit in 16 letters
    assert found("our champoin agreed", "champion")  # one edit
    assert not found("and refrain the problem", "reframe")  # a different word: biasing's job
    assert not found("a sarcastic question", "Socratic question")
    assert not found("we refraining from it", "reframe")


def test_short_terms_need_an_exact_match():
    assert allowed_edits(4) == 0
    assert found("the poc was good", "PoC")
    assert not found("the pok was good", "PoC")


def test_aliases_are_found_and_reported_under_the_canonical_term():
    hits = find_terms(words("our internal advocate helped"),
                      [VocabTerm("champion", ("internal advocate",), term_id="t1")])
    assert [(h.term, h.term_id, h.form, h.text) for h in hits] == [
        ("champion", "t1", "internal advocate", "internal advocate")]


def test_overlapping_different_terms_both_count_but_one_term_once():
    got = found("make a cold call to action", "cold call", "call to action")
    assert sorted(t for t, _, _ in got) == ["call to action", "cold call"]
    assert len(found("champion champion", "champion")) == 2


def test_words_as_dicts_and_empty_inputs():
    ws = [{"start": 1.0, "end": 1.5, "word": " Champion."}]
    assert [h.start for h in find_terms(ws, [VocabTerm("champion")])] == [1.0]
    assert find_terms([], [VocabTerm("champion")]) == []
    assert find_terms(ws, []) == []


def test_term_forms_include_alias_inflections():
    forms = {d for d, _ in term_forms(VocabTerm("cold call", ("cold outreach",)))}
    assert {"cold call", "cold calls", "cold calling", "cold outreach"} <= forms


def test_vocabulary_text_and_bias_phrases():
    terms = parse_vocabulary_text("# vocab\nreframe\nchampion | internal advocate\n\n")
    assert terms == [VocabTerm("reframe"), VocabTerm("champion", ("internal advocate",))]
    assert vocabulary_phrases(terms, with_inflections=True) == [
        "reframe", "reframing", "champion", "championing", "internal advocate"]


def test_a_term_beats_its_own_shorter_alias():
    hits = find_terms(words("on the discovery call we"), [VocabTerm("discovery call", ("discovery",))])
    assert [(h.text, h.start, h.end, h.form) for h in hits] == [("discovery call", 1.0, 1.9, "discovery call")]
    hits = find_terms(words("in discovery we"), [VocabTerm("discovery call", ("discovery",))])
    assert [h.form for h in hits] == ["discovery"]


def test_vocabulary_files_kit_yaml_text_and_errors(tmp_path):
    import pytest

    from scoring.terms import load_vocabulary_file

    kit = load_vocabulary_file(Path(__file__).parent.parent / "assets" / "kit" / "default.yaml")
    reframe = next(t for t in kit if t.term == "reframe")
    assert reframe.term_id == "reframe" and "reframing" in reframe.aliases and len(kit) >= 11
    (tmp_path / "list.yml").write_text("- champion\n- term: deal clinic\n  aliases: [deal clinics]\n")
    assert load_vocabulary_file(tmp_path / "list.yml") == [
        VocabTerm("champion"), VocabTerm("deal clinic", ("deal clinics",))]
    (tmp_path / "v.txt").write_text("vocabulary is not yaml here\n")
    assert load_vocabulary_file(tmp_path / "v.txt") == [VocabTerm("vocabulary is not yaml here")]
    (tmp_path / "bad.yaml").write_text("vocabulary: [\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_vocabulary_file(tmp_path / "bad.yaml")
    (tmp_path / "empty.txt").write_text("# nothing\n")
    with pytest.raises(ValueError, match="no vocabulary terms"):
        load_vocabulary_file(tmp_path / "empty.txt")
