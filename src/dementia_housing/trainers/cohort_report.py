"""The cohort report as one self-contained HTML page (and, with Chromium, a PDF of it).

Everything is inline: the CSS, and the charts as PNG images in ``data:`` addresses with alt
text, each followed by a table of the same numbers. The page makes no outside request, so it can
be emailed, opened offline or printed. matplotlib and Playwright are imported only here (and
only when needed); the arithmetic is in :mod:`.cohort`.
"""

from __future__ import annotations

import base64
import io
import shutil
from html import escape
from pathlib import Path

from .cohort import CohortResult, Rate, Responses, reading

PDF_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;max-width:60rem;
margin:0 auto;padding:1.5rem;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #2f5d8a}
.meta{color:#444}.note{background:#f3f6fa;border-left:4px solid #2f5d8a;padding:.6rem 1rem}
table{border-collapse:collapse;margin:.8rem 0;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#e8eef5}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.95rem;color:#333}
.problems li{margin:.2rem 0}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}table,figure{break-inside:avoid}}
"""


class PdfUnavailable(RuntimeError):
    """The PDF could not be made (no Chromium or no Playwright); the HTML report is unaffected."""


def _pct(rate: Rate) -> str:
    return "–" if rate.share is None else f"{round(100 * rate.share)}%"


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _charts(result: CohortResult) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    blue, orange = "#2f5d8a", "#d9822b"
    outcomes = [o.outcome for o in result.outcomes]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    x = range(len(outcomes))
    pre = [100 * (o.pre.share or 0) for o in result.outcomes]
    post = [100 * (o.post.share or 0) for o in result.outcomes]
    ax.bar([i - 0.2 for i in x], pre, width=0.4, label="Before", color=blue)
    ax.bar([i + 0.2 for i in x], post, width=0.4, label="After", color=orange, hatch="//", edgecolor="white")
    ax.set_xticks(list(x), outcomes)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Share of answers right (%)")
    ax.legend(frameon=False, loc="upper left", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    outcome_png = _png(fig)
    plt.close(fig)

    people = result.participants
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(people) + 1)))
    for row, p in enumerate(people):
        ax.plot([p.pre, p.post], [row, row], color="#999", linewidth=1.5, zorder=1)
    ax.scatter([p.pre for p in people], range(len(people)), color=blue, label="Before", zorder=2, marker="o")
    ax.scatter([p.post for p in people], range(len(people)), color=orange, label="After", zorder=3, marker="D")
    ax.set_yticks(range(len(people)), [p.participant for p in people])
    ax.invert_yaxis()
    ax.set_xlim(0, result.out_of)
    ax.set_xlabel(f"Questions right (out of {result.out_of})")
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    people_png = _png(fig)
    plt.close(fig)
    return outcome_png, people_png


def _outcome_alt(result: CohortResult) -> str:
    parts = [f"{o.outcome} {_pct(o.pre)} before, {_pct(o.post)} after" for o in result.outcomes]
    return (
        "Bar chart of the share of answers right for each course outcome, before and after: " + "; ".join(parts) + "."
    )


def _people_alt(result: CohortResult) -> str:
    c = result.comparison
    return (
        f"Chart of each participant's score before and after, out of {result.out_of}: {c.up} went up, "
        f"{c.down} went down and {c.same} stayed the same. The table below gives every score."
    )


def render_html(responses: Responses, result: CohortResult, *, version: str = "", title: str = "") -> str:
    """The report page: self-contained HTML with no script and no outside request."""
    heading = title or "Knowledge check: cohort report"
    h = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{escape(heading)}</h1>",
        *_body(responses, result, version=version),
        "</main></body></html>",
    ]
    return "\n".join(h) + "\n"


def render_fragment(responses: Responses, result: CohortResult, *, version: str = "") -> str:
    """The report's contents to show inside another page (the book's sample cohort report).

    No ``<html>``, ``<head>`` or ``<style>`` and no top heading: one ``<section
    class="dh-cohort-report">`` whose headings start at ``<h2>``, styled by the host page
    (book/_static/course.css scopes its rules to that class)."""
    return (
        '<section class="dh-cohort-report">\n' + "\n".join(_body(responses, result, version=version)) + "\n</section>\n"
    )


def _body(responses: Responses, result: CohortResult, *, version: str = "") -> list[str]:
    c = result.comparison
    h = [
        f'<p class="meta">Responses: {escape(Path(responses.file).name)}'
        + (f" · knowledge check version {escape(version)}" if version else "")
        + f" · {c.n} participant(s) with both sittings · {result.out_of} question(s)</p>",
        "<h2>What the comparison shows</h2>",
    ]
    h += [f"<p>{escape(p)}</p>" for p in reading(result, responses)]

    if c.n:
        outcome_png, people_png = _charts(result)
        h.append("<h2>By course outcome</h2>")
        h.append(
            f'<figure><img src="data:image/png;base64,{outcome_png}" alt="{escape(_outcome_alt(result))}">'
            "<figcaption>Share of answers right for each outcome, before and after the workshop "
            "(participants with both sittings). The table gives the same numbers.</figcaption></figure>"
        )
        h.append(
            "<table><caption>Answers right by outcome</caption><thead><tr><th>Outcome</th>"
            '<th class="num">Questions</th><th class="num">Right before</th><th class="num">Right after</th>'
            '<th class="num">Not answered before</th><th class="num">Not answered after</th></tr></thead><tbody>'
        )
        for o in result.outcomes:
            h.append(
                f"<tr><td>{o.outcome}</td><td class='num'>{o.questions}</td>"
                f"<td class='num'>{o.pre.right} of {o.pre.of} ({_pct(o.pre)})</td>"
                f"<td class='num'>{o.post.right} of {o.post.of} ({_pct(o.post)})</td>"
                f"<td class='num'>{o.pre.blank}</td><td class='num'>{o.post.blank}</td></tr>"
            )
        h.append("</tbody></table>")

        h.append("<h2>Each participant</h2>")
        h.append(
            f'<figure><img src="data:image/png;base64,{people_png}" alt="{escape(_people_alt(result))}">'
            "<figcaption>Each participant's score before (circle) and after (diamond). "
            "The table gives the same numbers.</figcaption></figure>"
        )
        h.append(
            "<table><caption>Scores before and after</caption><thead><tr><th>Participant</th>"
            f'<th class="num">Before (of {result.out_of})</th><th class="num">After</th><th class="num">Change</th>'
            '<th class="num">Not answered before</th><th class="num">Not answered after</th></tr></thead><tbody>'
        )
        for p in result.participants:
            change = f"{p.change:+d}".replace("-", "\u2212") if p.change else "0"
            h.append(
                f"<tr><td>{escape(p.participant)}</td><td class='num'>{p.pre}</td><td class='num'>{p.post}</td>"
                f"<td class='num'>{change}</td><td class='num'>{p.pre_blank}</td><td class='num'>{p.post_blank}</td></tr>"
            )
        h.append("</tbody></table>")

        h.append("<h2>Each question</h2>")
        h.append(
            "<table><caption>Answers right by question</caption><thead><tr><th>Question</th><th>Outcome</th>"
            '<th>Right answer</th><th class="num">Right before</th><th class="num">Right after</th>'
            '<th class="num">Not answered before</th><th class="num">Not answered after</th></tr></thead><tbody>'
        )
        for q in result.questions:
            h.append(
                f"<tr><td><strong>{escape(q.question.id)}</strong><br>{escape(q.question.prompt)}</td>"
                f"<td>{q.question.outcome}</td><td>{q.question.answer}</td>"
                f"<td class='num'>{q.pre.right} of {q.pre.of} ({_pct(q.pre)})</td>"
                f"<td class='num'>{q.post.right} of {q.post.of} ({_pct(q.post)})</td>"
                f"<td class='num'>{q.pre.blank}</td><td class='num'>{q.post.blank}</td></tr>"
            )
        h.append("</tbody></table>")

    h.append("<h2>Rows left out</h2>")
    if responses.problems:
        h.append(
            "<p>These lines of the file had a problem. Each was left out of every number above; "
            "correct the file and run the report again to include them.</p><ul class='problems'>"
        )
        h += [f"<li>{escape(str(p))}</li>" for p in responses.problems]
        h.append("</ul>")
    else:
        h.append("<p>None: every row of the file was used.</p>")

    h.append("<h2>How this report counts</h2>")
    h.append(
        '<div class="note"><p>The file has one row per participant per sitting: <code>participant</code>, '
        "<code>sitting</code> (<code>pre</code> or <code>post</code>), then one column per question headed with "
        "the question's id, each answer a letter A to D. Only participants with a usable pre and post row are "
        "counted, so before and after are about the same people.</p>"
        "<p>A blank answer is counted as <em>not answered</em> and shown in its own column. In a share right it "
        "counts as not right, because the person did not give the right answer; it is never counted as a wrong "
        "letter.</p>"
        "<p>The paired comparison is an exact two-sided sign test: it asks how often, if rises and falls were "
        "equally likely, a split at least as uneven as this one would come up by chance. People whose score did "
        "not change are set aside. It uses only the direction of each change, not its size, which suits small "
        "groups and makes few assumptions.</p></div>"
    )
    return h


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print the report to an A4 PDF with headless Chromium (Playwright's ``page.pdf``)."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        raise PdfUnavailable("Chromium is not installed (looked for 'chromium' and /usr/bin/chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfUnavailable("Playwright is not installed in this environment") from None
    html = Path(html_path).read_text(encoding="utf-8")
    try:
        with sync_playwright() as playwright:
            _print(playwright, executable, html, pdf_path)
    except PlaywrightError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PdfUnavailable(f"Chromium could not print the report ({first})") from None
    return Path(pdf_path)


def _print(playwright, executable: str, html: str, pdf_path: Path) -> None:
    browser = playwright.chromium.launch(executable_path=executable, args=PDF_FLAGS)
    try:
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())  # nothing may be fetched
        page.set_content(html, wait_until="load")
        page.pdf(
            path=str(pdf_path),
            format="A4",
            print_background=True,
            margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"},
        )
    finally:
        browser.close()
