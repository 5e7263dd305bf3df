"""Benchmark of the embedded reference model: load time, scoring speed, disk size.

    python bench/model_speed.py [--model DIR] [--sentences N] [--repeat R]

Reports, in one run:
* disk size of the model folder (target <= 40 MB);
* cold load time in a fresh interpreter (``load_model()``, after ``import mtrepair.model``
  which is reported apart; target <= 1 s), and the time of the first scoring call with an
  unknown word (memory-mapped pages, sentencepiece and wordfreq loaded lazily);
* batch scoring speed in tokens/s (``logprob_many`` over N sentences; target >= 200k/s on one
  core), against a baseline measured in the same run: the same sentences scored one by one
  through ``logprob`` (the ratio shows what vectorisation buys) and the bare tokeniser speed
  (the ceiling set by tokenisation alone).
Sentences are generated from templates written for this benchmark (no corpus needed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

SUBJECTS = ["Le ministre", "La directrice financière", "Le porte-parole du groupe", "La maire de Lyon",
            "Un analyste de la banque", "Le syndicat des pilotes", "La start-up parisienne"]
VERBS = ["a souligné que", "a indiqué que", "a gardé à l'esprit que", "estime que", "a rappelé que"]
CLAUSES = [
    "la réforme des retraites serait votée avant l'été",
    "les ventes avaient progressé de 12 % au troisième trimestre",
    "le conseil d'administration se réunirait en urgence dimanche soir",
    "les négociations avec les partenaires sociaux reprendraient la semaine prochaine",
    "la nouvelle usine emploierait 300 personnes d'ici à 2026",
    "l'entreprise avait levé 50 millions d'euros auprès d'investisseurs américains",
]


def sentences(n: int) -> list[str]:
    pool = [f"{s} {v} {c}." for s, v, c in itertools.product(SUBJECTS, VERBS, CLAUSES)]
    return [pool[i % len(pool)] for i in range(n)]


def cold_load(model: str | None) -> dict:
    code = (
        "import time, json; t0=time.perf_counter();"
        "from mtrepair.model import load_model; t=time.perf_counter();"
        f"m=load_model({model!r}); t1=time.perf_counter();"
        "m.logprob('Le ministre a souligné que la zorglubisation serait votée.'); t2=time.perf_counter();"
        "print(json.dumps({'import_s': t-t0, 'load_s': t1-t, 'first_call_s': t2-t1, 'id': m.id}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="model folder (default: the embedded model)")
    ap.add_argument("--sentences", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from mtrepair.model import default_model_path, load_model
    from mtrepair.model.text import lm_tokens

    folder = Path(args.model) if args.model else default_model_path()
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    cold = cold_load(args.model)

    model = load_model(args.model)
    texts = sentences(args.sentences)
    n_tokens = sum(len(lm_tokens(t)) + 1 for t in texts)
    model.logprob_many(texts[:100])  # warm caches

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    t_batch = best(lambda: model.logprob_many(texts))
    t_tok = best(lambda: [lm_tokens(t) for t in texts])
    few = texts[: max(1, len(texts) // 10)]
    few_tokens = sum(len(lm_tokens(t)) + 1 for t in few)
    t_single = best(lambda: [model.logprob(t) for t in few])

    batch_tps = n_tokens / t_batch
    single_tps = few_tokens / t_single
    report = {
        "model": cold["id"],
        "disk_mb": round(size / 1e6, 2),
        "import_mtrepair_s": round(cold["import_s"], 3),
        "cold_load_s": round(cold["load_s"], 3),
        "first_call_s": round(cold["first_call_s"], 3),
        "tokens": n_tokens,
        "batch_tokens_per_s": round(batch_tps),
        "single_tokens_per_s": round(single_tps),
        "tokenizer_only_tokens_per_s": round(n_tokens / t_tok),
        "batch_vs_single": round(batch_tps / single_tps, 1),
        "targets": {"disk_mb<=40": size <= 40e6, "load_s<=1": cold["load_s"] <= 1.0,
                    "tokens_per_s>=200k": batch_tps >= 200_000},
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
