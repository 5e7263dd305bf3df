"""The in-domain (news register) component: held-out discipline, determinism, mixture.

The in-domain text (mtrepair/model/corpus/news_fr.txt.gz) is original French written for
mtrepair; the pair sets that measure the model (TEST tests/data/model_pairs.tsv, DEV
tests/data/model_pairs_dev.tsv) must stay held out from it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from mtrepair.model import default_model_path
from mtrepair.model.build_domain import DOMAIN_FILES, files_hash, main as build_domain_main, read_text
from mtrepair.model.ngram import NgramModel
from mtrepair.model.text import lm_tokens

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "mtrepair" / "model" / "corpus" / "news_fr.txt.gz"
DATA = Path(__file__).parent / "data"
OVERLAP_N = 8


def read_pairs(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            clean, spun = line.split("\t")
            rows.append((clean, spun))
    return rows


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def test_dev_pairs_are_many_new_and_well_formed():
    dev, test = read_pairs("model_pairs_dev.tsv"), read_pairs("model_pairs.tsv")
    assert len(dev) >= 100
    assert all(c != s for c, s in dev)
    test_sents = {x for pair in test for x in pair}
    assert not {x for pair in dev for x in pair} & test_sents


def test_training_text_holds_out_every_pair_sentence():
    lines = read_text(TEXT)
    assert len(lines) >= 800
    pair_sents = {x for name in ("model_pairs.tsv", "model_pairs_dev.tsv")
                  for pair in read_pairs(name) for x in pair}
    norm = {" ".join(lm_tokens(s)) for s in pair_sents}
    assert not [ln for ln in lines if ln in pair_sents or " ".join(lm_tokens(ln)) in norm]
    pair_grams: set = set()
    for s in pair_sents:
        pair_grams |= ngrams(lm_tokens(s), OVERLAP_N)
    shared = [(ln, g) for ln in lines for g in ngrams(lm_tokens(ln), OVERLAP_N) & pair_grams]
    assert not shared, shared[:5]


def test_overlap_check_catches_a_copied_phrase():
    """The 8-gram check is not vacuous: a pair sentence embedded in a longer line is found."""
    clean, _ = read_pairs("model_pairs.tsv")[0]
    line = "Hier soir, " + clean
    assert ngrams(lm_tokens(line), OVERLAP_N) & ngrams(lm_tokens(clean), OVERLAP_N)


def test_shipped_component_matches_the_text():
    meta = NgramModel(default_model_path()).meta["domain"]
    assert meta["text_sha256"] == hashlib.sha256(TEXT.read_bytes()).hexdigest()
    assert meta["files_hash"] == files_hash(default_model_path(), DOMAIN_FILES)
    assert 0.0 < meta["weight"] < 1.0


def test_build_is_deterministic(tmp_path):
    # build_domain only needs the general model's vocabulary and meta.json
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        out.mkdir()
        for f in ("vocab.txt", "meta.json"):
            shutil.copy(default_model_path() / f, out / f)
        assert build_domain_main(["--text", str(TEXT), "--model", str(out), "--weight", "0.25"]) == 0
        outs.append(out)
    for f in DOMAIN_FILES + ("meta.json",):
        assert (outs[0] / f).read_bytes() == (outs[1] / f).read_bytes(), f


def test_build_rejects_bad_input(tmp_path, capsys):
    assert build_domain_main(["--text", str(tmp_path / "missing.txt"), "--model", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err
    text = tmp_path / "t.txt"
    text.write_text("Le ministre a parlé.\n", encoding="utf-8")
    assert build_domain_main(["--text", str(text), "--model", str(tmp_path)]) == 2
    assert "not a model" in capsys.readouterr().err


@pytest.mark.parametrize("context", [[], ["le", "ministre"], ["a", "été"], ["zzzunknown", "de"]])
def test_mixture_is_normalised(context):
    model = NgramModel(default_model_path())
    assert model._dom is not None
    total = float(np.exp(model.next_word_logprobs(context)).sum())
    assert abs(total - 1.0) < 0.02


def test_weight_zero_is_the_general_model():
    general = NgramModel(default_model_path(), domain_weight=0.0)
    mixed = NgramModel(default_model_path())
    assert "+news" not in general.id and "+news" in mixed.id
    s = "La start-up a levé 30 millions d'euros auprès de fonds américains."
    # the mixture moves scores (in-domain text is news): not the same model
    assert general.logprob(s) != mixed.logprob(s)
    with pytest.raises(ValueError):
        NgramModel(default_model_path(), domain_weight=1.5)


def test_stored_weight_is_best_on_dev():
    """The shipped weight is the DEV optimum of bench/model_domain.py's grid (not TEST's)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("model_domain", ROOT / "bench" / "model_domain.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    best = bench.choose(bench.dev_grid(default_model_path(), bench.read_pairs(bench.DEV)))
    domain = NgramModel(default_model_path()).meta["domain"]
    assert (domain["weight"], domain["k"]) == (best["weight"], best["k"])
