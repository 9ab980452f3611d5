"""The adaptations business-case calculator: the data file and its checks, reading the form (bad
input included), the sums against cases worked by hand, the low / central / high ordering, the
payback edge cases, the price-factor rules, the CSV and the board paragraph, and the view driven
through its widgets."""

from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
import shutil
import subprocess
import sys
from html import unescape
from urllib.parse import unquote

import ipywidgets as widgets
import pytest
from helpers import ROOT, assert_data_error

from dementia_housing.content import evidence
from dementia_housing.content.datafiles import DataError
from dementia_housing.models import business_case as model
from dementia_housing.models.business_case import FieldProblem, calculate_form, parse_calculator, read_form
from dementia_housing.models.spreadsheet import BOM
from dementia_housing.views.base import ToolView
from dementia_housing.views.business_case import (
    WORKED_EXAMPLE,
    BusinessCaseCalculator,
    example_form,
    worked_example_html,
)

FILE = "data/business-case.json"
RAW = json.loads((ROOT / FILE).read_text(encoding="utf-8"))
CALC = model.load_calculator()

# The source's figures, read here straight from the CSV text (not through the model), so that
# the hand-worked cases below check the model against the table rather than against itself.
_ROWS = {row["id"]: row for row in csv.DictReader(io.StringIO((ROOT / "data/evidence.csv").read_text("utf-8")))}


def source(fig_id: str) -> float:
    return float(_ROWS[fig_id]["value"])


HIP = source("hip_fracture_cost_2008")  # £28,665
RAILS_RATIO = source("hip_fracture_grab_rails_ratio_2008")  # 100
CARE_LOW, CARE_HIGH = source("residential_care_weekly_cost_low_2008"), source("residential_care_weekly_cost_high_2008")


def form(**entries: str) -> dict[str, str]:
    """The default form with some entries changed; keys use _ for - (count_grab_rails)."""
    return {**model.default_form(), **{key.replace("_", "-"): value for key, value in entries.items()}}


CERTAIN = {"attribution_low": "100", "attribution_central": "100", "attribution_high": "100"}


def problem_of(entries: dict[str, str]) -> tuple[str, str]:
    reading = read_form(entries)
    assert reading.problems, "expected a problem"
    return reading.problems[0]


# The data file --------------------------------------------------------------------------------


def test_the_file_has_the_four_payers_the_issue_names_and_the_outcomes():
    names = {p.name for p in CALC.payers}
    assert {"The NHS", "Adult social care", "The person and family", "The landlord"} <= names
    assert {o.id for o in CALC.outcomes} >= {"hip-fractures", "care-home-months", "discharge-days", "home-care-hours"}
    assert CALC.adaptations[0].id == "grab-rails" and "major-adaptation" in {a.id for a in CALC.adaptations}


def test_every_sourced_default_is_read_from_the_evidence_table_with_its_year():
    for a in CALC.adaptations:
        for fig_id in a.unit_cost.ids:
            assert _ROWS[fig_id]["year"] == "2008" and _ROWS[fig_id]["source_key"] == "edwards2008"
    fields = {f.id: f for f in model.fields()}
    assert fields["value-hip-fractures"].default == "28,665" == f"{HIP:,.0f}"
    assert fields["cost-major-adaptation"].default == f"{source('major_adaptation_cost_2008'):,.0f}"
    assert fields["cost-grab-rails"].default == f"{HIP / RAILS_RATIO:,.2f}"
    for f in fields.values():
        if f.kind == "money" and f.default != "0":
            assert "Edwards (2008)" in f.note and "2008 prices" in f.note, f.id
        elif f.kind == "money":
            assert "enter your local figure" in f.note, f.id


def test_no_default_is_invented_where_no_source_gives_one():
    fields = {f.id: f for f in model.fields()}
    for field_id in ("cost-lighting", "cost-other", "value-discharge-days", "value-void-weeks"):
        assert fields[field_id].default == "0"


def test_notes_show_the_tables_figures_not_retyped_ones():
    grab_rails = next(a for a in CALC.adaptations if a.id == "grab-rails")
    assert "{" not in grab_rails.note and "£28,665" in grab_rails.note and " 100 times" in grab_rails.note


def test_person_first_language():
    text = (ROOT / FILE).read_text(encoding="utf-8").lower()
    for word in ("sufferer", "demented", "emi ", "wandering", "elderly"):
        assert word not in text, word


def raised(function, *args) -> Exception:
    with pytest.raises(DataError) as caught:
        function(*args)
    return caught.value


def outcome(data: dict, outcome_id: str) -> dict:
    return next(o for o in data["outcomes"] if o["id"] == outcome_id)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d["adaptations"][0].update(paid_by="tenant"), "adaptations[0].paid_by", "'tenant' is not a payer"),
        (
            lambda d: d["adaptations"][2]["unit_cost"].update(id="no_such_figure"),
            "adaptations[2].unit_cost.id",
            "not an id in data/evidence.csv",
        ),
        (
            lambda d: d["adaptations"][2]["unit_cost"].update(id="attila_councils"),
            "adaptations[2].unit_cost.id",
            "is in 'count'",
        ),
        (
            lambda d: d["adaptations"][2]["unit_cost"].update(id="sandwell_hia_investment"),
            "adaptations[2].unit_cost.id",
            "is a 2013 figure",
        ),
        (
            lambda d: d["adaptations"][2].update(cost_note="About £300 for a door."),
            "adaptations[2].cost_note",
            "has a number typed in",
        ),
        (
            lambda d: d["adaptations"][1]["unit_cost"].update(id="door_widening_cost_2008"),
            "adaptations[1].unit_cost",
            "a local figure has no source",
        ),
        (
            lambda d: d["adaptations"][1]["unit_cost"].update({"from": "guess"}),
            "adaptations[1].unit_cost.from",
            "guess",
        ),
        (lambda d: d["adaptations"][1].update(id="grab-rails"), "adaptations[1].id", "'grab-rails' is already used"),
        (  # a weekly cost where one item's cost belongs, and the other way round
            lambda d: d["adaptations"][2]["unit_cost"].update(id="residential_care_weekly_cost_low_2008"),
            "adaptations[2].unit_cost.id",
            "is in '£ a week'",
        ),
        (
            lambda d: outcome(d, "care-home-months")["unit_value"].update(
                low={"from": "evidence", "id": "door_widening_cost_2008"}
            ),
            "outcomes[1].unit_value.low.id",
            "is in '£'; use a figure in £ a week",
        ),
        (
            lambda d: outcome(d, "care-home-months")["unit_value"].update(
                low={"from": "evidence", "id": "residential_care_weekly_cost_high_2008"},
                high={"from": "evidence", "id": "residential_care_weekly_cost_low_2008"},
            ),
            "outcomes[1].unit_value",
            "the low value",
        ),
        (
            lambda d: outcome(d, "hip-fractures")["unit_value"].update(low={"from": "local"}),
            "outcomes[0].unit_value",
            "give either 'central', or both 'low' and 'high'",
        ),
        (lambda d: d["notes"].pop("wrong_pocket"), "notes.wrong_pocket", "missing"),
        (lambda d: d["payers"][0].update(short="The National Health Service"), "payers[0].short", "keep it to 20"),
        (lambda d: outcome(d, "discharge-days").update(payer="hospital"), "outcomes[2].payer", "not a payer"),
        (lambda d: d.update(schema_version=2), "schema_version", "2 is not a version this tool reads"),
        (lambda d: d.pop("payers"), "payers", "missing; add it"),
    ],
)
def test_bad_data_names_the_line_and_field(change, field, words):
    data = copy.deepcopy(RAW)
    change(data)
    assert_data_error(raised(parse_calculator, data, FILE), data, FILE, field, words)


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """A data folder of the test's own (with the evidence table), read afresh by the loader."""
    for name in ("evidence.csv", "references.bib"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    monkeypatch.setenv(evidence.DATA_ENV, str(tmp_path))
    model.load_calculator.cache_clear()
    yield tmp_path
    model.load_calculator.cache_clear()


def test_a_file_read_from_disk_names_its_own_line(data_folder):
    data = copy.deepcopy(RAW)
    outcome(data, "discharge-days")["payer"] = "hospital"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    (data_folder / model.FILE).write_text(text, encoding="utf-8")
    problem = raised(model.load_calculator)
    assert str(problem).startswith(f"{FILE}:{problem.line}, field 'outcomes[2].payer'")
    assert '"payer": "hospital"' in text.splitlines()[problem.line - 1]


# Reading the form: bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("-5", "Enter 0 or more (you typed -5)."),
        ("abc", "Enter a number, such as 2 or 1,500 (you typed 'abc')."),
        ("1,50", "Enter a number"),
        ("1e9", "Enter a number"),
        ("", "Enter a number (0 if none)."),
        ("200,000", "That is more than 100,000"),
        ("2.5", "Enter a whole number (you typed 2.5)."),
    ],
)
def test_a_bad_count_says_what_to_do_beside_its_field(typed, words):
    field, message = problem_of(form(count_grab_rails=typed))
    assert field == "count-grab-rails" and message.startswith(words)


@pytest.mark.parametrize(
    ("entries", "field", "words"),
    [
        ({"value_hip_fractures": "£20,000,000"}, "value-hip-fractures", "That is more than £10,000,000"),
        ({"self_funders": "150"}, "self-funders", "That is more than 100%"),
        ({"period": "0"}, "period", "at least 1 month"),
        ({"period": "121"}, "period", "That is more than 120"),
        ({"value_high_care_home_months": "600"}, "value-high-care-home-months", "at least the low cost"),
        ({"attribution_central": "40"}, "attribution-central", "at least the low share"),
        ({"attribution_high": "60"}, "attribution-high", "at least the central share"),
    ],
)
def test_other_bad_entries_are_named(entries, field, words):
    found, message = problem_of(form(**entries))
    assert found == field and words in message


def test_numbers_are_read_as_people_type_them():
    case = model.case_of(form(count_grab_rails=" 1,000 ", value_hip_fractures="£30,000", self_funders="25%"))
    assert dict(case.counts)["grab-rails"] == 1000 and case.self_funders == 0.25
    assert dict((v[0], v[1]) for v in case.values)["hip-fractures"] == 30000


def test_a_bad_entry_keeps_the_rest_working_with_its_last_good_value():
    good = form(count_grab_rails="10", qty_hip_fractures="1")
    bad = {**good, "count-grab-rails": "-5", "qty-hip-fractures": "2"}
    reading = read_form(bad, good)
    assert reading.problem("count-grab-rails").startswith("Enter 0 or more")
    assert dict(reading.case.counts)["grab-rails"] == 10, "the last good value is used"
    assert dict(reading.case.quantities)["hip-fractures"] == 2, "the other fields still count"
    with pytest.raises(FieldProblem) as caught:
        model.case_of(bad)
    assert caught.value.field == "count-grab-rails"


# Price factor ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factor", "index", "field", "words"),
    [
        ("1.5", "", model.PRICE_INDEX, "Name the index and the years"),
        ("", "GDP deflator, 2008 to 2025", model.PRICE_FACTOR, "Enter the factor for this index too"),
        ("0", "GDP deflator", model.PRICE_FACTOR, "above 0"),
        ("-1", "GDP deflator", model.PRICE_FACTOR, "above 0"),
        ("11", "GDP deflator", model.PRICE_FACTOR, "above 10 is not a price change"),
        ("one and a half", "GDP deflator", model.PRICE_FACTOR, "as a number"),
        ("1.5", "x" * 81, model.PRICE_INDEX, "80 characters"),
    ],
)
def test_a_price_factor_must_be_named_positive_and_sensible(factor, index, field, words):
    with pytest.raises(FieldProblem) as caught:
        model.parse_price_factor(factor, index)
    assert caught.value.field == field and words in caught.value.message
    assert problem_of(form(price_factor=factor, price_index=index))[0] == field


def test_no_price_factor_means_2008_prices_and_none_is_built_in():
    assert model.parse_price_factor("", "") is None
    result = calculate_form(form(count_grab_rails="10"))
    assert result.price_base == "2008 prices"
    assert model.board_paragraph(result).startswith("Estimate, in 2008 prices:")


def test_a_price_factor_changes_only_the_2008_figures_and_every_output_names_it():
    plain = form(count_grab_rails="10", count_lighting="2", cost_lighting="50", qty_hip_fractures="1", **CERTAIN)
    factored = {**plain, "price-factor": "2", "price-index": "GDP deflator, 2008 to 2025"}
    before, after = calculate_form(plain), calculate_form(factored)
    # by hand: 10 rails at £286.65, doubled; 2 lights at £50, not doubled
    assert after.cost == pytest.approx(2 * 10 * HIP / RAILS_RATIO + 2 * 50)
    assert before.cost == pytest.approx(10 * HIP / RAILS_RATIO + 2 * 50)
    assert after.estimate("central").avoided == pytest.approx(2 * HIP)
    words = "2008 prices × 2 (GDP deflator, 2008 to 2025, as entered)"
    assert after.price_base.startswith(words) and "your own figures as you entered them" in after.price_base
    assert words in model.board_paragraph(after)
    assert words in model.result_csv(after)


def test_a_changed_default_is_the_users_own_figure_and_the_factor_leaves_it_alone():
    result = calculate_form(
        form(count_major_adaptation="1", cost_major_adaptation="7,000", price_factor="1.5", price_index="An index")
    )
    assert result.cost == 7000 and result.price_base == "your own figures, at the prices you entered"
    same = calculate_form(form(count_major_adaptation="1", cost_major_adaptation="6000.00"))
    assert same.costs[3].sourced and same.price_base == "2008 prices", "the default however it is written"


# The sums, against cases worked by hand --------------------------------------------------------


def test_grab_rails_against_one_hip_fracture():
    # 100 sets of rails cost what one hip fracture does (the guidance's ratio): they repay at once
    # if they prevent one; with half the credit, they do not repay within the year.
    certain = calculate_form(form(count_grab_rails="100", qty_hip_fractures="1", **CERTAIN))
    central = certain.estimate("central")
    assert certain.cost == pytest.approx(28665) and central.avoided == pytest.approx(28665)
    assert central.net == pytest.approx(0, abs=0.005) and central.ratio == pytest.approx(1)
    assert central.payback_months == pytest.approx(12)
    assert dict(central.avoided_by_payer)["nhs"] == pytest.approx(28665)
    assert dict(certain.cost_by_payer)["landlord"] == pytest.approx(28665)
    low = calculate_form(form(count_grab_rails="100", qty_hip_fractures="1")).estimate("low")
    assert low.avoided == pytest.approx(14332.5) and low.payback_months is None


def test_a_year_in_a_care_home_at_the_low_middle_and_high_weekly_cost():
    result = calculate_form(form(qty_care_home_months="12", self_funders="25", **CERTAIN))
    assert [e.avoided for e in result.estimates] == pytest.approx([700 * 52, 750 * 52, 800 * 52])
    central = dict(result.estimate("central").avoided_by_payer)
    assert central["person"] == pytest.approx(39000 / 4) and central["social-care"] == pytest.approx(39000 * 3 / 4)
    assert (CARE_LOW, CARE_HIGH) == (700, 800)


def test_the_sources_home_care_case_comes_back_to_its_total():
    # 4.5 hours a week for 32 weeks cost £1,440 in the guidance: the calculator's hourly default
    # gives the same total for the same hours.
    result = calculate_form(form(qty_home_care_hours_a_week="4.5", qty_home_care_weeks="32", **CERTAIN))
    assert result.estimate("central").avoided == pytest.approx(source("door_widening_delay_home_care_cost_2008"))


def test_dev_s_worked_example_by_hand():
    result = calculate_form(example_form())
    assert result.cost == pytest.approx(100 * 286.65 + 4 * 300 + 5 * 6000)  # £59,865
    hips, care_central, home_care = 2 * 28665, 8 * 750 * 52 / 12, 5 * 26 * 10
    assert result.estimate("central").avoided == pytest.approx(0.75 * (hips + care_central + home_care))
    assert result.estimate("high").avoided == pytest.approx(hips + 8 * 800 * 52 / 12 + home_care)
    assert result.estimate("low").avoided == pytest.approx(0.5 * (hips + 8 * 700 * 52 / 12 + home_care))
    assert result.estimate("low").payback_months is None, "the low case does not repay within the year"


def test_a_local_cost_for_a_hospital_day_and_a_void_week_goes_to_nhs_and_landlord():
    entries = form(
        qty_discharge_days="10", value_discharge_days="400", qty_void_weeks="3", value_void_weeks="120", **CERTAIN
    )
    central = dict(calculate_form(entries).estimate("central").avoided_by_payer)
    assert central["nhs"] == pytest.approx(4000) and central["landlord"] == pytest.approx(360)


@pytest.mark.parametrize(
    ("entries", "payback", "ratio"),
    [
        ({"qty_hip_fractures": "1"}, "straight away (nothing spent)", "none (nothing spent)"),
        ({"count_grab_rails": "10"}, "not within 12 months", "0.00 to 1"),
        ({}, "straight away (nothing spent)", "none (nothing spent)"),
    ],
)
def test_payback_edge_cases(entries, payback, ratio):
    central = calculate_form(form(**entries, **CERTAIN)).estimate("central")
    assert model.payback_words(central) == payback and model.ratio_words(central) == ratio


def test_payback_is_in_months_within_the_period():
    # £6,000 spent, £28,665 saved over 24 months: repaid after 24 × 6,000 / 28,665 months
    central = calculate_form(form(count_major_adaptation="1", qty_hip_fractures="1", period="24", **CERTAIN)).estimate(
        "central"
    )
    assert central.payback_months == pytest.approx(24 * 6000 / 28665)
    assert model.payback_words(central) == "5.0 months"


def test_low_central_high_are_always_in_order():
    rng = random.Random(2008)
    fields = model.fields()
    for _ in range(300):
        entries = {}
        for f in fields:
            if f.kind == "count":
                entries[f.id] = str(rng.choice([0, 0, 1, 3, 17, 250]))
            elif f.kind == "money" and rng.random() < 0.5:
                entries[f.id] = f"{rng.uniform(0, 50000):.2f}"
            elif f.kind == "percent" and f.id == model.SELF_FUNDERS:
                entries[f.id] = str(rng.randint(0, 100))
        shares = sorted(rng.randint(0, 100) for _ in range(3))
        entries.update(zip(model.ATTRIBUTION.values(), map(str, shares), strict=True))
        if rng.random() < 0.3:
            entries.update(
                {model.PRICE_FACTOR: f"{rng.uniform(0.5, 3):.2f}", model.PRICE_INDEX: "An index, 2008 to 2025"}
            )
        reading = read_form(form() | entries)
        low, central, high = model.calculate(reading.case).estimates
        assert low.avoided <= central.avoided + 1e-6 <= high.avoided + 2e-6
        assert low.net <= central.net + 1e-6 <= high.net + 2e-6
        for (payer, a), (_, b), (_, c) in zip(
            low.avoided_by_payer, central.avoided_by_payer, high.avoided_by_payer, strict=True
        ):
            assert a <= b + 1e-6 <= c + 2e-6, payer
        if low.payback_months is not None and high.payback_months is not None:
            assert high.payback_months <= low.payback_months + 1e-9


# Outputs ---------------------------------------------------------------------------------------


def test_the_board_paragraph_states_price_base_range_who_saves_who_pays_and_that_it_is_an_estimate():
    text = model.board_paragraph(calculate_form(example_form()))
    assert text.startswith("Estimate, in 2008 prices:")
    assert "range £41,448 to £86,363" in text and "about £63,472" in text
    assert "the landlord (£28,665)" in text and "the NHS (£42,998)" in text
    assert "wrong pocket" in text and "not a measured saving" in text
    assert "£" in text and re.search(r"\d{4}", text.replace("2008", "")) is None, "thousands separators always"


def test_the_csv_has_the_lines_totals_and_price_base_and_no_formula():
    result = calculate_form(form(count_grab_rails="10", price_factor="1.2", price_index='=HYPERLINK("x")'))
    text = model.result_csv(result)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert tuple(rows[0]) == model.CSV_HEADER
    assert rows[1][0] == "price base" and '=HYPERLINK("x")' in rows[1][1]
    assert any(r[:2] == ["total", "net benefit"] for r in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
            if cell.startswith("-"):
                float(cell)  # only a number may start with a minus sign


# The view --------------------------------------------------------------------------------------


def all_widgets(root):
    waiting = [root]
    while waiting:
        widget = waiting.pop()
        yield widget
        waiting.extend(getattr(widget, "children", ()))


def test_the_view_opens_on_the_worked_example_with_the_models_result():
    tool = BusinessCaseCalculator.worked_example()
    assert isinstance(tool, ToolView) and tool.TOOL.chapter == "ch05-evidence"
    expected = calculate_form(example_form())
    shown = unescape(tool.results.value)
    assert "Price base</strong>: 2008 prices." in shown
    assert model.board_paragraph(expected) in shown
    assert all(tool.rows[key].control.value == value for key, value in WORKED_EXAMPLE.items())


def test_a_bad_entry_shows_its_message_beside_its_field_and_the_rest_keeps_working():
    tool = BusinessCaseCalculator.worked_example()
    before = tool.results.value
    tool.rows["count-grab-rails"].control.value = "-5"
    assert "Enter 0 or more (you typed -5)." in tool.rows["count-grab-rails"].error.value
    assert 'role="alert"' in tool.rows["count-grab-rails"].error.value
    assert tool.results.value == before, "the last good value is used"
    tool.rows["qty-hip-fractures"].control.value = "3"
    expected = calculate_form({**example_form(), "qty-hip-fractures": "3"})
    assert model.board_paragraph(expected) in unescape(tool.results.value)
    assert tool.rows["count-grab-rails"].control.value == "-5", "nothing typed is lost"
    tool.rows["count-grab-rails"].control.value = "100"
    assert tool.rows["count-grab-rails"].error.value == ""


def test_a_factor_without_an_index_is_refused_beside_the_index_field():
    tool = BusinessCaseCalculator.worked_example()
    tool.rows[model.PRICE_FACTOR].control.value = "1.4"
    assert "Name the index" in tool.rows[model.PRICE_INDEX].error.value
    assert "2008 prices." in unescape(tool.results.value)
    tool.rows[model.PRICE_INDEX].control.value = "GDP deflator, 2008 to 2025"
    assert tool.rows[model.PRICE_INDEX].error.value == ""
    assert "2008 prices × 1.4 (GDP deflator, 2008 to 2025, as entered)" in unescape(tool.results.value)


def test_the_csv_link_holds_the_models_csv():
    tool = BusinessCaseCalculator.worked_example()
    href = re.search(r'href="data:text/csv;charset=utf-8,([^"]+)"', tool.csv_link.value).group(1)
    assert unquote(unescape(href)) == model.result_csv(calculate_form(example_form()))
    assert "Print" in tool.csv_link.value


def test_every_field_has_its_label_above_it_and_its_source_beside_it():
    tool = BusinessCaseCalculator()
    texts = [w for w in all_widgets(tool.view) if isinstance(w, widgets.Text)]
    assert len(texts) == len(model.fields())
    for row in tool.rows.values():
        assert row.control.description == row.field.label and row.control.style.description_width == "100%"
        assert row.field.note and row.field.note in unescape(row.note.value)
    labels = [t.description for t in texts]
    assert len(set(labels)) == len(labels), "every label is unique"


def test_the_worked_example_is_readable_without_the_live_tool():
    html = worked_example_html()
    assert "Dev" in html and "<svg" in html and 'role="img"' in html and "<table" in html
    assert "What Dev entered" in html and "2008 prices" in html
    assert "<script" not in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_importing_the_view_creates_no_widget():
    code = (
        "import ipywidgets.widgets.widget as w; import dementia_housing.views.business_case; print(len(w._instances))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0"
