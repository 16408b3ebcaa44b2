"""The editor's forms: one per kind of part, each field named as its key in
plan.yaml (a nested key joined by ``_``: ``size_as_of``,
``baseline_period``, ``measure_kind``), so that a form's values are the
part as the file writes it and a reader problem's path names its field."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import Aggregation, Better, CriterionKind, Flag, Outcome, Unit
from fremdrift.core.report_model import FLAG_LABELS_DA
from fremdrift.core.text_da import OUTCOME_LABELS
from fremdrift.planfiles.schema import TARGET_FILES, NumberTargetFile

from .problems import NON_FIELD

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

UNIT_CHOICES = [
    (Unit.COUNT.value, _("Antal")),
    (Unit.PERCENT.value, _("Procent")),
    (Unit.PER_1000.value, _("Pr. 1.000")),
    (Unit.MEAN.value, _("Gennemsnit")),
]
BETTER_CHOICES = [
    (Better.HIGHER.value, _("Højere er bedre")),
    (Better.LOWER.value, _("Lavere er bedre")),
    (Better.NONE.value, _("Ingen retning")),
]
KIND_CHOICES = [
    (CriterionKind.AT_LEAST.value, _("Mindst et tal")),
    (CriterionKind.AT_MOST.value, _("Højst et tal")),
    (CriterionKind.RANGE.value, _("Inden for et interval")),
    (CriterionKind.SHARE_AT_LEAST.value, _("En andel på mindst")),
    (CriterionKind.REDUCE_BY.value, _("Fald med (i forhold til baseline)")),
    (CriterionKind.INCREASE_BY.value, _("Stigning med (i forhold til baseline)")),
    (CriterionKind.REDUCE_TO.value, _("Fald fra baseline til et tal")),
    (CriterionKind.INCREASE_TO.value, _("Stigning fra baseline til et tal")),
    (CriterionKind.BELOW_BASELINE.value, _("Under baseline")),
    (CriterionKind.ABOVE_BASELINE.value, _("Over baseline")),
    (CriterionKind.HOLD_BASELINE.value, _("Fastholde baseline")),
    (CriterionKind.EVERY_PERIOD.value, _("Et tal i hver periode")),
    (CriterionKind.QUALITATIVE.value, _("Kvalitativt")),
]
AGGREGATION_CHOICES = [
    (Aggregation.LATEST.value, _("Den seneste periode")),
    (Aggregation.SUM.value, _("Summen af perioderne")),
    (Aggregation.MEAN.value, _("Gennemsnittet af perioderne")),
    (Aggregation.EACH.value, _("Hver periode for sig")),
]
POPULATION_KIND_CHOICES = [
    ("municipality", _("Kommunen")),
    ("municipality_excl_plan", _("Kommunen uden planens områder")),
    ("plan_total", _("Planens områder i alt")),
    ("other", _("Andet")),
]
MEASURE_CHOICES = [
    (MeasureKind.UNIQUE_PARTICIPANTS.value, _("Unikke deltagere")),
    (MeasureKind.NEW_PARTICIPANTS.value, _("Nye deltagere")),
    (MeasureKind.UNIQUE_HOUSEHOLDS.value, _("Unikke husstande")),
    (MeasureKind.SESSIONS_HELD.value, _("Afholdte mødegange")),
    (MeasureKind.COURSES_HELD.value, _("Afholdte forløb")),
    (MeasureKind.COMPLETION_RATE.value, _("Gennemførelsesprocent")),
    (MeasureKind.GOAL_REACHED_SHARE.value, _("Andel, der nåede deres mål")),
    (MeasureKind.IMPROVED_SHARE.value, _("Andel med fremgang")),
    (MeasureKind.SATISFIED_SHARE.value, _("Andel tilfredse")),
    (MeasureKind.FOLLOW_UP_RATE.value, _("Andel ved opfølgning")),
    (MeasureKind.CONTACTS.value, _("Kontakter")),
    (MeasureKind.BRIDGE_BUILDINGS.value, _("Brobygninger")),
    (MeasureKind.MEAN_ATTENDANCE.value, _("Gennemsnitligt fremmøde")),
]
ROLE_CHOICES = [
    ("child", _("Børn")),
    ("parent", _("Forældre")),
    ("young", _("Unge")),
    ("resident", _("Beboere")),
    ("volunteer", _("Frivillige")),
]
BINDING_CHOICES = [
    ("values", _("Indberettede værdier (teamet indtaster tallene)")),
    ("indicator", _("En indikator for et område eller sammenligningsgrundlag")),
    ("measure", _("En måling på aktivitetens registreringer")),
]
FLAG_CHOICES = [(flag.value, _(FLAG_LABELS_DA[flag])) for flag in Flag]
OUTCOME_CHOICES = [("", "—")] + [
    (outcome.value, _(OUTCOME_LABELS[outcome])) for outcome in Outcome
]
TARGET_LABELS = {
    "number": _("Mål"),
    "min": _("Mindst"),
    "max": _("Højst"),
    "relative": _("Relativ ændring (brøk, fx 0,1 for 10 %)"),
    "absolute": _("Absolut ændring (i kriteriets enhed)"),
    "threshold": _("Tærskel, som rapporten nævner (valgfri)"),
    "tolerance": _("Tolerance (i kriteriets enhed)"),
    "relative_tolerance": _("Relativ tolerance (brøk, fx 0,1 for 10 %)"),
    "at_least": _("Mindst pr. periode"),
    "at_most": _("Højst pr. periode"),
}


def target_keys(kind: str) -> list[str]:
    """The target's keys a kind takes (``number`` for a bare number)."""
    try:
        model = TARGET_FILES[CriterionKind(kind)]
    except ValueError:
        return []
    return list(model.model_fields)


class LinesField(forms.CharField):
    """A list of texts, one per line (notes, aliases, partners)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Én pr. linje."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def _date() -> forms.DateField:
    return forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _number(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, localize=True, **kwargs)


def _text(label: Any, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, required=False, widget=widget)


def _plain(value: Any) -> Any:
    """A value as plan.yaml writes it: whole numbers without decimals."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


class PartForm(forms.Form):
    """A part's own fields as the form's fields; ``values()`` gives them as
    plan.yaml writes them, ``initial_of()`` the other way."""

    # Fields that only a new part has (its key).
    new_only: ClassVar[tuple[str, ...]] = ()
    # Fields that are not keys of the part in the file.
    not_in_file: ClassVar[tuple[str, ...]] = ("fingerprint",)
    # Keys of the part that hold a mapping the form spreads over fields
    # (``size`` -> ``size_as_of``, ``size_leases``, ...).
    nested: ClassVar[tuple[str, ...]] = ()

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new = new
        if not new:
            for name in self.new_only:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Kortnavnet kan ikke ændres, når det er oprettet."
                )
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}-help")

    @classmethod
    def initial_of(cls, value: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for key, item in value.items():
            if key in cls.nested and isinstance(item, dict):
                for sub, inner in item.items():
                    initial[f"{key}_{sub}"] = inner
            else:
                initial[key] = item
        return initial

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in self.fields:
            if name in self.not_in_file:
                continue
            value = _plain(self.cleaned_data.get(name))
            if value in (None, "", [], False):
                continue
            head, _sep, rest = name.partition("_")
            if head in self.nested and rest:
                data.setdefault(head, {})[rest] = value
            else:
                data[name] = value
        return data

    def field_of(self, rest: str) -> str:
        """The field a problem at ``rest`` (its path below the part)
        concerns."""
        head = re.split(r"[.\[]", rest, maxsplit=1)[0] if rest else ""
        tail = rest[len(head) :].lstrip(".")
        sub = re.split(r"[.\[]", tail, maxsplit=1)[0] if tail else ""
        if head in self.nested:
            if sub and f"{head}_{sub}" in self.fields:
                return f"{head}_{sub}"
            for name in self.fields:
                if name.startswith(head + "_"):
                    return name
        return head if head in self.fields else NON_FIELD


class SlugField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Kortnavn"))
        kwargs.setdefault(
            "help_text",
            _(
                "Små bogstaver, tal og bindestreger, fx “lektiecafe”. "
                "Bruges i adresser."
            ),
        )
        super().__init__(max_length=100, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not SLUG_RE.match(value):
            raise forms.ValidationError(
                _("Brug kun små bogstaver, tal og bindestreger (fx “lektiecafe-2”).")
            )


def _size_fields() -> dict[str, forms.Field]:
    return {
        "size_as_of": _date(),
        "size_source": _text(_("Kilde til størrelsen")),
        "size_housing_organisations": forms.IntegerField(
            label=_("Boligorganisationer"), required=False, min_value=0
        ),
        "size_department_boards": forms.IntegerField(
            label=_("Afdelingsbestyrelser"), required=False, min_value=0
        ),
        "size_leases": forms.IntegerField(
            label=_("Lejemål"), required=False, min_value=0
        ),
        "size_residents": forms.IntegerField(
            label=_("Beboere"), required=False, min_value=0
        ),
    }


class PlanForm(PartForm):
    nested = ("size",)
    new_only = ("slug", "organisation")
    not_in_file = ("fingerprint", "organisation", "other_activities")

    slug = SlugField(help_text=_("Fx “nordby-2026-30”. Bruges i planens adresse."))
    name = forms.CharField(label=_("Planens navn"), max_length=300)
    short_name = _text(_("Forkortet navn"))
    organisation = forms.ChoiceField(label=_("Organisation (sekretariat)"))
    municipality = _text(_("Kommune"))
    start = forms.DateField(
        label=_("Start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Slut"), widget=forms.DateInput(attrs={"type": "date"})
    )
    vision = _text(_("Vision"), rows=2)
    predecessor = _text(_("Forrige plan"))
    successor = _text(_("Næste plan"))
    introduction = _text(_("Indledning"), rows=4)
    method = _text(_("Metode"), rows=4)
    summary = _text(_("Resumé"), rows=4)
    other_activities = _text(_("Andre aktiviteter"), rows=3)
    notes = LinesField(label=_("Noter (trykkes i rapporterne)"))
    working_notes = LinesField(label=_("Arbejdsnoter (kun for teamet)"))
    locals().update(_size_fields())

    def __init__(
        self, *args: Any, organisations: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        names = organisations or []
        self.fields["organisation"].choices = [(n, n) for n in names]
        self.fields["size_as_of"].label = _("Størrelse opgjort pr.")
        if not self.new:
            self.fields["organisation"].required = False


class FundingForm(PartForm):
    total_dkk = _number(_("Supplerende midler i alt (kr.)"), min_value=0)
    total_note = _text(_("Note til beløbet"), rows=2)


class FundingProjectForm(PartForm):
    name = forms.CharField(label=_("Projektets navn"))
    funder = _text(_("Bevilget af"))
    amount_dkk = _number(_("Beløb (kr.)"), min_value=0)


class AreaForm(PartForm):
    nested = ("size",)
    new_only = ("slug",)

    slug = SlugField()
    name = forms.CharField(label=_("Områdets navn"), max_length=200)
    aliases = LinesField(label=_("Andre navne for området"))
    housing_organisations = LinesField(label=_("Boligorganisationer"))
    locals().update(_size_fields())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["size_as_of"].label = _("Størrelse opgjort pr.")


class PopulationForm(PartForm):
    new_only = ("slug",)

    slug = SlugField()
    name = forms.CharField(label=_("Navn"), max_length=200)
    kind = forms.ChoiceField(label=_("Slags"), choices=POPULATION_KIND_CHOICES)
    aliases = LinesField(label=_("Andre navne"))
    parts = LinesField(
        label=_("Består af (kortnavne på områder)"),
        help_text=_("Ét kortnavn pr. linje."),
    )


class IndicatorForm(PartForm):
    new_only = ("slug",)

    slug = SlugField()
    name = forms.CharField(label=_("Navn"), max_length=300)
    short_name = _text(_("Forkortet navn"))
    unit = forms.ChoiceField(label=_("Enhed"), choices=UNIT_CHOICES)
    unit_label = _text(_("Enhedens tekst (fx “beboere”)"))
    better = forms.ChoiceField(label=_("Retning"), choices=BETTER_CHOICES)
    definition = _text(_("Definition"), rows=3)
    source = _text(_("Kilde"))
    measured = _text(_("Opgjort (fx “pr. 1. januar”)"))
    counts_persons = forms.BooleanField(label=_("Tæller personer"), required=False)
    additive = forms.BooleanField(label=_("Kan lægges sammen"), required=False)
    change = forms.BooleanField(label=_("Er en ændring"), required=False)
    denominator_indicator = forms.ChoiceField(
        label=_("Nævner (en indikator, der tæller)"), required=False
    )
    notes = LinesField(label=_("Noter (trykkes i rapporterne)"))
    working_notes = LinesField(label=_("Arbejdsnoter (kun for teamet)"))

    def __init__(self, *args: Any, indicators: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["denominator_indicator"].choices = [("", "—")] + [
            (s, s) for s in indicators or []
        ]


class GoalForm(PartForm):
    new_only = ("slug",)

    slug = SlugField()
    name = forms.CharField(label=_("Mål"), max_length=300)
    description = _text(_("Beskrivelse"), rows=3)
    indicators = forms.MultipleChoiceField(
        label=_("Indikatorer, målet følges med"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, indicators: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(s, s) for s in indicators or []]


class EffortAreaForm(PartForm):
    new_only = ("slug",)

    slug = SlugField()
    name = forms.CharField(label=_("Indsatsområdets navn"), max_length=300)
    description = _text(_("Beskrivelse"), rows=3)


class ActivityForm(PartForm):
    new_only = ("slug",)

    slug = SlugField()
    name = forms.CharField(label=_("Aktivitetens navn"), max_length=300)
    description = _text(_("Beskrivelse"), rows=3)
    target_group = _text(_("Målgruppe"), rows=2)
    partners = LinesField(label=_("Samarbejdspartnere"))
    start = _date()
    end = _date()
    extended_to = _date()
    notes = LinesField(label=_("Noter (trykkes i rapporterne)"))
    working_notes = LinesField(label=_("Arbejdsnoter (kun for teamet)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].label = _("Start")
        self.fields["end"].label = _("Slut")
        self.fields["extended_to"].label = _("Forlænget til")


class DecisionForm(PartForm):
    date = _date()
    text = forms.CharField(
        label=_("Beslutning"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Dato")


class CriterionForm(PartForm):
    """A criterion of any kind; the target fields shown are the kind's
    (``target_keys``), the others are left out of its values."""

    new_only = ("id",)
    nested = ("baseline", "measure", "target")
    not_in_file = ("fingerprint", "opened_version", "binding")

    opened_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )
    id = SlugField(
        label=_("Id"),
        help_text=_(
            "Små bogstaver, tal og bindestreger, fx “lc-boern”. Entydigt i planen."
        ),
    )
    text = forms.CharField(
        label=_("Succeskriterie"), widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Slags kriterium"), choices=KIND_CHOICES)
    target_number = _number(TARGET_LABELS["number"])
    target_min = _number(TARGET_LABELS["min"])
    target_max = _number(TARGET_LABELS["max"])
    target_relative = _number(TARGET_LABELS["relative"])
    target_absolute = _number(TARGET_LABELS["absolute"])
    target_threshold = _number(TARGET_LABELS["threshold"])
    target_tolerance = _number(TARGET_LABELS["tolerance"])
    target_relative_tolerance = _number(TARGET_LABELS["relative_tolerance"])
    target_at_least = _number(TARGET_LABELS["at_least"])
    target_at_most = _number(TARGET_LABELS["at_most"])
    own_defined = forms.BooleanField(
        label=_("Eget defineret (teamets eget, ikke Landsbyggefondens)"), required=False
    )
    counts_persons = forms.BooleanField(label=_("Tæller personer"), required=False)
    unit = forms.ChoiceField(
        label=_("Enhed"),
        required=False,
        choices=[("", _("Indikatorens eller målingens")), *UNIT_CHOICES],
    )
    unit_label = _text(_("Enhedens tekst (fx “familier”)"))
    better = forms.ChoiceField(
        label=_("Retning"),
        required=False,
        choices=[("", _("Efter kriteriets slags")), *BETTER_CHOICES],
    )
    aggregation = forms.ChoiceField(
        label=_("Vurderes på"), choices=AGGREGATION_CHOICES, required=False
    )
    period = _text(_("Periode (fx 2024 eller 2023/24)"))
    baseline_value = _number(_("Baseline: værdi"))
    baseline_numerator = _number(_("Baseline: tæller"))
    baseline_denominator = _number(_("Baseline: nævner"))
    baseline_period = _text(_("Baseline: periode (fx 2021)"))
    baseline_note = _text(_("Baseline: note"))
    baseline_flags = forms.MultipleChoiceField(
        label=_("Baseline: markeringer"),
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    binding = forms.ChoiceField(
        label=_("Hvor tallene kommer fra"),
        choices=BINDING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        initial="values",
    )
    indicator = forms.ChoiceField(label=_("Indikator"), required=False)
    population = forms.ChoiceField(
        label=_("Område eller sammenligningsgrundlag"), required=False
    )
    measure_kind = forms.ChoiceField(
        label=_("Måling"), required=False, choices=[("", "—"), *MEASURE_CHOICES]
    )
    measure_role = forms.ChoiceField(
        label=_("Kun deltagere i rollen"),
        required=False,
        choices=[("", _("Alle")), *ROLE_CHOICES],
    )
    measure_age_min = forms.IntegerField(
        label=_("Mindstealder"), required=False, min_value=0, max_value=120
    )
    measure_age_max = forms.IntegerField(
        label=_("Højestealder"), required=False, min_value=0, max_value=120
    )
    measure_area = forms.ChoiceField(label=_("Kun fra området"), required=False)
    measure_min_sessions = forms.IntegerField(
        label=_("Mindst antal mødegange"), required=False, min_value=1
    )
    reported_verdict = forms.ChoiceField(
        label=_("Vurdering i den trykte rapport"),
        required=False,
        choices=OUTCOME_CHOICES,
    )
    verdict = forms.ChoiceField(
        label=_("Teamets vurdering (kun kvalitative)"),
        required=False,
        choices=OUTCOME_CHOICES,
    )
    evidence = _text(_("Dokumentation"), rows=2)
    notes = LinesField(label=_("Noter (trykkes i rapporterne)"))
    working_notes = LinesField(label=_("Arbejdsnoter (kun for teamet)"))

    def __init__(
        self,
        *args: Any,
        indicators: list[str] | None = None,
        populations: list[str] | None = None,
        areas: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—")] + [
            (s, s) for s in indicators or []
        ]
        self.fields["population"].choices = [("", "—")] + [
            (s, s) for s in populations or []
        ]
        self.fields["measure_area"].choices = [("", _("Alle områder"))] + [
            (s, s) for s in areas or []
        ]

    def clean(self) -> dict[str, Any]:
        """The fields the chosen binding needs: without them the numbers
        would silently come from reported values instead."""
        cleaned = super().clean() or {}
        binding = cleaned.get("binding")
        needed = {
            "indicator": (
                ("indicator", "population"),
                _("Udfyld feltet, når tallene kommer fra en indikator."),
            ),
            "measure": (
                ("measure_kind",),
                _("Vælg en måling, når tallene kommer fra registreringerne."),
            ),
        }
        if binding in needed:
            names, message = needed[binding]
            for name in names:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    @property
    def kind_value(self) -> str:
        if self.is_bound:
            return str(self.data.get("kind") or CriterionKind.AT_LEAST.value)
        return str(self.initial.get("kind") or CriterionKind.AT_LEAST.value)

    def target_field_names(self) -> list[str]:
        return [f"target_{key}" for key in target_keys(self.kind_value)]

    def target_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.target_field_names()]

    @classmethod
    def initial_of(cls, value: dict[str, Any]) -> dict[str, Any]:
        target = value.get("target")
        rest = {k: v for k, v in value.items() if k != "target"}
        initial = super().initial_of(rest)
        if isinstance(target, dict):
            for key, number in target.items():
                initial[f"target_{key}"] = number
        elif target is not None:
            initial["target_number"] = target
        if value.get("indicator"):
            initial["binding"] = "indicator"
        elif value.get("measure"):
            initial["binding"] = "measure"
        else:
            initial["binding"] = "values"
        return initial

    def values(self) -> dict[str, Any]:
        data = super().values()
        binding = self.cleaned_data.get("binding") or "values"
        if binding != "indicator":
            data.pop("indicator", None)
            data.pop("population", None)
        if binding != "measure":
            data.pop("measure", None)
        given = data.pop("target", {})
        keys = target_keys(str(data.get("kind", "")))
        target = {k: v for k, v in given.items() if k in keys}
        if keys and TARGET_FILES[CriterionKind(data["kind"])] is NumberTargetFile:
            if "number" in target:
                data["target"] = target["number"]
        elif target:
            data["target"] = target
        if data.get("aggregation") == Aggregation.LATEST.value:
            data.pop("aggregation")
        return data

    def field_of(self, rest: str) -> str:
        if rest == "target" or rest.startswith("target"):
            sub = rest[len("target") :].lstrip(".")
            names = self.target_field_names()
            if sub and f"target_{sub}" in names:
                return f"target_{sub}"
            return names[0] if names else "kind"
        if rest.startswith("values"):
            return "binding"
        if rest == "":
            return NON_FIELD
        return super().field_of(rest)


class ValueForm(forms.Form):
    """One reported value of a criterion, for one period."""

    period = forms.CharField(label=_("Periode"), required=False, max_length=40)
    value = _number(_("Værdi"))
    numerator = _number(_("Tæller"))
    denominator = _number(_("Nævner"))
    source = _text(_("Kilde"))
    note = _text(_("Note"))
    flags = forms.MultipleChoiceField(
        label=_("Markeringer"),
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def values(self) -> dict[str, Any] | None:
        """The value as plan.yaml writes it; None for an empty row."""
        data = {
            name: _plain(self.cleaned_data.get(name))
            for name in (
                "period",
                "value",
                "numerator",
                "denominator",
                "source",
                "note",
                "flags",
            )
        }
        data = {k: v for k, v in data.items() if v not in (None, "", [])}
        return data or None


ValueFormSet = forms.formset_factory(ValueForm, extra=3, can_delete=True)

FORMS: dict[str, type[PartForm]] = {
    "plan": PlanForm,
    "funding": FundingForm,
    "funding_project": FundingProjectForm,
    "area": AreaForm,
    "population": PopulationForm,
    "indicator": IndicatorForm,
    "goal": GoalForm,
    "effort_area": EffortAreaForm,
    "activity": ActivityForm,
    "decision": DecisionForm,
    "criterion": CriterionForm,
}
