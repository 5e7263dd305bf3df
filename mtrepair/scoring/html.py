"""A self-contained HTML page for people: the repaired article with every edit highlighted.

* Each edit is coloured by category; hovering (or focusing) it shows what the
  text was, the rule, its source, the confidence and the explanation. A
  checkbox at the top shows every original inline, struck through, next to its
  replacement (no script: a CSS sibling selector).
* Removed text (boilerplate) stays visible, struck through; joined lines and
  inserted spaces get a small visible mark.
* Findings left for review are underlined with dots, with their suggestions on hover.
* The scores come first: quality index and verdict, components before/after,
  edits by category, and mtrepair's signature.

No external assets (inline CSS, no script, no fonts, no images); every piece of
text is escaped. :func:`render_html` and :func:`render_article` are pure.
"""

from __future__ import annotations

from html import escape
from typing import Any, Iterable, Mapping, Sequence

from ..types import ALL_CATEGORIES, Edit, Finding, RepairResult

#: Highlight colour of each category (background, border).
CATEGORY_COLOURS: dict[str, tuple[str, str]] = {
    "calque": ("#ffe3b3", "#e08a00"),
    "entity": ("#e6d9ff", "#7a4fd6"),
    "boilerplate": ("#e4e4e4", "#7a7a7a"),
    "linebreak": ("#d6ebff", "#2f7fd1"),
    "mistranslation": ("#ffd6d6", "#d13a3a"),
    "grammar": ("#d9f5d9", "#2e9b2e"),
    "typography": ("#d3f3ef", "#1f9488"),
    "foreign": ("#ffd9f1", "#c23a92"),
}
_FALLBACK_COLOUR = ("#f0f0b0", "#a0a020")

_CSS = """
body{font-family:Georgia,'Times New Roman',serif;margin:0;background:#fafaf7;color:#1d1d1d}
header.top{background:#1f2a36;color:#fff;padding:14px 28px;font-family:Helvetica,Arial,sans-serif}
header.top h1{margin:0;font-size:20px}
header.top p{margin:4px 0 0;font-size:12px;color:#c9d3dd}
main{max-width:980px;margin:0 auto;padding:8px 28px 40px}
.toggle{display:block;font-family:Helvetica,Arial,sans-serif;font-size:13px;max-width:980px;margin:10px auto 0;padding:0 28px;cursor:pointer}
#show-orig{position:absolute;opacity:0}
.toggle::before{content:"\\2610  "}
#show-orig:checked + .toggle::before{content:"\\2611  "}
#show-orig:focus + .toggle{text-decoration:underline}
article{background:#fff;border:1px solid #ddd;border-radius:6px;margin:18px 0;padding:0 22px 18px}
article h2{font-family:Helvetica,Arial,sans-serif;font-size:17px;margin:16px 0 8px}
.scores{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start;font-family:Helvetica,Arial,sans-serif;font-size:13px;
  border-bottom:1px solid #eee;padding-bottom:12px}
.index{font-size:34px;font-weight:bold;line-height:1}
.index small{font-size:13px;font-weight:normal;color:#666;display:block;margin-top:4px}
.verdict{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:bold;font-size:12px;margin-top:6px}
.verdict.keep{background:#2e9b2e}.verdict.review{background:#e08a00}.verdict.drop{background:#d13a3a}
table{border-collapse:collapse;font-family:Helvetica,Arial,sans-serif;font-size:12.5px}
td,th{padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #f0f0f0}
th{color:#555;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:8px;background:#2f7fd1;border-radius:2px;vertical-align:middle}
.legend{font-family:Helvetica,Arial,sans-serif;font-size:12px;margin:10px 0}
.legend span{margin-right:10px;padding:1px 6px;border-radius:3px}
.text{white-space:pre-wrap;line-height:1.7;font-size:16.5px;margin:12px 0}
.edit{position:relative;border-radius:3px;padding:0 1px;border-bottom:2px solid;cursor:help}
.edit:focus{outline:2px solid #1f2a36}
.edit del{display:none;color:#a33;opacity:.8}
.edit.removed del{display:inline}
.edit ins{text-decoration:none}
.edit .ws::after{content:"\\2423";color:#777;font-size:12px}
.edit .nl::after{content:"\\23CE";color:#777;font-size:12px}
#show-orig:checked ~ main .edit del{display:inline;margin-right:3px}
.finding{border-bottom:2px dotted #b55;position:relative;cursor:help}
.tip{display:none;position:absolute;left:0;top:100%;z-index:10;min-width:260px;max-width:420px;white-space:normal;
  background:#1f2a36;color:#fff;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:1.45;padding:7px 9px;
  border-radius:5px;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.tip b{color:#ffd27a}
.edit:hover .tip,.edit:focus .tip,.finding:hover .tip,.finding:focus .tip{display:block}
details{font-family:Helvetica,Arial,sans-serif;font-size:13px;margin-top:10px}
code.sig{font-size:11px;color:#555;word-break:break-all}
"""


def _e(s: Any) -> str:
    return escape(str(s), quote=True)


def _colour(category: str) -> tuple[str, str]:
    return CATEGORY_COLOURS.get(category, _FALLBACK_COLOUR)


def _visible(s: str) -> str:
    return _e(s.replace("\n", "⏎"))


def _tip(lines: Iterable[tuple[str, str]]) -> str:
    return '<span class="tip" role="tooltip">' + "<br>".join(
        f"<b>{_e(k)}</b> {_e(v)}" for k, v in lines if v != ""
    ) + "</span>"


def _edit_html(e: Edit) -> str:
    bg, border = _colour(str(e.category))
    removed = e.replacement == ""
    if removed:
        ins = ""
    elif not e.replacement.strip():
        ins = f'<ins class="{"nl" if chr(10) in e.original else "ws"}">{_e(e.replacement)}</ins>'
    else:
        ins = f"<ins>{_e(e.replacement)}</ins>"
    tip = _tip([
        ("was", f"«{e.original}»".replace("\n", "⏎")),
        ("now", "(removed)" if removed else f"«{e.replacement}»".replace("\n", "⏎")),
        ("category", str(e.category)),
        ("rule", e.rule),
        ("source", str(e.source)),
        ("confidence", f"{e.confidence:.2f}"),
        ("why", e.explanation),
    ])
    cls = "edit removed" if removed else "edit"
    return (
        f'<span class="{cls} cat-{_e(e.category)}" tabindex="0" style="background:{bg};border-color:{border}">'
        f"<del>{_visible(e.original)}</del>{ins}{tip}</span>"
    )


def _finding_html(f: Finding, text: str) -> str:
    sugg = " | ".join(f"«{s}»" for s in f.suggestions[:3]) or "(no suggestion)"
    tip = _tip([
        ("not applied", f"{f.mode}, confidence {f.confidence:.2f}"),
        ("category", str(f.category)),
        ("rule", f.rule),
        ("source", str(f.source)),
        ("suggestions", sugg),
        ("why", f.explanation),
    ])
    return f'<span class="finding cat-{_e(f.category)}" tabindex="0">{_e(text)}{tip}</span>'


def _marked_text(original: str, edits: Sequence[Edit], findings: Sequence[Finding]) -> str:
    """The repaired text as HTML: edits in place, unapplied findings underlined where they do not overlap."""
    marks: list[tuple[int, int, str, Any]] = [(e.start, e.end, "edit", e) for e in edits]
    taken = [(e.start, e.end) for e in edits]
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if f.end <= f.start or any(f.start < b and a < f.end for a, b in taken):
            continue
        taken.append((f.start, f.end))
        marks.append((f.start, f.end, "finding", f))
    out: list[str] = []
    pos = 0
    for start, end, kind, obj in sorted(marks, key=lambda m: (m[0], m[1])):
        if start < pos:  # defensive: never emit overlapping marks
            continue
        out.append(_e(original[pos:start]))
        out.append(_edit_html(obj) if kind == "edit" else _finding_html(obj, original[start:end]))
        pos = end
    out.append(_e(original[pos:]))
    return "".join(out)


def _line_col(text: str, offset: int) -> str:
    return f"{text.count(chr(10), 0, offset) + 1}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _fmt(v: Any, digits: int = 2) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _quality_block(q: Mapping[str, Any]) -> str:
    """Scores block from a QualityReport.to_dict() (with ``before`` when available)."""
    before = q.get("before") or {}
    verdict = str(q.get("verdict", ""))
    head = (
        f'<div><div class="index">{_fmt(float(q["index"]), 1)}<small>quality index (0–100)</small></div>'
        f'<span class="verdict {_e(verdict)}">{_e(verdict)}</span>'
    )
    if before:
        head += f'<div style="margin-top:6px">before repair: <b>{_fmt(float(before["index"]), 1)}</b> ({_e(before.get("verdict", ""))})</div>'
    head += "</div>"
    rows = []
    comps = q.get("components", {})
    bcomps = before.get("components", {}) if before else {}
    for name, value in comps.items():
        width = 0 if value is None else int(round(80 * float(value)))
        rows.append(
            f"<tr><td>{_e(name)}</td><td class='num'>{_fmt(value)}</td>"
            f"<td><span class='bar' style='width:{width}px'></span></td>"
            + (f"<td class='num'>{_fmt(bcomps.get(name))}</td>" if before else "")
            + "</tr>"
        )
    comp_table = (
        "<table><tr><th>component</th><th>score</th><th></th>" + ("<th>before</th>" if before else "") + "</tr>"
        + "".join(rows) + "</table>"
    )
    art, mech, flu, pur = q.get("artifacts", {}), q.get("mechanics", {}), q.get("fluency", {}), q.get("purity", {})
    bart, bmech, bflu = before.get("artifacts", {}), before.get("mechanics", {}), before.get("fluency", {})
    raw = [
        ("French sentences", _fmt(pur.get("share_french")), ""),
        ("artifacts / 100 words", _fmt(art.get("per_100_words")), _fmt(bart.get("per_100_words")) if before else ""),
        ("mechanics / 100 words", _fmt(mech.get("per_100_words")), _fmt(bmech.get("per_100_words")) if before else ""),
        ("perplexity (geometric mean)", _fmt(flu.get("geometric_mean_perplexity"), 1),
         _fmt(bflu.get("geometric_mean_perplexity"), 1) if before else ""),
    ]
    raw_table = (
        "<table><tr><th>measure</th><th>now</th>" + ("<th>before</th>" if before else "") + "</tr>"
        + "".join(
            f"<tr><td>{_e(k)}</td><td class='num'>{_e(v)}</td>" + (f"<td class='num'>{_e(b)}</td>" if before else "") + "</tr>"
            for k, v, b in raw
        )
        + "</table>"
    )
    notes = "".join(f"<div>note: {_e(n)}</div>" for n in q.get("notes", []))
    return head + comp_table + raw_table + (f"<div>{notes}</div>" if notes else "")


def _edit_counts_block(result: RepairResult) -> str:
    counts: dict[str, int] = {}
    for e in result.edits:
        counts[str(e.category)] = counts.get(str(e.category), 0) + 1
    rows = "".join(
        f"<tr><td><span style='background:{_colour(c)[0]};border-bottom:2px solid {_colour(c)[1]};padding:0 4px'>"
        f"{_e(c)}</span></td><td class='num'>{n}</td></tr>"
        for c, n in sorted(counts.items())
    )
    return (
        f"<table><tr><th>edits</th><th class='num'>{len(result.edits)}</th></tr>{rows}"
        f"<tr><td>findings left</td><td class='num'>{len(result.findings)}</td></tr></table>"
    )


def _legend() -> str:
    return '<div class="legend">' + "".join(
        f'<span style="background:{_colour(c)[0]};border-bottom:2px solid {_colour(c)[1]}">{_e(c)}</span>'
        for c in ALL_CATEGORIES
    ) + '<span style="border-bottom:2px dotted #b55">left for review</span></div>'


def _edits_table(result: RepairResult) -> str:
    if not result.edits:
        return ""
    rows = "".join(
        f"<tr><td>{_line_col(result.original, e.start)}</td><td>{_e(e.category)}</td><td>{_e(e.rule)}</td>"
        f"<td>«{_visible(e.original)}» → «{_visible(e.replacement)}»</td><td class='num'>{e.confidence:.2f}</td>"
        f"<td>{_e(e.explanation)}<br><small>{_e(e.source)}</small></td></tr>"
        for e in result.edits
    )
    return (
        f"<details><summary>All {len(result.edits)} edit(s)</summary><table><tr><th>at</th><th>category</th>"
        f"<th>rule</th><th>change</th><th>conf.</th><th>why</th></tr>{rows}</table></details>"
    )


def _findings_table(result: RepairResult) -> str:
    if not result.findings:
        return ""
    rows = "".join(
        f"<tr><td>{_line_col(result.original, f.start)}</td><td>{_e(f.category)}</td><td>{_e(f.rule)}</td>"
        f"<td>«{_visible(f.span)}» → {_e(' | '.join(f.suggestions[:3]) or '(no suggestion)')}</td>"
        f"<td class='num'>{f.confidence:.2f}</td><td>{_e(f.mode)}: {_e(f.explanation)}</td></tr>"
        for f in result.findings
    )
    return (
        f"<details><summary>{len(result.findings)} finding(s) left for review</summary><table><tr><th>at</th>"
        f"<th>category</th><th>rule</th><th>span → suggestions</th><th>conf.</th><th>why</th></tr>{rows}</table></details>"
    )


def render_article(name: str, result: RepairResult, report: Any = None) -> str:
    """One ``<article>``: scores, legend, highlighted text, tables of edits and findings.

    ``report`` is a QualityReport, its ``to_dict()``, or None (then the
    ``quality`` entry of ``result.scores`` is used when it holds a full report).
    """
    if report is not None and hasattr(report, "to_dict"):
        report = report.to_dict()
    if report is None and isinstance(result.scores.get("quality"), Mapping) and "index" in result.scores["quality"]:
        report = result.scores["quality"]
    scores = '<section class="scores">'
    if report:
        scores += _quality_block(report)
    scores += _edit_counts_block(result) + "</section>"
    sig = (report or {}).get("signature") or result.signature
    return (
        f"<article><h2>{_e(name)}</h2>{scores}{_legend()}"
        f'<div class="text" lang="fr">{_marked_text(result.original, result.edits, result.findings)}</div>'
        f"{_edits_table(result)}{_findings_table(result)}"
        f'<details><summary>signature</summary><code class="sig">{_e(sig)}</code></details></article>'
    )


def render_page(articles: Sequence[str], title: str = "mtrepair report") -> str:
    """A complete HTML document around ``articles`` (fragments from :func:`render_article`)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header class="top"><h1>{_e(title)}</h1><p>Hover an edit to see the original, the rule and why. '
        f"{len(articles)} document(s).</p></header>"
        '<input type="checkbox" id="show-orig"><label for="show-orig" class="toggle"> show the original text '
        "inline (struck through)</label>"
        f"<main>{''.join(articles)}</main></body></html>\n"
    )


def render_html(result: RepairResult, name: str = "article", report: Any = None, title: str | None = None) -> str:
    """Repair result (and optional quality report) → a self-contained HTML page."""
    return render_page([render_article(name, result, report)], title or f"mtrepair: {name}")


def repair_section(name: str, result: RepairResult, repairer: Any) -> str:
    """The article section of ``mtrepair repair --format html``: scores the repair (before/after), then renders."""
    from dataclasses import replace

    from .quality import quality_report

    report = quality_report(result.text, repairer.config, repairer=repairer)
    before = quality_report(result.original, repairer.config, repairer=repairer)
    return render_article(name, result, replace(report, before=before))
