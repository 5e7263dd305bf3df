"""transformers backend: a tiny random CamemBERT built here, loaded through load_model("hf:...").

No claim about quality (the model is random): shapes, determinism, batching and ranking
plumbing, offline loading and the error for a missing model.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="the hf extra (torch) is not installed")
transformers = pytest.importorskip("transformers")
spm = pytest.importorskip("sentencepiece")

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.model import ModelNotFoundError, load_model
from mtrepair.model.gate import rank_and_gate
from mtrepair.model.hf import MAX_TOKENS, MaskedLMModel
from mtrepair.model.unlisted import UnlistedPhrasePass
from mtrepair.types import Finding, Source

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "fr" / "tatoeba-fra-eng.tsv.gz"
OWN_SENTENCES = [
    "Le ministre a souligné que la réforme serait votée avant l'été.",
    "La directrice financière a indiqué que les résultats étaient conformes aux prévisions.",
    "Les députés ont adopté le texte en première lecture.",
    "L'entreprise a annoncé mardi le licenciement de trois cents employés.",
    "Les ventes en ligne ont doublé alors que les magasins perdaient des clients.",
    "Le conseil d'administration s'est réuni en urgence dimanche soir.",
    "La banque centrale continuera de soutenir l'économie.",
    "Le porte-parole du groupe n'a pas souhaité commenter ces informations.",
]


def training_lines() -> list[str]:
    lines = list(OWN_SENTENCES) * 20
    if CORPUS.is_file():  # use real French when the shared corpus is there
        with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
            for i, raw in enumerate(fh):
                if i >= 1000:
                    break
                parts = raw.rstrip("\n").split("\t")
                if len(parts) == 2:
                    lines.append(parts[1])
    return lines


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny-camembert")
    text = root / "train.txt"
    text.write_text("\n".join(training_lines()) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(root / "spm"), vocab_size=300, model_type="unigram",
        character_coverage=1.0, num_threads=1, hard_vocab_limit=False, minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=str(root / "spm.model"))
    pieces = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    tok = transformers.CamembertTokenizer(vocab=pieces)  # transformers 5 (tokenizers backend)
    if len(tok) < sp.get_piece_size():  # transformers 4: the slow tokenizer reads the file
        tok = transformers.CamembertTokenizer(vocab_file=str(root / "spm.model"))
    assert len(tok) >= sp.get_piece_size()
    torch.manual_seed(0)
    config = transformers.CamembertConfig(
        vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, pad_token_id=tok.pad_token_id,
        # RoBERTa-style positions start after the padding index
        max_position_embeddings=tok.pad_token_id + MAX_TOKENS + 2,
        bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    model = transformers.CamembertForMaskedLM(config)
    out = root / "model"
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def hf(tiny_model_dir) -> MaskedLMModel:
    model = load_model(f"hf:{tiny_model_dir}")
    assert isinstance(model, MaskedLMModel)
    return model


def test_loads_through_public_path_and_is_cached(hf, tiny_model_dir):
    assert load_model(f"hf:{tiny_model_dir}") is hf
    assert hf.id.startswith("hf:model@") and len(hf.id.split("@")[1]) == 12
    assert hf.device.type in ("cpu", "cuda")


def test_pseudo_log_likelihood_shapes_and_determinism(hf):
    text = OWN_SENTENCES[0]
    terms = hf.token_logprobs_many([text])[0]
    n_sub = len(hf.tokenizer(text, add_special_tokens=False)["input_ids"])
    assert len(terms) == n_sub
    assert all(t <= 0 for t in terms)
    lp = hf.logprob(text)
    assert math.isclose(lp, sum(terms), rel_tol=1e-6)
    assert hf.logprob(text) == lp  # deterministic (eval mode, no dropout)
    assert math.isclose(hf.perplexity(text), math.exp(-lp / n_sub), rel_tol=1e-6)


def test_batching_does_not_change_scores(hf):
    texts = OWN_SENTENCES[:3]
    batch = hf.logprob_many(texts)
    for t, b in zip(texts, batch):
        assert math.isclose(hf.logprob(t), b, rel_tol=1e-4, abs_tol=1e-4)
    small = MaskedLMModel(str(hf.name), batch_size=3)
    assert [round(x, 3) for x in small.logprob_many(texts)] == [round(x, 3) for x in batch]


def test_rank_plumbing(hf):
    cands = ["a souligné que", "a gardé à l'esprit que", "a dit que"]
    ranked = hf.rank("Le ministre", cands, "la réforme serait votée.")
    assert sorted(c for c, _ in ranked) == sorted(cands)
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    direct = hf.logprob("Le ministre a dit que la réforme serait votée.")
    assert math.isclose(dict(ranked)["a dit que"], direct, rel_tol=1e-4)


def test_gate_runs_with_hf_model_and_unlisted_stays_quiet(hf):
    text = "Le ministre a gardé à l'esprit que la réforme serait votée."
    span = "a gardé à l'esprit que"
    start = text.index(span)
    f = Finding(start, start + len(span), span, "calque", "T-1", Source("glossary", "t.yaml", 1),
                ("a souligné que", "a dit que"), 0.8, "Test.", mode="check")
    [out] = rank_and_gate([f], Document(text), hf, RepairConfig())
    assert out.evidence["model"] == hf.id
    assert set(out.suggestions) == {"a souligné que", "a dit que"}
    assert out.mode in ("check", "auto")
    assert UnlistedPhrasePass(hf, None, RepairConfig()).find(Document(text)) == []


def test_missing_model_is_one_clear_line(tmp_path):
    with pytest.raises(ModelNotFoundError) as err:
        load_model(f"hf:{tmp_path / 'no-such-model'}")
    msg = str(err.value)
    assert "\n" not in msg and "not found locally" in msg and "MTREPAIR_HF_ONLINE" in msg
    with pytest.raises(ModelNotFoundError):
        load_model("hf:some-org/model-that-is-not-cached-here")
