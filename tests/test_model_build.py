"""The build script: deterministic output, a valid model, normalised probabilities.

Runs on a small corpus generated here from sentences written for the test (no shared data).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sentencepiece")

from mtrepair.model import load_model
from mtrepair.model.build import DATA_FILES, main as build_main
from mtrepair.model.errors import ModelNotFoundError
from mtrepair.model.ngram import NgramModel, data_hash

SUBJECTS = ["Le ministre", "La directrice", "Le porte-parole", "La présidente", "Le maire", "Un analyste"]
VERBS = ["a souligné que", "a indiqué que", "a rappelé que", "a affirmé que", "estime que"]
CLAUSES = [
    "la réforme serait votée avant l'été", "les travaux commenceraient en septembre",
    "le budget restait équilibré", "les ventes avaient progressé de 12 %",
    "la décision serait prise lundi", "les négociations reprendraient bientôt",
]
EXTRA = [
    "La séance est ouverte.", "Je suis content de vous voir.", "Il fait beau aujourd'hui.",
    "Les députés ont adopté le texte en première lecture.", "Elle a lu le rapport hier soir.",
]


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    lines = [f"{s} {v} {c}." for s, v, c in itertools.product(SUBJECTS, VERBS, CLAUSES)]
    with gzip.open(folder / "news.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines + EXTRA * 3) + "\n")
    with gzip.open(folder / "pairs.tsv.gz", "wt", encoding="utf-8") as fh:
        fh.write("Hello.\tBonjour.\nI am happy.\tJe suis content.\nIt is raining.\tIl pleut.\n")


def run_build(corpus: Path, out: Path) -> None:
    rc = build_main(["--corpus", str(corpus), "--out", str(out), "--spm-vocab", "120",
                     "--spm-sample-every", "1", "--syn-targets", "60", "--syn-contexts", "40",
                     "--syn-dims", "8", "--syn-k", "3", "--min-count", "2"])
    assert rc == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    write_corpus(root / "corpus")
    run_build(root / "corpus", root / "a")
    run_build(root / "corpus", root / "b")
    return root


def test_build_is_deterministic(built):
    for name in DATA_FILES + ("meta.json",):
        a = (built / "a" / name).read_bytes()
        b = (built / "b" / name).read_bytes()
        assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest(), name


def test_built_model_loads_and_ranks(built):
    model = load_model(str(built / "a"))
    assert isinstance(model, NgramModel)
    assert model.meta["content_hash"] == data_hash(built / "a")
    assert model.id.startswith("mtrepair-fr-3gram@")
    seen = model.logprob("Le ministre a souligné que la réforme serait votée avant l'été.")
    shuffled = model.logprob("été l'avant votée serait réforme la que souligné a ministre Le.")
    assert seen > shuffled
    ranked = model.rank("La directrice", ["a indiqué que", "a gardé à l'esprit que"],
                        "le budget restait équilibré.")
    assert ranked[0][0] == "a indiqué que"


def test_probabilities_sum_to_one(built):
    """Interpolated KN, pruned and quantised, still gives a distribution over the vocabulary."""
    model = NgramModel(built / "a")
    for context in (["le", "ministre"], ["a", "souligné"], ["<s>", "<s>"], ["zzz", "que"]):
        total = float(np.exp(model.next_word_logprobs(context)).sum())
        assert 0.9 < total < 1.1, (context, total)


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ModelNotFoundError, match="not a built mtrepair model"):
        load_model(str(tmp_path))


def test_missing_corpus_folder_is_a_clean_error(tmp_path, capsys):
    assert build_main(["--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder" in capsys.readouterr().err
