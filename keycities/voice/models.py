"""Residents' voice: surveys that residents of member places answer without an account, and the population
they are compared with and weighted to.

- `PopulationSource` / `PopulationCell`: usual residents aged 16 and over of each member place by the survey's
  age band and sex (Census 2021; `population.py` says how the cells are made), loaded by `import_population`.
- `Survey` (places, work areas, dates, privacy notice, English and Welsh text), its `Question`s and `Option`s.
- `Response`: one resident's answers (`Answer`), reached again by an unguessable link whose token is stored only
  as a hash. The demographic answers are copied onto the response for the analysis.
- `Theme`: a group of free-text answers to one question, found by the embedding model; staff rename, merge and
  split them, and a theme they touched is `kept` across re-runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keycities.network.models import Place, WorkArea


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


class AgeBand(models.TextChoices):
    """The Census 2021 age categories for people aged 16 and over (TS007's subtotals; 16-19 and 20-24 joined,
    75-84 and 85+ joined, so that each band has enough respondents to weight)."""

    A16_24 = "16-24", _("16 to 24")
    A25_34 = "25-34", _("25 to 34")
    A35_49 = "35-49", _("35 to 49")
    A50_64 = "50-64", _("50 to 64")
    A65_74 = "65-74", _("65 to 74")
    A75_PLUS = "75+", _("75 or over")


class Sex(models.TextChoices):
    """The Census 2021 categories of sex."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


PREFER_NOT = "prefer-not"


class PopulationSource(models.Model):
    """One load of the population files: their checksums, so an unchanged set is not loaded twice."""

    checksum = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=300)
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.description


class PopulationCell(models.Model):
    """Usual residents of a member place in one age band and sex, on Census Day 2021."""

    source = models.ForeignKey(PopulationSource, on_delete=models.CASCADE, related_name="cells")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="population_cells")
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    sex = models.CharField(max_length=8, choices=Sex.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "place", "age_band", "sex"], name="voice_cell_once")]

    def __str__(self) -> str:
        return f"{self.place_id} {self.age_band} {self.sex}: {self.count}"


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Launched")

    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(max_length=200)
    title_cy = models.CharField("title in Welsh", max_length=200)
    introduction = models.TextField()
    introduction_cy = models.TextField("introduction in Welsh")
    privacy_notice = models.TextField()
    privacy_notice_cy = models.TextField("privacy notice in Welsh")
    places = models.ManyToManyField(Place, related_name="surveys")
    work_areas = models.ManyToManyField(WorkArea, related_name="surveys", blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    allow_repeat = models.BooleanField(default=False, help_text="Let one browser send more than one response.")
    results_public = models.BooleanField(default=False)
    retention_days = models.PositiveIntegerField(default=365, help_text="Responses are erased this long after "
                                                 "the survey closes.")  # fmt: skip
    retention_done = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:survey", args=[self.slug])

    def get_results_url(self) -> str:
        return reverse("voice:results", args=[self.slug])

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.LIVE and self.opens_on <= today <= self.closes_on

    def is_closed(self, today: dt.date | None = None) -> bool:
        return self.status == self.Status.LIVE and (today or timezone.localdate()) > self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        TEXT = "text", _("Free text")
        RANKING = "ranking", _("Ranking")
        AGE = "age", _("Age band")
        SEX = "sex", _("Sex")
        POSTCODE = "postcode", _("Postcode district")
        WARD = "ward", _("Ward")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    text_cy = models.CharField("question in Welsh", max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    hint_cy = models.CharField("hint in Welsh", max_length=300, blank=True)
    required = models.BooleanField(default=False)
    scale_points = models.PositiveSmallIntegerField(default=5)
    low_label = models.CharField(max_length=60, blank=True)
    low_label_cy = models.CharField(max_length=60, blank=True)
    high_label = models.CharField(max_length=60, blank=True)
    high_label_cy = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="voice_question_position")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_demographic(self) -> bool:
        return self.kind in {self.Kind.AGE, self.Kind.SEX, self.Kind.POSTCODE, self.Kind.WARD}


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField()
    text = models.CharField(max_length=200)
    text_cy = models.CharField("option in Welsh", max_length=200)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    browser_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(max_length=5, default="en")
    email = models.EmailField(blank=True, help_text="Only if the resident asked for their link by email.")
    age_band = models.CharField(max_length=10, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)
    ward = models.CharField(max_length=10, blank=True, help_text="ONS ward code (2024), or 'prefer-not'.")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    options = models.JSONField(default=list, blank=True, help_text="Option ids: chosen, or ranked first to last.")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    embedding = models.JSONField(default=list, blank=True)
    theme = models.ForeignKey("Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="voice_answer_once")]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class Theme(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(max_length=120)
    label_cy = models.CharField(max_length=120, blank=True)
    kept = models.BooleanField(default=False, help_text="Staff named, merged or split it: re-runs keep it.")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label
