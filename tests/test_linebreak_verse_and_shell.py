"""Quoted verse and shell sessions are laid out in lines on purpose; a sentence cut by a scraper is not.

Two layouts the broken-lines pass used to join (genres negative set: genre-0095, genre-0112,
genre-0114):
- a quotation laid out in lines by its author — verse, lyrics, a slogan — opened by « at the start
  of a line right under a line ending with « : » and closed by » at the end of a later line: its
  breaks are reported, not joined;
- a shell session written without its prompt (« git clone … » over « cd tuiles » over
  « make install »): neither joined nor capitalised.
Around them, sentences really cut across lines (including inside guillemets, and a command cut out
of its sentence by a scraper) must still be joined. The texts are written for this test.
"""

from __future__ import annotations

import pytest

from mtrepair import Repairer
from mtrepair.config import ConfigError, RepairConfig
from mtrepair.document import Document
from mtrepair.passes.layout import looks_like_shell_command, starts_like_code
from mtrepair.passes.linebreaks import find_broken_lines, in_shell_session, laid_out_quotations

from repair_support import assert_joined, assert_unchanged

#: Clean French whose line breaks are the author's: repair() must return it byte-identical.
LAID_OUT = {
    "chant of supporters": (
        "Le refrain repris par tout le stade tient en deux lignes :\n"
        "« Allez les Verts, on ne lâche rien,\n"
        "on chantera jusqu’au bout du chemin. »\n"
        "Le club a publié la vidéo sur ses réseaux."
    ),
    "poem after a blank line, closed by » then a full stop": (
        "Au concours de poésie du lycée, le premier prix est allé à ces trois vers :\n\n"
        "« la ville dort sous la pluie fine\n"
        "et les quais gardent nos pas\n"
        "comme une lettre qu’on n’envoie pas ».\n\n"
        "Le jury a salué leur simplicité."
    ),
    "slogan on two lines ending its paragraph": (
        "Sur les banderoles des grévistes, un seul mot d’ordre :\n"
        "« Pas de fermeture\n"
        "sans solution pour chaque salarié »"
    ),
    "shell session after a colon": (
        "Pour installer l’outil de cartographie :\n"
        "git clone https://forge.exemple.org/carto/relief.git\n"
        "cd relief\n"
        "sudo make install\n"
        "La compilation prend environ deux minutes sur un portable récent."
    ),
    "shell session at the top of the text": (
        "cd donnees\n"
        "ls -l\n"
        "Le dossier contient les relevés de la station météo depuis 1998."
    ),
    "docker and npm commands": (
        "Le dépôt fournit une image prête à l’emploi.\n"
        "docker build -t relief .\n"
        "docker run -p 8080:80 relief\n"
        "npm install --save relief-tuiles\n"
        "Le serveur répond ensuite sur le port 8080."
    ),
    "copy to a server, then a script": (
        "Pour publier le rapport, deux commandes suffisent :\n"
        "scp rapport.pdf alice@serveur.exemple.org:/srv/partage\n"
        "ssh alice@serveur.exemple.org ls /srv/partage\n"
        "python3 publier.py --annee 2024\n"
        "Le transfert prend quelques secondes."
    ),
}

#: Sentences cut across lines by a scraper or a translator: still joined (text, expected).
CUT = {
    "inside guillemets, then the reporting clause": (
        "« Nous allons\nrelancer la production », a dit le PDG devant les salariés.",
        "« Nous allons relancer la production », a dit le PDG devant les salariés.",
    ),
    "quotation opened on the colon's own line": (
        "Le PDG a prévenu : « Nous allons\nrelancer la production dès lundi. »",
        "Le PDG a prévenu : « Nous allons relancer la production dès lundi. »",
    ),
    "quotation block whose line ends with a function word": (
        "Le PDG a déclaré :\n« Nous allons relancer la production de\nnos trois usines dès lundi. »",
        "Le PDG a déclaré :\n« Nous allons relancer la production de nos trois usines dès lundi. »",
    ),
    "quotation block whose line ends with a clitic": (
        "La ministre a tranché :\n« Cette réforme ne\nse fera pas sans les syndicats. »",
        "La ministre a tranché :\n« Cette réforme ne se fera pas sans les syndicats. »",
    ),
    "quotation block cut after its first word": (
        "Interrogé sur un éventuel départ, il a répondu :\n« Non,\nje reste à la tête du club. »",
        "Interrogé sur un éventuel départ, il a répondu :\n« Non, je reste à la tête du club. »",
    ),
    "quotation block with a line too long for verse": (
        "La direction écrit dans son communiqué :\n"
        "« Nous avons décidé de fermer le site de Lyon, qui emploie deux cents personnes depuis 1987,\n"
        "et de proposer un reclassement à chacun des salariés concernés. »",
        "La direction écrit dans son communiqué :\n"
        "« Nous avons décidé de fermer le site de Lyon, qui emploie deux cents personnes depuis 1987, "
        "et de proposer un reclassement à chacun des salariés concernés. »",
    ),
    "a command cut out of its sentence (inline code)": (
        "Pour compiler, il suffit de taper\nmake install\ndans le dossier du projet.",
        "Pour compiler, il suffit de taper make install dans le dossier du projet.",
    ),
    "cd as a disc": (
        "Le trio a enregistré un\ncd de jazz pendant sa tournée.",
        "Le trio a enregistré un cd de jazz pendant sa tournée.",
    ),
}


@pytest.fixture(scope="module")
def repairer() -> Repairer:
    return Repairer(RepairConfig())


@pytest.mark.parametrize("name", sorted(LAID_OUT))
def test_quoted_verse_and_shell_sessions_come_out_unchanged(repairer, name):
    text = LAID_OUT[name]
    assert_unchanged(repairer, text)


@pytest.mark.parametrize("name", sorted(CUT))
def test_sentences_cut_across_lines_are_still_joined(repairer, name):
    text, expected = CUT[name]
    assert_joined(repairer, text, expected)


def test_a_cut_next_to_quoted_verse_is_still_joined(repairer):
    text = (
        "Le poème affiché à l’entrée de la médiathèque dit simplement :\n"
        "« on lit pour partir\n"
        "on lit pour revenir »\n"
        "La médiathèque a prolongé ses horaires d’ouverture\n"
        "jusqu’à la fin du mois de juillet."
    )
    result = repairer.repair(text)
    assert result.text == text.replace("d’ouverture\njusqu’à", "d’ouverture jusqu’à")
    assert len(result.edits) == 1


def test_quoted_verse_is_reported_not_joined_and_says_why():
    text = "Le refrain tient en deux lignes :\n« On reviendra quand la ville dormira,\non reviendra, et personne ne saura. »"
    findings = find_broken_lines(Document(text), RepairConfig())
    assert len(findings) == 1
    (finding,) = findings
    assert finding.mode == "report" and finding.confidence < RepairConfig().min_confidence
    assert "quotation laid out in lines" in finding.explanation
    assert finding.evidence["laid_out_lines"] is True


def test_laid_out_quotations_marks_only_the_breaks_inside_the_quotation():
    texts = ["Le slogan :", "« Pas de fermeture", "sans solution »", "La grève continue", "demain matin."]
    assert laid_out_quotations(texts, 80) == {1}
    # Switched off, or lines longer than allowed.
    assert laid_out_quotations(texts, 0) == set()
    assert laid_out_quotations(texts, 15) == set()
    # Not under a colon, or never closed at a line end: no block.
    assert laid_out_quotations(["Le slogan", "« Pas de fermeture", "sans solution »"], 80) == set()
    assert laid_out_quotations(["Le slogan :", "« Pas de fermeture", "sans solution », dit-il."], 80) == set()


def test_the_option_switches_the_quotation_cue_off():
    text = "Le slogan des grévistes :\n« Pas de fermeture\nsans solution pour chaque salarié »"
    joined = Repairer(RepairConfig(quoted_verse_max_chars=0)).repair(text).text
    assert joined == "Le slogan des grévistes :\n« Pas de fermeture sans solution pour chaque salarié »"
    assert Repairer(RepairConfig(quoted_verse_max_chars=20)).repair(text).text == joined


def test_the_option_is_read_from_a_config_file(tmp_path):
    path = tmp_path / "mtrepair.toml"
    path.write_text("quoted_verse_max_chars = 60\n", encoding="utf-8")
    assert RepairConfig.from_file(path).quoted_verse_max_chars == 60
    path.write_text('quoted_verse_max_chars = "long"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="quoted_verse_max_chars must be a number"):
        RepairConfig.from_file(path)


@pytest.mark.parametrize("line", [
    "git clone https://forge.exemple.org/cartes/tuiles.git",
    "cd tuiles",
    "make install",
    "sudo apt-get install -y gdal-bin",
    "pip install --user relief==1.2",
    "docker build -t relief .",
    "ls -la ~/projets",
    "scp rapport.pdf alice@serveur:/srv/partage",
    "rsync -av donnees/ sauvegarde/",
    "python3 publier.py --annee 2024",
    "tar xzf archive.tar.gz",
])
def test_shell_commands(line):
    assert looks_like_shell_command(line)
    assert starts_like_code(line)


@pytest.mark.parametrize("line", [
    "cd de jazz pendant sa tournée.",       # a French noun phrase: function words
    "git pour versionner son code",
    "make install.",                        # a sentence's end
    "make",                                 # a command word alone
    "Git clone le dépôt",                   # capitalised: a sentence
    "installez tuiles",                     # not a listed command word
    "docker et kubernetes sont installés",
    "python pour les débutants",            # a French phrase about the language
    "grep sur les journaux",
])
def test_not_shell_commands(line):
    assert not looks_like_shell_command(line)


def test_one_command_alone_is_not_a_session():
    texts = ["Pour compiler, il suffit de taper", "make install", "dans le dossier du projet."]
    assert not in_shell_session(texts, 1)
    texts = ["git clone https://x.org/a.git", "cd a", "Puis lancez le script."]
    assert in_shell_session(texts, 0) and in_shell_session(texts, 1) and not in_shell_session(texts, 2)
