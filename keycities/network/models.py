"""The Key Cities network: places, the statistical areas they cover, groups
with dated memberships, and work areas with their lead places.

A *place* is a member (or comparator) as people name it ("Tees Valley").
It covers one or more statistical *areas* keyed by GSS code, and the cover
has dates ("Bournemouth" is E06000028 until 31 March 2019, then BCP). A
*group* (Key Cities, Core Cities, or one staff define) has memberships with
dates. This app stores area codes as text: the observatory owns the areas'
statistics and joins to them by code, so the registry never depends on it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text

GSS_CODE = RegexValidator(r"^[EWSNK]\d{8}$", "Enter a nine-character GSS code such as E08000026.")


class Nation(models.TextChoices):
    ENGLAND = "England", _("England")
    WALES = "Wales", _("Wales")
    SCOTLAND = "Scotland", _("Scotland")
    NORTHERN_IRELAND = "Northern Ireland", _("Northern Ireland")


def _in_force(prefix: str, on: dt.date) -> Q:
    """Rows whose [start, end] date span (either end open) contains `on`."""
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": on})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


class DatedQuerySet(models.QuerySet):
    def in_force(self, on: dt.date) -> DatedQuerySet:
        return self.filter(_in_force("", on))


class Dated(models.Model):
    """A fact that holds from `start` to `end` inclusive; a blank end means 'still'."""

    start = models.DateField(null=True, blank=True, help_text="First day; blank if not known.")
    end = models.DateField(null=True, blank=True, help_text="Last day; blank while it still holds.")

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The end date must be on or after the start date."})

    def holds_on(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)

    @property
    def span(self) -> str:
        start = self.start.strftime("%-d %B %Y") if self.start else "before records"
        end = self.end.strftime("%-d %B %Y") if self.end else "now"
        return f"{start} to {end}"


class PlaceQuerySet(models.QuerySet):
    def members_of(self, group: Group | str, on: dt.date | None = None) -> PlaceQuerySet:
        """Places in the group on the date (today by default)."""
        on = on or dt.date.today()
        slug = group if isinstance(group, str) else group.slug
        return self.filter(_in_force("memberships__", on), memberships__group__slug=slug).distinct()


class Place(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, help_text="The name people use, e.g. 'Tees Valley'.")
    name_cy = models.CharField(
        "name in Welsh", max_length=100, blank=True, help_text="A Welsh name, e.g. 'Abertawe' (ONS LAD24NMW)."
    )
    official_name = models.CharField(max_length=200, blank=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    region_code = models.CharField(
        max_length=9, validators=[GSS_CODE], help_text="English region (E12) or nation code."
    )
    region_name = models.CharField(max_length=60)
    summary = models.TextField(blank=True, help_text="A sentence on what the place is.")
    note = models.TextField(blank=True, help_text="Anything a reader of its figures must know.")
    note_cy = models.TextField("note in Welsh", blank=True, help_text="The note in Welsh; blank until translated.")

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return localised_text(self, "name")  # the page's language

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network:place", args=[self.slug])

    def areas_on(self, on: dt.date) -> list[PlaceArea]:
        """The statistical areas that make up the place on a date."""
        return [a for a in self.areas.all() if a.relation == PlaceArea.Relation.COVERS and a.holds_on(on)]


class PlaceArea(Dated):
    """A statistical area in a place's cover over a span of dates."""

    class Relation(models.TextChoices):
        COVERS = "covers", "The place is made of this area (counted in figures)"
        SAME = "same", "The place's whole cover published as one area (used where parts cannot be combined)"
        WITHIN = "within", "The place lies inside this larger area (not counted)"

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="areas")
    area_code = models.CharField("GSS code", max_length=9, validators=[GSS_CODE])
    area_name = models.CharField(max_length=120)
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.COVERS)
    note = models.CharField(max_length=300, blank=True)
    note_cy = models.CharField("note in Welsh", max_length=300, blank=True,
                               help_text="The note in Welsh; blank until translated.")  # fmt: skip

    class Meta:
        # Open starts first on every database (PostgreSQL sorts NULL last by default).
        ordering = [models.F("start").asc(nulls_first=True), "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["place", "area_code", "start"], name="placearea_unique_span"),
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.area_name} ({self.area_code}), {self.span}"


class Group(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", "Our network"
        COMPARATOR = "comparator", "Comparator group"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMPARATOR)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the membership comes from.")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def members_on(self, on: dt.date | None = None) -> PlaceQuerySet:
        return Place.objects.members_of(self, on)


class Membership(Dated):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="memberships")
    source = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["group__name", models.F("start").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["group", "place", "start"], name="membership_unique_span"),
        ]

    def __str__(self) -> str:
        return f"{self.place} in {self.group}, {self.span}"

    def clean(self) -> None:
        super().clean()
        if not (self.group_id and self.place_id):
            return
        clash = Membership.objects.filter(group_id=self.group_id, place_id=self.place_id).exclude(pk=self.pk)
        for other in clash:
            if _overlaps(self.start, self.end, other.start, other.end):
                raise ValidationError(f"{self.place} is already a member of {self.group} over {other.span}.")


def _overlaps(a0: dt.date | None, a1: dt.date | None, b0: dt.date | None, b1: dt.date | None) -> bool:
    lo, hi = dt.date.min, dt.date.max
    return (a0 or lo) <= (b1 or hi) and (b0 or lo) <= (a1 or hi)


class WorkArea(models.Model):
    """One of the group's work areas, led by one or more member places. All work areas are equal: the
    introduction's "Work with us" heading is an invitation to partners, not a kind of work area."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    name_cy = models.CharField("name in Welsh", max_length=100, blank=True)
    description = models.TextField(help_text="In the group's words.")
    description_cy = models.TextField("description in Welsh", blank=True)
    source = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")
    leads = models.ManyToManyField(Place, through="WorkAreaLead", related_name="work_areas_led")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return localised_text(self, "name")  # the page's language

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network:work-area", args=[self.slug])


class WorkAreaLead(models.Model):
    work_area = models.ForeignKey(WorkArea, on_delete=models.CASCADE, related_name="lead_links")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="lead_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["work_area", "position", "place__name"]
        constraints = [models.UniqueConstraint(fields=["work_area", "place"], name="workarealead_unique")]

    def __str__(self) -> str:
        return f"{self.place} leads {self.work_area}"
