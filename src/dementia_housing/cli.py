"""The course's command line: ``dementia-housing grade|feedback|export|moderate|cohort|scorm|handouts``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _skip_slow_optional_imports() -> None:
    """jsonschema builds an IRI grammar when it finds rfc3987-syntax (over a second at start-up);
    notebook and gradebook validation never check IRIs, so this command goes without it."""
    sys.modules.setdefault("rfc3987_syntax", None)


def _root() -> Path:
    """The course folder: the nearest folder upwards holding nbgrader_config.py and solutions/."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").exists() and (folder / "solutions").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


def _course(args):
    from .grading.course import Course

    return Course.at(args.course or _root(), work=args.work, db_url=args.db_url)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", type=Path, help="the course folder (default: found from where you are)")
    parser.add_argument(
        "--work",
        type=Path,
        help="the grading work area (default: the folder <course>-grading beside the course, or $DEMENTIA_HOUSING_WORK)",
    )
    parser.add_argument(
        "--db-url",
        help="the gradebook (default: SQLite in the work area; e.g. postgresql+psycopg2://user@host/dbname, "
        "or set DEMENTIA_HOUSING_DB_URL)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dementia-housing", description="Dementia and Housing course tools.")
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser(
        "grade",
        help="grade a folder (or zip) of submissions: marks, feedback and grades.csv",
        description="Collect submissions, autograde each one in a sandbox, write feedback and grades.csv. "
        "Safe to run again: unchanged submissions are kept, new or changed ones are graded.",
    )
    grade.add_argument("submissions", type=Path, help="folder or zip of notebooks as learners sent them")
    _common(grade)
    from .grading.sandbox import Limits

    defaults = Limits()
    grade.add_argument("--workers", type=int, help="submissions run at once (default: number of cores)")
    grade.add_argument(
        "--cell-timeout",
        type=float,
        default=defaults.cell_seconds,
        help=f"seconds one cell may run (default {defaults.cell_seconds:g})",
    )
    grade.add_argument(
        "--timeout",
        type=float,
        default=defaults.total_seconds,
        help=f"seconds a whole submission may run (default {defaults.total_seconds:g}); its CPU time limit follows",
    )
    grade.add_argument(
        "--memory-gb",
        type=float,
        default=defaults.memory_bytes / 1024**3,
        help=f"memory for each submission (default {defaults.memory_bytes / 1024**3:g} GB)",
    )
    grade.add_argument("--regrade", action="store_true", help="run every submission again, even unchanged ones")
    grade.add_argument(
        "--due",
        help='the due time, e.g. "2026-12-15 17:00" (your local time): later work is noted as late in grades.csv',
    )
    grade.add_argument(
        "--replace-changed",
        action="store_true",
        help="an exercise changed in solutions/ after it was marked: discard its old marks and mark everyone again",
    )
    grade.add_argument(
        "--allow-weak-sandbox",
        action="store_true",
        help="grade even without bubblewrap (network still blocked, but learner code could read files)",
    )

    feedback = commands.add_parser("feedback", help="rewrite feedback pages (after manual marking)")
    _common(feedback)
    export = commands.add_parser("export", help="rewrite grades.csv from the gradebook (after manual marking)")
    _common(export)

    moderate = commands.add_parser(
        "moderate",
        help="add a moderation note (kept in moderation.csv, never shown to the learner)",
        description="Note something about a mark for other assessors: a second marker's view, why a mark changed, "
        "what was sampled. Notes go to moderation.csv in the work area, never into feedback or grades.csv.",
    )
    moderate.add_argument("learner", help="the learner's id, as in grades.csv")
    moderate.add_argument("assignment", help="the exercise, for example ch04-vips")
    moderate.add_argument("note", help="the note, in quotes")
    moderate.add_argument("--by", default="", help="who wrote it (your name or initials)")
    _common(moderate)

    cohort = commands.add_parser(
        "cohort",
        help="write a cohort report from pre- and post-workshop knowledge-check responses",
        description="Read a CSV of knowledge-check responses (one row per participant per sitting: "
        "participant,sitting,<question ids>, answers A to D) and write cohort-report.html: before and after "
        "by question, by outcome and by participant, with a paired comparison. Bad rows are listed and left out. "
        "Exits 0 when it wrote a report (even with bad rows), 2 when the file cannot be used, and 1 when --pdf "
        "could not make the PDF (the HTML is still written).",
    )
    cohort.add_argument("responses", type=Path, help="the responses CSV file (UTF-8, as Excel's 'CSV UTF-8' saves it)")
    cohort.add_argument("--out", type=Path, default=Path("."), help="folder for the report (default: here)")
    cohort.add_argument(
        "--pdf", action="store_true", help="also print the report to cohort-report.pdf (needs Chromium)"
    )
    cohort.add_argument("--title", default="", help="a heading for the report, e.g. the cohort's name and dates")

    scorm = commands.add_parser(
        "scorm",
        help="write SCORM 1.2 and 2004 packages (and a site zip) of the built course",
        description="Package the built course (the folder holding index.html) for a learning system: "
        "dementia-and-housing-scorm12.zip and -scorm2004.zip, one SCO per chapter, the manifest generated "
        "from _toc.yml. With --site-zip FILE it writes a zip of the site for any web server instead.",
    )
    scorm.add_argument(
        "site", type=Path, nargs="?", default=Path("_build/html"), help="the built site (default: _build/html)"
    )
    scorm.add_argument(
        "--out", type=Path, default=Path("_build/scorm"), help="folder for the packages (default: _build/scorm)"
    )
    scorm.add_argument(
        "--site-zip",
        type=Path,
        help="write only a zip of the site to this file, for any web server (no SCORM packages)",
    )

    handouts = commands.add_parser(
        "handouts",
        help="print the handouts, the paper forms and certificates of attendance to A4 PDFs",
        description="Print the built site's handout pages (session handouts and the paper forms) to A4 PDFs with "
        "headless Chromium, and, with --participants, one certificate of attendance per participant "
        "(certificates.pdf, one A4 landscape page each). A bad participant row is reported with its line and left "
        "out. Exits 0 when everything printed (even with bad rows), 2 when an input cannot be used, 1 when "
        "Chromium could not print.",
    )
    handouts.add_argument(
        "--site", type=Path, help="the built site (default: _build/html in the course folder, built first if stale)"
    )
    handouts.add_argument(
        "--participants", type=Path, help="CSV with the columns name,organisation,dates (dates separated by ';')"
    )
    handouts.add_argument("--out", type=Path, default=Path("handouts"), help="folder for the PDFs (default: handouts)")

    args = parser.parse_args(argv)
    if args.command == "cohort":
        return _cohort(args)
    if args.command == "handouts":
        return _handouts(args)
    if args.command == "scorm":
        return _scorm(args)
    _skip_slow_optional_imports()
    course = _course(args)

    if args.command == "grade":
        from datetime import datetime

        from .grading.gradebook import AssignmentChanged
        from .grading.pipeline import KernelsWouldNotStart
        from .grading.pipeline import grade as run_grade
        from .grading.sandbox import Limits, SandboxUnavailable

        try:
            due = datetime.fromisoformat(args.due) if args.due else None
        except ValueError:
            print(
                f'Not grading: --due {args.due!r} is not a date and time; write it as "2026-12-15 17:00"',
                file=sys.stderr,
            )
            return 2
        limits = Limits(
            cell_seconds=args.cell_timeout,
            total_seconds=args.timeout,
            memory_bytes=int(args.memory_gb * 1024**3),
        )
        try:
            run_grade(
                args.submissions,
                course,
                limits=limits,
                workers=args.workers,
                allow_weak_sandbox=args.allow_weak_sandbox,
                regrade=args.regrade,
                replace_changed=args.replace_changed,
                due=due,
            )
        except (SandboxUnavailable, AssignmentChanged, KernelsWouldNotStart) as error:
            print(f"Not grading: {error}", file=sys.stderr)
            return 2
        return 0

    if args.command == "moderate":
        from .grading.intake import learner_id
        from .grading.moderation import add_note

        try:
            path = add_note(course, learner_id(args.learner), args.assignment, args.note, by=args.by)
        except ValueError as error:
            print(f"Not noted: {error}", file=sys.stderr)
            return 2
        print(f"==> noted for {learner_id(args.learner)} / {args.assignment} in {path} (not shown to the learner)")
        return 0

    if args.command == "feedback":
        from .grading.export import grade_rows
        from .grading.feedback import write_feedback

        items = sorted({(row["learner"], row["assignment"]) for row in grade_rows(course)})
        written = write_feedback(course, items)
        print(f"==> {len(written)} feedback page(s) in {course.folder('feedback')}")
        return 0

    from .grading.export import export_grades

    print(f"==> grades: {export_grades(course)}")
    return 0


def _scorm(args) -> int:
    from .scorm import ScormError, write_packages, write_site_zip

    try:
        if args.site_zip:
            written = [write_site_zip(args.site, args.site_zip)]
        else:
            written = write_packages(args.site, (_root() / "_toc.yml").read_text(encoding="utf-8"), args.out)
    except ScormError as error:
        print(f"No package: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"==> {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


def _cohort(args) -> int:
    from .content.datafiles import DataError
    from .trainers import knowledge_check
    from .trainers.cohort import ResponsesError, analyse, read_responses

    try:
        check = knowledge_check.load()
    except DataError as error:
        print(f"No report: the knowledge check is broken: {error}", file=sys.stderr)
        return 2
    print(f"==> reading {args.responses} (knowledge check version {check.version})")
    try:
        responses = read_responses(args.responses, check.questions)
    except ResponsesError as error:
        print(f"No report: {error}", file=sys.stderr)
        return 2
    if responses.problems:
        print(f"==> {len(responses.problems)} problem(s) in the file; what they name is left out of the report:")
        for problem in responses.problems:
            print(f"    {args.responses}, {problem}")
    if not responses.pairs:
        print(
            f"No report: no participant in {args.responses} has both a usable pre and post row. "
            "Check the sitting column (pre or post) and that each participant's id is the same on both rows.",
            file=sys.stderr,
        )
        return 2
    result = analyse(responses)
    print(f"==> {result.comparison.n} participant(s) with both sittings, {result.out_of} question(s)")

    from .trainers.cohort_report import PdfUnavailable, render_html, write_pdf

    try:
        page = render_html(responses, result, version=check.version, title=args.title)
    except ImportError as error:
        print(
            f"No report: the charts need {error.name or 'matplotlib'}, which is not installed here; "
            "install the course's tools with: pip install 'dementia-housing[course]'",
            file=sys.stderr,
        )
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        html_path = args.out / "cohort-report.html"
        html_path.write_text(page, encoding="utf-8")
    except OSError as error:
        print(
            f"No report: could not write to {args.out} ({error.strerror}); choose another --out folder", file=sys.stderr
        )
        return 2
    print(f"==> report: {html_path}")
    if args.pdf:
        try:
            pdf_path = write_pdf(html_path, args.out / "cohort-report.pdf")
        except PdfUnavailable as error:
            print(f"No PDF: {error}. The HTML report is written; print it from a browser instead.", file=sys.stderr)
            return 1
        print(f"==> PDF: {pdf_path}")
    return 0


def _handouts(args) -> int:
    import subprocess

    from .trainers import handouts

    people = ()
    if args.participants:
        try:
            read = handouts.read_participants(args.participants)
        except handouts.ParticipantsError as error:
            print(f"No certificates: {error}", file=sys.stderr)
            return 2
        for problem in read.problems:
            print(f"    skipped {args.participants}, {problem}")
        if not read.people:
            print(f"No certificates: no usable row in {args.participants}", file=sys.stderr)
            return 2
        people = read.people
    root = _root()
    site = args.site or root / "_build" / "html"
    stale = handouts.stale_source(site, root)
    if stale and args.site is None:
        shown = stale.relative_to(root) if stale.is_relative_to(root) else stale
        print(f"==> Building the book first ({shown} {'is newer' if stale.exists() else 'is not built yet'})")
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        built = subprocess.run([str(jupyter_book), "build", str(root), "--all", "-W", "-n", "--keep-going"], cwd=root)
        if built.returncode != 0:
            print("No handouts: the book did not build; see the messages above", file=sys.stderr)
            return 2
    elif stale:
        print(f"    note: {site} is older than {stale}; the handouts show the site as it was built")
    try:
        written = handouts.print_handouts(site, args.out)
        if people:
            print(f"==> certificates for {len(people)} participant(s)")
            written.append(handouts.print_certificates(people, args.out))
    except handouts.PrintUnavailable as error:
        print(f"No handouts: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"No handouts: could not write to {args.out} ({error.strerror}); choose another --out", file=sys.stderr)
        return 2
    print(f"==> {len(written)} PDF(s) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
