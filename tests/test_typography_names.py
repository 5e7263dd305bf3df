"""French spacing is for French prose: names spelt with a glued mark (« Yahoo! », « Jeopardy! »),
quotations in German or Italian (« Wir schaffen das! ») and statements of code in running text
(« on écrit if x: puis ») keep their own typography, while the French text around them, and the
same marks in French, are still spaced (the MT errors the pass exists for)."""

from __future__ import annotations

import pytest

import mtrepair
from mtrepair.config import ConfigError, RepairConfig
from mtrepair.entities.gazetteer import load_gazetteer
from mtrepair.passes import typography as typo

CFG = RepairConfig(model="none", builtin_glossary=False, restore_entities=False)
NNBSP = "\u202f"


def repaired(text: str, **changes) -> str:
    return mtrepair.repair(text, CFG.replace(**changes)).text


# -- names spelt with a mark ----------------------------------------------------------------

def test_names_spelt_with_a_mark_keep_it_in_a_document_that_spaces_its_marks():
    kept = [
        "Le portail Yahoo! a annoncé la fermeture de son service de questions-réponses : lancé en 2005, "
        "il comptait encore des millions d’utilisateurs.",
        "Le jeu télévisé américain « Jeopardy! » fête ses 60 ans : une version française avait été diffusée.",
        "La comédie musicale « Mamma Mia! » revient au théâtre Mogador : la troupe répète depuis septembre.",
        "Le CMS Joomla! publie une mise à jour de sécurité ; les sites concernés doivent l’installer.",
        "Le groupe Panic! at the Disco a annoncé sa séparation : le dernier concert a eu lieu à Manchester.",
        "YAHOO! FERME SON SERVICE : LES UTILISATEURS ONT UN MOIS POUR RÉCUPÉRER LEURS DONNÉES.",
    ]
    for text in kept:
        assert repaired(text) == text, text
        assert repaired(text, typography_style="french", typography_space=" ") == text, text


def test_real_exclamations_next_to_a_listed_name_are_still_spaced():
    text = ("Yahoo! ferme son service de questions-réponses : incroyable! Les utilisateurs ont un mois "
            "pour récupérer leurs données ; ils protestent.")
    assert repaired(text) == text.replace("incroyable!", "incroyable !")
    # The interjection, not the title (the list is case-sensitive), in a French quotation.
    text = "« Mamma mia! Quel spectacle ! », a lancé une spectatrice ; la salle a applaudi."
    assert repaired(text) == text.replace("mia!", "mia !")
    # A first name or a place that a title shares is not in the list (« Oliver! », « Oklahoma! »).
    text = "Il a conclu : « Bienvenue en Oklahoma! » ; puis il a rangé ses notes."
    assert repaired(text) == text.replace("Oklahoma!", "Oklahoma !")


def test_a_listed_name_matches_only_as_whole_words():
    names = typo.names_with_marks()
    for text, expected in (("Le portail Yahoo! ferme", True), ("Le portail MonYahoo! ferme", False),
                           ("la comédie Mamma Mia! revient", True), ("la comédie Mia! revient", False),
                           ("le groupe Panic! at the Disco", True), ("la Panic! at the Discothèque", False),
                           ("le groupe Wham! revient", True)):
        pos = text.index("!")
        assert names.holds(text, pos) is expected, text


def test_the_list_is_well_formed_and_holds_the_gazetteers_names_with_marks():
    names = typo.names_with_marks().names
    assert len(names) == len(set(names)) >= 5
    for name in names:
        assert typo.spelt_with_a_mark(name), name
    in_gazetteer = {form for entity in load_gazetteer().entities for form in entity.forms
                    if typo.spelt_with_a_mark(form)}
    assert in_gazetteer and in_gazetteer <= set(names), in_gazetteer - set(names)


def test_a_name_with_a_mark_in_the_users_gazetteer_keeps_it(tmp_path):
    # (The document spaces a « ; »: glued « ! » are MT errors in it, not its convention.)
    text = "Le studio Zap! Games a présenté son jeu ; la sortie est prévue pour le printemps."
    assert repaired(text) == text.replace("Zap!", "Zap !")  # not in the shipped list
    tsv = tmp_path / "studios.tsv"
    tsv.write_text("Zap! Games\tcompany\tZap!\tworld\tour studios\n", encoding="utf-8")
    assert repaired(text, entity_gazetteer_paths=(str(tsv),)) == text
    # The French text around it is still spaced.
    text = "Le studio Zap! Games a présenté son jeu : incroyable! La sortie est prévue au printemps ; le prix, non."
    assert repaired(text, entity_gazetteer_paths=(str(tsv),)) == text.replace("incroyable!", "incroyable !")


# -- quotations in another language --------------------------------------------------------

def test_german_and_italian_quotations_keep_their_marks():
    kept = [
        "Devant le Bundestag, la chancelière avait résumé sa politique d’accueil d’une phrase : "
        "« Wir schaffen das! ».",
        "Les supporters ont entonné « Forza ragazzi, siamo campioni! » ; le stade a suivi.",
        "Le cortège chantait « Avanti popolo, alla riscossa! » ; la police a laissé passer.",
        "La chancelière avait lancé „Wir schaffen das!“ ; la phrase a fait le tour de l’Europe.",
    ]
    for text in kept:
        assert repaired(text) == text, text


def test_french_quotations_that_langdetect_misreads_are_still_spaced():
    """langdetect calls « Oh! merci, madame! » Portuguese and « Oh! Ah! Bravo! » Slovak; a French
    word, or no word the word lists do not call French, keeps them French."""
    for quote in ("Oh! merci, madame!", "Oh! Ah! Bravo!", "Touche pas à mon pote!", "On a gagné!",
                  "Merci patron!", "Victor! Victor! Victor!", "Allez les Bleus!"):
        text = f"Dans la salle, on entendait « {quote} » ; puis le silence est revenu."
        assert repaired(text) == text.replace("!", " !"), quote


def test_the_quotation_thresholds_are_options():
    text = "La chancelière a tenu bon ; elle avait résumé sa politique d’une phrase : « Wir schaffen das! »."
    assert repaired(text) == text
    assert repaired(text, typography_foreign_min_words=4) == text.replace("das!", "das !")
    assert repaired(text, typography_foreign_min_probability=1.0) == text.replace("das!", "das !")
    with pytest.raises(ConfigError, match="typography_foreign_min_words"):
        RepairConfig(typography_foreign_min_words=0)
    with pytest.raises(ConfigError, match="typography_foreign_min_probability"):
        RepairConfig(typography_foreign_min_probability=1.5)
    with pytest.raises(ConfigError, match="typography_foreign_min_words must be a number"):
        RepairConfig.from_mapping({"typography_foreign_min_words": "trois"})


# -- statements of code in running text ------------------------------------------------------

def test_statements_of_code_in_running_text_keep_their_colon():
    kept = [
        "En Python, on écrit if x: puis on indente le bloc ; l'oubli des deux-points est l'erreur "
        "la plus fréquente des débutants.",
        "La boucle commence par for item in items: et le corps est indenté ; rien d’autre à retenir.",
        "Le bloc while not done: tourne tant que la condition tient ; il faut donc la modifier.",
        "Après le test, le bloc else: s’exécute ; on peut aussi ajouter finally: à la fin.",
    ]
    for text in kept:
        assert repaired(text) == text, text
        assert repaired(text, typography_style="french", typography_space=" ") == text, text


def test_french_prose_using_the_same_words_is_still_spaced():
    for text, fixed in (
        ("En son for intérieur: il savait que la partie était perdue ; il a continué.",
         "En son for intérieur : il savait que la partie était perdue ; il a continué."),
        ("Dans le jardin pousse un if: il a trois cents ans ; la mairie veut le protéger.",
         "Dans le jardin pousse un if : il a trois cents ans ; la mairie veut le protéger."),
        ("Le ministre a dit: « la réforme se fera » ; les syndicats ont répondu.",
         "Le ministre a dit : « la réforme se fera » ; les syndicats ont répondu."),
        ("Incroyable! La ville a voté le budget : personne ne s’y attendait ; fin.",
         "Incroyable ! La ville a voté le budget : personne ne s’y attendait ; fin."),
    ):
        assert repaired(text) == fixed, text


def test_a_spun_article_with_glued_marks_is_repaired_around_the_names():
    """MT output that glues its marks, in a document that otherwise spaces them: every French mark
    is spaced with the document's own space, the names and the code keep theirs."""
    text = (f"Le portail Yahoo! a annoncé la fin de son service{NNBSP}: pourquoi maintenant? "
            f"Le développeur résume{NNBSP}: on écrit if x: puis on teste{NNBSP}; rien de plus. "
            f"Le public a crié « Wir schaffen das! » puis « On a gagné! »{NNBSP}; quelle soirée!")
    assert repaired(text) == (
        text.replace("maintenant?", f"maintenant{NNBSP}?").replace("gagné!", f"gagné{NNBSP}!")
        .replace("soirée!", f"soirée{NNBSP}!"))
