"""Pass 3: join sentences that a scraper or a translator cut across lines.

A line break is a break *inside* a sentence when the line before it does not
end with final punctuation and either the next line starts in lower case, or
the line ends with a function word that cannot end a sentence ("pendant",
"de", "mais", ...). The break (with the spaces around it) becomes one space.
Headings are safe: they end without punctuation but the next line starts
with a capital. So is text laid out in lines on purpose, whose lines start in
lower case without continuing a sentence: list items (« a) », « ii. »), an
address or URL (« www.site.fr »), code, a shell session (two command lines or
more in a row: « git clone … » over « cd tuiles »), a column of fields
(« Prix : 12 € » over « quantité : 3 »), a column of single words (a menu), and
any run of ``RepairConfig.laid_out_min_lines`` lines or more without final
punctuation (one fewer when it ends its paragraph: a list, verse). A quotation
laid out in lines by its author (verse, lyrics, a slogan: opened by « at the
start of a line under a line ending with « : », closed by » at the end of a
later line, every line short) is only reported: a sentence cut inside such a
quotation looks the same. A document whose lines
are mostly broken this way is hard-wrapped on purpose
(``RepairConfig.hard_wrap_ratio``): its breaks are reported, never joined.
Three more layouts are only reported: the text of a subtitle cue (the lines under an SRT/VTT
timing line « 00:02:14,000 --> 00:02:17,300 » are the subtitler's line breaks), a notice laid out
in lines (an obituary around a name whose surname is in capitals, « Robert LE BIHAN. »; a print
classified opening on an abbreviation, « Part. vend », with a price, a surface or a phone number),
and a lower-case line start in a document that never writes a sentence start with a capital (an
SMS, a chat message: lower case there says nothing about a sentence going on; a line ending with a
function word is still joined). Such a document gets no capital either (LINE-CAPITALISE).
"""

from __future__ import annotations

import re
from typing import Iterator

from ..config import RepairConfig
from ..document import Document
from ..types import Category, Finding, Source
from .layout import LEADING_WORD, looks_like_code, looks_like_shell_command, starts_like_code, starts_with_address

_SOURCE = Source("heuristic", "broken-lines")
#: A line that ends with one of these is never joined to the next.
FINAL_PUNCTUATION = tuple(".!?…:;»\")]*")

#: Words that cannot end a French sentence: a line ending with one was cut.
STRANDED_WORDS = frozenset(
    """à au aux avec car ce cet cette ces chez comme concernant dans de des du dont en entre et leur
    leurs la le les lors mais malgré ma mes mon notre nos ou où par parmi pendant pour que qui quand
    sa sans ses si son sous sur ta tandis tes ton un une vers votre vos""".split()
)


#: A line starting like this is an item of a list (« a) », « b. », « iv) »), not the rest of a sentence.
_LIST_ITEM = re.compile(r"(?:[a-z]|[ivx]{1,4})[.)](?:\s|$)")
#: A line starting like this is a field of a form or table (« quantité : 3 »): a short label, a colon.
_FIELD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’ -]){0,29}?\s?:(?:\s|$)")


def laid_out_on_purpose(upper: str, lower: str) -> str | None:
    """Why the break between two stripped lines belongs to the layout rather than cutting a
    sentence, or None."""
    if _LIST_ITEM.match(lower):
        return "a list item"
    if starts_with_address(lower):
        return "an address"
    if looks_like_code(upper) or looks_like_code(lower):
        return "code"
    if _FIELD.match(upper) and _FIELD.match(lower):
        return "fields (label: value)"
    if (" " not in upper and " " not in lower and not lower.endswith(FINAL_PUNCTUATION)
            and upper.lower() not in STRANDED_WORDS):
        return "single words"
    return None


def in_shell_session(texts: list[str], k: int) -> bool:
    """Is line ``k`` a shell command next to another one (a session: « git clone … » over
    « cd tuiles » over « make install »)? One command alone may be inline code cut out of its
    sentence by a scraper (« Tapez » / « make install » / « pour compiler. »): it is not enough."""
    if not looks_like_shell_command(texts[k].strip()):
        return False
    return any(0 <= n < len(texts) and looks_like_shell_command(texts[n].strip()) for n in (k - 1, k + 1))


#: Words a line of verse cannot end with: function words and clitics (« Ça ne » / « se saura pas »).
_CANNOT_END_A_VERSE = STRANDED_WORDS | frozenset("je tu il ils on ne se me te".split())
_WORD = re.compile(r"[^\W_]+")
#: The end of a quotation that closes its line: « … saura. », « … saura ». ».
_QUOTE_CLOSES_LINE = re.compile(r"»\s*[.!?…]?$")


def laid_out_quotations(texts: list[str], max_chars: int) -> set[int]:
    """Indices of the lines whose break lies inside a quotation laid out in lines by its author
    (verse, lyrics, a slogan): a line that starts with « right under a line ending with « : »
    (blank lines between allowed), a later line that ends the quotation with » (optionally
    followed by final punctuation), every line of it at most ``max_chars`` characters and holding
    two words or more, and none before the last ending with a function word (« de », « son ») or
    a clitic (« ne », « se », « je »). A line of one word (« «Rien » over « du tout» ») or ending
    with such a word is a piece of a sentence a scraper cut, not a line of verse. ``max_chars`` <= 0: none."""
    found: set[int] = set()
    if max_chars <= 0:
        return found
    n, k, above = len(texts), 0, ""
    while k < n:
        line = texts[k].strip()
        if line.startswith("«") and above.endswith(":"):
            depth, j = 0, k
            while j < n:
                piece = texts[j].strip()
                if not piece or len(piece) > max_chars or len(_WORD.findall(piece)) < 2:
                    break
                depth += piece.count("«") - piece.count("»")
                if depth <= 0 or _last_word(piece) in _CANNOT_END_A_VERSE:
                    break
                j += 1
            if j > k and j < n and depth <= 0 and _QUOTE_CLOSES_LINE.search(texts[j].rstrip()):
                found.update(range(k, j))
                above, k = texts[j].strip(), j + 1
                continue
            if j > k:  # not a block: go on from where the scan stopped (linear time)
                above, k = texts[j - 1].strip(), j
                continue
        if line:
            above = line
        k += 1
    return found


def _last_word(line: str) -> str:
    words = line.rstrip().rsplit(None, 1)
    return words[-1].lower() if words else ""


def laid_out_lines(texts: list[str], min_lines: int) -> set[int]:
    """Indices of the lines that belong to a run laid out in lines: at least ``min_lines``
    consecutive lines without final punctuation (``min_lines - 1`` when the run ends its
    paragraph) — a list, verse, a programme. A sentence cut across lines makes a run of two or
    three pieces, the last one followed by the line that ends the sentence."""
    laid_out: set[int] = set()
    n = len(texts)
    for i, j, _ in unpunctuated_runs(texts):
        length = j - i + 1
        ends_paragraph = j + 1 >= n or not texts[j + 1].strip()
        if length >= min_lines or (ends_paragraph and length >= min_lines - 1):
            laid_out.update(range(i, j + 1))
    return laid_out


def unpunctuated_runs(texts: list[str]) -> Iterator[tuple[int, int, int]]:
    """``(first, last, paragraph_start)`` of each run of consecutive non-blank lines without final
    punctuation, in order, with the first line of the paragraph holding it (one pass)."""
    n, i, paragraph_start = len(texts), 0, 0
    while i < n:
        if not texts[i].strip():
            paragraph_start = i + 1
            i += 1
            continue
        if texts[i].rstrip().endswith(FINAL_PUNCTUATION):
            i += 1
            continue
        j = i
        while j + 1 < n and texts[j + 1].strip() and not texts[j + 1].rstrip().endswith(FINAL_PUNCTUATION):
            j += 1
        yield i, j, paragraph_start
        i = j + 1


#: An SRT or WebVTT timing line: « 00:02:14,000 --> 00:02:17,300 », « 00:05.000 --> 00:08.000 »,
#: optionally followed by VTT cue settings (« align:start position:10% »).
_CUE_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}"
_CUE_TIMING = re.compile(rf"{_CUE_TIME}[ \t]*-->[ \t]*{_CUE_TIME}(?:[ \t].*)?")


def subtitle_cue_lines(texts: list[str]) -> set[int]:
    """Indices of the lines of subtitle cue texts whose break with the next line lies inside the
    cue: the lines under an SRT/VTT timing line, up to a blank line or the next timing line. A cue
    shows one to three lines at a time, cut where the subtitler chose (« Je ne sais pas encore
    si » / « je pourrai venir samedi. »): those breaks are layout, not a scraper's cuts."""
    found: set[int] = set()
    in_cue = False
    for k, text in enumerate(texts):
        line = text.strip()
        if _CUE_TIMING.fullmatch(line):
            in_cue = True
            continue
        if not line:
            in_cue = False
            continue
        if in_cue and k + 1 < len(texts) and texts[k + 1].strip() and not _CUE_TIMING.fullmatch(texts[k + 1].strip()):
            found.add(k)
    return found


_UPPER = "A-ZÀÂÄÁÇÉÈÊËÍÎÏÑÓÔÖÚÙÛÜŸÆŒ"
_LOWER = "a-zàâäáçéèêëíîïñóôöúùûüÿæœß"
#: A civility title before a name in a notice.
_CIVILITY = r"(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Dr|Pr|Monsieur|Madame|Mademoiselle|Maître|Docteur|Abbé|Père|Sœur)"
_GIVEN_NAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*"
_SURNAME_WORD = rf"(?:[{_UPPER}]['’])?[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*"  # LE, BIHAN, D'ARGENTON
_SURNAME = rf"{_SURNAME_WORD}(?:[ ]{_SURNAME_WORD}){{0,3}}"
#: A line that is a person's name as notices print it, the surname in capitals: « Robert LE BIHAN. »,
#: « M. Gérard AUBRY, », « Mme Jeanne DELORME, née CARON, » (a title or a given name first).
_NAME_LINE = re.compile(
    rf"(?P<title>{_CIVILITY}[ ]+)?(?P<given>(?:{_GIVEN_NAME}[ ]+){{0,3}}){_SURNAME}"
    rf"(?:,?[ ]+(?:née|épouse|veuve|dit|dite)[ ]+(?:{_GIVEN_NAME}[ ]+)?{_SURNAME})?"
    r"(?:[ ]*\([^()\n]{1,30}\))?[ ]*[,.;]?"
)
#: A civility title opening a name line (« M. Gérard AUBRY, »).
_NAME_TITLE = re.compile(rf"{_CIVILITY}[ ]")
#: Words of death notices (a name line without a title needs one in its notice: « Air France KLM. »
#: closing a cut sentence is not a notice).
_NOTICE_WORD = re.compile(
    r"\b(?:décès|décédée?s?|obsèques|inhumation|funérailles|quitt(?:é|ée|és|ées|ait|aient)|disparue?s?|"
    r"regrets?|tristesse|souvenir|pensée|hommage|messe|condoléances|remerciements|anniversaire|"
    r"éteinte?s?)\b", re.IGNORECASE)
#: Abbreviations a print classified opens with: « Part. » (particulier), « Vds » (vends),
#: « Ach. » (achète), « Éch. » (échange), « Réf. », « Urgt » (urgent), « Px » (prix).
_CLASSIFIED_START = re.compile(r"(?:Part\.|Partic\.|Vds|Vd|Ach\.|Éch\.|Ech\.|Réf\.|Urgt|Px)(?:\s|$)")
#: What a classified gives: a price, a surface, a phone number.
_CLASSIFIED_FACT = re.compile(r"\d[\d\s.,]{0,15}(?:€|euros?\b)|\bm²|\bm2\b|\b0\d(?:[ .]?\d{2}){4}\b")


def is_name_line(line: str) -> bool:
    """Is ``line`` (stripped) a person's name printed as notices print it, the surname in capitals
    (« Robert LE BIHAN. », « M. Gérard AUBRY, »)? A civility title or a given name must come first,
    and a given name must not be a French function word (« Selon FO. » is a sentence)."""
    match = _NAME_LINE.fullmatch(line)
    if match is None or not (match.group("title") or match.group("given")):
        return False
    from ..entities.language import FRENCH_STOP_WORDS

    return not any(word.lower() in FRENCH_STOP_WORDS for word in match.group("given").split())


def laid_out_notices(texts: list[str]) -> dict[int, str]:
    """Indices of the lines whose break lies in a notice laid out in lines, with the kind of notice.
    A notice is a run of lines without final punctuation together with the line that closes it
    (as in ``laid_out_lines``) holding either a person's name with the surname in capitals, after
    a civility title or with a word of death notices in its paragraph (an obituary: « Il y a un
    an, » / « nous quittait » / « Robert LE BIHAN. »; « M. Gérard AUBRY, »), or, on its first
    line, a print classified's abbreviation (« Part. vend ») with a price, a surface or a phone
    number in its paragraph (« appartement T2 de 45 m² » / … / « 145 000 €. »). News prose
    neither prints surnames in capitals nor opens a sentence on « Part. »."""
    found: dict[int, str] = {}
    n = len(texts)
    paragraphs: dict[int, str] = {}  # the text of a paragraph, by its first line

    def paragraph(first_line: int, k: int) -> str:
        if first_line not in paragraphs:
            end = k
            while end < n and texts[end].strip():
                end += 1
            paragraphs[first_line] = "\n".join(texts[first_line:end])
        return paragraphs[first_line]

    for i, j, first_line in unpunctuated_runs(texts):
        block = [t.strip() for t in texts[i:j + 2] if t.strip()]  # the run and the line closing it
        kind = None
        names = [line for line in block if is_name_line(line)]
        if any(_NAME_TITLE.match(line) for line in names) or (names and _NOTICE_WORD.search(paragraph(first_line, i))):
            kind = "a notice around a name whose surname is in capitals (an obituary)"
        elif _CLASSIFIED_START.match(block[0]) and _CLASSIFIED_FACT.search(paragraph(first_line, i)):
            kind = "a print classified (it opens on an abbreviation and gives a price, a surface or a phone number)"
        if kind:
            found.update(dict.fromkeys(range(i, j + 1), kind))
    return found


#: A sentence start: the top of the text (a quotation mark alone on the first line skipped), a
#: paragraph start, or the first word after final punctuation (and closing quotes or brackets,
#: « ? » ») and a space or a line end; up to 8 leading quotes, dashes or emoji skipped, but no
#: comma, colon or semicolon (« ? », demandait-il » goes on). Bounded: no quadratic backtracking
#: on long runs of spaces. The groups are the first two characters of the first word (a digit
#: first: no evidence; two capitals, « OK », « PSG »: an acronym or shouting, no evidence either).
_SENTENCE_START = re.compile(
    r"(?:\A[^\w,;:]{0,8}|[.!?…](?:[^\S\n]?[\"'»”’)\]])*\s+|\n[^\S\n]*\n)[^\w\n,;:]{0,8}(\w)(\w?)")


def writes_lower_case_sentence_starts(text: str) -> bool:
    """Does ``text`` never write a sentence start with a capital while it starts one in lower case
    (an SMS, a chat message: « dsl je peux pas ce soir, je bosse tard. on remet à jeudi? »)? That
    is the writer's register: a lower-case line start there says nothing about a sentence going
    on, and a capital would be a change of register, not a repair."""
    lower = False
    for match in _SENTENCE_START.finditer(text):
        first, second = match.groups()
        if first.isupper() and not second.isupper():
            return False
        lower = lower or first.islower()
    return lower


def find_broken_lines(doc: Document, config: RepairConfig) -> list[Finding]:
    lines = doc.lines
    texts = [line.text for line in lines]
    candidates: list[tuple[int, str]] = []  # (index of the upper line, reason)
    breaks = 0
    for i in range(len(lines) - 1):
        upper, lower = lines[i].text.rstrip(), lines[i + 1].text.lstrip()
        if not upper or not lower:
            continue  # blank line = paragraph break
        breaks += 1
        if upper.endswith(FINAL_PUNCTUATION):
            continue
        first, last = lower[0], _last_word(upper)
        if (first.islower() or last in STRANDED_WORDS) and (
                laid_out_on_purpose(upper, lower) or in_shell_session(texts, i) or in_shell_session(texts, i + 1)):
            continue
        if first.islower():
            candidates.append((i, "the next line continues the sentence in lower case"))
        elif last in STRANDED_WORDS and first.isalpha():
            candidates.append((i, f"the line ends with the function word « {last} »"))
    hard_wrapped = breaks >= 4 and len(candidates) > config.hard_wrap_ratio * breaks
    laid_out = laid_out_lines(texts, config.laid_out_min_lines) if candidates else set()
    quoted = laid_out_quotations(texts, config.quoted_verse_max_chars) if candidates else set()
    cues = subtitle_cue_lines(texts) if candidates else set()
    notices = laid_out_notices(texts) if candidates else {}
    lower_register = bool(candidates) and writes_lower_case_sentence_starts(doc.text)
    findings = []
    for i, reason in candidates:
        upper, lower = lines[i], lines[i + 1]
        start = upper.start + len(upper.text.rstrip())
        end = lower.start + (len(lower.text) - len(lower.text.lstrip()))
        # In a document that never writes a capital at a sentence start, lower case is no evidence:
        # only a line ending with a function word still says the sentence goes on.
        unmarked = lower_register and _last_word(upper.text) not in STRANDED_WORDS
        layout = i in laid_out or i in quoted or i in cues or i in notices
        report = hard_wrapped or layout or unmarked
        if hard_wrapped:
            outcome = "the document is hard-wrapped on purpose: reported, not joined"
        elif i in laid_out:
            outcome = ("the lines around it are laid out on purpose (a run of lines without final "
                       "punctuation: a list, verse): reported, not joined")
        elif i in quoted:
            outcome = ("it lies inside a quotation laid out in lines after « : » (verse, lyrics, a "
                       "slogan; or a sentence cut inside a quotation): reported, not joined")
        elif i in cues:
            outcome = ("it lies inside a subtitle cue (the text under an SRT/VTT timing line, cut "
                       "where the subtitler chose): reported, not joined")
        elif i in notices:
            outcome = f"it lies inside {notices[i]}, laid out in lines: reported, not joined"
        elif unmarked:
            outcome = ("the document never writes a sentence start with a capital (an SMS, a chat "
                       "message), so lower case does not show the sentence goes on: reported, not joined")
        else:
            outcome = "joined with a space"
        findings.append(
            Finding(
                start=start,
                end=end,
                span=doc.text[start:end],
                category=Category.LINEBREAK.value,
                rule="LINE-JOIN",
                source=_SOURCE,
                suggestions=(" ",),
                confidence=0.5 if report else 0.9,
                explanation=f"sentence cut across lines: {reason}; {outcome}",
                mode="report" if report else "auto",
                evidence={"hard_wrapped_document": hard_wrapped, "laid_out_lines": layout,
                          "lower_case_register": unmarked},
            )
        )
    return findings


_SENTENCE_FINAL = tuple(".!?…")
#: A line ending like this may not end its sentence: an abbreviation (« etc. », « M. », « av. J.-C. »,
#: « p. ex. ») or an ellipsis. A lower-case line right under it goes on with the sentence.
_MAY_GO_ON = re.compile(r"(?:…|\.\.\.|(?<![^\W\d_])(?:etc|cf|av|apr|env|ex|vol|éd|coll|chap|fig|art|al|"
                        r"Mme|Mmes|Mlle|MM|Dr|Pr|Me|Mgr|St|Ste|n°|[A-Z])\.)$")


def find_lowercase_line_starts(doc: Document) -> list[Finding]:
    """A paragraph that starts in lower case after a finished sentence (or at the top).

    This is what is left when boilerplate glued to a sentence start is removed
    ("En savoir plus pendant" → "pendant …"). Words with inner capitals
    (iPhone, eBay), non-letters, addresses (« www.site.fr », « http://… ») and
    words that are not frequent French words (a brand written in lower case,
    « dbt Labs »; a code name) are left alone, and so is a line right under one
    that ends with an abbreviation or an ellipsis (« etc. », « M. », « … »): its
    sentence may go on. A document that never writes a sentence start with a capital (an SMS, a
    chat message: « ok à demain alors ») keeps its lower case: that is its register.
    """
    findings = []
    lower_register: bool | None = None  # computed on the first candidate
    previous, right_above = "", False  # the last non-blank line; is it the line just above?
    for line in doc.lines:
        stripped = line.text.lstrip()
        if stripped:
            word = LEADING_WORD.match(stripped)
            ends_sentence = previous == "" or (previous.endswith(_SENTENCE_FINAL)
                                               and not (right_above and _MAY_GO_ON.search(previous)))
            if (ends_sentence and word and word.group().islower() and not starts_like_code(stripped)
                    and not _LIST_ITEM.match(stripped) and _is_french_word(word.group())):
                if lower_register is None:
                    lower_register = writes_lower_case_sentence_starts(doc.text)
                if lower_register:
                    break
                start = line.start + len(line.text) - len(stripped)
                findings.append(
                    Finding(
                        start=start,
                        end=start + 1,
                        span=stripped[0],
                        category=Category.TYPOGRAPHY.value,
                        rule="LINE-CAPITALISE",
                        source=_SOURCE,
                        suggestions=(stripped[0].upper(),),
                        confidence=0.75,
                        explanation="a paragraph that follows a finished sentence starts with a capital",
                    )
                )
            previous, right_above = stripped.rstrip(), True
        elif previous:
            previous = previous if previous.endswith(_SENTENCE_FINAL) else previous + "."
            right_above = False
    return findings


def _is_french_word(word: str) -> bool:
    """A frequent French word (the entity pass's language test: French Zipf frequency at least
    ``FRENCH_MIN_ZIPF``); capitalising anything else could alter a name written in lower case."""
    from ..entities.language import FRENCH_MIN_ZIPF, FRENCH_STOP_WORDS, zipf_pair

    return word in FRENCH_STOP_WORDS or zipf_pair(word)[1] >= FRENCH_MIN_ZIPF


class LineBreakPass:
    name = "linebreaks"

    def __init__(self, config: RepairConfig):
        self.config = config

    def find(self, doc: Document) -> list[Finding]:
        return find_broken_lines(doc, self.config) + find_lowercase_line_starts(doc)
