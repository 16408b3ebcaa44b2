"""What each demo activity offers: its questionnaire (``TEMPLATES``), its
session themes (``THEMES``) and, for the course activities that run the
same way every term, its groups and rules (``OFFERS``)."""

from __future__ import annotations

from dataclasses import dataclass

from fremdrift.registrations.models import Course, QuestionnaireItem

from .calendar import MON, THU, TUE, WED


@dataclass(frozen=True)
class _Template:
    """A questionnaire: change items asked before and after, satisfaction
    items after; (text, scale, purpose)."""

    name: str
    items: tuple[tuple[str, str, str], ...]

    def purposes(self, purpose: str) -> list[int]:
        return [i for i, item in enumerate(self.items) if item[2] == purpose]


CHANGE = QuestionnaireItem.Purpose.CHANGE.value
SATISFACTION = QuestionnaireItem.Purpose.SATISFACTION.value
LIKERT = QuestionnaireItem.Scale.LIKERT5.value
YES_NO = QuestionnaireItem.Scale.YES_NO.value

TEMPLATES = {
    "lektiecafe": _Template(
        "Lektiecafé: før og efter",
        (
            ("Jeg kan klare mine lektier", LIKERT, CHANGE),
            ("Jeg tør spørge om hjælp, når jeg går i stå", LIKERT, CHANGE),
            ("Jeg er glad for at gå i skole", LIKERT, CHANGE),
            ("Jeg er glad for lektiecaféen", LIKERT, SATISFACTION),
        ),
    ),
    "familiekursus": _Template(
        "Familiekursus: forældrenes selvevaluering",
        (
            ("Jeg ved, hvordan jeg kan støtte mit barns skolegang", LIKERT, CHANGE),
            ("Jeg har overskud til hverdagen med mine børn", LIKERT, CHANGE),
            ("Jeg kender andre forældre i området", LIKERT, CHANGE),
            ("Hvor tilfreds er du med kurset?", LIKERT, SATISFACTION),
            ("Har kurset levet op til dine forventninger?", LIKERT, SATISFACTION),
        ),
    ),
    "madskole": _Template(
        "Madskole: evaluering",
        (
            ("Hvor glad har du været for Madskolen?", LIKERT, SATISFACTION),
            ("Vil du anbefale Madskolen til en ven?", YES_NO, SATISFACTION),
        ),
    ),
    "fritidsjob": _Template(
        "Fritidsjob for unge: før og efter",
        (
            ("Jeg ved, hvordan jeg søger et job", LIKERT, CHANGE),
            ("Jeg tror på, at jeg kan få et fritidsjob", LIKERT, CHANGE),
            ("Hvor tilfreds er du med forløbet?", LIKERT, SATISFACTION),
        ),
    ),
    "foraeldrenetvaerk": _Template(
        "Forældrenetværk: evaluering",
        (
            ("Jeg har fået nogen at tale med om mine børn", LIKERT, CHANGE),
            ("Hvor tilfreds er du med netværksgruppen?", LIKERT, SATISFACTION),
        ),
    ),
}

THEMES = {
    "lektiecafe": ("Lektier og læsning", "Matematik", "Dansk", "Engelsk", "Projekt"),
    "familiekursus": (
        "Velkomst og forventninger",
        "Skolens hverdag",
        "Lektier derhjemme",
        "Sprog i familien",
        "Søvn og skærm",
        "Venskaber",
        "Grænser og kærlighed",
        "Samarbejde med skolen",
        "Fritidsliv",
        "Konflikter",
        "Familiens netværk",
        "Afslutning og fejring",
    ),
    "madskole": (
        "Grød og brød",
        "Grøntsager fra haven",
        "Suppe",
        "Fisk",
        "Mad fra hele verden",
        "Afslutningsfest",
    ),
    "fritidsjob": (
        "Hvad kan jeg?",
        "Mit CV",
        "Ansøgningen",
        "Jobsamtalen",
        "Besøg i Eksempelby Brugs",
        "Besøg i den lokale idrætsforening",
        "Rettigheder for unge i job",
        "Øvesamtaler",
        "Matchning med arbejdsgivere",
        "Afslutning",
    ),
    "foraeldrenetvaerk": (
        "Kom godt i gang",
        "Børn og skærm",
        "Pubertet",
        "Sprog",
        "Fritidsaktiviteter",
        "Trivsel",
        "Netværk i området",
        "Fejring",
    ),
    "beboerambassadoerer": (
        "Hvad er en beboerambassadør?",
        "Naboskab",
        "At byde nye beboere velkommen",
        "Guide til kommunens tilbud",
        "Planlæg et arrangement",
        "Konflikter i opgangen",
        "Frivillighed i praksis",
        "Afslutning",
    ),
    "faellesspisning": (
        "Lasagne",
        "Biryani",
        "Frikadeller og kartoffelsalat",
        "Tagine",
        "Suppe og brød",
        "Pizza fra ovnen",
        "Dolma",
        "Boller i karry",
    ),
}


@dataclass(frozen=True)
class _Offer:
    """How a course activity runs each term: its groups (name, week of the
    term it starts in, weekday, age band), sessions, completion rule, group
    size, role, how many of last term's group come back, individual goals
    (how many set one, how many of those who complete reach it) and
    follow-ups three months after the end."""

    slug: str
    label: str
    groups: tuple[tuple[str, int, int, int, int], ...]
    sessions: int
    rule: tuple[str, int]
    minutes: int
    size: tuple[int, int]
    role: str
    comes_back: float = 0.0
    late: float = 0.0
    goal_set: float = 0.0
    goal_reached: float = 0.0
    follow_up: bool = False
    parents: bool = False
    autumn_only: bool = False


MAX_ABSENCE = Course.CompletionRule.MAX_ABSENCE.value
MIN_SESSIONS = Course.CompletionRule.MIN_SESSIONS.value

OFFERS = {
    # Weekly all term, two groups; many children come back the next term,
    # and some join a few weeks in.
    "lektiecafe": _Offer(
        "lektiecafe",
        "Lektiecafé",
        (("0.-3. klasse", 1, TUE, 6, 9), ("4.-7. klasse", 1, WED, 10, 13)),
        30,
        (MIN_SESSIONS, 10),
        90,
        (9, 14),
        "child",
        comes_back=0.5,
        late=0.2,
    ),
    # Two six-week cooking courses a term for children aged 8-12.
    "madskole": _Offer(
        "madskole",
        "Madskole",
        (("hold 1", 2, WED, 8, 12), ("hold 2", 11, WED, 8, 12)),
        6,
        (MAX_ABSENCE, 25),
        150,
        (7, 12),
        "child",
        comes_back=0.15,
    ),
    # Ten weeks of job-readiness for 13-17-year-olds; the goal is a
    # leisure job, followed up three months later.
    "fritidsjob": _Offer(
        "fritidsjob",
        "Fritidsjob for unge",
        (("", 3, THU, 13, 17),),
        10,
        (MAX_ABSENCE, 25),
        90,
        (7, 12),
        "young",
        goal_set=1.0,
        goal_reached=0.65,
        follow_up=True,
    ),
    # Eight meetings a term for parents; completed with six.
    "foraeldrenetvaerk": _Offer(
        "foraeldrenetvaerk",
        "Forældrenetværk",
        (("", 4, TUE, 18, 70),),
        8,
        (MIN_SESSIONS, 6),
        120,
        (6, 12),
        "parent",
        comes_back=0.4,
        parents=True,
    ),
    # A course for volunteers each autumn (and one to start the plan);
    # each sets a goal, such as holding an event for the neighbours.
    "beboerambassadoerer": _Offer(
        "beboerambassadoerer",
        "Beboerambassadører",
        (("", 5, MON, 20, 75),),
        8,
        (MAX_ABSENCE, 25),
        150,
        (6, 11),
        "volunteer",
        comes_back=0.35,
        goal_set=1.0,
        goal_reached=0.7,
        autumn_only=True,
    ),
}
