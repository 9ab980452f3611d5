"""Adaptations business-case calculator: what a set of home adaptations costs, and the costs
it may avoid, for whom.

The adaptation types, the outcomes an adaptation may prevent, who pays and who saves, and the
evidence ids of every default are in ``data/business-case.json``; the defaults' values are read
from the evidence table (``data/evidence.csv``), never typed here. A default with no source is
0, and the page asks for the user's local figure.

How the sums work (the tool's page states the same rules):

- **cost** = for each adaptation type, how many × the cost of one; who pays is fixed by type;
- **cost avoided** = for each outcome, how many × what one costs × the **attribution share**
  (how many of those events the adaptations really prevented). An outcome measured in two parts
  (home-care hours a week, and for how many weeks) multiplies them. A care-home cost given a week
  is made a month with 52 ÷ 12 weeks; the share paid by self-funders goes to the person and
  family, the rest to adult social care;
- **low / central / high** use the low, central and high attribution shares, and, where the
  source gives a range of costs (care homes), its low end, its middle and its high end. Every
  quantity is 0 or more and the shares and costs are ordered, so low ≤ central ≤ high always;
- **net benefit** = cost avoided − cost; **benefit-cost ratio** = cost avoided ÷ cost (none when
  nothing is spent); **payback** = the month in which the savings, coming in evenly over the
  period, have repaid the cost, or "not within the period";
- a **price factor** is optional. It must be named (the index and the years), more than 0 and
  at most 10, and it multiplies only the defaults that come from 2008 sources, never a figure
  the user typed. Every result says its price base.

A learner's bad entry is a :class:`FieldProblem` naming the field, in plain words ("Enter 0 or
more (you typed -5)."); :func:`read_form` collects them all and uses the last good value of a
bad field, so the rest keeps working. Standard library only: this runs in the browser too.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..content import datafiles
from ..content.datafiles import DataError, Entry
from ..content.evidence import figure, source_label
from .field_error import FieldError
from .spreadsheet import csv_text, typed

FILE = "business-case.json"
SCHEMA = "dementia-housing/business-case"
SCHEMA_VERSION = 1
NOTES = ("estimate", "prices", "range", "wrong_pocket", "evenly")
SOURCE_KINDS = ("evidence", "ratio", "local")
MONEY_UNITS = ("£",)
WEEKLY_MONEY_UNITS = ("£ a week",)  # the value of an outcome marked weekly_value
RATIO_UNITS = ("count", "hours a week", "weeks", "months")
WEEKS_IN_A_MONTH = 52 / 12
LEVELS = ("low", "central", "high")
LEVEL_WORDS = {"low": "Low", "central": "Central", "high": "High"}
BASE_YEAR = 2008  # every sourced default is a 2008 figure (checked on load)

# Limits that catch a typing slip without getting in anyone's way.
MAX_COUNT = 100_000  # adaptations, events, hours, days, weeks
MAX_MONEY = 10_000_000  # £ for one item
MAX_PERIOD_MONTHS = 120
MAX_PRICE_FACTOR = 10
MAX_INDEX_NAME = 80

# Field ids, as the view names its controls.
PERIOD = "period"
SELF_FUNDERS = "self-funders"
ATTRIBUTION = {level: f"attribution-{level}" for level in LEVELS}
PRICE_FACTOR = "price-factor"
PRICE_INDEX = "price-index"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_YEAR = re.compile(r"\b(19|20)\d\d\b")  # a year may be written in a note; any other number comes from the table
_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


class FieldProblem(FieldError):
    """A problem with one entry: which field, and what to do about it."""


# The data file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Default:
    """Where a default comes from: one evidence figure, a ratio of figures, or the user (0)."""

    kind: str  # one of SOURCE_KINDS
    of: str = ""  # an evidence id (kind evidence or ratio)
    over: tuple[str, ...] = ()  # evidence ids to divide by (kind ratio)

    @property
    def value(self) -> float:
        if self.kind == "local":
            return 0.0
        value = figure(self.of).number
        for fig_id in self.over:
            value /= figure(fig_id).number
        return value

    @property
    def sourced(self) -> bool:
        return self.kind != "local"

    @property
    def ids(self) -> tuple[str, ...]:
        return () if self.kind == "local" else (self.of, *self.over)

    @property
    def source(self) -> str:
        """Its source and year, as shown beside the field: "Edwards (2008), … (2008 prices)"."""
        if not self.sourced:
            return "No source: enter your local figure."
        keys = dict.fromkeys(figure(i).source_key for i in self.ids)
        years = sorted({figure(i).year for i in self.ids})
        sources = "; ".join(source_label(key) for key in keys)
        worked = ", worked out from its figures" if self.kind == "ratio" else ""
        return f"Source: {sources}{worked}. {'/'.join(map(str, years))} prices."


@dataclass(frozen=True)
class Payer:
    id: str
    name: str
    short: str  # for a chart's axis on a phone


@dataclass(frozen=True)
class Adaptation:
    id: str
    name: str
    paid_by: str  # a payer id
    unit_cost: Default
    note: str


@dataclass(frozen=True)
class Quantity:
    id: str
    label: str
    unit: str


@dataclass(frozen=True)
class Outcome:
    id: str
    name: str
    per: str  # "a hip fracture": what one unit value is for
    quantities: tuple[Quantity, ...]
    payer: str
    self_funders_to: str  # a payer id, or "" when nobody pays for their own
    weekly_value: bool  # the value is a week's cost, the quantity in months
    low: Default
    high: Default  # the same as low when the source gives one value
    note: str

    @property
    def has_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class Calculator:
    title: str
    notes: tuple[tuple[str, str], ...]
    payers: tuple[Payer, ...]
    adaptations: tuple[Adaptation, ...]
    outcomes: tuple[Outcome, ...]

    def note(self, key: str) -> str:
        return dict(self.notes)[key]

    def payer(self, payer_id: str) -> Payer:
        return next(p for p in self.payers if p.id == payer_id)


def _own_id(entry: Entry, seen: dict[str, Entry], what: str) -> str:
    value = entry.text("id")
    if not _ID.match(value):
        raise entry.error(f"'{value}' must be kebab-case: lower case letters and digits joined by hyphens", "id")
    if value in seen:
        raise entry.error(f"'{value}' is already used on line {seen[value].line}; {what} ids must be unique", "id")
    seen[value] = entry.child("id")
    return value


def _figure_of(entry: Entry, fig_id: object, units: tuple[str, ...]) -> str:
    if not isinstance(fig_id, str):
        raise entry.error("must be an evidence id, as text")
    try:
        found = figure(fig_id)
    except DataError:
        raise entry.error(f"'{fig_id}' is not an id in data/evidence.csv") from None
    if found.unit not in units:
        raise entry.error(f"'{fig_id}' is in '{found.unit}'; use a figure in {' or '.join(units)}")
    if found.year != BASE_YEAR:
        raise entry.error(f"'{fig_id}' is a {found.year} figure; the calculator's defaults are all {BASE_YEAR} prices")
    if found.number <= 0:
        raise entry.error(f"'{fig_id}' is not more than 0, so it cannot be a cost or a divisor")
    return fig_id


def _default(entry: Entry, money_units: tuple[str, ...] = MONEY_UNITS) -> Default:
    entry.object("from")
    kind = entry["from"].value
    if kind not in SOURCE_KINDS:
        raise entry.error(f"'{kind}' must be one of {', '.join(SOURCE_KINDS)}", "from")
    if kind == "local":
        if set(entry.value) != {"from"}:
            raise entry.error("a local figure has no source: remove the other fields")
        return Default("local")
    if kind == "evidence":
        entry.object("id")
        return Default("evidence", _figure_of(entry.child("id"), entry.value["id"], money_units))
    entry.object("of", "over")
    over = tuple(_figure_of(item, item.value, RATIO_UNITS) for item in entry["over"].items(1, 3, "evidence id"))
    return Default("ratio", _figure_of(entry.child("of"), entry.value["of"], money_units), over)


def _note(entry: Entry, key: str) -> str:
    """A note, its {evidence_id} placeholders filled with the figures themselves."""
    text = entry.text(key)
    for fig_id in _PLACEHOLDER.findall(text):
        try:
            figure(fig_id)
        except DataError:
            raise entry.error(f"'{{{fig_id}}}' is not an id in data/evidence.csv", key) from None
    if re.search(r"\d", _YEAR.sub("", _PLACEHOLDER.sub("", text.replace("52 ÷ 12", "")))):
        raise entry.error("has a number typed in; write the figure as {evidence_id} so it comes from the table", key)
    return _PLACEHOLDER.sub(lambda m: figure(m.group(1)).display(), text)


def parse_calculator(data: object, file: str = f"data/{FILE}") -> Calculator:
    """Validate the data file (an :class:`Entry`, or data already read); DataError names line and field."""
    root = datafiles.entry_of(data, file).object(
        "schema", "schema_version", "title", "notes", "payers", "adaptations", "outcomes"
    )
    if root["schema"].value != SCHEMA:
        raise root.error(f"must be '{SCHEMA}'", "schema")
    version = root["schema_version"].value
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise root.error(f"{version!r} is not a version this tool reads; it reads {SCHEMA_VERSION}", "schema_version")
    notes_entry = root["notes"].object(*NOTES)
    notes = tuple((key, notes_entry.text(key)) for key in NOTES)

    seen: dict[str, Entry] = {}
    payers = []
    for entry in root["payers"].items(2, 8, "payer"):
        entry.object("id", "name", "short")
        short = entry.text("short")
        if len(short) > 20:
            raise entry.error(f"has {len(short)} characters; keep it to 20 (it labels a chart on a phone)", "short")
        payers.append(Payer(_own_id(entry, seen, "payer"), entry.text("name"), short))
    payer_ids = {p.id for p in payers}

    def payer_of(entry: Entry, key: str) -> str:
        value = entry.text(key)
        if value not in payer_ids:
            raise entry.error(f"'{value}' is not a payer; use one of {', '.join(sorted(payer_ids))}", key)
        return value

    seen = {}
    adaptations = []
    for entry in root["adaptations"].items(1, 12, "adaptation"):
        entry.object("id", "name", "paid_by", "unit_cost", "cost_note")
        adaptations.append(
            Adaptation(
                id=_own_id(entry, seen, "adaptation"),
                name=entry.text("name"),
                paid_by=payer_of(entry, "paid_by"),
                unit_cost=_default(entry["unit_cost"]),
                note=_note(entry, "cost_note"),
            )
        )

    seen, seen_quantities = {}, {}
    outcomes = []
    for entry in root["outcomes"].items(1, 12, "outcome"):
        entry.object("id", "name", "per", "quantities", "payer", "unit_value", "value_note")
        outcome_id = _own_id(entry, seen, "outcome")
        quantities = []
        for item in entry["quantities"].items(1, 2, "quantity"):
            item.object("id", "label", "unit")
            quantities.append(
                Quantity(_own_id(item, seen_quantities, "quantity"), item.text("label"), item.text("unit"))
            )
        funders = entry.get("self_funders_to")
        weekly = entry.flag("weekly_value")
        money = WEEKLY_MONEY_UNITS if weekly else MONEY_UNITS
        values = entry["unit_value"].object()
        keys = set(values.value)
        if keys == {"central"}:
            low = high = _default(values["central"], money)
        elif keys == {"low", "high"}:
            low, high = _default(values["low"], money), _default(values["high"], money)
            if low.kind == "local" or high.kind == "local":
                raise values.error("a range needs a source at both ends; give one 'central' local figure instead")
            if low.value > high.value:
                raise values.error(f"the low value ({low.of}) is more than the high value ({high.of})")
        else:
            raise values.error("give either 'central', or both 'low' and 'high'")
        outcomes.append(
            Outcome(
                id=outcome_id,
                name=entry.text("name"),
                per=entry.text("per"),
                quantities=tuple(quantities),
                payer=payer_of(entry, "payer"),
                self_funders_to="" if funders is None else payer_of(entry, "self_funders_to"),
                weekly_value=weekly,
                low=low,
                high=high,
                note=_note(entry, "value_note"),
            )
        )
    return Calculator(
        title=root.text("title"),
        notes=notes,
        payers=tuple(payers),
        adaptations=tuple(adaptations),
        outcomes=tuple(outcomes),
    )


@functools.lru_cache(maxsize=1)
def load_calculator() -> Calculator:
    """The course's calculator data, read once from ``data/business-case.json``."""
    return parse_calculator(datafiles.load(FILE), f"data/{FILE}")


# The form ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One entry on the form, as the view shows it."""

    id: str
    label: str
    default: str  # the text the field starts with
    note: str  # the default's source and year, or what to enter
    kind: str  # "count", "money", "percent", "months", "factor" or "text"
    group: str = ""  # the adaptation's or outcome's id; "" for the assumptions


def count_field(adaptation_id: str) -> str:
    return f"count-{adaptation_id}"


def cost_field(adaptation_id: str) -> str:
    return f"cost-{adaptation_id}"


def quantity_field(quantity_id: str) -> str:
    return f"qty-{quantity_id}"


def value_field(outcome_id: str, end: str = "") -> str:
    """The unit value's field: ``value-<id>``, or ``value-low-<id>`` / ``value-high-<id>`` for a range."""
    return f"value-{end}-{outcome_id}" if end else f"value-{outcome_id}"


def money_text(value: float) -> str:
    """£ to the penny when it has pence, with thousands separators: ``286.65``, ``28,665``."""
    rounded = round(value, 2)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.2f}"


def _price_note(default: Default) -> str:
    return default.source if default.sourced else "No source in this course: enter your local figure."


def fields() -> tuple[Field, ...]:
    """Every field of the form, in the order the page shows them."""
    calc = load_calculator()
    found: list[Field] = []
    for a in calc.adaptations:
        payer = calc.payer(a.paid_by).name
        found += [
            Field(count_field(a.id), f"{a.name}: how many", "0", f"Paid by: {payer}.", "count", a.id),
            Field(
                cost_field(a.id),
                f"{a.name}: cost of one (£)",
                money_text(a.unit_cost.value),
                _price_note(a.unit_cost),
                "money",
                a.id,
            ),
        ]
    for o in calc.outcomes:
        saves = calc.payer(o.payer).name
        if o.self_funders_to:
            saves += f" (or {calc.payer(o.self_funders_to).name.lower()}, for people who pay for their own care)"
        for q in o.quantities:
            found.append(Field(quantity_field(q.id), q.label, "0", f"Saves: {saves}.", "count", o.id))
        if o.has_range:
            for end, default in (("low", o.low), ("high", o.high)):
                label = f"Cost of {o.per} (£), {end} end"
                found.append(
                    Field(value_field(o.id, end), label, money_text(default.value), _price_note(default), "money", o.id)
                )
        else:
            label = f"Cost of {o.per} (£)"
            found.append(Field(value_field(o.id), label, money_text(o.low.value), _price_note(o.low), "money", o.id))
        if o.self_funders_to:
            found.append(
                Field(
                    SELF_FUNDERS,
                    "Share who pay for their own care (%)",
                    "0",
                    "Your local figure: the share of people who would have paid their own care-home fees.",
                    "percent",
                    o.id,
                )
            )
    judgement = "Your judgement, not a sourced figure: change it."
    found += [
        Field(ATTRIBUTION["low"], "Share really prevented by the adaptations: low (%)", "50", judgement, "percent"),
        Field(ATTRIBUTION["central"], "Share really prevented: central (%)", "75", judgement, "percent"),
        Field(ATTRIBUTION["high"], "Share really prevented: high (%)", "100", judgement, "percent"),
        Field(
            PERIOD,
            "Period the savings cover (months)",
            "12",
            "The time over which you count the amounts above.",
            "months",
        ),
        Field(PRICE_FACTOR, "Price factor (optional)", "", f"Leave it empty to keep {BASE_YEAR} prices.", "factor"),
        Field(
            PRICE_INDEX,
            "Price index and years (needed with a factor)",
            "",
            "For example: GDP deflator, 2008 to 2025.",
            "text",
        ),
    ]
    return tuple(found)


def default_form() -> dict[str, str]:
    return {f.id: f.default for f in fields()}


def parse_number(text: object, field: str) -> float:
    """A number as typed: "1,500", "£6,000", " 2.5 ". Anything else is a FieldProblem."""
    shown = " ".join(str(text if text is not None else "").split())
    cleaned = shown.replace("£", "").replace(" ", "").rstrip("%")
    if not cleaned:
        raise FieldProblem(field, "Enter a number (0 if none).")
    if not _NUMBER.match(cleaned) or cleaned in ("-", "."):
        raise FieldProblem(field, f"Enter a number, such as 2 or 1,500 (you typed '{shown}').")
    value = float(cleaned.replace(",", ""))
    if value < 0:
        raise FieldProblem(field, f"Enter 0 or more (you typed {shown}).")
    return value


def _bounded(text: object, field: str, kind: str) -> float:
    value = parse_number(text, field)
    limits = {"count": MAX_COUNT, "money": MAX_MONEY, "percent": 100, "months": MAX_PERIOD_MONTHS}
    limit = limits[kind]
    if value > limit:
        what = {"money": f"£{limit:,}", "percent": "100%"}.get(kind, f"{limit:,}")
        raise FieldProblem(field, f"That is more than {what}: check the number (you typed {value:,.10g}).")
    if kind == "months" and value < 1:
        raise FieldProblem(field, "Enter a period of at least 1 month.")
    return value


@dataclass(frozen=True)
class PriceFactor:
    factor: float
    index: str  # as the user named it

    @property
    def words(self) -> str:
        return f"{BASE_YEAR} prices × {self.factor:g} ({self.index}, as entered)"


def parse_price_factor(factor: object, index: object) -> PriceFactor | None:
    """No factor (both empty), or a named factor above 0 and at most 10; else a FieldProblem."""
    factor_text = " ".join(str(factor or "").split())
    name = " ".join(str(index or "").split())
    if not factor_text:
        if name:
            raise FieldProblem(PRICE_FACTOR, "Enter the factor for this index too, or clear the index name.")
        return None
    cleaned = factor_text.replace(" ", "")
    if not _NUMBER.match(cleaned) or cleaned in ("-", "."):
        raise FieldProblem(PRICE_FACTOR, f"Enter the factor as a number (you typed '{factor_text}').")
    value = float(cleaned.replace(",", ""))
    if value <= 0:
        raise FieldProblem(PRICE_FACTOR, f"Enter a factor above 0 (you typed {factor_text}).")
    if value > MAX_PRICE_FACTOR:
        raise FieldProblem(
            PRICE_FACTOR,
            f"A factor above {MAX_PRICE_FACTOR} is not a price change: check it (you typed {factor_text}).",
        )
    if not name:
        raise FieldProblem(PRICE_INDEX, "Name the index and the years, such as 'GDP deflator, 2008 to 2025'.")
    if len(name) > MAX_INDEX_NAME:
        raise FieldProblem(PRICE_INDEX, f"Keep the name to {MAX_INDEX_NAME} characters (this one has {len(name)}).")
    return PriceFactor(value, name)


@dataclass(frozen=True)
class Case:
    """Everything the sums need, read and checked from the form."""

    counts: tuple[tuple[str, float], ...]  # (adaptation id, how many)
    unit_costs: tuple[tuple[str, float, bool], ...]  # (adaptation id, £, from a 2008 source)
    quantities: tuple[tuple[str, float], ...]  # (quantity id, amount)
    values: tuple[tuple[str, float, float, bool], ...]  # (outcome id, low £, high £, from a 2008 source)
    self_funders: float  # 0 to 1
    attribution: tuple[float, float, float]  # low, central, high, each 0 to 1
    period_months: float
    price: PriceFactor | None = None


@dataclass(frozen=True)
class Reading:
    """A form read: the case to show (bad fields keep their last good value) and the problems."""

    case: Case
    problems: tuple[tuple[str, str], ...]  # (field id, message), in form order

    def problem(self, field: str) -> str:
        return dict(self.problems).get(field, "")


def _same(text: str, default: str) -> bool:
    """Whether a typed amount is the default (so it keeps its source), however it is written."""
    try:
        return parse_number(text, "") == parse_number(default, "")
    except FieldProblem:
        return False


def read_form(form: Mapping[str, object], fallback: Mapping[str, object] | None = None) -> Reading:
    """Read every field; a bad one is reported and replaced by its value in ``fallback``
    (by default the form's defaults), so the rest of the results keep working."""
    calc = load_calculator()
    spec = fields()
    defaults = {f.id: f.default for f in spec}
    fallback = {**defaults, **(fallback or {})}
    problems: dict[str, str] = {}

    def get(field: Field) -> float:
        text = form.get(field.id, field.default)
        try:
            return _bounded(text, field.id, field.kind)
        except FieldProblem as problem:
            problems[field.id] = problem.message
            try:
                return _bounded(fallback[field.id], field.id, field.kind)
            except FieldProblem:
                return _bounded(defaults[field.id], field.id, field.kind)

    def text_of(field_id: str) -> str:
        return " ".join(str(form.get(field_id, defaults[field_id]) or "").split())

    numbers = {f.id: get(f) for f in spec if f.kind not in ("factor", "text")}

    def sourced(field_id: str) -> bool:
        chosen = text_of(field_id) if field_id not in problems else str(fallback[field_id])
        return _same(chosen, defaults[field_id])

    for adaptation in calc.adaptations:
        number = numbers[count_field(adaptation.id)]
        if number != int(number):
            problems[count_field(adaptation.id)] = f"Enter a whole number (you typed {number:g})."
            numbers[count_field(adaptation.id)] = math.floor(number)

    values = []
    for o in calc.outcomes:
        if o.has_range:
            low_id, high_id = value_field(o.id, "low"), value_field(o.id, "high")
            low, high = numbers[low_id], numbers[high_id]
            if low > high:
                problems.setdefault(high_id, f"The high cost must be at least the low cost (£{money_text(low)}).")
                high = low
            is_sourced = o.low.sourced and sourced(low_id) and sourced(high_id)
        else:
            low = high = numbers[value_field(o.id)]
            is_sourced = o.low.sourced and sourced(value_field(o.id))
        values.append((o.id, low, high, is_sourced))

    shares = [numbers[ATTRIBUTION[level]] / 100 for level in LEVELS]
    if shares[0] > shares[1]:
        problems.setdefault(ATTRIBUTION["central"], "The central share must be at least the low share.")
        shares[1] = shares[0]
    if shares[1] > shares[2]:
        problems.setdefault(ATTRIBUTION["high"], "The high share must be at least the central share.")
        shares[2] = shares[1]

    price: PriceFactor | None = None
    try:
        price = parse_price_factor(form.get(PRICE_FACTOR, ""), form.get(PRICE_INDEX, ""))
    except FieldProblem as problem:
        problems[problem.field] = problem.message
        try:
            price = parse_price_factor(fallback.get(PRICE_FACTOR, ""), fallback.get(PRICE_INDEX, ""))
        except FieldProblem:
            price = None

    case = Case(
        counts=tuple((a.id, numbers[count_field(a.id)]) for a in calc.adaptations),
        unit_costs=tuple(
            (a.id, numbers[cost_field(a.id)], a.unit_cost.sourced and sourced(cost_field(a.id)))
            for a in calc.adaptations
        ),
        quantities=tuple((q.id, numbers[quantity_field(q.id)]) for o in calc.outcomes for q in o.quantities),
        values=tuple(values),
        self_funders=numbers.get(SELF_FUNDERS, 0.0) / 100,
        attribution=(shares[0], shares[1], shares[2]),
        period_months=numbers[PERIOD],
        price=price,
    )
    order = [f.id for f in spec]
    return Reading(case, tuple(sorted(problems.items(), key=lambda item: order.index(item[0]))))


def case_of(form: Mapping[str, object]) -> Case:
    """The case for a form with no problems; the first problem raises FieldProblem."""
    reading = read_form(form)
    if reading.problems:
        field, message = reading.problems[0]
        raise FieldProblem(field, message)
    return reading.case


# The sums ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostLine:
    adaptation: Adaptation
    count: float
    unit_cost: float  # after the price factor, if it applies
    sourced: bool  # a 2008 default (the price factor applies)

    @property
    def total(self) -> float:
        return self.count * self.unit_cost


@dataclass(frozen=True)
class BenefitLine:
    outcome: Outcome
    quantity: float  # the quantities multiplied (hours a week × weeks)
    unit_values: tuple[float, float, float]  # £ for one, low / central / high (a month for care homes)
    sourced: bool
    avoided: tuple[float, float, float]  # £ low / central / high, after attribution
    shares: tuple[tuple[str, float], ...]  # (payer id, share of this line's saving)


@dataclass(frozen=True)
class Estimate:
    """One of the low, central and high estimates."""

    level: str
    avoided_by_payer: tuple[tuple[str, float], ...]  # every payer, in the data's order
    avoided: float
    cost: float
    period_months: float

    @property
    def net(self) -> float:
        return self.avoided - self.cost

    @property
    def ratio(self) -> float | None:
        """Cost avoided for each £1 spent; None when nothing is spent."""
        return self.avoided / self.cost if self.cost > 0 else None

    @property
    def payback_months(self) -> float | None:
        """Months until the savings repay the cost; 0 with no cost; None if not within the period."""
        if self.cost <= 0:
            return 0.0
        if round(self.avoided, 2) <= 0 or round(self.avoided, 2) < round(self.cost, 2):  # to the penny
            return None
        return self.cost / self.avoided * self.period_months


@dataclass(frozen=True)
class Result:
    case: Case
    costs: tuple[CostLine, ...]
    benefits: tuple[BenefitLine, ...]
    cost_by_payer: tuple[tuple[str, float], ...]  # every payer, in the data's order
    estimates: tuple[Estimate, Estimate, Estimate]  # low, central, high

    @property
    def cost(self) -> float:
        return sum(line.total for line in self.costs)

    def estimate(self, level: str) -> Estimate:
        return self.estimates[LEVELS.index(level)]

    def _counted(self) -> list[CostLine | BenefitLine]:
        """The lines that add something (a line worth £0 has no price base)."""
        return [c for c in self.costs if round(c.total, 2)] + [b for b in self.benefits if round(b.avoided[1], 2)]

    @property
    def mixed_prices(self) -> bool:
        """Some amounts are 2008 defaults and some are the user's own figures."""
        lines = self._counted()
        return any(x.sourced for x in lines) and not all(x.sourced for x in lines)

    @property
    def price_base(self) -> str:
        """The price base every output states."""
        base = f"{BASE_YEAR} prices" if self.case.price is None else self.case.price.words
        lines = self._counted()
        if lines and not any(x.sourced for x in lines):
            return "your own figures, at the prices you entered"
        if self.mixed_prices:
            return f"{base} for the guidance's figures, and your own figures as you entered them"
        return base


def _factor(case: Case, sourced: bool) -> float:
    return case.price.factor if case.price is not None and sourced else 1.0


def calculate(case: Case) -> Result:
    """Costs, costs avoided by payer, and the three estimates, for a case."""
    calc = load_calculator()
    counts, quantities = dict(case.counts), dict(case.quantities)
    costs = tuple(
        CostLine(a, counts[a.id], cost * _factor(case, sourced), sourced)
        for a, (_, cost, sourced) in zip(calc.adaptations, case.unit_costs, strict=True)
    )
    benefits = []
    for o, (_, low, high, sourced) in zip(calc.outcomes, case.values, strict=True):
        amount = 1.0
        for q in o.quantities:
            amount *= quantities[q.id]
        per_unit = WEEKS_IN_A_MONTH if o.weekly_value else 1.0
        factor = _factor(case, sourced) * per_unit
        unit_values = (low * factor, (low + high) / 2 * factor, high * factor)
        avoided = tuple(amount * v * share for v, share in zip(unit_values, case.attribution, strict=True))
        if o.self_funders_to:
            shares = ((o.payer, 1 - case.self_funders), (o.self_funders_to, case.self_funders))
        else:
            shares = ((o.payer, 1.0),)
        benefits.append(BenefitLine(o, amount, unit_values, sourced, avoided, shares))

    def by_payer(pairs: list[tuple[str, float]]) -> tuple[tuple[str, float], ...]:
        totals = {p.id: 0.0 for p in calc.payers}
        for payer, amount in pairs:
            totals[payer] += amount
        return tuple(totals.items())

    cost_by_payer = by_payer([(line.adaptation.paid_by, line.total) for line in costs])
    total_cost = sum(line.total for line in costs)
    estimates = tuple(
        Estimate(
            level,
            by_payer([(payer, b.avoided[i] * share) for b in benefits for payer, share in b.shares]),
            sum(b.avoided[i] for b in benefits),
            total_cost,
            case.period_months,
        )
        for i, level in enumerate(LEVELS)
    )
    return Result(case, costs, tuple(benefits), cost_by_payer, estimates)  # type: ignore[arg-type]


def calculate_form(form: Mapping[str, object]) -> Result:
    """The result for a form with no problems (the first problem raises FieldProblem)."""
    return calculate(case_of(form))


# Words ---------------------------------------------------------------------------------------


def pounds(value: float) -> str:
    """Whole pounds with thousands separators: ``£28,665``; ``-£1,200`` for a loss."""
    rounded = round(value)
    return f"-£{-rounded:,}" if rounded < 0 else f"£{rounded:,}"


def ratio_words(estimate: Estimate) -> str:
    return "none (nothing spent)" if estimate.ratio is None else f"{estimate.ratio:,.2f} to 1"


def payback_words(estimate: Estimate) -> str:
    months = estimate.payback_months
    if months is None:
        return f"not within {estimate.period_months:g} months"
    if months == 0:
        return "straight away (nothing spent)"
    return f"{months:,.1f} months"


def _lower_first(name: str) -> str:
    """ "The NHS" -> "the NHS" (within a sentence); other capitals stay."""
    return name[:1].lower() + name[1:]


def _payers_in_words(pairs: tuple[tuple[str, float], ...]) -> str:
    calc = load_calculator()
    named = [f"{_lower_first(calc.payer(p).name)} ({pounds(v)})" for p, v in pairs if round(v)]
    if not named:
        return "nobody"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def board_paragraph(result: Result) -> str:
    """One plain-English paragraph a manager could paste into a board paper."""
    central, low, high = (result.estimate(level) for level in ("central", "low", "high"))
    months = f"{result.case.period_months:g} months"
    if result.cost <= 0 and central.avoided <= 0:
        return (
            "No adaptations or avoided costs have been entered yet, so there is no estimate. "
            f"Figures would be in {result.price_base}."
        )
    payers = _payers_in_words(result.cost_by_payer)
    savers = _payers_in_words(central.avoided_by_payer)
    paying = {p for p, v in result.cost_by_payer if round(v)}
    saving = {p for p, v in central.avoided_by_payer if round(v)}
    pocket = (
        " Those who pay are not all those who save (the 'wrong pocket' problem), so a case for sharing the "
        "cost or pooling budgets between them should be made."
        if saving - paying
        else ""
    )
    if central.ratio is None:
        value = f"With nothing spent, this would be a saving of {pounds(central.avoided)}."
    else:
        value = (
            f"The central net benefit is {pounds(central.net)}, a benefit-cost ratio of {ratio_words(central)}; "
            + (
                f"the cost is not repaid within the {months}."
                if central.payback_months is None
                else f"the cost is repaid in about {payback_words(central)}."
            )
        )
    return (
        f"Estimate, in {result.price_base}: spending {pounds(result.cost)} on adaptations, paid by {payers}, "
        f"could avoid costs of about {pounds(central.avoided)} over {months} (central estimate; range "
        f"{pounds(low.avoided)} to {pounds(high.avoided)}). The savings would fall to {savers}.{pocket} {value} "
        "This is an estimate built from national figures and local assumptions, not a measured saving; the range "
        "reflects how many of the avoided events the adaptations really prevented and, for care homes, the range "
        "of weekly costs."
    )


# CSV -----------------------------------------------------------------------------------------

CSV_HEADER = (
    "part",
    "item",
    "quantity",
    "unit value (£)",
    "low (£)",
    "central (£)",
    "high (£)",
    "paid or saved by",
    "source",
)


def result_csv(result: Result) -> str:
    """Every line, the totals by payer and the three estimates, as CSV text with its price base."""
    calc = load_calculator()
    rows: list[tuple[object, ...]] = [CSV_HEADER]
    rows.append(("price base", typed(result.price_base), "", "", "", "", "", "", ""))
    for line in result.costs:
        total = round(line.total, 2)
        source = line.adaptation.unit_cost.source if line.sourced else "your own figure"
        payer = calc.payer(line.adaptation.paid_by).name
        rows.append(
            (
                "cost",
                line.adaptation.name,
                f"{line.count:g}",
                round(line.unit_cost, 2),
                total,
                total,
                total,
                payer,
                source,
            )
        )
    for b in result.benefits:
        source = b.outcome.low.source if b.sourced else "your own figure"
        payers = "; ".join(f"{calc.payer(p).name} {share:.0%}" for p, share in b.shares)
        unit = " to ".join(dict.fromkeys(f"{round(v, 2):g}" for v in (b.unit_values[0], b.unit_values[2])))
        rows.append(
            ("cost avoided", b.outcome.name, f"{b.quantity:g}", unit, *(round(v, 2) for v in b.avoided), payers, source)
        )
    for i, payer in enumerate(calc.payers):
        rows.append(
            (
                "cost avoided by payer",
                payer.name,
                "",
                "",
                *(round(e.avoided_by_payer[i][1], 2) for e in result.estimates),
                f"pays {round(result.cost_by_payer[i][1], 2):g}",
                "",
            )
        )
    rows.append(("total", "cost of the adaptations", "", "", *(round(result.cost, 2),) * 3, "", ""))
    rows.append(("total", "cost avoided", "", "", *(round(e.avoided, 2) for e in result.estimates), "", ""))
    rows.append(("total", "net benefit", "", "", *(round(e.net, 2) for e in result.estimates), "", ""))
    rows.append(("total", "benefit-cost ratio", "", "", *(ratio_words(e) for e in result.estimates), "", ""))
    rows.append(("total", "payback", "", "", *(payback_words(e) for e in result.estimates), "", ""))
    shares = ", ".join(
        f"{LEVEL_WORDS[lv].lower()} {s:.0%}" for lv, s in zip(LEVELS, result.case.attribution, strict=True)
    )
    rows.append(
        (
            "assumption",
            "share really prevented by the adaptations",
            "",
            "",
            *(f"{s:.0%}" for s in result.case.attribution),
            "",
            shares,
        )
    )
    return csv_text(rows)
