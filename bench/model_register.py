"""The register gap: perplexity of held-out corpus lines vs news-like sentences.

    python bench/model_register.py [--corpus ../shared/corpus/fr] [--model DIR] [--lines N]

The build keeps every K-th line of each corpus file out of training (``meta.json``:
``params.holdout_every``). This script scores up to N of those held-out lines per source
file, and the news-like sentences written for mtrepair (the clean side of
tests/data/model_pairs.tsv and the clean negative-set paragraphs, split into sentences), and
prints the token-weighted perplexity of each group plus the OOV rate. A source the build
excluded (see ``params.exclude``) is reported too: its lines were never trained on.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from mtrepair.model import load_model
from mtrepair.model.build import corpus_sentences, is_held_out
from mtrepair.model.fluency import sentence_perplexities
from mtrepair.model.text import has_digit, lm_tokens

ROOT = Path(__file__).resolve().parents[1]


def held_out_lines(path: Path, every: int, limit: int) -> list[str]:
    out: list[str] = []
    for lineno, line in corpus_sentences(path):
        if is_held_out(lineno, every):
            out.append(line)
            if len(out) >= limit:
                break
    return out


def news_sentences(name: str = "model_pairs.tsv") -> list[str]:
    out = []
    pairs = ROOT / "tests" / "data" / name
    seen = set()
    for line in pairs.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            clean = line.split("\t")[0]
            if clean not in seen:
                seen.add(clean)
                out.append(clean)
    return out


def negative_set() -> list[str]:
    path = ROOT / "tests" / "data" / "clean" / "paragraphs.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def measure(model, texts: list[str], split: bool) -> dict:
    lp = 0.0
    n = 0
    oov = 0
    words = 0
    if split:
        for t in texts:
            for s in sentence_perplexities(t, model):
                lp += s.logprob
                n += s.tokens
    else:
        scores = model.logprob_many(texts)
        lp = float(sum(scores))
        n = sum(len(lm_tokens(t)) + 1 for t in texts)
    vocab = getattr(model, "vocab", {})
    for t in texts:
        for tok in lm_tokens(t):
            if tok[0].isalpha():
                words += 1
                oov += tok not in vocab and not has_digit(tok)
    return {"texts": len(texts), "tokens": n, "perplexity": round(math.exp(-lp / max(n, 1)), 1),
            "oov_rate": round(oov / max(words, 1), 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "fr"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--lines", type=int, default=2000, help="held-out lines per source file")
    ap.add_argument("--domain-weight", type=float, default=None,
                    help="in-domain mixing weight (default: the model's; 0 = general model alone)")
    args = ap.parse_args()
    if args.domain_weight is None:
        model = load_model(args.model)
    else:
        from mtrepair.model import default_model_path
        from mtrepair.model.ngram import NgramModel

        model = NgramModel(args.model or default_model_path(), domain_weight=args.domain_weight)
    every = int(model.meta.get("params", {}).get("holdout_every", 0))
    report: dict = {"model": model.id, "holdout_every": every, "groups": {}}
    corpus = Path(args.corpus)
    if every and corpus.is_dir():
        for path in sorted(corpus.glob("*.gz")):
            lines = held_out_lines(path, every, args.lines)
            report["groups"][f"held-out {path.name.split('.')[0]}"] = measure(model, lines, False)
    else:
        report["note"] = "no held-out corpus lines (corpus absent or model built without hold-out)"
    report["groups"]["news-like: model_pairs clean side (TEST)"] = measure(model, news_sentences(), False)
    report["groups"]["news-like: model_pairs_dev clean side (DEV)"] = measure(
        model, news_sentences("model_pairs_dev.tsv"), False)
    neg = negative_set()
    if neg:
        report["groups"]["news-like: negative set paragraphs"] = measure(model, neg, True)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
