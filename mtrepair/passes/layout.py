"""What a line of text is when it is not French prose: an address, code, a name written as code.

The broken-lines and typography passes fix prose; a line that starts with an address
(« www.site.fr »), a line of code (« def moyenne(valeurs): », « $ make install ») or a word glued to
digits or underscores (« python3 », « api_key ») keeps its own form. Pure functions of the line.
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


def starts_like_code(line: str) -> bool:
    """Does ``line`` (stripped) start with an address or an identifier, or is it code?"""
    return starts_with_address(line) or _IDENTIFIER_START.match(line) is not None or looks_like_code(line)
