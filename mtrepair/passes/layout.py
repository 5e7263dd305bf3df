"""What a line of text is when it is not French prose: an address, code, a name written as code.

The broken-lines and typography passes fix prose; a line that starts with an address
(« www.site.fr »), a line of code (« def moyenne(valeurs): », « $ make install »), a shell command
(« git clone https://… », « cd tuiles ») or a word glued to digits or underscores (« python3 »,
« api_key ») keeps its own form. Pure functions of the line.
"""

from __future__ import annotations

import re

#: The first word of a line (letters only).
LEADING_WORD = re.compile(r"[^\W\d_]+")
#: A line of code: a name glued to its parenthesis (« moyenne(valeurs) »), an assignment or
#: comparison, a shell prompt, braces, operators of programming languages.
_CODE_LINE = re.compile(r"[^\W\d]\(|\s==?\s|&&|\|\||::|->|^\s*\$\s|[{}]")
#: A first word glued to digits, an underscore or a parenthesis: an identifier (« python3 »,
#: « api_key », « print( »), not a sentence's first word.
_IDENTIFIER_START = re.compile(r"[^\W\d_]+[\d_(]")

#: Command words that start a line of a shell session written without its « $ » prompt
#: (« git clone https://… », « cd tuiles », « make install », « sudo apt install gdal-bin »). Chosen
#: so that none starts a line of French prose in lower case: no French word but « cd » (a disc),
#: whose arguments are then French words, which a command line cannot have (see below).
SHELL_COMMANDS = frozenset(
    """apt apt-get brew cargo cd chmod cmake conda curl docker gcc git grep kubectl ls make mkdir node
    npm npx pip pip3 pipx pnpm podman python python3 rsync scp ssh sudo tar unzip wget yarn""".split()
)
#: French words that cannot be the argument of a command (« un cd de jazz », « git pour versionner »).
_FRENCH_GLUE = frozenset(
    """à au aux avec ce ces cette dans de des du elle en est et il la le les leur leurs ma mais mes mon
    nos notre ou où par pas pour qu que qui sa se ses son sont sur ta tes ton un une vers vos votre""".split()
)
#: One argument of a command: an option (« -e », « --user »), a path or address (« ./build »,
#: « https://… », « ~/.config »), a name (« install », « tuiles », « gdal-bin », « v1.2 »).
_SHELL_ARGUMENT = re.compile(r"[\w./~:=@+%-]+")
#: The end of a sentence: final punctuation glued to a word (« il a installé docker. »).
_SENTENCE_END = re.compile(r"[^\W_][.!?…,;:]$")


def starts_with_address(line: str) -> bool:
    """Does ``line`` (stripped) start with an address rather than a word: « www.site.fr »,
    « user@host », « http://… », « a/b », « page#ancre »? Only the characters glued to the first word
    count, so spacing fixes elsewhere on the line never change the answer."""
    word = LEADING_WORD.match(line)
    if word is None:
        return False
    glued = line[word.end() : word.end() + 2]
    return glued[:1] in ("@", "/", "#", ".", ":") and glued[1:2].strip() != ""


def looks_like_code(line: str) -> bool:
    """Is ``line`` a line of code (see ``_CODE_LINE``)?"""
    return _CODE_LINE.search(line) is not None


def looks_like_shell_command(line: str) -> bool:
    """Is ``line`` a shell command without its prompt: a word of ``SHELL_COMMANDS`` (in lower case)
    followed by one to twelve arguments (options, paths, addresses, names; no French function
    word), and no sentence end (« docker build . » is a command, « … installé docker. » is not)?"""
    head = line.split(None, 1)
    if not head or head[0] not in SHELL_COMMANDS:
        return False
    words = line.split()
    if not 2 <= len(words) <= 13 or _SENTENCE_END.search(line.rstrip()):
        return False
    return all(_SHELL_ARGUMENT.fullmatch(w) and w.lower() not in _FRENCH_GLUE for w in words[1:])


def starts_like_code(line: str) -> bool:
    """Does ``line`` (stripped) start with an address or an identifier, or is it code or a shell
    command?"""
    return (starts_with_address(line) or _IDENTIFIER_START.match(line) is not None or looks_like_code(line)
            or looks_like_shell_command(line))
