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


def news_like_corpus(megabytes: float, seed: int = 7) -> list[str]:
    paragraphs = [json.loads(l)["text"] for l in (DATA / "clean" / "paragraphs.jsonl").read_text(
        encoding="utf-8").splitlines() if l.strip()]
    for ex in sorted((REPO / "examples").glob("*.txt")):
        paragraphs += [p for p in ex.read_text(encoding="utf-8").split("\n") if len(p) > 80]
    sentences = []
    for name in ("entities_garbled.tsv", "entities_correct.tsv"):
        sentences += [l.split("\t")[1] for l in (DATA / name).read_text(encoding="utf-8").splitlines()
                      if l and not l.startswith("#")]
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    docs, cur, size = [], [], 0
    while size < target:
        para = rng.choice(paragraphs)
        if rng.random() < 0.3:  # a citation sentence in one paragraph out of three
            para = para + " " + rng.choice(sentences)
        cur.append(para)
        size += len(para.encode("utf-8")) + 1
        if sum(len(p) for p in cur) >= TARGET_DOC_CHARS:
            docs.append("\n".join(cur))
            cur = []
    if cur:
        docs.append("\n".join(cur))
    return docs


def best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    docs = news_like_corpus(args.mb)
    total = sum(len(d.encode("utf-8")) for d in docs)
    base_cfg = RepairConfig()
    note = "default configuration"
    try:
        Repairer(base_cfg).repair(docs[0])
    except Exception as exc:  # the embedded model may not be built in this checkout
        base_cfg = RepairConfig(model="none")
        note = f"default configuration with model='none' (default model unavailable: {type(exc).__name__})"
    without = Repairer(base_cfg.replace(restore_entities=False))
    with_ent = Repairer(base_cfg.replace(restore_entities=True))
    for r in (without, with_ent):  # warm caches (wordfreq, lazily loaded models)
        for d in docs[:3]:
            r.repair(d)
    t_without = best_time(lambda: [without.repair(d) for d in docs], args.repeat)
    t_with = best_time(lambda: [with_ent.repair(d) for d in docs], args.repeat)
    p = EntityPass(base_cfg)
    t_pass = best_time(lambda: [p.find(Document(d)) for d in docs], args.repeat)
    n_find = sum(len(p.find(Document(d))) for d in docs)
    print(f"corpus: {len(docs)} documents, {total / 1e6:.2f} MB; {note}; best of {args.repeat}")
    print(f"repair without entities: {t_without:.2f} s")
    print(f"repair with entities:    {t_with:.2f} s")
    print(f"entity pass alone:       {t_pass:.2f} s ({n_find} findings)")
    ratio = (t_with - t_without) / t_without
    print(f"entities add {ratio:+.1%} to the default path (target <= +30 %); "
          f"pass alone = {t_pass / t_without:.1%} of the path without entities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
