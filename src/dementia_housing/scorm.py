"""SCORM 1.2 and SCORM 2004 (4th edition) packages of the built course, and a zip of the site.

One SCO per published chapter (chapters from ``content.course_map.CHAPTERS`` that ``_toc.yml``
lists, in its order), so a learning system reports each chapter on its own row. Every other page
and file of the site (welcome, tools, glossary, trainers' pages, the live runtime) goes in one
shared asset resource that each SCO depends on: the learner reaches them from the chapter's own
menu, as on the web, and no untracked item appears in the LMS's list (some systems mark such an
item "completed" as soon as it is opened, or count it against "all items completed").

Standard library only.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .content.course_map import CHAPTERS, Chapter, published_slugs

PACKAGE_NAME = "dementia-and-housing"
TITLE = "Dementia and Housing"
VERSIONS = ("1.2", "2004")
ZIP_NAMES = {"1.2": f"{PACKAGE_NAME}-scorm12.zip", "2004": f"{PACKAGE_NAME}-scorm2004.zip"}
SITE_ZIP_NAME = f"{PACKAGE_NAME}-site.zip"
SHARED = "course-site"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # a fixed date, so the same site gives the same zip

COMPLETION_RULES = (
    "One SCO per chapter. A chapter is completed when the learner has reached the end of its page "
    "and answered its self-check (the first option opened in each question is the answer); until "
    "then it is incomplete. Its score is the self-check result: the share of questions right at the "
    "first try, as a percentage (score.raw, with score.min 0 and score.max 100; SCORM 2004 also "
    "score.scaled, 0 to 1, and progress_measure). There is no pass mark, so SCORM 2004's "
    "success_status stays unknown. The resume point (cmi.core.lesson_location in SCORM 1.2, "
    "cmi.location in 2004: the heading the learner had reached) and the chapter's progress "
    "(suspend_data) are saved, and the chapter always exits as suspend, so reopening it resumes "
    "with both restored. Tools, the glossary and the other pages are shared files reached from "
    "each chapter's menu; they are not tracked. Nothing is sent anywhere except to this learning system."
)


class ScormError(Exception):
    """The built site cannot be packaged; the message says what to do."""


@dataclass(frozen=True)
class Sco:
    chapter: Chapter

    @property
    def href(self) -> str:
        return f"book/{self.chapter.slug}.html"

    @property
    def parameters(self) -> str:
        """Added to the launch address: the page talks to the LMS only when opened as this SCO."""
        return f"?sco={self.chapter.slug}"

    @property
    def resource_id(self) -> str:
        return f"sco-{self.chapter.slug}"

    @property
    def item_id(self) -> str:
        return f"item-{self.chapter.slug}"

    @property
    def title(self) -> str:
        return f"{self.chapter.number}. {self.chapter.title}"


def scos(toc_text: str) -> list[Sco]:
    """The chapters ``_toc.yml`` publishes, in course order, one SCO each."""
    listed = published_slugs(toc_text)
    return [Sco(chapter) for chapter in CHAPTERS if chapter.slug in listed]


def site_files(site: Path) -> list[str]:
    """Every file of the built site, as sorted paths relative to it (Sphinx's .buildinfo left out)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != ".buildinfo")


def check_site(site: Path, chapters: list[Sco]) -> list[str]:
    """The site's files, after checking it is a build with every chapter the toc lists."""
    if not (site / "index.html").is_file():
        raise ScormError(f"No built course in {site}: run `make build` first (or pass the folder holding index.html)")
    if not chapters:
        raise ScormError("_toc.yml lists no chapter (book/chNN-…): there is nothing to package")
    files = site_files(site)
    missing = [sco.href for sco in chapters if sco.href not in files]
    if missing:
        raise ScormError(f"The build in {site} lacks {', '.join(missing)}: rebuild it (`make build`) and try again")
    return files


def _files(paths: list[str], indent: str) -> str:
    return "".join(f"{indent}<file href={quoteattr(path)}/>\n" for path in paths)


def manifest(version: str, chapters: list[Sco], files: list[str], course_version: str = "1") -> str:
    """imsmanifest.xml for SCORM ``version`` ("1.2" or "2004"): chapters as SCOs, the rest shared."""
    if version not in VERSIONS:
        raise ScormError(f"Unknown SCORM version {version!r}: choose one of {', '.join(VERSIONS)}")
    own = {sco.href for sco in chapters}
    shared = [path for path in files if path not in own]
    rules = escape(COMPLETION_RULES)
    scorm12 = version == "1.2"
    if scorm12:
        head = (
            f'<manifest identifier="{PACKAGE_NAME}-scorm12" version={quoteattr(course_version)}\n'
            '  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"\n'
            '  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"\n'
            '  xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"\n'
            '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd '
            "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
            'http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">\n'
            "  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n"
            "    <imsmd:lom>\n      <imsmd:general>\n"
            f'        <imsmd:title><imsmd:langstring xml:lang="en-GB">{TITLE}</imsmd:langstring></imsmd:title>\n'
            f'        <imsmd:description><imsmd:langstring xml:lang="en-GB">{rules}</imsmd:langstring>'
            "</imsmd:description>\n"
            "      </imsmd:general>\n    </imsmd:lom>\n  </metadata>\n"
        )
        item_extra = ""
        organisation_extra = ""
        scorm_type = 'adlcp:scormtype="sco"'
        asset_type = 'adlcp:scormtype="asset"'
    else:
        head = (
            f'<manifest identifier="{PACKAGE_NAME}-scorm2004" version={quoteattr(course_version)}\n'
            '  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"\n'
            '  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"\n'
            '  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"\n'
            '  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"\n'
            '  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"\n'
            '  xmlns:lom="http://ltsc.ieee.org/xsd/LOM"\n'
            '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
            '  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd '
            "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
            "http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd "
            "http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd "
            'http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">\n'
            "  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>2004 4th Edition</schemaversion>\n"
            "    <lom:lom>\n      <lom:general>\n"
            f'        <lom:title><lom:string language="en-GB">{TITLE}</lom:string></lom:title>\n'
            f'        <lom:description><lom:string language="en-GB">{rules}</lom:string></lom:description>\n'
            "      </lom:general>\n    </lom:lom>\n  </metadata>\n"
        )
        # The content reports completion and score; the learner may open the chapters in any order.
        item_extra = (
            "        <imsss:sequencing>\n"
            '          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>\n'
            "        </imsss:sequencing>\n"
        )
        organisation_extra = (
            '      <imsss:sequencing>\n        <imsss:controlMode choice="true" flow="true"/>\n'
            "      </imsss:sequencing>\n"
        )
        scorm_type = 'adlcp:scormType="sco"'
        asset_type = 'adlcp:scormType="asset"'
    # SCORM 1.2 has no parameters attribute: its launch href carries them.
    launch = {sco.href: sco.href + sco.parameters if scorm12 else sco.href for sco in chapters}
    parameters = {sco.href: "" if scorm12 else f' parameters="{sco.parameters}"' for sco in chapters}
    items = "".join(
        f'      <item identifier="{sco.item_id}" identifierref="{sco.resource_id}"{parameters[sco.href]}>\n'
        f"        <title>{escape(sco.title)}</title>\n{item_extra}      </item>\n"
        for sco in chapters
    )
    resources = "".join(
        f'    <resource identifier="{sco.resource_id}" type="webcontent" {scorm_type} href="{launch[sco.href]}">\n'
        f'      <file href="{sco.href}"/>\n      <dependency identifierref="{SHARED}"/>\n    </resource>\n'
        for sco in chapters
    )
    resources += f'    <resource identifier="{SHARED}" type="webcontent" {asset_type}>\n{_files(shared, "      ")}    </resource>\n'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!-- {TITLE}: generated from _toc.yml by dementia-housing scorm. Completion rules: {rules} -->\n"
        f"{head}"
        '  <organizations default="dementia-and-housing">\n'
        '    <organization identifier="dementia-and-housing">\n'
        f"      <title>{TITLE}</title>\n{items}{organisation_extra}"
        "    </organization>\n  </organizations>\n"
        f"  <resources>\n{resources}  </resources>\n</manifest>\n"
    )


def _write_zip(target: Path, site: Path, files: list[str], extra: dict[str, str] | None = None) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        for path in files:
            info = zipfile.ZipInfo(path, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (site / path).read_bytes())
    partial.replace(target)
    return target


def write_packages(site: Path, toc_text: str, out: Path, course_version: str = "1") -> list[Path]:
    """Write the SCORM 1.2 and 2004 zips of the built ``site`` into ``out``; return their paths."""
    chapters = scos(toc_text)
    files = check_site(site, chapters)
    return [
        _write_zip(
            out / ZIP_NAMES[version],
            site,
            files,
            {"imsmanifest.xml": manifest(version, chapters, files, course_version)},
        )
        for version in VERSIONS
    ]


def write_site_zip(site: Path, target: Path) -> Path:
    """A zip of the built site for any static web server (its files at the zip's root)."""
    if not (site / "index.html").is_file():
        raise ScormError(f"No built course in {site}: run `make build` first")
    return _write_zip(target, site, site_files(site))
