"""Build the embedded reference model from a French corpus (deterministic).

Usage::

    nice -n 10 python -m mtrepair.model.build --corpus ../shared/corpus/fr --out mtrepair/model/data

Steps (every step is deterministic: files in sorted order, fixed seeds, no hash-order
iteration, one sentencepiece thread; rerunning gives the same bytes):

1. Read every ``*.txt.gz`` (one sentence per line) and the French column of every ``*.tsv.gz``
   (``english<TAB>french``, Tatoeba: everyday sentences, the closest to news), except the
   sources named by ``--exclude`` (default: Project Gutenberg, see :data:`DEFAULT_EXCLUDE`),
   keep every ``--holdout-every``-th line of each file out (for the register benchmark), drop
   exact duplicate lines (keeping the first).
2. Tokenise with :func:`mtrepair.model.text.lm_tokens`; numbers become ``<num>``; words seen
   fewer than ``--min-count`` times become ``<unk>`` (so ``P(<unk>|context)`` is learnt).
3. Train a sentencepiece unigram model on a deterministic sample (every k-th line) of the
   lower-cased corpus; it spells out-of-vocabulary words (see :mod:`mtrepair.model.ngram`).
   8,000 pieces: on a corpus of a few million words the pieces are then frequent short words,
   stems and inflection endings (-ement, -aient, -isation), which is what spelling an unknown
   word needs, and the model stays under 0.4 MB; a larger vocabulary mostly adds whole words
   that the word model already knows, a smaller one spells words letter by letter.
4. Count 1..3-grams with numpy (exact 63-bit packed keys, ``np.unique``), estimate interpolated
   modified Kneser-Ney (Chen & Goodman 1998; continuation counts for lower orders, raw counts
   for n-grams that start with ``<s>``; three discounts per order), prune n-grams seen fewer
   than ``--min-count-2``/``--min-count-3`` times and renormalise the back-off weights of the
   pruned model (SRILM/KenLM style), quantise log-probabilities and back-offs to 8 bits with
   an equal-frequency codebook per table.
5. Derive a small distributional thesaurus (PPMI + truncated SVD over a +-2 word window,
   cosine neighbours) for the most frequent content words: the synonym source of the
   unlisted-phrase finder.
6. Write numpy ``.npy`` files (no pickle), ``vocab.txt``, ``spm.model`` and ``meta.json``
   whose ``content_hash`` (sha256 over the other files) makes the model ``id``; and, with
   wordfreq installed, ``wordfreq_total.json`` (see :func:`mtrepair.model.ngram.write_wordfreq_total`).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from array import array
from pathlib import Path
from typing import Iterator

import numpy as np

from .text import BOS, EOS, NUM, UNK, fold, has_digit, lm_tokens

#: Bits per word id in packed n-gram keys (3 x 21 = 63 bits: exact keys, no collisions).
ID_BITS = 21
_MASK1 = np.uint64((1 << ID_BITS) - 1)
_MASK2 = np.uint64((1 << (2 * ID_BITS)) - 1)
_SHIFT1 = np.uint64(ID_BITS)
_SHIFT2 = np.uint64(2 * ID_BITS)

#: Special ids, fixed so that the run-time code can rely on them.
SPECIALS = (BOS, EOS, UNK, NUM)
BOS_ID, EOS_ID, UNK_ID, NUM_ID = range(4)

#: Sources left out by default. Project Gutenberg (7.6 M words of 19th-century books, half
#: the corpus) pulls the model towards literary usage ("a été tiré", "l'orateur", "a soulevé"):
#: on tests/data/model_pairs.tsv the clean sentence wins in 83 % of pairs with it, 86 % with
#: half of it and 87 % without it (bigrams seen once pruned in all three; 89 % without it and
#: with every bigram kept, the default). News is the target register.
DEFAULT_EXCLUDE = "gutenberg"

FORMAT_VERSION = 1
DATA_FILES = (
    "vocab.txt", "uni_lp.npy", "uni_bo.npy",
    "bi_keys.npy", "bi_lp.npy", "bi_bo.npy", "bi_lp_book.npy", "bi_bo_book.npy",
    "tri_keys.npy", "tri_lp.npy", "tri_lp_book.npy",
    "syn_words.npy", "syn_nbrs.npy", "syn_sims.npy", "spm.model", "spell_lp.npy",
)


def log(msg: str) -> None:
    print(f"[build {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpus


def is_held_out(lineno: int, holdout_every: int) -> bool:
    """Line ``lineno`` (0-based, within its file) is kept out of training for evaluation."""
    return holdout_every > 0 and lineno % holdout_every == holdout_every - 1


def corpus_sentences(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, sentence)`` of one corpus file: the French side of a ``.tsv.gz``
    (english<TAB>french), stripped; blank lines skipped."""
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        for lineno, raw in enumerate(fh):
            line = raw.rstrip("\n")
            if path.name.endswith(".tsv.gz"):
                parts = line.split("\t")
                if len(parts) < 2:
                    continue
                line = parts[1]
            line = line.strip()
            if line:
                yield lineno, line


def read_corpus(corpus: Path, keep_every: dict[str, int] | None = None,
                repeat: dict[str, int] | None = None, holdout_every: int = 0) -> list[str]:
    """Unique sentences of the corpus files, in sorted file order.

    ``keep_every`` maps a file-name prefix to k: only every k-th line of that file is read
    (a deterministic way to give a source less weight); ``repeat`` maps a prefix to n: the
    file's sentences are counted n times (more weight).
    """
    files = sorted(p for p in corpus.iterdir() if p.name.endswith((".txt.gz", ".tsv.gz")))
    if not files:
        raise SystemExit(f"{corpus}: no *.txt.gz or *.tsv.gz files")
    seen: set[str] = set()
    lines: list[str] = []
    for path in files:
        n = 0
        every = next((k for pre, k in (keep_every or {}).items() if path.name.startswith(pre)), 1)
        if every == 0:
            log(f"{path.name}: excluded")
            continue
        times = next((k for pre, k in (repeat or {}).items() if path.name.startswith(pre)), 1)
        for lineno, line in corpus_sentences(path):
            if lineno % every or is_held_out(lineno, holdout_every) or line in seen:
                continue
            seen.add(line)
            lines.extend([line] * times)
            n += 1
        log(f"{path.name}: {n} sentences")
    return lines


def encode_corpus(lines: list[str], min_count: int, reverse: bool = False):
    """Return (vocab list, int32 sequence with [<s>,<s>,w..,</s>] per sentence, n_tokens)."""
    tmp_ids: dict[str, int] = {t: i for i, t in enumerate(SPECIALS)}
    seq = array("i")
    for line in lines:
        seq.append(BOS_ID)
        seq.append(BOS_ID)
        toks = lm_tokens(line)
        if reverse:
            toks.reverse()
        for tok in toks:
            if has_digit(tok):
                tok = NUM
            i = tmp_ids.get(tok)
            if i is None:
                i = tmp_ids[tok] = len(tmp_ids)
            seq.append(i)
        seq.append(EOS_ID)
    raw = np.frombuffer(seq, dtype=np.int32)
    counts = np.bincount(raw, minlength=len(tmp_ids))
    words = [None] * len(tmp_ids)
    for w, i in tmp_ids.items():
        words[i] = w
    # vocabulary: specials first, then words by decreasing count, ties by the word itself
    keep = [i for i in range(len(SPECIALS), len(words)) if counts[i] >= min_count]
    keep.sort(key=lambda i: (-int(counts[i]), words[i]))
    vocab = list(SPECIALS) + [words[i] for i in keep]
    if len(vocab) >= (1 << ID_BITS):
        raise SystemExit(f"vocabulary too large for {ID_BITS}-bit ids: {len(vocab)}")
    remap = np.full(len(words), UNK_ID, dtype=np.int32)
    remap[: len(SPECIALS)] = np.arange(len(SPECIALS))
    remap[np.array(keep, dtype=np.int64)] = np.arange(len(SPECIALS), len(vocab), dtype=np.int32)
    n_tokens = int((raw != BOS_ID).sum() - (raw == EOS_ID).sum())
    # spelling statistics of the words that became <unk> (for the OOV length model)
    rare = [words[i] for i in range(len(SPECIALS), len(words)) if counts[i] < min_count]
    return vocab, remap[raw], n_tokens, rare


# ---------------------------------------------------------------- sentencepiece


def train_spm(lines: list[str], out: Path, vocab_size: int, sample_every: int) -> None:
    """Train the sentencepiece model from memory (no temp-file path ends up in the model)."""
    import io

    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([fold(line) for line in lines[::sample_every]]),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=0.9995,
        num_threads=1,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        seed_sentencepiece_size=200000,
        normalization_rule_name="nmt_nfkc",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    (out / "spm.model").write_bytes(model.getvalue())


def spelling_model(spm_path: Path, rare: list[str]) -> tuple[float, np.ndarray]:
    """Spelling model of rare words: stop probability ``q`` and piece log-probabilities.

    Every rare word type (the words that became ``<unk>``) is segmented with the
    sentencepiece model (Viterbi); the piece distribution is re-estimated on those
    segmentations, one count per type, with add-1/2 smoothing, and ``q = 1 / mean pieces``.
    (The sentencepiece scores themselves describe running text, where most pieces are whole
    frequent words; they make rare words far too improbable.)
    """
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    n_pieces = sp.GetPieceSize()
    counts = np.zeros(n_pieces, dtype=np.float64)
    lengths = 0
    for w in sorted(rare):
        ids = sp.encode(w)
        lengths += len(ids)
        counts += np.bincount(np.asarray(ids, dtype=np.int64), minlength=n_pieces)
    q = len(rare) / max(1, lengths)
    probs = (counts + 0.5) / (counts.sum() + 0.5 * n_pieces)
    return float(q), np.log(probs).astype(np.float32)


# ---------------------------------------------------------------- Kneser-Ney


def discounts(adjusted: np.ndarray) -> np.ndarray:
    """Modified KN discounts D[0]=0, D[1], D[2], D[3+] from counts of counts."""
    n = [int((adjusted == k).sum()) for k in (1, 2, 3, 4)]
    n = [max(v, 1) for v in n]
    y = n[0] / (n[0] + 2 * n[1])
    d = np.array([0.0, 1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]])
    return np.clip(d, 0.0, None)


def quantise(values: np.ndarray, bits: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Equal-frequency binning: codes (uint8) and a codebook holding each bin's mean."""
    k = 1 << bits
    if values.size == 0:
        return values.astype(np.uint8), np.zeros(k, dtype=np.float32)
    qs = np.quantile(values, np.linspace(0.0, 1.0, k + 1))
    codes = np.searchsorted(qs[1:-1], values, side="right")
    sums = np.bincount(codes, weights=values, minlength=k)
    cnt = np.bincount(codes, minlength=k)
    book = np.where(cnt > 0, sums / np.maximum(cnt, 1), qs[:-1])
    return codes.astype(np.uint8), book.astype(np.float32)


def build_kn(seq: np.ndarray, vocab_size: int, min2: int, min3: int) -> dict:
    s64 = seq.astype(np.uint64)
    pos = np.nonzero(seq != BOS_ID)[0]
    a, b, c = s64[pos - 2], s64[pos - 1], s64[pos]
    del s64
    u3, c3 = np.unique((a << _SHIFT2) | (b << _SHIFT1) | c, return_counts=True)
    u2, c2raw = np.unique((b << _SHIFT1) | c, return_counts=True)
    del a, b, c, pos
    log(f"unique trigrams {u3.size}, bigrams {u2.size}")

    # adjusted counts: continuation counts, except raw counts for n-grams starting with <s>
    suffix_u, suffix_n = np.unique(u3 & _MASK2, return_counts=True)
    assert np.array_equal(suffix_u, u2)
    bos_first = (u2 >> _SHIFT1) == np.uint64(BOS_ID)
    a2 = np.where(bos_first, c2raw, suffix_n).astype(np.float64)
    c2_word = (u2 & _MASK1).astype(np.int64)
    c2_ctx = (u2 >> _SHIFT1).astype(np.int64)
    a1 = np.bincount(c2_word, minlength=vocab_size).astype(np.float64)
    a1[BOS_ID] = 0.0

    # unigrams: interpolate with the uniform distribution over predictable types
    d1 = discounts(a1[a1 > 0])
    total1 = a1.sum()
    disc1 = np.where(a1 > 0, d1[np.minimum(a1, 3).astype(int)], 0.0)
    gamma0 = disc1.sum() / total1
    n_pred = vocab_size - 1
    p1 = (a1 - disc1) / total1 + gamma0 / n_pred
    p1[BOS_ID] = 0.0

    # bigrams
    d2 = discounts(a2)
    disc2 = d2[np.minimum(a2, 3).astype(int)]
    tot2 = np.bincount(c2_ctx, weights=a2, minlength=vocab_size)
    gam2 = np.bincount(c2_ctx, weights=disc2, minlength=vocab_size) / np.maximum(tot2, 1e-300)
    p2 = (a2 - disc2) / tot2[c2_ctx] + gam2[c2_ctx] * p1[c2_word]

    # trigrams (raw counts)
    d3 = discounts(c3)
    c3f = c3.astype(np.float64)
    disc3 = d3[np.minimum(c3, 3)]
    ctx3, inv3 = np.unique(u3 >> _SHIFT1, return_inverse=True)
    tot3 = np.bincount(inv3, weights=c3f)
    gam3 = np.bincount(inv3, weights=disc3) / tot3
    suf_idx = np.searchsorted(u2, u3 & _MASK2)
    p3 = (c3f - disc3) / tot3[inv3] + gam3[inv3] * p2[suf_idx]
    log(f"discounts: 1={d1[1:].round(3)} 2={d2[1:].round(3)} 3={d3[1:].round(3)}")

    # prune and renormalise back-off weights
    keep2 = c2raw >= min2
    keep2 &= ~((u2 & _MASK1) == np.uint64(BOS_ID))
    hi = np.bincount(c2_ctx[keep2], weights=p2[keep2], minlength=vocab_size)
    lo = np.bincount(c2_ctx[keep2], weights=p1[c2_word[keep2]], minlength=vocab_size)
    bo1 = np.maximum(1.0 - hi, 1e-12) / np.maximum(1.0 - lo, 1e-12)
    p2_pruned = np.where(keep2, p2, bo1[c2_ctx] * p1[c2_word])

    keep3 = c3 >= min3
    hi3 = np.bincount(inv3[keep3], weights=p3[keep3], minlength=ctx3.size)
    lo3 = np.bincount(inv3[keep3], weights=p2_pruned[suf_idx[keep3]], minlength=ctx3.size)
    bo2_ctx = np.maximum(1.0 - hi3, 1e-12) / np.maximum(1.0 - lo3, 1e-12)
    has3 = np.bincount(inv3[keep3], minlength=ctx3.size) > 0

    # bigram table = kept bigrams + contexts of kept trigrams (e.g. <s> <s>)
    bi_keys = np.union1d(u2[keep2], ctx3[has3])
    j = np.searchsorted(u2, bi_keys)
    j = np.minimum(j, u2.size - 1)
    is_bigram = (u2[j] == bi_keys) & keep2[j]
    bi_lp = np.where(is_bigram, np.log(np.maximum(p2[j], 1e-300)), 0.0)
    k = np.searchsorted(ctx3, bi_keys)
    k = np.minimum(k, ctx3.size - 1)
    is_ctx = (ctx3[k] == bi_keys) & has3[k]
    bi_bo = np.where(is_ctx, np.log(bo2_ctx[k]), 0.0)

    with np.errstate(divide="ignore"):
        uni_lp = np.log(p1)
    uni_lp[BOS_ID] = -99.0
    stats = {
        "unique_bigrams": int(u2.size), "unique_trigrams": int(u3.size),
        "kept_bigrams": int(keep2.sum()), "kept_trigrams": int(keep3.sum()),
        "discounts": {"1": d1[1:].tolist(), "2": d2[1:].tolist(), "3": d3[1:].tolist()},
    }
    return {
        "uni_lp": uni_lp.astype(np.float32), "uni_bo": np.log(bo1).astype(np.float32),
        "bi_keys": bi_keys, "bi_lp": bi_lp, "bi_bo": bi_bo, "bi_is_bigram": is_bigram,
        "tri_keys": u3[keep3], "tri_lp": np.log(p3[keep3]), "stats": stats,
    }


# ---------------------------------------------------------------- thesaurus


def _content_word(w: str) -> bool:
    return len(w) >= 3 and w.replace("-", "").isalpha() and "'" not in w


def build_thesaurus(seq: np.ndarray, vocab: list[str], n_targets: int, n_contexts: int,
                    dims: int, k: int, seed: int):
    """Distributional neighbours: PPMI(+-2 window) -> randomized SVD -> cosine top-k."""
    counts = np.bincount(seq, minlength=len(vocab))
    order = np.argsort(-counts, kind="stable")
    targets = [int(i) for i in order if i >= len(SPECIALS) and _content_word(vocab[i])][:n_targets]
    contexts = [int(i) for i in order if i >= len(SPECIALS)][:n_contexts]
    tmap = np.full(len(vocab), -1, dtype=np.int64)
    tmap[targets] = np.arange(len(targets))
    cmap = np.full(len(vocab), -1, dtype=np.int64)
    cmap[contexts] = np.arange(len(contexts))
    nt, nc = len(targets), len(contexts)
    mat = np.zeros(nt * nc, dtype=np.float64)
    s = seq.astype(np.int64)
    for off in (-2, -1, 1, 2):
        if off > 0:
            t, cx = tmap[s[:-off]], cmap[s[off:]]
        else:
            t, cx = tmap[s[-off:]], cmap[s[:off]]
        ok = (t >= 0) & (cx >= 0)
        mat += np.bincount(t[ok] * nc + cx[ok], minlength=nt * nc)
    m = mat.reshape(nt, nc)
    row = m.sum(1, keepdims=True)
    colp = m.sum(0) ** 0.75
    colp /= colp.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(m / np.maximum(row, 1) / colp[None, :])
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    rng = np.random.default_rng(seed)
    omega = rng.standard_normal((nc, dims + 20))
    y = ppmi @ omega
    for _ in range(2):
        y, _r = np.linalg.qr(y)
        y = ppmi @ (ppmi.T @ y)
    q, _r = np.linalg.qr(y)
    bsmall = q.T @ ppmi
    ub, sv, _vt = np.linalg.svd(bsmall, full_matrices=False)
    emb = (q @ ub[:, :dims]) * np.sqrt(sv[:dims])[None, :]
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    emb = emb.astype(np.float32)
    nbrs = np.zeros((nt, k), dtype=np.int32)
    sims = np.zeros((nt, k), dtype=np.uint8)
    tarr = np.array(targets, dtype=np.int32)
    for start in range(0, nt, 2000):
        block = emb[start : start + 2000] @ emb.T
        block[np.arange(block.shape[0]), np.arange(start, start + block.shape[0])] = -1.0
        block = np.round(block, 4)
        idx = np.argsort(-block, axis=1, kind="stable")[:, :k]
        nbrs[start : start + 2000] = tarr[idx]
        sims[start : start + 2000] = np.clip(
            np.take_along_axis(block, idx, axis=1) * 255, 0, 255).astype(np.uint8)
    order_t = np.argsort(tarr, kind="stable")
    return tarr[order_t], nbrs[order_t], sims[order_t]


# ---------------------------------------------------------------- main


def content_hash(out: Path) -> str:
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(name.encode())
        h.update((out / name).read_bytes())
    return h.hexdigest()


def build(args: argparse.Namespace) -> dict:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    keep_every = {}
    for item in args.keep_every:
        prefix, _, k = item.partition("=")
        keep_every[prefix] = max(1, int(k or 1))
    repeat = {}
    for item in args.repeat:
        prefix, _, k = item.partition("=")
        repeat[prefix] = max(1, int(k or 1))
    for prefix in filter(None, (x.strip() for x in args.exclude.split(","))):
        keep_every[prefix] = 0  # 0 = skip the file
    lines = read_corpus(Path(args.corpus), keep_every, repeat, args.holdout_every)
    log(f"{len(lines)} unique sentences")
    vocab, seq, n_tokens, rare = encode_corpus(lines, args.min_count, args.reverse)
    log(f"{n_tokens} tokens, vocabulary {len(vocab)}")
    train_spm(lines, out, args.spm_vocab, args.spm_sample_every)
    q, spell_lp = spelling_model(out / "spm.model", rare)
    log(f"sentencepiece trained; OOV length model q={q:.4f}")
    del lines, rare
    kn = build_kn(seq, len(vocab), args.min_count_2, args.min_count_3)
    syn_words, syn_nbrs, syn_sims = build_thesaurus(
        seq, vocab, args.syn_targets, args.syn_contexts, args.syn_dims, args.syn_k, args.seed)
    log("thesaurus built")

    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    np.save(out / "uni_lp.npy", kn["uni_lp"])
    np.save(out / "uni_bo.npy", kn["uni_bo"])
    np.save(out / "bi_keys.npy", kn["bi_keys"].astype(np.uint64))
    # quantise only real bigram log-probs; context-only entries get code 0 (never queried)
    codes, book = quantise(kn["bi_lp"][kn["bi_is_bigram"]])
    bi_lp = np.zeros(kn["bi_keys"].size, dtype=np.uint8)
    bi_lp[kn["bi_is_bigram"]] = codes
    np.save(out / "bi_lp.npy", bi_lp)
    np.save(out / "bi_lp_book.npy", book)
    bo = kn["bi_bo"]
    nz = bo != 0.0
    codes, book = quantise(bo[nz], bits=8)
    # reserve code 0 for "no back-off" (log 1 = 0) so contexts without trigrams stay exact
    codes = np.minimum(codes.astype(np.int64) + 1, 255).astype(np.uint8)
    book = np.concatenate([[0.0], book[:255]]).astype(np.float32)
    bi_bo = np.zeros(bo.size, dtype=np.uint8)
    bi_bo[nz] = codes
    np.save(out / "bi_bo.npy", bi_bo)
    np.save(out / "bi_bo_book.npy", book)
    np.save(out / "tri_keys.npy", kn["tri_keys"].astype(np.uint64))
    codes, book = quantise(kn["tri_lp"])
    np.save(out / "tri_lp.npy", codes)
    np.save(out / "tri_lp_book.npy", book)
    np.save(out / "spell_lp.npy", spell_lp)
    np.save(out / "syn_words.npy", syn_words.astype(np.int32))
    np.save(out / "syn_nbrs.npy", syn_nbrs.astype(np.int32))
    np.save(out / "syn_sims.npy", syn_sims.astype(np.uint8))
    meta = {
        "name": args.name,
        "format": FORMAT_VERSION,
        "order": 3,
        "id_bits": ID_BITS,
        "vocab_size": len(vocab),
        "corpus_tokens": n_tokens,
        "oov_q": round(q, 6),
        "params": {
            "min_count": args.min_count, "min_count_2": args.min_count_2,
            "min_count_3": args.min_count_3, "spm_vocab": args.spm_vocab,
            "spm_sample_every": args.spm_sample_every, "syn_targets": args.syn_targets,
            "syn_contexts": args.syn_contexts, "syn_dims": args.syn_dims, "syn_k": args.syn_k,
            "seed": args.seed, "keep_every": {k: v for k, v in sorted(keep_every.items()) if v}, "exclude": args.exclude,
            "repeat": dict(sorted(repeat.items())), "holdout_every": args.holdout_every,
        },
        "stats": kn["stats"],
        "content_hash": content_hash(out),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    from .ngram import _has_wordfreq, write_wordfreq_total

    if _has_wordfreq():  # F for the OOV word distribution, so that loading need not compute it
        write_wordfreq_total(out)
    size = sum((out / n).stat().st_size for n in DATA_FILES)
    log(f"done in {time.time() - t0:.0f} s; {size / 1e6:.1f} MB")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mtrepair.model.build", description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True, help="folder with *.txt.gz / *.tsv.gz corpus files")
    ap.add_argument("--out", required=True, help="output folder (e.g. mtrepair/model/data)")
    ap.add_argument("--name", default="mtrepair-fr-3gram", help="model name used in its id")
    ap.add_argument("--min-count", type=int, default=2, help="words rarer than this become <unk>")
    ap.add_argument("--exclude", default=DEFAULT_EXCLUDE,
                    help="comma-separated file-name prefixes left out (default: %(default)s; '' = none)")
    ap.add_argument("--min-count-2", type=int, default=1, help="prune bigrams seen fewer times")
    ap.add_argument("--min-count-3", type=int, default=2, help="prune trigrams seen fewer times")
    ap.add_argument("--spm-vocab", type=int, default=8000, help="sentencepiece vocabulary size")
    ap.add_argument("--spm-sample-every", type=int, default=5, help="train spm on every k-th line")
    ap.add_argument("--syn-targets", type=int, default=15000, help="words that get neighbours")
    ap.add_argument("--syn-contexts", type=int, default=2000, help="context words (features)")
    ap.add_argument("--syn-dims", type=int, default=100, help="SVD dimensions")
    ap.add_argument("--syn-k", type=int, default=10, help="neighbours kept per word")
    ap.add_argument("--keep-every", action="append", default=[], metavar="PREFIX=K",
                    help="read only every K-th line of corpus files whose name starts with PREFIX")
    ap.add_argument("--repeat", action="append", default=[], metavar="PREFIX=N",
                    help="count the sentences of files whose name starts with PREFIX N times")
    ap.add_argument("--holdout-every", type=int, default=100, metavar="K",
                    help="keep every K-th line of each file out of training (evaluation); 0 = none")
    ap.add_argument("--reverse", action="store_true", help="right-to-left model (tokens reversed)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not Path(args.corpus).is_dir():
        print(f"error: {args.corpus}: not a folder", file=sys.stderr)
        return 2
    build(args)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    raise SystemExit(main())
