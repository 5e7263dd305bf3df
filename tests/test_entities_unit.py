"""Entity restoration: behaviour on small realistic French sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.entities import EntityPass, GazetteerError, load_gazetteer
from mtrepair.entities.gazetteer import ENTITY_TYPES, parse_tsv
from mtrepair.entities.spans import find_cue
from mtrepair.entities.synonyms import SynonymIndex, load_synonyms

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def entity_pass() -> EntityPass:
    return EntityPass(RepairConfig())


def findings(p: EntityPass, text: str):
    return p.find(Document(text))


def applied(p: EntityPass, text: str, threshold: float = RepairConfig().min_confidence):
    return [f for f in findings(p, text) if f.mode == "auto" and f.confidence >= threshold]


# -- gazetteer data -----------------------------------------------------------

def test_gazetteer_is_large_and_covers_every_type():
    gaz = load_gazetteer()
    assert len(gaz) >= 2500
    types = {e.type for e in gaz.entities}
    assert types >= {"outlet", "newsletter", "event", "company", "lab", "product", "programme"}
    assert types <= ENTITY_TYPES
    assert all(e.source_note for e in gaz.entities), "every entry notes where it was checked"
    regions = {e.region for e in gaz.entities if e.type == "outlet"}
    assert {"fr", "en", "world"} <= regions


def test_gazetteer_source_points_at_the_line(entity_pass):
    f = applied(entity_pass, "Selon le Wall Road Journal, la banque a perdu des clients.")[0]
    assert f.source.kind == "gazetteer"
    path = ROOT / "glossary" / f.source.name
    line = path.read_text(encoding="utf-8").splitlines()[f.source.line - 1]
    assert line.split("\t")[0] in ("The Wall Street Journal", "Wall Street Journal")


def test_gazetteer_errors_name_file_and_line(tmp_path):
    with pytest.raises(GazetteerError, match=r"bad\.tsv:3: unknown type 'person'"):
        parse_tsv("# comment\nWired\toutlet\nSam Altman\tperson\n", "bad.tsv")
    with pytest.raises(GazetteerError, match=r"x\.tsv:1: expected"):
        parse_tsv("just a name\n", "x.tsv")
    bad = tmp_path / "extra.tsv"
    bad.write_bytes(b"caf\xe9\toutlet\n")
    with pytest.raises(GazetteerError, match="not UTF-8"):
        load_gazetteer((str(bad),), builtin=False)


def test_user_gazetteer_adds_names(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("Morning Ledger Gazette\toutlet\t\ten\tmy note\n", encoding="utf-8")
    gaz = load_gazetteer((str(extra),), builtin=False)
    p = EntityPass(RepairConfig(), gazetteer=gaz)
    out = findings(p, "Selon le Morning Ledger Paper, la fusion est compromise.")
    assert out and out[0].best.endswith("Morning Ledger Gazette")


# -- restoration ----------------------------------------------------------------

def test_word_by_word_mapping_and_evidence_in_explanation(entity_pass):
    text = "Selon un rapport de The Details, la direction envisage une restructuration."
    [f] = applied(entity_pass, text)
    assert f.span == "The Details" and f.best == "The Information"
    assert f.category == "entity" and f.rule == "ENT-OUTLET"
    assert "Details → Information" in f.explanation
    assert "rapport de" in f.explanation  # the context cue
    assert f.evidence["words"][1]["how"] == "synonym"


def test_without_cue_fully_changed_name_is_not_touched(entity_pass):
    # "The Details" alone, no citation slot, no other mention: too weak.
    assert findings(entity_pass, "The Details est une expression anglaise courante.") == []


def test_elision_before_vowel(entity_pass):
    text = "Le AI Effect Trip passera par Lyon en mars, a annoncé l'organisateur de l'AI Impact Tour."
    [f] = applied(entity_pass, text)
    assert f.span == "Le AI Effect Trip"
    assert f.best == "L'AI Impact Tour"
    assert f.evidence["consistent"] is True


def test_elision_keeps_the_article_typographic_apostrophe(entity_pass):
    text = "Le AI Effect Trip passera par Lyon en mars, d’après l’équipe de l’AI Impact Tour."
    [f] = applied(entity_pass, text)
    assert f.best == "L’AI Impact Tour"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Il a pris la parole lors du AI Effect Trip à Boston.", "de l'AI Impact Tour"),
        ("Il était au AI Effect Trip de Las Vegas la semaine dernière.", "à l'AI Impact Tour"),
        ("Il a parlé lors du Consumer Electronics Display de Las Vegas.", "Consumer Electronics Show"),
    ],
)
def test_contractions_stay_right(entity_pass, text, expected):
    out = findings(entity_pass, text)
    assert out and out[0].best == expected


def test_document_consistency_wins_between_close_competitors(entity_pass):
    # "Eyewitness" is a thesaurus neighbour of both Spectator and Observer.
    base = "Selon The Eyewitness, le gouvernement prépare un remaniement."
    for real in ("The Observer", "The Spectator"):
        text = base + f" L'hebdomadaire {real} avait déjà évoqué cette hypothèse en mai."
        out = [f for f in findings(entity_pass, text) if f.span == "The Eyewitness"]
        assert out and out[0].best == real
        assert out[0].evidence["consistent"] is True


def test_cue_types():
    def cue(text, first, last):
        return find_cue(Document(text), first, last)

    assert "outlet" in cue("Selon Wall Road Journal, rien.", 1, 3).types
    assert cue("Il était lors du AI Effect Trip hier.", 4, 6).types == ("event",)
    c = cue("Il était au Electronics Amusement Expo de Las Vegas.", 3, 5)
    assert c is not None and c.types == ("event",)
    assert "company" in cue("Chez Analogue Devices, on recrute.", 1, 2).types
    assert cue("Analogue Devices a annoncé un plan.", 0, 1) is not None


def test_spelling_damage(entity_pass):
    [f] = applied(entity_pass, "D'après le Wall Street Jornal, les taux vont baisser.")
    assert f.best == "Wall Street Journal"
    assert "spelling" in f.explanation


def test_degrades_without_synonym_index():
    p = EntityPass(RepairConfig(), synonyms=SynonymIndex({}))
    assert p.notes and "synonym index missing" in p.notes[0]
    assert findings(p, "Selon un rapport de The Details, rien ne change.") == []
    out = findings(p, "D'après le Wall Street Jornal, les taux vont baisser.")
    assert out and out[0].best == "Wall Street Journal"


def test_disabled_by_config():
    p = EntityPass(RepairConfig(restore_entities=False))
    assert findings(p, "Selon un rapport de The Details, rien ne change.") == []


def test_synonym_index_is_shipped_and_reversed():
    syn = load_synonyms()
    assert len(syn) > 10000
    assert "street" in dict(syn.sources("road"))
    assert "information" in dict(syn.sources("details"))  # plural folded


def test_lazy_synonym_index_agrees_with_parsing_every_line():
    """load_synonyms parses an entry on first look-up: the same entries, sizes and plural
    folding as parsing every line of the shipped file at once."""
    import gzip
    from importlib import resources

    from mtrepair.entities.synonyms import SYNONYM_FILE, parse_index, parse_index_reference

    data = resources.files("mtrepair.glossary_files").joinpath("entities", SYNONYM_FILE).read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    lazy, full = parse_index(text), parse_index_reference(text)
    assert len(lazy) == len(full) == len(load_synonyms())
    for word, entry in full.table.items():
        assert lazy.sources(word) == entry
    for word in ["details", "roads", "stories", "glasses", "zzz", "", "news", "s"]:
        assert lazy.sources(word) == full.sources(word)
    # a later line wins, comments and blank lines are skipped, in both
    small = "# c\n\nroad\tstreet:0.80,avenue:1.00\nroad\tway:0.60\nlanes\tpath:0.90\n"
    for word in ["road", "lane", "lanes", "comment"]:
        assert parse_index(small).sources(word) == parse_index_reference(small).sources(word)


def test_deterministic(entity_pass):
    text = "Selon un rapport de The Details, et lors du AI Effect Trip, rien."
    a = [f.to_dict() for f in findings(entity_pass, text)]
    b = [f.to_dict() for f in EntityPass(RepairConfig()).find(Document(text))]
    assert a == b


# -- names that are right stay right ------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "Selon Wired, Apple et Google discutent depuis des mois.",
        "Un rapport de The Atlantic, repris par Axios et Medium, fait débat.",
        "Meta et Microsoft Teams Premium étaient au programme de la conférence.",
        "Orange et Free ont annoncé une baisse de leurs tarifs, selon Les Échos.",
        "Le Monde et Le Figaro ont publié la même tribune, signée par Time et Fortune.",
        "Lors du Web Summit de Lisbonne, Mistral AI a présenté Le Chat.",
        "Le Président de la République a reçu la Première Ministre à l'Élysée.",
        "La Banque Centrale Européenne et la Cour de Justice de l'Union Européenne ont tranché.",
        "Sam Altman, Greg Brockman et Mira Murati ont quitté OpenAI pour Microsoft Research.",
        "Le film Artificial Intelligence de Steven Spielberg ressort en salles.",
        "Le slogan « Think Different » reste associé à Apple.",
    ],
)
def test_correct_names_untouched(entity_pass, text):
    assert findings(entity_pass, text) == []


def test_missing_user_gazetteer_is_a_clean_config_error(tmp_path):
    from mtrepair.config import ConfigError

    with pytest.raises(ConfigError, match=r"nope\.tsv:0: cannot read gazetteer file"):
        EntityPass(RepairConfig(entity_gazetteer_paths=(str(tmp_path / "nope.tsv"),)))


def test_uncued_copy_follows_a_confident_restoration(entity_pass):
    text = "Un article de The Details le confirme. The Details ajoute que la société recrute."
    out = applied(entity_pass, text)
    assert [f.best for f in out] == ["The Information", "The Information"]
    assert out[1].evidence["echo"] is True
    assert "restored to « The Information » elsewhere" in out[1].explanation
    # Alone, the uncued copy stays untouched.
    assert findings(entity_pass, "The Details ajoute que la société recrute.") == []


def test_a_number_kept_alone_does_not_vouch_for_a_name_in_french_words(entity_pass):
    # « Horizon 2030 » is a plan's own name in French, not « Vision 2030 » with a synonym swapped:
    # the year is the only word kept, so the restoration is reported, never applied, even where
    # the context fits the type (« le plan … »).
    for text in ("Le groupe de travail, baptisé « Horizon 2030 », a discuté des priorités de la région.",
                 "Le plan Horizon 2030 de la métropole prévoit trois nouvelles lignes de tramway."):
        found = findings(entity_pass, text)
        assert found and not applied(entity_pass, text), text
        assert all(f.mode == "report" and f.confidence <= 0.5 for f in found)
    # The name written correctly elsewhere in the document still vouches for it.
    text = ("Le programme Vision 2030 de l'Arabie saoudite avance. Le programme Horizon 2030 attire "
            "des investisseurs étrangers.")
    assert [f.suggestions[0] for f in applied(entity_pass, text)] == ["Vision 2030"]
    # A span in other words than French keeps its number as an anchor (« Means 1 »: Formula 1).
    text = "Le dirigeant s'exprimera lors du Means 1 la semaine prochaine."
    assert [f.suggestions[0] for f in applied(entity_pass, text)] == ["Formula 1"]
