"""apply_edits / select_edits / compose: the one place where text changes."""

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from mtrepair.config import RepairConfig
from mtrepair.resolve import EditConflict, apply_edits, compose, map_findings, select_edits
from mtrepair.types import Edit, Finding, Source

SRC = Source("heuristic", "test")


def finding(start, end, text, repl, conf=0.9, category="calque", mode="auto", rule="R"):
    return Finding(start, end, text[start:end], category, rule, SRC, (repl,), conf, "test", mode=mode)


TEXT = "Il a gardé à l'esprit que le quartier technologique applaudit."


def test_apply_edits_replaces_spans():
    f1 = finding(5, 25, TEXT, "souligné que")
    f2 = finding(26, 51, TEXT, "la communauté tech")
    edits, left = select_edits([f2, f1], RepairConfig())
    assert apply_edits(TEXT, edits) == "Il a souligné que la communauté tech applaudit."
    assert left == []


def test_apply_edits_rejects_overlap_and_mismatch():
    e = finding(5, 25, TEXT, "x").to_edit()
    with pytest.raises(EditConflict):
        apply_edits(TEXT, [e, finding(20, 30, TEXT, "y").to_edit()])
    bad = Edit(0, 2, "XX", "", "calque", "R", SRC, 1.0, "")
    with pytest.raises(EditConflict):
        apply_edits(TEXT, [bad])


def test_overlap_keeps_the_more_confident_finding():
    weak = finding(5, 30, TEXT, "A", conf=0.75, rule="WEAK")
    strong = finding(26, 51, TEXT, "B", conf=0.95, rule="STRONG")
    edits, left = select_edits([weak, strong], RepairConfig())
    assert [e.rule for e in edits] == ["STRONG"]
    assert [f.rule for f in left] == ["WEAK"]


def test_boilerplate_deletion_wins_over_a_calque_inside_it():
    text = "Événement VB : rejoignez le quartier technologique !\nVrai texte."
    block = finding(0, 53, text, "", conf=0.8, category="boilerplate", rule="BPL")
    calque = finding(28, 50, text, "la communauté tech", conf=0.95, rule="CAL")
    edits, left = select_edits([calque, block], RepairConfig())
    assert [e.rule for e in edits] == ["BPL"]
    assert apply_edits(text, edits) == "Vrai texte."


def test_threshold_mode_and_category_switches():
    f = finding(5, 25, TEXT, "souligné que", conf=0.6)
    assert select_edits([f], RepairConfig())[0] == []
    assert select_edits([f], RepairConfig(min_confidence=0.5))[0] != []
    report = finding(5, 25, TEXT, "souligné que", mode="report")
    assert select_edits([report], RepairConfig(min_confidence=0.0))[0] == []
    typo = finding(2, 2, TEXT, " ", category="typography")
    assert select_edits([typo], RepairConfig(typography=False))[0] == []
    assert select_edits([f], RepairConfig(min_confidence=0.5, categories=("entity",)))[0] == []


def test_compose_maps_second_stage_edits_back_to_the_original():
    original = "Ã©tait chaud. Et maintenant? Ã©tÃ©"
    first = [Edit(i, i + 2, "Ã©", "é", "typography", f"ENC{i}", SRC, 1.0, "")
             for i in range(len(original)) if original.startswith("Ã©", i)]
    middle = apply_edits(original, first)
    q = middle.index("?")
    second = [
        Edit(q, q, "", " ", "typography", "TYPO", SRC, 1.0, ""),
        Edit(len(middle) - 3, len(middle), "été", "ÉTÉ", "calque", "UP", SRC, 1.0, ""),
    ]
    composed = compose(original, first, second)
    assert apply_edits(original, composed) == apply_edits(middle, second) == "était chaud. Et maintenant ? ÉTÉ"
    merged = [e for e in composed if "UP" in e.rule][0]
    assert merged.original == "Ã©tÃ©" and merged.rule.endswith("UP")


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="abcé Ã©\n?", min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3), st.text("xyz", max_size=3)), max_size=4),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3), st.text("XYZ", max_size=3)), max_size=4),
)
def test_compose_is_exact_for_any_non_overlapping_stages(original, raw1, raw2):
    def build(text, raw, tag):
        edits, used = [], []
        for start, length, repl in raw:
            start = min(start, len(text))
            end = min(start + length, len(text))
            if any(not (end <= s or start >= e) or start == s for s, e in used):
                continue
            used.append((start, end))
            edits.append(Edit(start, end, text[start:end], repl, "calque", f"{tag}{start}", SRC, 1.0, ""))
        return edits

    first = build(original, raw1, "A")
    middle = apply_edits(original, first)
    second = build(middle, raw2, "B")
    composed = compose(original, first, second)
    assert apply_edits(original, composed) == apply_edits(middle, second)
    mapped = map_findings(original, first, [Finding(e.start, e.end, e.original, "calque", e.rule, SRC, (), 0.5, "")
                                            for e in second])
    for f in mapped:
        assert 0 <= f.start <= f.end <= len(original) and original[f.start:f.end] == f.span
