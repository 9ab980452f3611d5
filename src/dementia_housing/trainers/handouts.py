"""The trainers' printable handouts: paper forms from the tools' data, and certificates of attendance.

Paper forms (shown on book/trainers/handouts-forms.md, printed by ``make handouts``) are made
from the same data files as the tools, so that paper and screen never disagree:

- the housing VIPS self-assessment (``data/vips.json``), an adaptation of Brooker's VIPS;
- the environment audit (``data/environment-audit.json``);
- the action plan template (``data/action-plan.json``);
- the knowledge check (``data/knowledge-check.json``, the form of :mod:`.knowledge_check`).

Each printed A4 page of a form is one ``<section class="dh-handout-sheet">``, so the number of
pages follows from the data (see :func:`sheet_counts`). Certificates of attendance are filled in
from a participants CSV (:func:`read_participants`): a bad row is reported with its line and left
out. :func:`name_size` decides a name's starting type size; the browser shrinks it further if it
still does not fit (:data:`FIT_SCRIPT`). :func:`print_handouts` prints the built site's handout
pages, and :func:`print_certificates` the certificates, to PDF with headless Chromium
(Playwright's ``page.pdf``); Playwright is imported only there, so the rest is standard library.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from ..models import action_plan, environment_audit, vips
from . import knowledge_check
from .textfile import read_csv_text

KC_QUESTIONS_PER_PAGE = 4  # must match the print rule on .dh-kc-question in course.css


def _sheet(heading: str, body: list[str], level: int = 3, lead: str = "") -> str:
    """One printed page: a heading and its content."""
    top = f'<p class="dh-handout-kicker">{escape(lead)}</p>' if lead else ""
    return (
        f'<section class="dh-handout-sheet">{top}<h{level}>{escape(heading)}</h{level}>' + "".join(body) + "</section>"
    )


def _lines(*labels: str) -> str:
    """Labelled lines to write on (name, date, place …)."""
    rows = "".join(f'<p class="dh-handout-line"><span>{escape(label)}</span></p>' for label in labels)
    return f'<div class="dh-handout-lines">{rows}</div>'


def _box(label: str, hint: str = "", size: str = "m") -> str:
    """A labelled space to write in."""
    help_text = f'<span class="dh-handout-hint">{escape(hint)}</span>' if hint else ""
    return f'<div class="dh-handout-box dh-handout-box-{size}"><p><strong>{escape(label)}</strong>{help_text}</p></div>'


def _table(caption: str, first: str, headers: str, rows: str) -> str:
    """A table to tick, in a region that scrolls sideways on a phone instead of the page."""
    return (
        f'<div class="dh-handout-scroll" role="region" tabindex="0" aria-label="{escape(caption)}">'
        f'<table class="dh-handout-table"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(first)}</th>{headers}</tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _form(form_id: str, sheets: list[str]) -> str:
    return f'<div class="dh-handout-form" id="handout-{form_id}">' + "".join(sheets) + "</div>\n"


# The housing VIPS self-assessment ---------------------------------------------------------------


def vips_form_html(tool: vips.Tool | None = None) -> str:
    """The VIPS self-assessment on paper: a cover page, then one page per element."""
    tool = tool or vips.load_tool()
    scale = "".join(
        f"<li><strong>{p.value} {escape(p.label)}</strong>: {escape(p.meaning)}</li>" for p in tool.scale
    ) + (f"<li><strong>{escape(tool.dont_know_label)}</strong>: {escape(tool.dont_know_meaning)}</li>")
    cover = _sheet(
        tool.title,
        [
            f'<p class="dh-handout-notice">{escape(tool.notice)}</p>',
            _lines("Service or scheme", "Completed by (names and roles)", "Date"),
            "<p>Rate each statement for your service as it is today, not as you hope it will be. "
            "Tick one box, and note the example or evidence behind your rating.</p>",
            f'<ul class="dh-handout-scale">{scale}</ul>',
            "<p>An element's score is the average of its rated statements, from 0 to 3. "
            "Don't know is not scored as 0. To see the profile and your weakest statements, enter "
            "the ticks in the housing VIPS self-assessment tool on the course site.</p>",
        ],
        level=2,
        lead="Housing VIPS self-assessment (paper form)",
    )
    headers = "".join(
        f'<th scope="col" class="dh-handout-tick">{p.value}<br>{escape(p.label)}</th>' for p in tool.scale
    )
    headers += f'<th scope="col" class="dh-handout-tick">{escape(tool.dont_know_label)}</th>'
    ticks = '<td class="dh-handout-tick"></td>' * (len(tool.scale) + 1)
    sheets = [cover]
    for element in tool.elements:
        rows = "".join(
            f'<tr><th scope="row"><strong>{escape(p.id)} {escape(p.title)}</strong><br>{escape(p.text)}'
            f'<span class="dh-handout-evidence">Evidence:</span></th>{ticks}</tr>'
            for p in element.prompts
        )
        table = _table(
            f"{element.code}: {element.name}, statements {element.prompts[0].id} to {element.prompts[-1].id}",
            "Statement",
            headers,
            rows,
        )
        sheets.append(
            _sheet(
                f"{element.code}: {element.name}",
                [f"<p>{escape(element.definition)}</p>", table],
                lead="Housing VIPS self-assessment",
            )
        )
    return _form("vips", sheets)


# The environment audit --------------------------------------------------------------------------


def audit_form_html(checklist: environment_audit.Checklist | None = None) -> str:
    """The environment audit on paper: a cover page, then one page per area of each kind of place."""
    checklist = checklist or environment_audit.load_checklist()
    principles = "".join(
        f"<li><strong>{escape(p.name)}</strong>: {escape(p.meaning)}</li>" for p in checklist.principles
    )
    cover = _sheet(
        checklist.title,
        [
            f'<p class="dh-handout-notice">{escape(checklist.note("adaptation"))}</p>',
            f"<p>{escape(checklist.note('with_residents'))}</p>",
            _lines("Address or scheme", "Done with (resident, carer, staff)", "Date"),
            "<p>Score each item 0 (needs attention now), 1 (could be better) or 2 (works well), or tick "
            "N/A (not applicable). Items marked <em>lived-in homes only</em> are left out of a void "
            "inspection (an empty home). Note what you saw: it is the reason for the score.</p>",
            f"<p>{escape(checklist.note('contrast'))}</p>",
            f'<p><strong>The six design principles</strong></p><ul class="dh-handout-scale">{principles}</ul>',
        ],
        level=2,
        lead="Environment audit (paper form)",
    )
    headers = "".join(f'<th scope="col" class="dh-handout-tick">{label}</th>' for label in ("0", "1", "2", "N/A"))
    ticks = '<td class="dh-handout-tick"></td>' * 4
    sheets = [cover]
    for kind in checklist.kinds:
        for area in kind.areas:
            rows = "".join(
                f'<tr><th scope="row"><strong>{escape(item.name)}</strong>'
                f"{'' if item.applies_in_void else ' <em>(lived-in homes only)</em>'}<br>{escape(item.question)}"
                f'<span class="dh-handout-evidence">What we saw:</span></th>{ticks}</tr>'
                for item in area.items
            )
            table = _table(f"{kind.name}: {area.name}", "Item", headers, rows)
            sheets.append(_sheet(f"{kind.name}: {area.name}", [table], lead="Environment audit"))
    return _form("environment-audit", sheets)


# The action plan template -----------------------------------------------------------------------


def action_plan_form_html(guide: action_plan.Guide | None = None, tool: vips.Tool | None = None) -> str:
    """The action plan on paper: a cover page, then one page per VIPS element with one action."""
    guide = guide or action_plan.load_guide()
    tool = tool or vips.load_tool()
    needs = "".join(f"<li>{escape(text)}</li>" for text in action_plan.MISSING.values() if text)
    cover = _sheet(
        guide.title,
        [
            _lines("Plan title", "Organisation", "Written by", "Date written"),
            "<p>Write one action for each of the four VIPS elements on the pages that follow. "
            "If an element has no action, say why on its page. Each action needs:</p>",
            f'<ul class="dh-handout-scale">{needs}</ul>',
            "<p>Three actions that happen are worth more than ten that do not. Bring this plan to the "
            "review day: you will report against it, action by action.</p>",
        ],
        level=2,
        lead="Action plan template",
    )
    sheets = [cover]
    for element in tool.elements:
        help_ = guide.element(element.code)
        sheets.append(
            _sheet(
                f"{element.code}: {element.name}",
                [
                    f"<p>{escape(element.definition)}</p>",
                    _box("What will be done", "", "l"),
                    '<div class="dh-handout-pair">',
                    _box("Owner (a role or a person)", "", "s"),
                    _box("Due date", "", "s"),
                    "</div>",
                    _box("How we will know it has worked (the measure)", f"For example: {help_.measure_example}"),
                    _box("Where it stands now (the baseline)", f"Or write '{action_plan.NOT_KNOWN_YET}'.", "s"),
                    _box(
                        "How people living with dementia and carers are involved",
                        f"For example: {help_.involvement_example}",
                    ),
                    _box("No action for this element? Say why", "", "s"),
                ],
                lead="Action plan",
            )
        )
    return _form("action-plan", sheets)


# The knowledge check ----------------------------------------------------------------------------


def knowledge_check_form_html(check: knowledge_check.KnowledgeCheck | None = None) -> str:
    """The knowledge check on paper: its own form (:func:`.knowledge_check.form_html`) in one sheet;
    the print rules start a new page every :data:`KC_QUESTIONS_PER_PAGE` questions."""
    check = check or knowledge_check.load()
    body = [
        f"<p>{escape(check.about)}</p>",
        f"<p>Tick one box for each question. Version {escape(check.version)}.</p>",
        knowledge_check.form_html(check),
    ]
    return _form("knowledge-check", [_sheet(check.bank.title, body, level=2, lead="Knowledge check (paper form)")])


FORMS = {
    "vips": vips_form_html,
    "environment-audit": audit_form_html,
    "action-plan": action_plan_form_html,
    "knowledge-check": knowledge_check_form_html,
}


def sheet_counts() -> dict[str, int]:
    """How many A4 pages each printed form has, from its data file."""
    tool = vips.load_tool()
    checklist = environment_audit.load_checklist()
    questions = len(knowledge_check.load().questions)
    return {
        "vips": 1 + len(tool.elements),
        "environment-audit": 1 + sum(len(kind.areas) for kind in checklist.kinds),
        "action-plan": 1 + len(tool.elements),
        "knowledge-check": 1 + math.ceil(questions / KC_QUESTIONS_PER_PAGE),
    }


# Participants and certificates ------------------------------------------------------------------

PARTICIPANT_COLUMNS = ("name", "organisation", "dates")
MAX_NAME_LENGTH = 100  # the longest name that still prints on one line at NAME_SMALLEST_PT


class ParticipantsError(ValueError):
    """The participants file cannot be used at all (missing, unreadable, wrong header)."""


@dataclass(frozen=True)
class Participant:
    line: int
    name: str
    organisation: str
    dates: tuple[date, ...]

    @property
    def dates_text(self) -> str:
        return dates_words(self.dates)


@dataclass(frozen=True)
class Participants:
    people: tuple[Participant, ...]
    problems: tuple[str, ...]  # "line 4: …", in file order


def dates_words(dates: tuple[date, ...]) -> str:
    """``10 and 11 March 2027``; ``30 April and 1 May 2027``; ``3 December 2026 and 2 June 2027``."""
    days = sorted(dates)
    words = []
    for index, day in enumerate(days):
        later = days[index + 1] if index + 1 < len(days) else None
        if later and later.year == day.year and later.month == day.month:
            words.append(str(day.day))
        elif later and later.year == day.year:
            words.append(f"{day.day} {action_plan.MONTH_NAMES[day.month]}")
        else:
            words.append(action_plan.date_words(day))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _dates(text: str) -> tuple[date, ...]:
    parts = [part for part in (p.strip() for p in text.split(";")) if part]
    if not parts:
        raise ValueError("no dates: write the day or days attended, e.g. 2027-03-10; 2027-03-11")
    found = []
    for part in parts:
        try:
            found.append(action_plan.parse_date(part, date.min, "dates"))
        except action_plan.PlanError as error:
            raise ValueError(f"dates: {error.message}") from None
    if len(set(found)) != len(found):
        raise ValueError("dates: the same date is given twice")
    return tuple(sorted(found))


def parse_participants(text: str) -> Participants:
    """Read a participants CSV (``name,organisation,dates``; dates separated by ``;``)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    wanted = ",".join(PARTICIPANT_COLUMNS)
    if header is None or [cell.strip().lower() for cell in header] != list(PARTICIPANT_COLUMNS):
        found = ",".join(header or []) or "nothing"
        raise ParticipantsError(f"line 1 must be the header {wanted} (found {found})")
    people, problems = [], []
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {start}"
        if len(row) != len(PARTICIPANT_COLUMNS):
            problems.append(
                f"{where}: {len(row)} columns instead of {len(PARTICIPANT_COLUMNS)} ({wanted}); "
                "put a name or organisation that contains a comma in double quotes"
            )
            continue
        name, organisation, dates = (" ".join(cell.split()) for cell in row)
        if not name:
            problems.append(f"{where}: no name; write the participant's name as it should appear")
            continue
        if len(name) > MAX_NAME_LENGTH:
            problems.append(f"{where}: the name is {len(name)} characters, more than {MAX_NAME_LENGTH}; shorten it")
            continue
        try:
            people.append(Participant(start, name, organisation, _dates(dates)))
        except ValueError as error:
            problems.append(f"{where}: {error}")
    return Participants(tuple(people), tuple(problems))


def read_participants(path: Path) -> Participants:
    """:func:`parse_participants` on a file (UTF-8, as Excel's "CSV UTF-8" saves it)."""
    text = read_csv_text(path, ParticipantsError)
    return parse_participants(text)


NAME_LARGEST_PT = 40
NAME_SMALLEST_PT = 10
NAME_WIDTH_PT = 640  # the width of the name box on an A4 landscape certificate


def _em_width(character: str) -> float:
    """A rough width in ems: wide for CJK and other full-width characters, narrow for spaces."""
    if character.isspace():
        return 0.3
    if "\u1100" <= character <= "\u11ff" or "\u2e80" <= character <= "\ua4cf" or "\uac00" <= character <= "\ud7a3":
        return 1.0
    if "\uff00" <= character <= "\uffef":
        return 1.0
    return 0.78 if character.isupper() else 0.64  # DejaVu Sans Bold


def name_size(name: str, width_pt: float = NAME_WIDTH_PT) -> float:
    """The type size (points) to print a name at, on one line.

    A name that fits at :data:`NAME_LARGEST_PT` keeps it; a longer one is made smaller, never
    below :data:`NAME_SMALLEST_PT` (names are at most :data:`MAX_NAME_LENGTH` characters). The
    widths are estimates, so the browser measures the printed name and shrinks it further if it
    would still run over (:data:`FIT_SCRIPT`): a name is never cut and never wrapped."""
    ems = sum(_em_width(c) for c in name) or 1.0
    return max(NAME_SMALLEST_PT, min(NAME_LARGEST_PT, math.floor(width_pt / ems * 10) / 10))


# Shrink a name (and then an organisation) until it fits its box: never cut, never over the edge.
FIT_SCRIPT = """
(element) => {
  let size = parseFloat(getComputedStyle(element).fontSize);
  const fits = () => element.scrollWidth <= element.clientWidth + 0.5 && element.scrollHeight <= element.clientHeight + 0.5;
  while (!fits() && size > 6) { size *= 0.95; element.style.fontSize = size + "px"; }
  return fits();
}
"""

CERTIFICATE_CSS = """
@page { size: A4 landscape; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "DejaVu Sans", "WenQuanYi Micro Hei", "Noto Sans", sans-serif; color: #1f2933; }
.cert { box-sizing: border-box; width: 297mm; height: 210mm; padding: 16mm; break-after: page; overflow: hidden; }
.cert:last-child { break-after: auto; }
.frame { box-sizing: border-box; height: 100%; border: 3px solid #1d5b79; outline: 1px solid #1d5b79;
  outline-offset: -8px; padding: 14mm 18mm; display: flex; flex-direction: column; align-items: center;
  text-align: center; }
.kicker { font-size: 14pt; letter-spacing: 0.08em; text-transform: uppercase; color: #1d5b79; margin: 0; }
h1 { font-size: 30pt; margin: 4mm 0 8mm; font-weight: 700; }
.lead { font-size: 13pt; margin: 0; }
.name { box-sizing: border-box; width: 100%; height: 32mm; margin: 4mm 0; display: flex; align-items: center;
  justify-content: center; font-weight: 700; line-height: 1.15; overflow: hidden; white-space: nowrap; }
.name span { display: block; }
.organisation { box-sizing: border-box; width: 100%; height: 10mm; font-size: 15pt; margin: 0 0 6mm; overflow: hidden;
  white-space: nowrap; }
.what { font-size: 13pt; margin: 0 0 2mm; max-width: 200mm; }
.dates { font-size: 15pt; font-weight: 700; margin: 0; }
.signatures { margin-top: auto; display: flex; gap: 30mm; width: 100%; justify-content: center; }
.signatures p { width: 80mm; border-top: 1px solid #1f2933; padding-top: 2mm; font-size: 11pt; margin: 0; }
.small { font-size: 9pt; color: #3e4c59; margin: 4mm 0 0; }
"""

COURSE_WHAT = (
    "attended the Dementia and Housing workshop for strategic leaders in housing: person-centred "
    "practice, VIPS in housing, housing, health and care together, and leading change"
)


def certificate_html(people: tuple[Participant, ...], course: str = COURSE_WHAT) -> str:
    """One A4 landscape page per participant, in one self-contained HTML page."""
    pages = []
    for person in people:
        style = f"font-size:{name_size(person.name)}pt"
        organisation = (
            f'<p class="organisation" dir="auto">{escape(person.organisation)}</p>'
            if person.organisation
            else '<p class="organisation"></p>'
        )
        pages.append(
            '<section class="cert"><div class="frame">'
            '<p class="kicker">Dementia and Housing</p>'
            "<h1>Certificate of attendance</h1>"
            '<p class="lead">This is to certify that</p>'
            f'<p class="name" style="{style}"><span dir="auto">{escape(person.name)}</span></p>'
            f"{organisation}"
            f'<p class="what">{escape(course)}</p>'
            f'<p class="dates">on {escape(person.dates_text)}</p>'
            '<div class="signatures"><p>Trainer</p><p>Date</p></div>'
            '<p class="small">A record of attendance, not of assessment.</p>'
            "</div></section>"
        )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>Certificates of attendance</title><style>{CERTIFICATE_CSS}</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )


# Printing ---------------------------------------------------------------------------------------

MARGIN = "12mm"  # the same as the @page handout rule in course.css
SESSION_PAGES = ("handouts-day-1", "handouts-day-2", "handouts-review-day")
FORMS_PAGE = "handouts-forms"
TRAINERS = "book/trainers"


class PrintUnavailable(RuntimeError):
    """Chromium or Playwright is missing, or Chromium could not print."""


def pdf_jobs() -> tuple[tuple[str, str, str], ...]:
    """(PDF file name, built page, form id or "") for every handout, in print order."""
    sessions = tuple((f"{page}.pdf", f"{TRAINERS}/{page}.html", "") for page in SESSION_PAGES)
    forms = tuple((f"{form}.pdf", f"{TRAINERS}/{FORMS_PAGE}.html", form) for form in FORMS)
    return sessions + forms


# What the handout pages are made from: their pages, the site's look, and the forms' data and code.
SOURCE_GLOBS = (
    "_toc.yml",
    "_config.yml",
    f"{TRAINERS}/handouts*.md",
    "book/_static/*",
    "book/_ext/*.py",
    "book/_templates/*",
    *(f"data/{name}" for name in ("vips.json", "environment-audit.json", "action-plan.json", knowledge_check.FILE)),
    "src/dementia_housing/trainers/*.py",
    "src/dementia_housing/models/*.py",
    "src/dementia_housing/content/*.py",
)


def stale_source(site: Path, root: Path) -> Path | None:
    """A source of the handout pages newer than their build (or a page's build, if one is missing).

    Sphinx does not know that the forms page depends on the data files, so a stale site is
    rebuilt with ``--all`` (see the command)."""
    built = [Path(site) / TRAINERS / f"{page}.html" for page in (*SESSION_PAGES, FORMS_PAGE)]
    for page in built:
        if not page.exists():
            return page
    since = min(page.stat().st_mtime for page in built)
    for pattern in SOURCE_GLOBS:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and path.stat().st_mtime > since:
                return path
    return None


def _browser(playwright):
    import shutil

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        raise PrintUnavailable("Chromium is not installed (looked for 'chromium' and /usr/bin/chromium)")
    from .cohort_report import PDF_FLAGS

    return playwright.chromium.launch(executable_path=executable, args=PDF_FLAGS)


def _local_only(route) -> None:
    """The printed pages may load their own files and nothing else."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def _pdf(page, path: Path, *, margin: str | None = MARGIN) -> None:
    options = {"path": str(path), "format": "A4", "print_background": True, "prefer_css_page_size": True}
    if margin:
        options["margin"] = {side: margin for side in ("top", "right", "bottom", "left")}
    page.pdf(**options)


KEEP_ONLY_FORM = """
(formId) => {
  document.querySelectorAll(".dh-handout-form").forEach((form) => {
    if (form.id !== "handout-" + formId) (form.closest(".cell") || form).remove();
  });
}
"""


def print_handouts(site: Path, out: Path, progress=print) -> list[Path]:
    """Print every handout page of a built site to A4 PDFs in ``out``."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    jobs = pdf_jobs()
    try:
        with sync_playwright() as playwright:
            browser = _browser(playwright)
            try:
                page = browser.new_page()
                page.route("**/*", _local_only)
                for number, (name, built, form) in enumerate(jobs, start=1):
                    source = Path(site).resolve() / built
                    if not source.exists():
                        raise PrintUnavailable(f"{source} is not in the build: build the book first (make build)")
                    progress(f"==> {number}/{len(jobs)} {name}")
                    page.goto(source.as_uri(), wait_until="load")
                    if form:
                        page.evaluate(KEEP_ONLY_FORM, form)
                    _pdf(page, out / name)
                    written.append(out / name)
            finally:
                browser.close()
    except PlaywrightError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PrintUnavailable(f"Chromium could not print the handouts ({first})") from None
    return written


CERTIFICATES = "certificates.pdf"


def print_certificates(people: tuple[Participant, ...], out: Path, progress=print) -> Path:
    """Print one A4 landscape certificate per participant into ``out/certificates.pdf``."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    path = out / CERTIFICATES
    try:
        with sync_playwright() as playwright:
            browser = _browser(playwright)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())  # nothing may be fetched
                page.set_content(certificate_html(people), wait_until="load")
                page.evaluate("document.fonts.ready")
                boxes = page.locator(".cert")
                for index in range(len(people)):
                    cert = boxes.nth(index)
                    for part in (".name", ".organisation"):
                        if not cert.locator(part).evaluate(FIT_SCRIPT):
                            raise PrintUnavailable(f"line {people[index].line}: the {part[1:]} would not fit")
                    progress(f"    {index + 1}/{len(people)} certificates…")
                _pdf(page, path, margin=None)
            finally:
                browser.close()
    except PlaywrightError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PrintUnavailable(f"Chromium could not print the certificates ({first})") from None
    return path
