"""Build mtrepair/glossary/data/paradigms.json (deterministic).

French verb endings learnt from data, not typed by hand: every word of
wordfreq's French vocabulary is lemmatised with simplemma; verbs are grouped
by infinitive ending (-er, -ir, -re, -oir); for each group we keep the
suffixes (form minus the infinitive's stem) that at least MIN_SHARE of the
group's frequent verbs show. The glossary engine uses them to list the
inflected forms of a pattern verb (``garder`` -> garde, gardons, gardée ...)
whose simplemma lemma is not the infinitive itself; each generated form is
still validated against simplemma's vocabulary at run time.

Run:  python scripts/build_glossary_paradigms.py   (needs wordfreq, simplemma)
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import simplemma
import wordfreq

ENDINGS = ("oir", "er", "ir", "re")  # longest first: "oir" before "ir"
MIN_VERBS = 40  # verbs with at least this many forms in the vocabulary form the sample
MIN_FORMS = 12
MIN_SHARE = 0.25  # a suffix is kept when this share of sampled verbs has it
OUT = Path(__file__).resolve().parent.parent / "mtrepair" / "glossary" / "data" / "paradigms.json"


def ending_of(lemma: str) -> str | None:
    for e in ENDINGS:
        if lemma.endswith(e) and len(lemma) > len(e) + 1:
            return e
    return None


def main() -> None:
    words = [w for w in wordfreq.iter_wordlist("fr") if w.isalpha() and w.islower()]
    forms: dict[str, set[str]] = defaultdict(set)
    for w in words:
        lem = simplemma.lemmatize(w, lang="fr")
        if ending_of(lem):
            forms[lem].add(w)
    out = {}
    for e in ENDINGS:
        verbs = sorted(v for v, fs in forms.items() if ending_of(v) == e and len(fs) >= MIN_FORMS)
        counts: Counter[str] = Counter()
        for v in verbs:
            stem = v[: -len(e)]
            counts.update({f[len(stem):] for f in forms[v] if f.startswith(stem)})
        if len(verbs) < MIN_VERBS:
            continue
        keep = sorted(s for s, n in counts.items() if n >= MIN_SHARE * len(verbs))
        out[e] = {"sample_verbs": len(verbs), "suffixes": keep}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print({e: len(v["suffixes"]) for e, v in out.items()}, "->", OUT)


if __name__ == "__main__":
    main()
