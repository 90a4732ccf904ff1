"""Pilots and test beds: the registry (what was tried, where, by whom, with what money, towards what), the outcomes
each is judged on (an observatory indicator, the intervention date, the direction hoped for, the comparators), and
the evaluations of an outcome against comparator places (ADR 0035)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.engagement.models import Organisation
from keycities.network.models import Place, WorkArea
from keycities.proposals.models import Proposal


class Kind(models.TextChoices):
    INVEST_TO_SAVE = "invest-to-save", _("Invest to save")
    DEVOLVED_DELIVERY = "devolved-delivery", _("Devolved delivery")
    NATIONAL_PILOT = "national-pilot", _("National programme pilot")
    NEW_APPROACH = "new-approach", _("New approach")


class Pilot(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=200)
    name_cy = models.CharField("name in Welsh", max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    published = models.BooleanField(default=False, help_text="Shown on the public pages.")
    places = models.ManyToManyField(Place, related_name="pilots")
    work_area = models.ForeignKey(WorkArea, null=True, blank=True, on_delete=models.PROTECT, related_name="pilots")
    partners = models.ManyToManyField(Organisation, blank=True, related_name="pilots")
    other_partners = models.CharField(max_length=300, blank=True)
    # Its documents are publications in the library (checked by content, text searchable, public or staff-only).
    documents = models.ManyToManyField("library.Publication", blank=True, related_name="pilots")
    funder = models.CharField(max_length=200, blank=True)
    funding = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True, help_text="£")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    summary = models.TextField(help_text="The public summary.")
    summary_cy = models.TextField("public summary in Welsh", blank=True)
    expected_outcomes = models.TextField(blank=True)
    expected_outcomes_cy = models.TextField("expected outcomes in Welsh", blank=True)
    claimed_savings = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True, help_text="£")
    savings_method = models.TextField(blank=True, help_text="How the claimed savings were worked out.")
    proposal = models.OneToOneField(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pilot",
        help_text="The proposal the pilot came from, with its history.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", args=[self.slug])

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})
        if self.claimed_savings is not None and not self.savings_method.strip():
            raise ValidationError({"savings_method": _("Say how the claimed savings were worked out.")})


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_TRACK = "on-track", _("On track")
        LATE = "late", _("Late")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        ordering = ["pilot", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class Direction(models.IntegerChoices):
    INCREASE = 1, _("An increase")
    DECREASE = -1, _("A decrease")


class Outcome(models.Model):
    """What a pilot is judged on: an observatory indicator in one of its places, from the intervention date, with
    the direction hoped for. `comparators` is the staff's list of comparator local authorities (GSS codes); empty
    means the default (the most similar by their pre-period figures)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="outcomes")
    indicator = models.CharField(max_length=60, help_text="The observatory indicator's slug.")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    intervention = models.DateField(help_text="When the pilot started to act on this outcome.")
    expected = models.SmallIntegerField(choices=Direction.choices, default=Direction.INCREASE)
    comparators = models.JSONField(default=list, blank=True)
    comparators_note = models.CharField(max_length=300, blank=True, help_text="Why the list was changed.")

    class Meta:
        ordering = ["pilot", "indicator", "pk"]
        constraints = [models.UniqueConstraint(fields=["pilot", "indicator", "place"], name="pilot_outcome_unique")]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.indicator} ({self.place})"


class Evaluation(models.Model):
    """One run of the evaluation of an outcome (a task), with its progress, and its result or refusal."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="evaluations")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    comparators = models.JSONField(default=list, help_text="The comparators used, and whether they were the default.")
    default_comparators = models.BooleanField(default=True)
    result = models.JSONField(null=True, blank=True)
    refusal = models.JSONField(null=True, blank=True, help_text="{code, params} when refused.")
    sources = models.JSONField(default=dict, blank=True, help_text="Releases used and breaks in the series.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.state})"
