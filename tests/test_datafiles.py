"""The one data loader: values as json reads them, and every error names file, line and field."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT

from dementia_housing.content import datafiles
from dementia_housing.content.datafiles import DataError

TEXT = """{
  "title": "Scenarios",
  "items": [
    {"id": "a", "text": "First"},
    {
      "id": "b",
      "text": "   "
    }
  ],
  "count": 2,
  "ratio": -1.5e2,
  "flags": [true, false, null]
}
"""


def test_values_are_what_json_reads():
    assert datafiles.parse(TEXT, "t.json").value == json.loads(TEXT)


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("**/*.json")), ids=lambda p: p.name)
def test_every_course_data_file_reads_as_json_reads_it(path):
    text = path.read_text(encoding="utf-8")
    assert datafiles.parse(text, path.name).value == json.loads(text)


def test_an_error_names_the_line_of_the_field():
    root = datafiles.parse(TEXT, "t.json")
    items = root["items"].items()
    assert [item.line for item in items] == [4, 5]
    with pytest.raises(DataError) as caught:
        items[1].text("text")
    assert str(caught.value) == "t.json:7, field 'items[1].text': missing or empty; write it as text"
    assert (caught.value.file, caught.value.line, caught.value.field) == ("t.json", 7, "items[1].text")


def test_a_missing_field_is_named_at_its_object():
    with pytest.raises(DataError, match=r"^t.json:4, field 'items\[0\].feedback': missing; add it$"):
        datafiles.parse(TEXT, "t.json")["items"].items()[0].object("id", "feedback")


def test_a_repeated_key_is_refused_where_it_repeats():
    with pytest.raises(DataError, match=r"^t.json:3, field 'a': appears twice"):
        datafiles.parse('{"a": 1,\n "b": 2,\n "a": 3}', "t.json")


def test_invalid_json_names_the_line():
    with pytest.raises(DataError, match=r"^t.json:2: not valid JSON"):
        datafiles.parse('{"a": 1,\n ]', "t.json")


def test_lists_are_checked_for_length_and_kind():
    root = datafiles.parse(TEXT, "t.json")
    with pytest.raises(DataError, match=r"t.json:3, field 'items': give between 3 and 4 items \(found 2\)"):
        root["items"].items(at_least=3, at_most=4)
    with pytest.raises(DataError, match=r"field 'title': must be a list of scenes"):
        root["title"].items(what="scene")
    with pytest.raises(DataError, match=r"^t.json:10, field 'count': must be true or false$"):
        root.flag("count")
    assert root.flag("absent", default=True) is True


def test_a_missing_file_is_a_data_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMENTIA_HOUSING_DATA", str(tmp_path))
    with pytest.raises(DataError, match=r"^data/nothing.json: no such file"):
        datafiles.load("nothing.json")
