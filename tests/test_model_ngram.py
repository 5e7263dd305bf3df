"""The embedded n-gram model: public API, normalisation, OOV back-off, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mtrepair.model import ModelNotFoundError, default_model_path, load_model
from mtrepair.model.fluency import document_perplexity, sentence_perplexities
from mtrepair.model.ngram import NgramModel, data_hash


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_default_is_a_cached_singleton(model):
    assert load_model(None) is model
    assert load_model("default") is model
    assert isinstance(model, NgramModel)


def test_none_means_no_model():
    assert load_model("none") is None
    assert load_model("None") is None


def test_unknown_name_says_how_to_provide_a_model():
    with pytest.raises(ModelNotFoundError) as err:
        load_model("/no/such/model/anywhere")
    msg = str(err.value)
    assert "\n" not in msg and "hf:" in msg and "mtrepair.model.build" in msg


def test_id_names_the_content(model):
    name, _, rest = model.id.partition("@")
    digest, *parts = rest.split("+")
    assert name and len(digest) == 12
    assert data_hash(default_model_path()).startswith(digest)
    # in-domain component (files hash + weight), then the OOV source
    domain = model.meta.get("domain")
    if domain:
        assert parts[0] == f"news{domain['files_hash'][:8]}w{domain['weight']:g}"
        parts = parts[1:]
    assert parts == [] or (len(parts) == 1 and parts[0].startswith("wordfreq"))


def test_shipped_data_is_small_and_has_no_pickle():
    files = [p for p in default_model_path().iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 40 * 1024 * 1024
    for p in files:
        if p.suffix == ".npy":
            arr = np.load(p, mmap_mode="r", allow_pickle=False)  # raises on object arrays
            assert arr.dtype != object


def test_logprob_is_a_natural_log_probability(model):
    lp = model.logprob("La séance est ouverte.")
    assert -60 < lp < 0
    ppl = model.perplexity("La séance est ouverte.")
    n = len(model.tokens("La séance est ouverte.")) + 1
    assert math.isclose(ppl, math.exp(-lp / n))


@pytest.mark.parametrize("context", [["le", "ministre"], ["a", "souligné"], ["<s>", "<s>"],
                                     ["de", "la"], ["xylophonique", "que"]])
def test_next_word_distribution_sums_to_one(model, context):
    total = float(np.exp(model.next_word_logprobs(context)).sum())
    assert abs(total - 1.0) < 0.03, total


def test_fluent_beats_scrambled(model):
    good = "Le gouvernement a présenté un nouveau projet de loi sur le logement."
    bad = "Loi le sur nouveau un logement présenté de gouvernement a projet le."
    assert model.logprob(good) > model.logprob(bad) + 10


def test_case_and_apostrophes_do_not_matter(model):
    a = model.logprob("L'Assemblée a adopté le texte.")
    b = model.logprob("l’assemblée a adopté le texte.")
    assert a == b


def test_numbers_are_one_token(model):
    assert model.logprob("Il a gagné 3 millions.") == model.logprob("Il a gagné 12,5 millions.")


def test_unknown_words_back_off_to_their_spelling(model):
    word = "zorglubisation"
    assert word not in model.vocab
    ts = model.token_scores(f"La {word} est terminée.")
    assert ts.oov.tolist()[1] is True
    assert np.isfinite(ts.logprobs).all()
    # a plausible French spelling is more probable than consonant noise of the same length
    assert model.spell_logprob("relocalisateur") > model.spell_logprob("xqzkwvbtrpqhn")
    # and a known word beats an unknown one in the same slot
    assert model.logprob("La réforme est terminée.") > model.logprob(f"La {word} est terminée.")


def test_batch_equals_single(model):
    texts = ["Il pleut.", "", "Les ventes ont progressé de 4 % au premier trimestre.", "Zorglub !"]
    batch = model.logprob_many(texts)
    for t, b in zip(texts, batch):
        assert math.isclose(model.logprob(t), b, rel_tol=1e-12, abs_tol=1e-9)


def test_rank_orders_candidates_in_context(model):
    ranked = model.rank("Je suis très", ["contente", "table", "contents"], "de vous voir.")
    assert [c for c, _ in ranked][0] == "contente"
    assert len(ranked) == 3
    assert ranked[0][1] >= ranked[1][1] >= ranked[2][1]
    # elided left context joins without a space
    ranked = model.rank("Il a gardé à l'", ["esprit", "oreille"], "que tout allait bien.")
    assert ranked[0][0] == "esprit"


def test_sentence_perplexities_cover_each_sentence(model):
    text = "Le ministre a parlé. Les députés ont voté la loi.\n\nLoi la voté ont députés les."
    sents = sentence_perplexities(text, model)
    assert len(sents) == 3
    assert [text[s.start : s.end][:3] for s in sents] == ["Le ", "Les", "Loi"]
    assert sents[2].perplexity > sents[1].perplexity
    doc = document_perplexity(text, model)
    assert min(s.perplexity for s in sents) <= doc <= max(s.perplexity for s in sents)
    assert math.isnan(document_perplexity("", model))
