"""Spacing conventions a clean document follows on purpose are not MT errors.

- Québec usage (Office québécois de la langue française) puts a space before « : » and inside
  « » but none before ? ! ;. A document that spaces its colons and glues every ? ! ; is left as
  it is (the marks are reported), while a document that spaces some ? ! ; and glues others, the
  MT error the typography pass exists for, is still fixed with the document's own space.
- The prefixes of a mail subject line (« Re: », « TR: », « Fwd: », « Réf: ») are fixed tokens
  written without a space, in French mail too.
"""

from __future__ import annotations

import pytest

import mtrepair
from mtrepair.config import ConfigError, RepairConfig
from mtrepair.document import Document
from mtrepair.passes.typography import find_typography

CFG = RepairConfig(model="none", builtin_glossary=False, restore_entities=False)
NBSP = "\u00a0"
NNBSP = "\u202f"


def repaired(text: str, **changes) -> str:
    return mtrepair.repair(text, CFG.replace(**changes)).text


def typography_findings(text: str, **changes):
    return find_typography(Document(text), CFG.replace(**changes))


# -- Québec usage: a space before « : », none before ? ! ; -----------------------------------------

QUEBEC = [
    # one glued mark, one spaced colon (the records of the formats negative set are this short)
    "Pourquoi attendre? Inscrivez-vous dès maintenant au camp de jour municipal : les places partent "
    "vite chaque été.",
    "Qu'est-ce qu'on fait en cas de verglas? Le ministère des Transports rappelle trois consignes : "
    "ralentir, garder ses distances, éviter les freinages brusques.",
    # a whole article: every ? ! ; glued, every : and « » spaced
    "Le Festival d'été de Québec dévoile sa programmation! Du 10 au 20 juillet, plus de 300 spectacles "
    "seront présentés sur les plaines d'Abraham; le laissez-passer coûte 125 $.\n"
    "« On a voulu une édition plus familiale », explique la directrice de la programmation.\n"
    "Où acheter les billets? Sur le site du festival et dans les dépanneurs participants : la prévente "
    "commence vendredi à 10 h.\n"
    "Les organisateurs rappellent trois consignes : arriver tôt, prévoir de l'eau, utiliser le transport "
    "en commun. Pourquoi s'en priver?",
    "Hydro-Québec prévient que les pannes pourraient durer jusqu'à jeudi; plus de 120 000 clients "
    "étaient toujours privés d'électricité en soirée. Que faire en attendant? La Sécurité civile "
    "recommande deux choses : ne jamais utiliser un barbecue à l'intérieur, et vérifier ses voisins âgés. "
    "Le bilan : trois intoxications au monoxyde de carbone.",
]


@pytest.mark.parametrize("text", QUEBEC, ids=range(len(QUEBEC)))
def test_quebec_typography_is_left_as_written_and_reported(text):
    assert repaired(text) == text
    findings = typography_findings(text)
    assert findings and all(f.mode == "report" for f in findings)
    assert all("Québec" in f.explanation for f in findings)
    assert all(f.evidence["spaced_question_exclamation_semicolon"] == 0 for f in findings)


def test_a_glued_colon_in_a_quebec_document_is_still_spaced():
    """The decision is per family: ? ! ; follow the document's convention, a colon glued in a
    document that spaces its colons is still an outlier."""
    text = ("Où acheter les billets? Sur le site du festival : la prévente commence vendredi. "
            "Les organisateurs rappellent une consigne: arriver tôt. Le laissez-passer coûte 125 $; "
            "les enfants entrent gratuitement : c'est une première.")
    assert repaired(text) == text.replace("consigne:", "consigne :")


def test_mt_damage_that_mixes_spaced_and_glued_marks_is_still_repaired():
    """MT output glues some ? ! in a document that spaces them elsewhere: fixed, with the
    document's own space."""
    text = (f"Faut-il s'inquiéter{NNBSP}? Pas vraiment, selon la préfecture{NNBSP}: les niveaux "
            f"restent sous le seuil d'alerte. Et maintenant? Le maire a répondu{NNBSP}: « on "
            f"surveille »{NNBSP}; la décrue est attendue jeudi. Incroyable! Les habitants restent "
            f"prudents{NNBSP}!")
    assert repaired(text) == (text.replace("maintenant?", f"maintenant{NNBSP}?")
                              .replace("Incroyable!", f"Incroyable{NNBSP}!"))
    text = ("La ministre a tranché : le projet sera présenté en conseil des ministres ; les syndicats "
            "sont convoqués lundi. Pourquoi si vite? Le calendrier parlementaire est serré ! "
            "Les débats commenceront en mars; ils dureront deux semaines.")
    assert repaired(text) == text.replace("vite?", "vite ?").replace("mars;", "mars ;")


def test_spaced_guillemets_alone_are_no_quebec_evidence():
    """Québec usage is told by its spaced colons; France spaces its guillemets too, so a glued
    « ? » in a document that spaces only guillemets is an outlier, as before."""
    text = ("Et maintenant? Les départs devraient inquiéter l'entreprise, mais pas son cours. "
            "Le conseil « a confirmé » la nouvelle.")
    assert repaired(text) == text.replace("maintenant?", "maintenant ?")


def test_the_convention_threshold_is_an_option():
    text = QUEBEC[0]
    # 0: no such convention, the old document-wide majority decides (one spaced, one glued: fixed)
    assert repaired(text, typography_convention_min_marks=0) == text.replace("attendre?", "attendre ?")
    # two glued marks needed: a single one is an outlier again
    assert repaired(text, typography_convention_min_marks=2) == text.replace("attendre?", "attendre ?")
    assert repaired(QUEBEC[2], typography_convention_min_marks=2) == QUEBEC[2]
    # « french » enforces French spacing whatever the document does
    assert repaired(text, typography_style="french") == text.replace("attendre?", "attendre ?")
    with pytest.raises(ConfigError, match="typography_convention_min_marks"):
        RepairConfig(typography_convention_min_marks=-1)
    with pytest.raises(ConfigError, match="typography_convention_min_marks must be a number"):
        RepairConfig.from_mapping({"typography_convention_min_marks": "un"})


def test_a_document_that_never_spaces_anything_keeps_its_old_explanation():
    text = "Faut-il s'inquiéter? Pas vraiment! La suite: un vote."
    findings = typography_findings(text)
    assert len(findings) == 3 and all(f.mode == "report" for f in findings)
    assert not any("Québec" in f.explanation for f in findings)


# -- mail subject prefixes ------------------------------------------------------------------------

MAIL = [
    "Objet : Re: Re: Planning des astreintes\nÇa me va pour le week-end du 15. En revanche, je ne peux "
    "pas prendre celui du 22 : je suis de mariage.\nThomas",
    "Objet : TR: Devis pour la toiture\nBonjour,\nJe vous transfère le devis reçu hier de l'entreprise "
    "Le Goff. Pouvez-vous me dire s'il vous paraît raisonnable ?\nMerci,\nAnne",
    f"De{NBSP}: Paul Girard\nObjet{NBSP}: RE: TR: Fwd: Réunion du conseil\nBonjour à tous{NBSP}! "
    f"La réunion est reportée au jeudi 20 mars{NBSP}; merci de confirmer votre présence.",
    "Re: Horaires de la piscine municipale\nLe bassin extérieur ouvre le 15 juin : il sera accessible "
    "de 10 h à 19 h ; l'entrée reste gratuite pour les moins de 6 ans !",
    "N/Réf: 2025-118\nMadame,\nNous accusons réception de votre dossier : il sera examiné lors de la "
    "prochaine commission ; vous recevrez une réponse écrite.",
    "> Objet : Re[2]: Compte rendu de la réunion\n> Tu peux me l'envoyer ?\nC'est fait : je te l'ai "
    "envoyé ce matin.",
    "Le courriel intitulé « Fwd: Budget 2025 » a circulé dans tous les services ; la direction dément.",
]


@pytest.mark.parametrize("text", MAIL, ids=range(len(MAIL)))
def test_mail_subject_prefixes_keep_their_colon(text):
    assert repaired(text) == text
    assert repaired(text, typography_style="french", typography_space=" ") == text


def test_the_same_words_in_prose_are_still_spaced():
    """Only a subject line's prefixes are fixed tokens: the label before them, and the same words
    elsewhere in a line, follow the document's spacing."""
    text = ("Objet: Re: Demande de rendez-vous\nMerci de rappeler notre réf: 2025-118 dans votre "
            "réponse ; le service vous répondra sous huit jours : c'est la règle.")
    assert repaired(text) == text.replace("Objet:", "Objet :").replace("réf:", "réf :")
