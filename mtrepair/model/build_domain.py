"""Build the in-domain (news register) component of the embedded model (deterministic).

Usage (after :mod:`mtrepair.model.build` wrote the general model into the same folder)::

    python -m mtrepair.model.build_domain --text mtrepair/model/corpus/news_fr.txt.gz \\
        --model mtrepair/model/data --weight 0.3

The general model is trained on debates, plays, Wikisource and Tatoeba: its register is not
news ("a été tiré" beats "a été limogé", "l'orateur" beats "le porte-parole"). This step
trains a small word trigram model with interpolated modified Kneser-Ney (the same estimator
as the general model, :func:`mtrepair.model.build.build_kn`, nothing pruned) on an
in-domain text written for the project (``mtrepair/model/corpus/``: original news-style
French, see its README), over the general model's vocabulary (in-domain words outside it are
``<unk>``, numbers ``<num>``), and stores it next to the general tables as ``dom_*.npy``.

At run time (:mod:`mtrepair.model.ngram`) the two are mixed by linear interpolation with a
weight that may depend on the history::

    P(w | u v) = (1 - l(u v)) * P_general(w | u v) + l(u v) * P_domain(w | u v)
    l(u v)     = weight                              if k == 0
               = weight * n(u v) / (n(u v) + k)       otherwise

where ``n(u v)`` is the number of times the history ``u v`` occurs in the in-domain text
(``dom_bi_n.npy``). With ``k > 0`` the small in-domain model only speaks where it has seen
the history; elsewhere its back-off to its own unigram distribution (generous to frequent
words after any history) would mask improbable transitions that the general model sees.
Each ``P(. | u v)`` is a proper distribution because both components are normalised over
the same vocabulary (``<unk>`` then carries the same spelling model) and ``l`` depends on
the history only. ``weight`` is written into ``meta.json``
(``domain.weight``); it was chosen on a DEV pair set (tests/data/model_pairs_dev.tsv) with
``bench/model_domain.py``, never on the TEST pairs (tests/data/model_pairs.tsv).

The general tables are not touched; ``meta.json`` gains a ``domain`` entry (weight, token
count, sha256 of the text and of the dom_* files), which changes the model ``id``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from array import array
from pathlib import Path

import numpy as np

from .build import _SHIFT1, BOS_ID, EOS_ID, NUM, UNK_ID, build_kn, log
from .text import has_digit, lm_tokens

#: Files of the in-domain component (all float32 or uint64 numpy arrays, no pickle).
DOMAIN_FILES = (
    "dom_uni_lp.npy", "dom_uni_bo.npy", "dom_bi_keys.npy", "dom_bi_lp.npy", "dom_bi_bo.npy",
    "dom_tri_keys.npy", "dom_tri_lp.npy", "dom_bi_n.npy",
)
#: Default interpolation weight of the in-domain component and history constant (chosen on
#: the DEV pairs with bench/model_domain.py; README "Reference model" gives the grid and the
#: figures). See the module docstring for how they combine.
DEFAULT_WEIGHT = 0.25
DEFAULT_K = 0.0


def read_text(path: Path) -> list[str]:
    """Non-empty, non-comment lines (one sentence per line) of a ``.txt`` or ``.txt.gz``."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]


def encode(lines: list[str], vocab: dict[str, int]) -> tuple[np.ndarray, int]:
    """``<s> <s> w.. </s>`` id sequence over a fixed vocabulary, and the token count."""
    seq = array("i")
    num_id = vocab[NUM]
    n = 0
    for line in lines:
        seq.append(BOS_ID)
        seq.append(BOS_ID)
        for tok in lm_tokens(line):
            seq.append(num_id if has_digit(tok) else vocab.get(tok, UNK_ID))
            n += 1
        seq.append(EOS_ID)
    return np.frombuffer(seq, dtype=np.int32).copy(), n


def files_hash(folder: Path, names) -> str:
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update((folder / name).read_bytes())
    return h.hexdigest()


def context_counts(seq: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """In-domain count of each two-word history ``u v`` of ``keys`` (0 for other keys)."""
    s64 = seq.astype(np.uint64)
    pos = np.nonzero(seq != BOS_ID)[0]
    ctx, n = np.unique((s64[pos - 2] << _SHIFT1) | s64[pos - 1], return_counts=True)
    out = np.zeros(keys.size, dtype=np.float32)
    j = np.minimum(np.searchsorted(keys, ctx), keys.size - 1)
    found = keys[j] == ctx
    out[j[found]] = n[found]
    return out


def build_domain(text: Path, model: Path, weight: float, k: float = DEFAULT_K) -> dict:
    if not 0.0 <= weight < 1.0:
        raise SystemExit(f"--weight must be in [0, 1): {weight}")
    if k < 0.0:
        raise SystemExit(f"--k must be >= 0: {k}")
    words = (model / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if words and words[-1] == "":
        words.pop()
    vocab = {w: i for i, w in enumerate(words)}
    lines = read_text(text)
    seq, n_tokens = encode(lines, vocab)
    log(f"{text.name}: {len(lines)} sentences, {n_tokens} tokens, "
        f"{int((seq == UNK_ID).sum())} outside the general vocabulary")
    kn = build_kn(seq, len(words), 1, 1)
    np.save(model / "dom_uni_lp.npy", kn["uni_lp"].astype(np.float32))
    np.save(model / "dom_uni_bo.npy", kn["uni_bo"].astype(np.float32))
    np.save(model / "dom_bi_keys.npy", kn["bi_keys"].astype(np.uint64))
    np.save(model / "dom_bi_lp.npy", kn["bi_lp"].astype(np.float32))
    np.save(model / "dom_bi_bo.npy", kn["bi_bo"].astype(np.float32))
    np.save(model / "dom_tri_keys.npy", kn["tri_keys"].astype(np.uint64))
    np.save(model / "dom_tri_lp.npy", kn["tri_lp"].astype(np.float32))
    np.save(model / "dom_bi_n.npy", context_counts(seq, kn["bi_keys"].astype(np.uint64)))
    meta_path = model / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["domain"] = {
        "weight": round(float(weight), 4),
        "k": round(float(k), 4),
        "text": text.name,
        "text_sha256": hashlib.sha256(text.read_bytes()).hexdigest(),
        "sentences": len(lines),
        "tokens": n_tokens,
        "stats": kn["stats"],
        "files_hash": files_hash(model, DOMAIN_FILES),
    }
    meta_path.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    size = sum((model / n).stat().st_size for n in DOMAIN_FILES)
    log(f"in-domain component: {size / 1e6:.2f} MB, weight {weight}, k {k}")
    return meta["domain"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mtrepair.model.build_domain",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--text", required=True, help="in-domain text, one sentence per line (.txt[.gz])")
    ap.add_argument("--model", required=True, help="folder of a model built by mtrepair.model.build")
    ap.add_argument("--weight", type=float, default=DEFAULT_WEIGHT,
                    help="interpolation weight of the in-domain component (default: %(default)s)")
    ap.add_argument("--k", type=float, default=DEFAULT_K,
                    help="history constant: weight * n(u v) / (n(u v) + k); 0 = constant weight "
                         "(default: %(default)s)")
    args = ap.parse_args(argv)
    text, model = Path(args.text), Path(args.model)
    if not text.is_file():
        print(f"error: {text}: no such file", file=sys.stderr)
        return 2
    if not (model / "vocab.txt").is_file() or not (model / "meta.json").is_file():
        print(f"error: {model}: not a model built by mtrepair.model.build", file=sys.stderr)
        return 2
    build_domain(text, model, args.weight, args.k)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
