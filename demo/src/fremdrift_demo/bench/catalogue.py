"""What the generated plans are made of: fictional town and area names, the
40 national key figures every plan follows, the four effort areas, and the
kinds of activity a plan runs with their success criteria.

Every criterion kind appears in every plan, and every measure kind is
bound to a criterion of at least one kind of activity (see ``ARCHETYPES``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOWN_HEADS = (
    "Ny", "Øster", "Vester", "Nørre", "Sønder", "Lille", "Store", "Hede",
    "Skov", "Sø", "Bakke", "Eng", "Mølle", "Kilde", "Strand", "Lund",
)  # fmt: skip
TOWN_TAILS = (
    "by", "sted", "rup", "lev", "løse", "borg", "holm", "værk", "havn", "ager",
)  # fmt: skip
AREA_HEADS = (
    "Solsikke", "Kløver", "Valmue", "Birke", "Ege", "Bøge", "Hyld", "Lærke",
    "Svane", "Vibe", "Stære", "Rose", "Lyng", "Tjørne", "Hassel", "Pile",
    "Ahorn", "Kastanje", "Syren", "Engblomme",
)  # fmt: skip
AREA_TAILS = ("parken", "vangen", "gården", "højen", "haven", "lunden", "toften")

EFFORT_AREAS = (
    ("boern-og-familier", "Børn og familier"),
    ("uddannelse-og-beskaeftigelse", "Uddannelse og beskæftigelse"),
    ("tryghed-og-forebyggelse", "Tryghed og forebyggelse"),
    ("faellesskab-og-naboskab", "Fællesskab og naboskab"),
)


@dataclass(frozen=True)
class IndicatorSpec:
    """A national key figure: its unit, better direction, level in the
    plan's areas and in the municipality, and yearly trend (in the unit)."""

    slug: str
    name: str
    unit: str
    better: str
    area_level: float
    municipality_level: float
    trend: float
    counts_persons: bool = False
    additive: bool = False


def _indicators() -> tuple[IndicatorSpec, ...]:
    """Twenty figures, then the same twenty for women and men where a sex
    split makes sense, up to 40."""
    base = [
        IndicatorSpec(
            "beboere",
            "Antal beboere",
            "count",
            "none",
            900,
            0,
            2,
            counts_persons=True,
            additive=True,
        ),
        IndicatorSpec(
            "beskaeftigelse-18-64",
            "Andel 18-64-årige i beskæftigelse",
            "percent",
            "higher",
            48,
            74,
            0.6,
        ),
        IndicatorSpec(
            "uddannelse-18-29",
            "Andel 18-29-årige i eller med uddannelse",
            "percent",
            "higher",
            55,
            72,
            0.8,
        ),
        IndicatorSpec(
            "sigtede-pr-1000",
            "Sigtede pr. 1000 indbyggere",
            "per_1000",
            "lower",
            28,
            12,
            -0.5,
        ),
        IndicatorSpec(
            "kontanthjaelp",
            "Modtagere af kontanthjælp",
            "count",
            "lower",
            120,
            0,
            -3,
            counts_persons=True,
            additive=True,
        ),
        IndicatorSpec(
            "indkomst",
            "Gennemsnitlig bruttoindkomst (1000 kr.)",
            "mean",
            "higher",
            210,
            320,
            3.5,
        ),
        IndicatorSpec(
            "fraflytning",
            "Andel lejemål med fraflytning",
            "percent",
            "lower",
            14,
            9,
            -0.1,
        ),
        IndicatorSpec(
            "daginstitution",
            "Andel 1-5-årige i dagtilbud",
            "percent",
            "higher",
            78,
            90,
            0.5,
        ),
        IndicatorSpec(
            "karakter-9-klasse",
            "Gennemsnitlig karakter ved 9. klasse",
            "mean",
            "higher",
            5.6,
            7.0,
            0.05,
        ),
        IndicatorSpec(
            "ungdomskriminalitet",
            "Sigtede 15-25-årige pr. 1000",
            "per_1000",
            "lower",
            45,
            20,
            -0.8,
        ),
        IndicatorSpec(
            "foertidspension",
            "Modtagere af førtidspension",
            "count",
            "lower",
            70,
            0,
            -1,
            counts_persons=True,
            additive=True,
        ),
        IndicatorSpec(
            "ledighed", "Andel ledige 16-64-årige", "percent", "lower", 9, 4, -0.15
        ),
        IndicatorSpec(
            "tryghed",
            "Andel beboere der føler sig trygge",
            "percent",
            "higher",
            70,
            85,
            0.7,
        ),
        IndicatorSpec(
            "foreningsliv",
            "Andel børn i foreningsliv",
            "percent",
            "higher",
            42,
            65,
            0.6,
        ),
        IndicatorSpec(
            "anbringelser",
            "Anbragte børn og unge pr. 1000",
            "per_1000",
            "lower",
            18,
            9,
            -0.2,
        ),
        IndicatorSpec(
            "udsaettelser",
            "Udsættelser af lejere",
            "count",
            "lower",
            6,
            0,
            -0.1,
            counts_persons=True,
            additive=True,
        ),
        IndicatorSpec(
            "tomgang", "Andel lejemål i tomgang", "percent", "lower", 2.5, 1.5, -0.05
        ),
        IndicatorSpec(
            "dansk-sprogtest",
            "Andel 3-årige med alderssvarende sprog",
            "percent",
            "higher",
            60,
            80,
            0.6,
        ),
        IndicatorSpec(
            "erhvervsuddannelse",
            "Andel unge i erhvervsuddannelse",
            "percent",
            "higher",
            16,
            20,
            0.2,
        ),
        IndicatorSpec(
            "frivillige",
            "Antal frivillige i boligområdet",
            "count",
            "higher",
            25,
            0,
            0.6,
            counts_persons=True,
            additive=True,
        ),
    ]
    split = []
    for spec in base[1:]:
        if spec.unit in ("percent", "per_1000", "mean"):
            for sex, sign in (("kvinder", -1), ("maend", 1)):
                split.append(
                    IndicatorSpec(
                        f"{spec.slug}-{sex}",
                        f"{spec.name}, {'kvinder' if sex == 'kvinder' else 'mænd'}",
                        spec.unit,
                        spec.better,
                        spec.area_level * (1 + sign * 0.06),
                        spec.municipality_level * (1 + sign * 0.04),
                        spec.trend,
                    )
                )
    return tuple(base + split)[:40]


INDICATORS = _indicators()
# The residents give the rates per 1000 their denominators.
RESIDENTS = "beboere"


@dataclass(frozen=True)
class CriterionTemplate:
    """One success criterion of a kind of activity.

    ``measure`` binds it to the registrations (the criterion's target is
    then scaled to what the activity's groups draw: ``scale`` x the
    expected count for ``count_of``); without it the team reports values
    year by year (``reported``) or records a verdict (qualitative).
    """

    key: str
    text: str
    kind: str
    target: dict[str, float] = field(default_factory=dict)
    measure: dict[str, object] = field(default_factory=dict)
    aggregation: str = "latest"
    count_of: str = ""
    unit: str = ""
    unit_label: str = ""
    reported: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Archetype:
    """A kind of activity and how it registers: ``course`` (groups term by
    term, weekly, with enrolments), ``family`` (courses for parents and
    children together), ``club`` (open sessions with named attendance),
    ``dining`` (open sessions with a head count) or ``outreach``
    (contacts and bridge-buildings)."""

    slug: str
    name: str
    effort_area: int
    mode: str
    ages: tuple[int, int] = (0, 120)
    role: str = "resident"
    sessions: int = 14
    group: tuple[int, int] = (6, 12)
    questionnaire: str | None = None
    goal_set: float = 0.0
    goal_reached: float = 0.0
    follow_up: bool = False
    rule: tuple[str, int] = ("max_absence", 25)
    weight: float = 1.0
    criteria: tuple[CriterionTemplate, ...] = ()


C = CriterionTemplate

ARCHETYPES: tuple[Archetype, ...] = (
    Archetype(
        "lektiecafe",
        "Lektiecafé",
        0,
        "course",
        (6, 12),
        "child",
        18,
        (8, 14),
        questionnaire="lektiecafe",
        weight=1.6,
        criteria=(
            C(
                "boern",
                "unikke børn deltager i lektiecaféen",
                "at_least",
                measure={"kind": "unique_participants", "role": "child"},
                count_of="unique",
                unit_label="børn",
            ),
            C(
                "forandring",
                "% af børnene klarer lektierne bedre (før/efter)",
                "share_at_least",
                {"number": 65},
                {"kind": "improved_share"},
            ),
            C(
                "fremmoede",
                "fremmødte pr. mødegang i gennemsnit",
                "range",
                {"min": 6, "max": 14},
                {"kind": "mean_attendance"},
            ),
        ),
    ),
    Archetype(
        "familiekursus",
        "Familiekursus",
        0,
        "family",
        (4, 12),
        "parent",
        10,
        (4, 7),
        questionnaire="familiekursus",
        goal_set=0.8,
        goal_reached=0.7,
        rule=("min_sessions", 7),
        weight=1.2,
        criteria=(
            C(
                "familier",
                "familier deltager i familiekurserne",
                "at_least",
                measure={"kind": "unique_households"},
                count_of="households",
                unit_label="familier",
            ),
            C(
                "gennemfoert",
                "% af deltagerne gennemfører kurset",
                "share_at_least",
                {"number": 75},
                {"kind": "completion_rate"},
            ),
            C(
                "maal",
                "% af forældrene når deres mål",
                "share_at_least",
                {"number": 60},
                {"kind": "goal_reached_share", "role": "parent"},
            ),
        ),
    ),
    Archetype(
        "madskole",
        "Madskole",
        0,
        "course",
        (8, 13),
        "child",
        8,
        (8, 12),
        questionnaire="madskole",
        rule=("min_sessions", 6),
        criteria=(
            C(
                "hold",
                "madskolehold med mindst fem mødegange",
                "at_least",
                measure={"kind": "courses_held", "min_sessions": 5},
                count_of="courses",
                unit_label="hold",
            ),
            C(
                "boern",
                "børn på 8-13 år deltager",
                "at_least",
                measure={"kind": "unique_participants", "age_min": 8, "age_max": 13},
                count_of="unique",
                unit_label="børn",
            ),
            C(
                "tilfredse",
                "% af børnene er tilfredse",
                "share_at_least",
                {"number": 85},
                {"kind": "satisfied_share"},
            ),
        ),
    ),
    Archetype(
        "fritidsjob",
        "Fritidsjob for unge",
        1,
        "course",
        (13, 17),
        "young",
        10,
        (6, 10),
        questionnaire="fritidsjob",
        goal_set=0.9,
        goal_reached=0.6,
        follow_up=True,
        criteria=(
            C(
                "unge",
                "unge på 13-17 år får hjælp til fritidsjob",
                "at_least",
                measure={
                    "kind": "unique_participants",
                    "role": "young",
                    "age_min": 13,
                    "age_max": 18,
                },
                count_of="unique",
                unit_label="unge",
            ),
            C(
                "job",
                "% af de unge får et fritidsjob",
                "share_at_least",
                {"number": 60},
                {"kind": "goal_reached_share"},
            ),
            C(
                "fastholdt",
                "% er stadig i job efter tre måneder",
                "share_at_least",
                {"number": 70},
                {"kind": "follow_up_rate"},
            ),
        ),
    ),
    Archetype(
        "jobvejledning",
        "Jobvejledning for voksne",
        1,
        "course",
        (25, 64),
        "resident",
        12,
        (6, 10),
        questionnaire="fritidsjob",
        goal_set=0.85,
        goal_reached=0.45,
        follow_up=True,
        weight=1.1,
        criteria=(
            C(
                "deltagere",
                "voksne deltager i jobvejledningen hvert år",
                "every_period",
                {"at_least": 1},
                {"kind": "unique_participants", "role": "resident"},
                aggregation="each",
                count_of="unique_year",
                unit_label="deltagere",
            ),
            C(
                "gennemfoert",
                "% gennemfører forløbet",
                "share_at_least",
                {"number": 70},
                {"kind": "completion_rate", "role": "resident"},
            ),
            C(
                "job",
                "% er i job eller uddannelse tre måneder efter",
                "share_at_least",
                {"number": 40},
                {"kind": "follow_up_rate"},
            ),
        ),
    ),
    Archetype(
        "gadeplan",
        "Opsøgende arbejde på gadeplan",
        2,
        "outreach",
        (13, 24),
        "young",
        criteria=(
            C(
                "kontakter",
                "kontakter til unge på 13-24 år",
                "at_least",
                measure={"kind": "contacts", "age_min": 13, "age_max": 24},
                count_of="contacts",
                unit_label="kontakter",
            ),
            C(
                "brobygning",
                "brobygninger til fritids- og uddannelsestilbud",
                "at_least",
                measure={"kind": "bridge_buildings"},
                count_of="bridges",
                unit_label="brobygninger",
            ),
            C(
                "haervaerk",
                "anmeldte hærværkssager om året",
                "every_period",
                {"at_most": 12},
                aggregation="each",
                unit="count",
                unit_label="sager",
                reported=(6, 16),
            ),
        ),
    ),
    Archetype(
        "foraeldrenetvaerk",
        "Forældrenetværk",
        0,
        "course",
        (25, 55),
        "parent",
        8,
        (6, 10),
        questionnaire="foraeldrenetvaerk",
        weight=0.8,
        criteria=(
            C(
                "foraeldre",
                "forældre deltager i netværket",
                "at_least",
                measure={"kind": "unique_participants", "role": "parent"},
                count_of="unique",
                unit_label="forældre",
            ),
            C(
                "tilfredse",
                "% af forældrene er tilfredse",
                "share_at_least",
                {"number": 80},
                {"kind": "satisfied_share", "role": "parent"},
            ),
        ),
    ),
    Archetype(
        "faellesspisning",
        "Fællesspisning",
        3,
        "dining",
        weight=0.0,
        criteria=(
            C(
                "arrangementer",
                "fællesspisninger hvert år",
                "every_period",
                {"at_least": 1},
                {"kind": "sessions_held"},
                aggregation="each",
                count_of="sessions_year",
                unit_label="arrangementer",
            ),
            C(
                "fremmoede",
                "deltagere pr. fællesspisning i gennemsnit",
                "at_least",
                {"number": 30},
                {"kind": "mean_attendance"},
            ),
        ),
    ),
    Archetype(
        "seniorklub",
        "Seniorklub",
        3,
        "club",
        (60, 100),
        "resident",
        group=(8, 20),
        weight=1.3,
        criteria=(
            C(
                "nye",
                "nye deltagere i seniorklubben hvert år",
                "every_period",
                {"at_least": 1},
                {"kind": "new_participants"},
                aggregation="each",
                count_of="new_year",
                unit_label="deltagere",
            ),
            C(
                "deltagere",
                "seniorer kommer i klubben",
                "at_least",
                measure={"kind": "unique_participants", "age_min": 60},
                count_of="unique",
                unit_label="seniorer",
            ),
            C(
                "fremmoede",
                "højst så mange pr. gang, at lokalet rækker",
                "at_most",
                {"number": 18},
                {"kind": "mean_attendance"},
            ),
        ),
    ),
    Archetype(
        "beboerambassadoerer",
        "Beboerambassadører",
        3,
        "course",
        (18, 75),
        "volunteer",
        10,
        (6, 10),
        goal_set=0.7,
        goal_reached=0.75,
        weight=0.7,
        criteria=(
            C(
                "frivillige",
                "beboere er aktive som ambassadører",
                "at_least",
                measure={"kind": "unique_participants", "role": "volunteer"},
                count_of="unique",
                unit_label="frivillige",
            ),
            C(
                "maal",
                "% når det mål, de satte sig",
                "share_at_least",
                {"number": 70},
                {"kind": "goal_reached_share"},
            ),
            C(
                "tilfredshed",
                "beboertilfredshed i den årlige måling",
                "hold_baseline",
                {"tolerance": 3},
                unit="percent",
                reported=(70, 82),
            ),
        ),
    ),
    Archetype(
        "ungeklub",
        "Ungeklub",
        2,
        "club",
        (13, 17),
        "young",
        group=(10, 24),
        weight=1.2,
        criteria=(
            C(
                "unge",
                "unge kommer i klubben",
                "at_least",
                measure={"kind": "unique_participants", "age_min": 13, "age_max": 18},
                count_of="unique",
                unit_label="unge",
            ),
            C(
                "aftener",
                "klubaftener om året",
                "range",
                {"min": 30, "max": 60},
                aggregation="each",
                unit="count",
                unit_label="aftener",
                reported=(28, 55),
            ),
        ),
    ),
)

# Which archetypes a plan's activities are drawn from, in turn: the
# first nine are in every plan with at least nine activities.
ROTATION = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 3, 8, 4, 1, 10, 2, 6, 9, 0, 4)
