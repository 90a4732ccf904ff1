"""Briefing packs: a pack (what it is about), its narrative sections (staff's words with figure tokens), and
its issues (each one frozen: text, figures and the releases they came from, under a stable address)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.engagement.models import Organisation, Person
from keycities.network.models import Place, WorkArea


class Kind(models.TextChoices):
    GROUP = "group", _("Key Cities in numbers")
    PLACE = "place", _("Member place")
    WORK_AREA = "work-area", _("Work area")
    MP = "mp", _("MP")
    DEPARTMENT = "department", _("Minister or department")


# Packs about the group and a work area are published on the site once issued; the others are private, seen by
# the same rules as contacts (policy.visible_issues).
PUBLIC_KINDS = frozenset({Kind.GROUP, Kind.WORK_AREA})


class Pack(models.Model):
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="packs")
    work_area = models.ForeignKey(WorkArea, null=True, blank=True, on_delete=models.PROTECT, related_name="packs")
    # An MP's pack: the MP. A department's pack: the department, and the Minister it is for, if one.
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="packs")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="packs")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS

    def clean(self) -> None:
        if self.kind == Kind.PLACE and not self.place_id:
            raise ValidationError({"place": _("Choose the member place the pack is about.")})
        if self.kind == Kind.WORK_AREA and not self.work_area_id:
            raise ValidationError({"work_area": _("Choose the work area the pack is about.")})
        if self.kind == Kind.MP and not self.person_id:
            raise ValidationError({"person": _("Choose the MP the pack is for.")})
        if self.kind == Kind.DEPARTMENT and not self.organisation_id:
            raise ValidationError({"organisation": _("Choose the department the pack is about.")})
        if self.kind != Kind.PLACE:
            self.place = None
        if self.kind != Kind.WORK_AREA:
            self.work_area = None
        if self.kind not in (Kind.MP, Kind.DEPARTMENT):
            self.person = None
        if self.kind != Kind.DEPARTMENT:
            self.organisation = None


class Section(models.Model):
    """A narrative section. `figures` holds each token's value when the text was saved, so that the editor can
    flag a figure that has changed since."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200)
    body = models.TextField()
    figures = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pack", "position", "pk"]

    def __str__(self) -> str:
        return self.heading


class Issue(models.Model):
    """One issued version of a pack, frozen: the whole content as built, its figures and the releases used."""

    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="issues")
    version = models.PositiveIntegerField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    content = models.JSONField(help_text="Everything the pack shows, as built when it was issued.")
    figures = models.JSONField(default=list, help_text="Every figure with its value, period and source.")
    release_ids = models.JSONField(default=list)
    changes = models.JSONField(default=list, help_text="What changed since the version before.")
    # The member places the pack is about when issued: an officer of one of them may read a private pack.
    places = models.ManyToManyField(Place, blank=True, related_name="+")

    class Meta:
        ordering = ["pack", "-version"]
        constraints = [models.UniqueConstraint(fields=["pack", "version"], name="briefing_issue_version")]

    def __str__(self) -> str:
        return f"{self.pack} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("briefings:issue", args=[self.pack_id, self.version])


class Recipient(models.Model):
    """An issued pack sent to a person from the contacts; the interaction it recorded is the lasting record."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="briefings_received")
    interaction = models.ForeignKey("engagement.Interaction", null=True, on_delete=models.SET_NULL, related_name="+")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["issue", "person__name"]
        constraints = [models.UniqueConstraint(fields=["issue", "person"], name="briefing_sent_once")]

    def __str__(self) -> str:
        return f"{self.issue} to {self.person}"


class Batch(models.Model):
    """A run of the background task that issues a pack for every member place (or every MP for a constituency in
    a member place), with its progress."""

    class For(models.TextChoices):
        PLACES = "places", _("Every member place")
        MPS = "mps", _("Every MP in member places")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    of = models.CharField(max_length=10, choices=For.choices, default=For.PLACES)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issues = models.JSONField(default=dict, blank=True, help_text="Place slug or MP id -> the issue made for it.")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.done} of {self.total}"
