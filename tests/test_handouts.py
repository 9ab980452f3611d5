"""Handouts and certificates: the printed A4 PDFs, and the pure parts behind them.

The printing tests run ``dementia-housing handouts`` once on the session's built site with a
participants file of awkward names and bad rows, then read every PDF with poppler-utils: pages
(computed from the pages' sources and the data files), A4 size, extractable text, embedded fonts,
and blank margins on every page (rendered with pdftoppm). The unit tests read participants CSVs
and check the name-fitting decisions without Chromium.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from dementia_housing import cli
from dementia_housing.models import action_plan, environment_audit, vips
from dementia_housing.trainers import handouts, knowledge_check

ROOT = Path(__file__).resolve().parents[1]
TRAINERS = ROOT / "book" / "trainers"
browser = pytest.mark.browser

GOOD_NAMES = (
    "Siobhán O'Neill",
    "Nguyễn Thị Minh Khai",
    "Zoë Łukasiewicz",
    "Ελένη Παπαδοπούλου",
    "Олена Коваленко",
    "محمد الأحمد",
    "王芳",
    "Okafor, Chidi",
)
LONG_NAME = "Maximiliana Wilhelmina Fitzgerald-Montgomery Ó Súilleabháin de la Cruz y Hernández-Whitworth Jr"
ROWS = [
    "name,organisation,dates",
    *(f'"{name}",Riverside Homes,2027-03-10; 2027-03-11' for name in GOOD_NAMES),
    f'"{LONG_NAME}","A very long organisation name for a housing, health and care partnership in a large '
    'county, which must shrink to fit the certificate",10/03/2027',
    ",Riverside Homes,2027-03-10",  # line 11: no name
    "Dev Patel,Riverside Homes,2027-02-30",  # line 12: not a real date
    "Cara Doyle,Eastbrook,2027-03-10,2027-03-11",  # line 13: four columns
    "Ann Lee,Eastbrook,10/03/27",  # line 14: two-digit year
]
BAD_LINES = (11, 12, 13, 14)
PEOPLE = (*GOOD_NAMES, LONG_NAME)
MARGIN_MM = 5
DPI = 50


# ---- the pure parts (no Chromium) ---------------------------------------------------------


def test_participants_are_read_and_bad_rows_named_by_line():
    read = handouts.parse_participants("\n".join(ROWS) + "\n")
    assert [p.name for p in read.people] == list(PEOPLE)
    assert [p.line for p in read.people] == list(range(2, 2 + len(PEOPLE)))
    assert [int(re.match(r"line (\d+):", problem).group(1)) for problem in read.problems] == list(BAD_LINES)
    no_name, bad_date, columns, short_year = read.problems
    assert "no name" in no_name
    assert "February 2027 has 28 days" in bad_date
    assert "4 columns instead of 3" in columns and "double quotes" in columns
    assert "year in full" in short_year
    assert read.people[0].dates == (date(2027, 3, 10), date(2027, 3, 11))


def test_participants_line_numbers_count_quoted_line_breaks_and_skip_blank_rows():
    text = '\ufeffName,Organisation,Dates\n"Ada\nLovelace",X,2027-03-10\n\n,X,2027-03-10\nBo,X,2027-03-10\n'
    read = handouts.parse_participants(text)
    assert [(p.line, p.name) for p in read.people] == [(2, "Ada Lovelace"), (6, "Bo")]
    assert read.problems == ("line 5: no name; write the participant's name as it should appear",)


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "found nothing"), ("name,dates\nA,2027-03-10\n", "found name,dates")],
)
def test_a_file_without_the_header_is_refused(text, words):
    with pytest.raises(handouts.ParticipantsError, match="name,organisation,dates") as error:
        handouts.parse_participants(text)
    assert words in str(error.value)


def test_reading_a_missing_or_non_utf8_file_says_what_to_do(tmp_path):
    with pytest.raises(handouts.ParticipantsError, match="does not exist"):
        handouts.read_participants(tmp_path / "nope.csv")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name,organisation,dates\nSiobhán,X,2027-03-10\n".encode("latin-1"))
    with pytest.raises(handouts.ParticipantsError, match="CSV UTF-8"):
        handouts.read_participants(latin1)


def test_too_long_a_name_is_a_bad_row():
    long = "A" * (handouts.MAX_NAME_LENGTH + 1)
    read = handouts.parse_participants(f"name,organisation,dates\n{long},X,2027-03-10\n")
    assert not read.people
    assert read.problems[0].startswith(f"line 2: the name is {handouts.MAX_NAME_LENGTH + 1} characters")


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ((date(2027, 3, 10),), "10 March 2027"),
        ((date(2027, 3, 11), date(2027, 3, 10)), "10 and 11 March 2027"),
        ((date(2027, 4, 30), date(2027, 5, 1)), "30 April and 1 May 2027"),
        ((date(2026, 12, 3), date(2027, 6, 2)), "3 December 2026 and 2 June 2027"),
        ((date(2027, 3, 10), date(2027, 3, 11), date(2027, 6, 9)), "10, 11 March and 9 June 2027"),
    ],
)
def test_dates_in_words(days, words):
    assert handouts.dates_words(days) == words


def test_name_size_keeps_short_names_large_and_shrinks_long_ones_in_order():
    medium = "Ελένη Παπαδοπούλου-Καραμανλή Νικολαΐδου"
    sizes = [handouts.name_size(name) for name in ("王芳", "Siobhán O'Neill", medium, LONG_NAME)]
    assert sizes[0] == sizes[1] == handouts.NAME_LARGEST_PT
    assert handouts.NAME_LARGEST_PT > sizes[2] > sizes[3] >= handouts.NAME_SMALLEST_PT
    # Chinese characters are counted as wide: thirty of them need a smaller size than twelve Latin letters.
    assert handouts.name_size("王" * 30) < handouts.name_size("a" * 30)
    assert handouts.name_size("A" * handouts.MAX_NAME_LENGTH) == handouts.NAME_SMALLEST_PT


def test_each_form_has_the_sheets_its_data_gives():
    counts = handouts.sheet_counts()
    for form, render in handouts.FORMS.items():
        sheets = render().count('<section class="dh-handout-sheet">')
        if form == "knowledge-check":  # one sheet; the print rules break it every few questions
            assert sheets == 1
        else:
            assert sheets == counts[form], form


def test_the_vips_form_says_it_is_an_adaptation():
    html = handouts.vips_form_html()
    assert "adaptation of Dawn Brooker" in html and "not the official Care Fit for VIPS tool" in html


def test_a_site_older_than_a_source_is_stale(tmp_path):
    import os

    site, root = tmp_path / "site", tmp_path / "course"
    (root / handouts.TRAINERS).mkdir(parents=True)
    assert handouts.stale_source(site, root) == site / handouts.TRAINERS / f"{handouts.SESSION_PAGES[0]}.html"
    (site / handouts.TRAINERS).mkdir(parents=True)
    for page in (*handouts.SESSION_PAGES, handouts.FORMS_PAGE):
        (site / handouts.TRAINERS / f"{page}.html").write_text("built")
    chapter = root / handouts.TRAINERS / "handouts-day-1.md"
    chapter.write_text("# Chapter")
    (root / "data").mkdir()
    (root / "data" / "participants-cohort.csv").write_text("name,organisation,dates\n")
    (root / "book" / "ch01-why-housing.md").write_text("# Chapter 1")
    later = (site / handouts.TRAINERS / "handouts-day-1.html").stat().st_mtime + 10
    os.utime(chapter, (later, later))
    assert handouts.stale_source(site, root) == chapter
    os.utime(chapter, (later - 20, later - 20))
    for unrelated in (root / "data" / "participants-cohort.csv", root / "book" / "ch01-why-housing.md"):
        os.utime(unrelated, (later, later))
    assert handouts.stale_source(site, root) is None


def test_the_command_refuses_a_participants_file_it_cannot_use(tmp_path, capsys):
    missing = tmp_path / "missing.csv"
    assert cli.main(["handouts", "--participants", str(missing), "--out", str(tmp_path / "out")]) == 2
    assert f"No certificates: {missing} does not exist" in capsys.readouterr().err
    empty = tmp_path / "bad.csv"
    empty.write_text("name,organisation,dates\n,X,2027-03-10\n", encoding="utf-8")
    assert cli.main(["handouts", "--participants", str(empty), "--out", str(tmp_path / "out")]) == 2
    said = capsys.readouterr()
    assert "line 2: no name" in said.out and "no usable row" in said.err
    assert not (tmp_path / "out").exists()


# ---- the printed PDFs ---------------------------------------------------------------------


POPPLER = ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _session_titles(page: str) -> list[str]:
    text = (TRAINERS / f"{page}.md").read_text(encoding="utf-8")
    return re.findall(r"^## (Session .+)$", text, re.MULTILINE)


def _expected() -> dict[str, int]:
    pages = {f"{page}.pdf": len(_session_titles(page)) for page in handouts.SESSION_PAGES}
    pages |= {f"{form}.pdf": count for form, count in handouts.sheet_counts().items()}
    pages[handouts.CERTIFICATES] = len(PEOPLE)
    return pages


@pytest.fixture(scope="session")
def printed(built_site, tmp_path_factory):
    """Run the handouts command once: the output folder and what it printed."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing: run `make pdf-tools` (as root) or `sudo apt-get install poppler-utils`"
        )
    for family, package in (("DejaVu Sans", "fonts-dejavu-core"), (":lang=zh", "fonts-wqy-microhei")):
        if not subprocess.run(["fc-list", family], capture_output=True).stdout.strip():
            pytest.fail(f"no font for {family}: run `make pdf-tools` (as root) or `sudo apt-get install {package}`")
    work = tmp_path_factory.mktemp("handouts")
    participants = work / "participants.csv"
    participants.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    out = work / "out"
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = cli.main(["handouts", "--site", str(built_site), "--participants", str(participants), "--out", str(out)])
    assert code == 0, said.getvalue()
    return out, said.getvalue()


def _info(pdf: Path) -> tuple[int, tuple[float, float]]:
    info = _run("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE).groups()
    return pages, (float(width), float(height))


def _text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text, whitespace collapsed and bidirectional control marks removed."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = _run("pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-")
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def _as_poppler_reads(name: str) -> str:
    """The name as pdftotext writes it. In right-to-left text poppler puts the letters of an Arabic
    lam-alef ligature (one glyph for two letters) in reverse order: "لأ" comes out "أل"."""
    return re.sub("ل([اأإآ])", r"\1ل", name)


def _words(text: str) -> str:
    return " ".join(text.split())


@browser
def test_every_pdf_has_its_pages_on_a4(printed):
    out, _ = printed
    expected = _expected()
    assert sorted(path.name for path in out.glob("*.pdf")) == sorted(expected)
    for name, pages in expected.items():
        found, (width, height) = _info(out / name)
        assert found == pages, f"{name}: {found} pages, expected {pages}"
        size = sorted((round(width), round(height)))
        assert size == [595, 842] or size == [596, 843], f"{name}: {width} x {height} pt is not A4"
        portrait = height > width
        assert portrait == (name != handouts.CERTIFICATES), f"{name}: wrong orientation"


@browser
def test_each_session_handout_is_one_page_with_its_title(printed):
    out, _ = printed
    for page in handouts.SESSION_PAGES:
        for number, title in enumerate(_session_titles(page), start=1):
            text = _text(out / f"{page}.pdf", number)
            assert text.startswith(title), f"{page}.pdf page {number} starts {text[:60]!r}, not {title!r}"
            assert "Your notes" in text and "Read more." in text


@browser
def test_the_forms_hold_every_item_of_their_data(printed):
    out, _ = printed
    tool = vips.load_tool()
    text = _text(out / "vips.pdf")
    assert _words(tool.notice) in text
    for prompt in tool.prompts:
        assert _words(prompt.text) in text, prompt.id
    text = _text(out / "environment-audit.pdf")
    for kind in environment_audit.load_checklist().kinds:
        for item in kind.items:
            assert _words(item.question) in text, item.id
    text = _text(out / "action-plan.pdf")
    for element in action_plan.load_guide().elements:
        assert _words(element.measure_example) in text and _words(element.involvement_example) in text
    text = _text(out / "knowledge-check.pdf")
    for question in knowledge_check.load().questions:
        assert _words(question.prompt) in text, question.id
        for option in question.options:
            assert _words(f"{option.letter}. {option.text}") in text, (question.id, option.letter)


@browser
def test_each_certificate_page_names_its_participant_exactly(printed):
    out, _ = printed
    pdf = out / handouts.CERTIFICATES
    for number, name in enumerate(PEOPLE, start=1):
        text = _text(pdf, number)
        assert _as_poppler_reads(name) in text, f"page {number}: {name!r} not in {text!r}"
        assert "10 and 11 March 2027" in text or name == LONG_NAME
    assert "shrink to fit the certificate" in _text(pdf, len(PEOPLE))  # the long organisation, whole


@browser
def test_bad_rows_are_reported_by_line_and_progress_is_shown(printed):
    _, said = printed
    for line in BAD_LINES:
        assert re.search(rf"skipped .*participants\.csv, line {line}: ", said), said
    for number in range(1, len(PEOPLE) + 1):
        assert f"{number}/{len(PEOPLE)} certificates…" in said
    assert f"1/{len(handouts.pdf_jobs())} " in said


@browser
def test_every_font_is_embedded(printed):
    out, _ = printed
    for pdf in sorted(out.glob("*.pdf")):
        rows = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows, f"{pdf.name}: no fonts"
        for row in rows:
            # name type [type] encoding emb sub uni object ID: "emb" is the fifth column from the end
            assert row.split()[-5] == "yes", f"{pdf.name}: not embedded: {row}"


@browser
def test_nothing_reaches_the_edges_of_any_page(printed, tmp_path):
    from PIL import Image

    out, _ = printed
    strip = round(MARGIN_MM / 25.4 * DPI)
    for pdf in sorted(out.glob("*.pdf")):
        prefix = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(prefix)], check=True)
        images = sorted(tmp_path.glob(f"{pdf.stem}-*.pgm"))
        assert len(images) == _info(pdf)[0]
        for number, path in enumerate(images, start=1):
            with Image.open(path) as image:
                width, height = image.size
                for name, box in {
                    "top": (0, 0, width, strip),
                    "bottom": (0, height - strip, width, height),
                    "left": (0, 0, strip, height),
                    "right": (width - strip, 0, width, height),
                }.items():
                    darkest = image.crop(box).getextrema()[0]
                    assert darkest >= 250, f"{pdf.name} page {number}: something printed in the {name} {MARGIN_MM} mm"


# The certificate's frame: 16 mm page padding, a 3 px border and 18 mm (sides) or 14 mm (top and
# bottom) inside it (handouts.CERTIFICATE_CSS). A name or organisation that ran past its box
# would be clipped there, yet pdftotext would still read it, so the words' boxes are checked.
FRAME_MM = (16 + 18, 16 + 14)


@browser
def test_every_word_of_a_certificate_lies_inside_its_frame(printed):
    out, _ = printed
    pdf = out / handouts.CERTIFICATES
    page_width, page_height = _info(pdf)[1]
    left, top = (mm / 25.4 * 72 - 1 for mm in FRAME_MM)
    right, bottom = page_width - left, page_height - top
    xhtml = _run("pdftotext", "-bbox", str(pdf), "-")
    pages = xhtml.split("<page ")[1:]
    assert len(pages) == len(PEOPLE)
    for number, page in enumerate(pages, start=1):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)
        assert words
        for x_min, y_min, x_max, y_max, word in words:
            inside = left <= float(x_min) and float(x_max) <= right and top <= float(y_min) and float(y_max) <= bottom
            assert inside, f"certificate {number}: {word!r} runs outside the frame"
