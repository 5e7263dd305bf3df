"""``mtrepair repair --format html``: a self-contained page that parses, escapes everything, shows
every edit by category with its original, and the scores first; rendered by Chromium when present."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import mtrepair
from mtrepair.cli.main import main
from mtrepair.scoring.html import render_html

from scoring_damage import build_triples

NO_MODEL = mtrepair.RepairConfig(model="none")

ARTICLE = (
    "La jeune entreprise lyonnaise a présenté mardi ses résultats annuels, en nette hausse.\n"
    "Selon sa directrice financière, le chiffre d'affaires a progressé de 40 % sur un an, porté par\n"
    "l'international.\n"
)
VOID = {"meta", "br", "input", "img", "link", "hr"}


class Collector(HTMLParser):
    """Collects tags, attributes and text; checks that every opened element is closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Collector:
    c = Collector()
    c.feed(page)
    c.close()
    assert not c.errors, c.errors[:5]
    assert c.stack == [], f"unclosed elements: {c.stack}"
    return c


def damaged_article() -> tuple[str, mtrepair.RepairResult]:
    text = build_triples(limit=1)[0].heavy + "\n" + ARTICLE
    return text, mtrepair.repair(text, NO_MODEL)


def test_page_parses_and_is_self_contained():
    text, result = damaged_article()
    assert result.edits, "the damaged article must produce edits"
    page = render_html(result, name="article.txt", report=mtrepair.score(result.text, original=text, config=NO_MODEL))
    assert page.startswith("<!DOCTYPE html>")
    doc = parse(page)
    tags = {t for t, _ in doc.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for _, attrs in doc.tags:
        for name, value in attrs.items():
            assert not (value or "").startswith(("http:", "https:", "//")), (name, value)
    assert "url(" not in page and "@import" not in page


def test_every_edit_is_shown_with_its_category_and_original():
    text, result = damaged_article()
    doc = parse(render_html(result, name="article.txt"))
    edits = [a for t, a in doc.tags if t == "span" and "edit" in a.get("class", "").split()]
    assert len(edits) == len(result.edits)
    for span, edit in zip(edits, result.edits):
        assert f"cat-{edit.category}" in span["class"]
    full_text = "".join(doc.text)
    for e in result.edits:
        if e.replacement.strip():
            assert e.replacement in full_text
        assert e.rule in full_text  # in the hover tip and the table
    assert "La jeune entreprise lyonnaise" in full_text  # untouched text is there too


def test_scores_come_first():
    text, result = damaged_article()
    report = mtrepair.score(result.text, original=text, config=NO_MODEL)
    page = render_html(result, name="article.txt", report=report)
    assert page.index('class="scores"') < page.index('class="text"')
    assert f"{report.index:.1f}" in page and f"{report.before.index:.1f}" in page
    assert f">{report.verdict}<" in page
    assert report.signature.split("|")[0] in page


def test_everything_is_escaped():
    nasty = "Le titre <script>alert('x')</script> & « guillemets » dit:\n<marquee>gras</marquee> \"fin\" pendant\nla nuit."
    result = mtrepair.repair(nasty, NO_MODEL)
    page = render_html(result, name="<img src=x onerror=alert(1)>.txt")
    doc = parse(page)
    tags = {t for t, _ in doc.tags}
    assert "script" not in tags and "marquee" not in tags and "img" not in tags
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;marquee&gt;" in page
    assert "<img src=x" in "".join(doc.text)  # the file name shows as text


def test_repair_cli_writes_an_html_page(tmp_path, capsys):
    text, _ = damaged_article()
    src = tmp_path / "article.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "report.html"
    code = main(["repair", str(src), "--format", "html", "-o", str(out), "--model", "none"])
    assert code == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    doc = parse(page)
    assert any(t == "article" for t, _ in doc.tags)
    assert "quality index" in page and "before repair" in page


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is not installed")
def test_chromium_renders_a_screenshot(tmp_path):
    _, result = damaged_article()
    page = tmp_path / "report.html"
    page.write_text(render_html(result, name="article.txt"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp(prefix="mtrepair-chromium-")
    try:
        proc = subprocess.run(
            ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--window-size=1000,900", f"--screenshot={shot}", page.as_uri()],
            capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert shot.exists(), proc.stderr[-2000:]
    assert _png_size(shot) == (1000, 900)
    # A blank page compresses to a few kilobytes; text, tables and highlights do not.
    assert shot.stat().st_size > 20_000
