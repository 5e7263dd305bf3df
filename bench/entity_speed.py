#!/usr/bin/env python3
"""How much entity restoration adds to the default repair path (target: <= 30 %).

Builds about 1 MB of news-like French text from the project's own data (the
clean negative paragraphs, the example articles, and the generated entity
test sentences, garbled and correct), cut into article-sized documents, and
times ``Repairer.repair`` with the default configuration, with and without
``restore_entities``, in the same run. Reports the ratio, and the entity
pass's own time. Run: ``python bench/entity_speed.py [--mb 1.0] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mtrepair import Repairer, RepairConfig  # noqa: E402
from mtrepair.document import Document  # noqa: E402
from mtrepair.entities import EntityPass  # noqa: E402

DATA = REPO / "tests" / "data"
TARGET_DOC_CHARS = 4000  # a typical article


def _paragraphs() -> tuple[list[str], list[str], list[str], list[str]]:
    clean = [json.loads(l)["text"] for l in (DATA / "clean" / "paragraphs.jsonl").read_text(
        encoding="utf-8").splitlines() if l.strip()]
    spun = []
    for ex in sorted((REPO / "examples").glob("*.txt")):
        spun += [p for p in ex.read_text(encoding="utf-8").split("\n") if len(p) > 80]

    def sentences(name: str) -> list[str]:
        return [l.split("\t")[1] for l in (DATA / name).read_text(encoding="utf-8").splitlines()
                if l and not l.startswith("#")]

    return clean, spun, sentences("entities_garbled.tsv"), sentences("entities_correct.tsv")


def news_like_corpus(megabytes: float, mix: str = "articles", seed: int = 7) -> list[str]:
    """Article-sized documents, about ``megabytes`` MB in all.

    ``articles``: clean and spun paragraphs (the project's examples), with two
    citation sentences per article (one garbled name, one correct), about the
    seed article's density. ``clean-dense``: clean paragraphs only, a citation
    sentence in one paragraph out of three (half garbled): the worst case,
    where entity edits are often the only edits of a document.
    """
    clean, spun, garbled, correct = _paragraphs()
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    docs: list[str] = []
    size = 0
    while size < target:
        paras: list[str] = []
        while sum(len(p) for p in paras) < TARGET_DOC_CHARS:
            if mix == "articles":
                paras.append(rng.choice(spun if rng.random() < 0.3 else clean))
            else:
                para = rng.choice(clean)
                if rng.random() < 0.3:
                    para += " " + rng.choice(garbled if rng.random() < 0.5 else correct)
                paras.append(para)
        if mix == "articles":
            for sentence in (rng.choice(garbled), rng.choice(correct)):
                k = rng.randrange(len(paras))
                paras[k] = paras[k] + " " + sentence
        doc = "\n".join(paras)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def measure(docs: list[str], base_cfg: RepairConfig, repeat: int) -> tuple[float, float, float, int]:
    without = Repairer(base_cfg.replace(restore_entities=False))
    with_ent = Repairer(base_cfg.replace(restore_entities=True))
    for r in (without, with_ent):  # warm caches (wordfreq, lazily loaded models)
        for d in docs[:3]:
            r.repair(d)
    # Interleaved, best of ``repeat``: load on a shared machine drifts over minutes.
    t_without = t_with = float("inf")
    for _ in range(repeat):
        t_without = min(t_without, best_time(lambda: [without.repair(d) for d in docs], 1))
        t_with = min(t_with, best_time(lambda: [with_ent.repair(d) for d in docs], 1))
    p = EntityPass(base_cfg)
    t_pass = best_time(lambda: [p.find(Document(d)) for d in docs], repeat)
    n_find = sum(len(p.find(Document(d))) for d in docs)
    return t_without, t_with, t_pass, n_find


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mix", choices=("articles", "clean-dense", "both"), default="both")
    args = ap.parse_args(argv)
    base_cfg = RepairConfig()
    note = "default configuration"
    probe = news_like_corpus(0.01)
    try:
        Repairer(base_cfg).repair(probe[0])
    except Exception as exc:  # the embedded model may not be built in this checkout
        base_cfg = RepairConfig(model="none")
        note = f"default configuration with model='none' (default model unavailable: {type(exc).__name__})"
    mixes = ("articles", "clean-dense") if args.mix == "both" else (args.mix,)
    for mix in mixes:
        docs = news_like_corpus(args.mb, mix)
        total = sum(len(d.encode("utf-8")) for d in docs)
        t_without, t_with, t_pass, n_find = measure(docs, base_cfg, args.repeat)
        ratio = (t_with - t_without) / t_without
        print(f"[{mix}] {len(docs)} documents, {total / 1e6:.2f} MB; {note}; best of {args.repeat}")
        print(f"  repair without entities {t_without:.2f} s, with entities {t_with:.2f} s: "
              f"{ratio:+.1%} (target <= +30 %)")
        print(f"  entity pass alone {t_pass:.2f} s ({n_find} findings, tokenisation included) = "
              f"{t_pass / t_without:.1%} of the path without entities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
