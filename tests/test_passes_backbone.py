"""The backbone passes on realistic French text, including text that must not change."""

from __future__ import annotations

from dataclasses import dataclass

import mtrepair
from mtrepair.config import RepairConfig
from mtrepair.document import Document
from mtrepair.passes.boilerplate import find_boilerplate
from mtrepair.passes.linebreaks import find_broken_lines
from mtrepair.passes.normalize import normalize_edits
from mtrepair.passes.typography import find_typography
from mtrepair.resolve import apply_edits

CFG = RepairConfig(model="none", builtin_glossary=False, restore_entities=False)


def repaired(text: str, **changes) -> str:
    return mtrepair.repair(text, CFG.replace(**changes)).text


# -- broken lines -------------------------------------------------------------

def test_sentence_cut_across_lines_is_joined():
    text = ("Les départs devraient fragiliser la start-up\nmais pas son\nmodèle économique. "
            "Le fondateur reste confiant.\n")
    assert repaired(text) == ("Les départs devraient fragiliser la start-up mais pas son modèle économique. "
                              "Le fondateur reste confiant.\n")


def test_stranded_function_word_before_a_capitalised_name_is_joined():
    text = "Le rachat a été annoncé par\nMicrosoft lundi soir.\n"
    assert repaired(text) == "Le rachat a été annoncé par Microsoft lundi soir.\n"


def test_headings_and_paragraphs_stay_as_they_are():
    text = ("Les salariés quittent l'entreprise\n"
            "Après l'annonce, plusieurs ingénieurs ont démissionné.\n\n"
            "Un avenir incertain\n"
            "La direction n'a pas commenté.\n")
    assert repaired(text) == text


def test_hard_wrapped_document_is_reported_not_joined():
    text = ("Le conseil municipal de Nantes a adopté mardi soir le budget\n"
            "primitif pour l'année prochaine, après plus de quatre heures\n"
            "de débats parfois vifs entre la majorité et l'opposition qui\n"
            "dénonce une hausse des dépenses de fonctionnement jugée\n"
            "excessive au regard de la situation financière de la ville.\n")
    findings = find_broken_lines(Document(text), CFG)
    assert findings and all(f.mode == "report" for f in findings)
    assert repaired(text) == text


# -- typography ----------------------------------------------------------------

def test_outlier_spacing_is_fixed_with_the_documents_own_space():
    nnbsp = "\u202f"
    text = f"Faut-il s'inquiéter{nnbsp}? Pas vraiment{nnbsp}! Et maintenant? La suite{nnbsp}: un vote."
    out = repaired(text)
    assert out == text.replace("maintenant?", f"maintenant{nnbsp}?")


def test_document_without_french_spacing_is_left_alone_by_default():
    text = "Faut-il s'inquiéter? Pas vraiment! La suite: un vote."
    assert repaired(text) == text
    findings = find_typography(Document(text), CFG)
    assert len(findings) == 3 and all(f.mode == "report" for f in findings)
    assert repaired(text, typography_style="french", typography_space=" ") == (
        "Faut-il s'inquiéter ? Pas vraiment ! La suite : un vote.")
    assert repaired(text, typography_style="french") == (
        "Faut-il s'inquiéter\u202f? Pas vraiment\u202f! La suite\u202f: un vote.")


def test_times_urls_and_ratios_are_never_spaced():
    text = ("Rendez-vous à 10:30 sur https://exemple.fr/page?id=3 ; le score final est 3:2 ! "
            "Voir aussi www.exemple.fr/a?b=1 ; merci !")
    assert repaired(text, typography_style="french") == text


def test_guillemets_get_inner_spaces():
    text = "Il a parlé d’un «tournant» décisif ; « un vrai changement »."
    assert repaired(text) == "Il a parlé d’un « tournant » décisif ; « un vrai changement »."


# -- normalisation ---------------------------------------------------------------

def test_mojibake_and_nfd_are_repaired_and_explained():
    text = "Le cafÃ© est prÃªt.\nCafe\u0301 cre\u0300me."
    result = mtrepair.repair(text, CFG)
    assert result.text == "Le café est prêt.\nCafé crème."
    assert {e.rule for e in result.edits} == {"NORM-ENCODING", "NORM-NFC"}
    assert apply_edits(text, result.edits) == result.text


def test_clean_accented_text_is_untouched_by_normalisation():
    text = "L’État français a déjà dépensé 3,5 milliards d’euros ; « c’est énorme », dit-elle."
    assert normalize_edits(text) == []


# -- boilerplate block heuristic (with a minimal rule source) ------------------------

@dataclass(frozen=True)
class _Entry:
    id: str
    pattern: str
    category: str = "boilerplate"
    confidence: float = 0.95
    mode: str = "auto"
    scope: str = "line"
    note: str = "call to action"
    path: str = "test.yaml"
    line: int = 1


@dataclass(frozen=True)
class _Match:
    entry: _Entry
    start: int
    end: int
    suggestions: tuple = ("",)
    pattern_start: int = 0  # where the phrase itself is (GlossaryMatch's fields)
    pattern_end: int = 0


class _OneRule:
    """Rule source that matches one literal phrase, standing in for the glossary."""

    def __init__(self, phrase: str):
        self.phrase = phrase

    def match(self, doc):
        from mtrepair.glossary import scope_span  # the glossary's own scope widening

        i = doc.text.find(self.phrase)
        if i < 0:
            return []
        start, end = scope_span(doc, i, i + len(self.phrase), "line")
        return [_Match(_Entry("BPL-T", self.phrase), start, end, ("",), i, i + len(self.phrase))]


def test_advert_block_takes_its_short_unpunctuated_lines_with_it():
    text = ("Le groupe a publié ses résultats trimestriels.\n"
            "Événement TN\n"
            "Le Sommet Cloud\n"
            "Inscrivez-vous au Sommet Cloud de TechNews dans une ville près de chez vous !\n"
            "La direction prévoit une hausse des ventes.\n")
    findings = find_boilerplate(Document(text), _OneRule("Inscrivez-vous au Sommet Cloud"), CFG)
    edits = [f.to_edit() for f in findings]
    assert apply_edits(text, edits) == ("Le groupe a publié ses résultats trimestriels.\n"
                                        "La direction prévoit une hausse des ventes.\n")
    assert sorted(f.rule for f in findings) == ["BPL-BLOCK", "BPL-BLOCK", "BPL-T"]


def test_advert_block_never_swallows_a_sentence_that_runs_on_below_it():
    text = ("Le groupe a publié ses résultats trimestriels.\n"
            "Inscrivez-vous au Sommet Cloud de TechNews dans une ville près de chez vous !\n"
            "Plus tard pendant\n"
            "il n’est pas clair\n"
            "si les ventes suivront.\n")
    findings = find_boilerplate(Document(text), _OneRule("Inscrivez-vous au Sommet Cloud"), CFG)
    assert [f.rule for f in findings] == ["BPL-T"]


def test_paragraph_left_in_lower_case_after_a_finished_sentence_is_capitalised():
    text = "Le vote aura lieu mardi.\nalors que l’opposition conteste le calendrier.\n"
    assert repaired(text) == "Le vote aura lieu mardi.\nAlors que l’opposition conteste le calendrier.\n"


def test_lower_case_brand_names_and_continuations_keep_their_case():
    text = ("Apple a présenté ses résultats.\niPhone et iPad progressent encore.\n"
            "www.exemple.fr publie la liste.\n"
            "eBay publie ses comptes\nmercredi prochain, selon l’agence.\n")
    assert repaired(text) == text.replace("comptes\nmercredi", "comptes mercredi")


def test_later_repair_rounds_keep_the_first_rounds_model_reports():
    """A report-only pass runs once; its reports survive the extra rounds edits trigger."""
    from mtrepair.repairer import Repairer

    class _Reporter:
        name = "unlisted"
        report_only = True
        calls = 0

        def find(self, doc):
            _Reporter.calls += 1
            i = doc.text.find("bizarre")
            return [] if i < 0 else [mtrepair.Finding(i, i + 7, "bizarre", "calque", "model.unlisted",
                                                      mtrepair.Source("model", "test"), ("étrange",), 0.4,
                                                      "test report", mode="report")]

    r = Repairer(CFG)
    r.passes.insert(0, _Reporter())
    r._report_only_rules = frozenset({"model.unlisted"})
    result = r.repair("Un choix bizarre\nmais assumé. Et alors? Rien !")
    assert result.text == "Un choix bizarre mais assumé. Et alors ? Rien !"
    assert _Reporter.calls == 1
    assert [f.rule for f in result.findings] == ["model.unlisted"]


def test_code_and_english_quotations_keep_their_own_typography():
    """French spacing is for French prose: an identifier's colon and the marks of a quotation in
    English stay as written, even with typography_style = "french"; French quotations and the
    rest of the sentence are still spaced."""
    kept = [
        "Le fichier contient la clé « api_key: secret » ; rien d’autre.",
        "Il a tweeté « so what? » en anglais ; le message a circulé.",
        "Il a tweeté \"so what?\" en anglais ; le message a circulé.",
        "Le titre « What's next? » a été repris tel quel ; personne ne l’a traduit.",
        "Le titre “Where do we go from here?” a été repris ; personne ne l’a traduit.",
    ]
    for text in kept:
        assert repaired(text) == text, text
        assert repaired(text, typography_style="french", typography_space=" ") == text, text
    assert repaired("Il a demandé « pourquoi? » sans attendre ; voilà.") == (
        "Il a demandé « pourquoi ? » sans attendre ; voilà.")
    assert repaired("Elle a lancé « Let's go! » ; puis « allons-y! ».") == (
        "Elle a lancé « Let's go! » ; puis « allons-y ! ».")
    # English words outnumbering French ones (simple, question are French too); Spanish marks.
    for text in ("Le slogan « Make it simple! » a été retiré ; l’agence en propose un autre.",
                 "Elle a conclu : « Is it safe? That is the only question that matters. » Fin.",
                 "La foule a repris « ¿Dónde están? » en chœur ; puis le concert a repris.",
                 "Sur une ligne de code, « if (x == 1) { return; } » ne se traduit pas ; voilà."):
        assert repaired(text) == text, text
    # A one-word quotation says too little to be called English: French spacing applies.
    assert repaired("Il a répondu « Why? » ; puis il est parti.") == "Il a répondu « Why ? » ; puis il est parti."
