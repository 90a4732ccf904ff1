"""Engagement: the organisations and people the group works with, their roles over time, Westminster
constituencies and how they overlap member places, and the group's interactions and follow-ups.

Public data: MPs' and Ministers' public roles (who holds which seat or post, party, dates) and the APPG's
officers. Everything else about a person (email, phone, notes) and every interaction is personal or
internal: `policy.py` decides who sees it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.network.models import GSS_CODE, Place, WorkArea


class OrgKind(models.TextChoices):
    DEPARTMENT = "department", _("Government department")
    AGENCY = "agency", _("Government agency or public body")
    PARLIAMENT = "parliament", _("Parliamentary body")
    COUNCIL = "council", _("Council")
    MEDIA = "media", _("Media outlet")
    BUSINESS = "business", _("Business")
    UNIVERSITY = "university", _("University")
    CHARITY = "charity", _("Charity")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    abbreviation = models.CharField(max_length=30, blank=True)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="For a council: the place it serves.")  # fmt: skip
    website = models.URLField(blank=True)
    description = models.TextField(
        blank=True, help_text="What it is for, in its own words (the APPG's registered purpose)."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the record comes from.")
    # Where a loaded row came from ("ifg-organisation:<id>", "appg:key-cities"): loading again updates it.
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    """A Westminster constituency on 2024 boundaries, with its ward count (ONS ward lookup, July 2024) and the
    Centre for Cities figures published for it."""

    code = models.CharField("GSS code", max_length=9, unique=True, validators=[GSS_CODE])
    name = models.CharField(max_length=120)
    name_cy = models.CharField(max_length=120, blank=True)
    wards = models.PositiveIntegerField(
        default=0, help_text="Ward rows in the ONS lookup (a split ward counts in each)."
    )
    cfc_figures = models.JSONField(default=dict, blank=True, help_text="Centre for Cities GE2024 data tool.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name


class ConstituencyArea(models.Model):
    """How many of a constituency's wards lie in one local authority (ONS lookup, July 2024)."""

    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="areas")
    area_code = models.CharField(max_length=9, validators=[GSS_CODE], db_index=True)
    area_name = models.CharField(max_length=120)
    wards = models.PositiveIntegerField()
    area_wards = models.PositiveIntegerField(help_text="All the local authority's ward rows in the lookup.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["constituency", "area_code"], name="one_row_per_la")]

    def __str__(self) -> str:
        return f"{self.constituency} / {self.area_name}"


class Person(models.Model):
    name = models.CharField(max_length=200)
    parliament_id = models.PositiveIntegerField(unique=True, null=True, blank=True,
                                                help_text="UK Parliament member id (Members API).")  # fmt: skip
    twfy_url = models.URLField("TheyWorkForYou page", blank=True)
    # Personal data: shown only to whoever policy.may_see_contact allows.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagement:mp", args=[self.pk])


class RoleKind(models.TextChoices):
    MP = "mp", _("MP")
    MINISTER = "minister", _("Minister")
    APPG_OFFICER = "appg-officer", _("APPG officer")
    APPG_MEMBER = "appg-member", _("APPG member")
    JOURNALIST = "journalist", _("Journalist")
    CONTACT = "contact", _("Contact")


PUBLIC_ROLES = (RoleKind.MP, RoleKind.MINISTER, RoleKind.APPG_OFFICER, RoleKind.APPG_MEMBER)


class RoleQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> RoleQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))

    def public(self) -> RoleQuerySet:
        return self.filter(kind__in=PUBLIC_ROLES)


class Role(models.Model):
    """A person's role for a time: MP for a constituency (with party), Minister for a post in a department,
    an officer of the APPG, a journalist at an outlet, a contact at a partner."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=14, choices=RoleKind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="The post, e.g. 'Secretary of State for Transport'.")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    constituency = models.ForeignKey(Constituency, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="roles")  # fmt: skip
    party = models.CharField(max_length=80, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    source_key = models.CharField(max_length=120, unique=True, null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "pk"]
        # The coverage page reads the Ministers and MPs in post (a few hundred of 20,000 roles, most of them
        # contacts) by kind.
        indexes = [models.Index(fields=["kind", "person"], name="engagement_role_kind")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {self.title}".strip()

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_ROLES


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    CALL = "call", _("Call")
    EVENT = "event", _("Event")
    EVIDENCE = "evidence", _("Evidence session")
    PARLIAMENT = "parliament", _("Parliamentary question or debate mention")
    PRESS = "press", _("Press coverage")


class InteractionQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        """An update of interactions' dates carries them to their people and organisation links (_DATED)."""
        if "date" not in kwargs:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            for link in dated_links():
                link.objects.filter(interaction_id__in=ids).update(
                    date=models.Subquery(
                        Interaction.objects.filter(pk=models.OuterRef("interaction_id")).values("date")
                    )
                )
        return count


class Interaction(models.Model):
    kind = models.CharField(max_length=12, choices=InteractionKind.choices)
    date = models.DateField(db_index=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)
    # People and organisations are linked through rows that carry the interaction's date as well (ADR 0029): the
    # coverage page counts each person's latest date and each department's work areas in a date range from an
    # index on (person or organisation, date) alone, without reading 200,000 interactions for their dates.
    people = models.ManyToManyField(Person, blank=True, related_name="interactions", through="InteractionPerson")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="interactions",
                                           through="InteractionOrganisation")  # fmt: skip
    places = models.ManyToManyField(Place, blank=True, related_name="+")
    # Its work areas are copied to its people and organisation links as well (`InteractionLink.work_areas`), kept
    # by the work-area links' own writes (`WorkAreaLinks`, `InteractionWorkArea`): the coverage page's
    # (department, work area) pairs are then read from the links alone.
    work_areas = models.ManyToManyField(WorkArea, blank=True, related_name="+", through="InteractionWorkArea")
    asks = models.ManyToManyField("consultations.Ask", blank=True, related_name="interactions",
                                  help_text="The asks raised, from the asks ledger.")  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved with its links' dates, in one transaction: a changed date is carried to every person and
        organisation link (a new interaction has none yet)."""
        fields = kwargs.get("update_fields")
        if self._state.adding or (fields is not None and "date" not in fields):
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Interaction, instance=self)):
            super().save(*args, **kwargs)
            for link in dated_links():
                link.objects.filter(interaction_id=self.pk).exclude(date=self.date).update(date=self.date)

    def get_absolute_url(self) -> str:
        return reverse("engagement:interaction", args=[self.pk])


def work_area_key(ids: Iterable[int]) -> str:
    """An interaction's work areas as its links keep them: the ids in order between commas (",3,7,"), so that
    "has work area 3" is `LIKE '%,3,%'` on either database; "" for none."""
    found = sorted(set(ids))
    return f",{','.join(map(str, found))}," if found else ""


def work_area_keys(interaction_ids: Iterable[int], using: str | None = None) -> dict[int, str]:
    """Each interaction's `work_area_key`, read from its work-area links."""
    ids = sorted(set(interaction_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(ids), 500):
        for interaction, area in (InteractionWorkArea.objects.using(using)
                                  .filter(interaction_id__in=ids[start : start + 500]).order_by()
                                  .values_list("interaction_id", "workarea_id")):  # fmt: skip
            found.setdefault(interaction, []).append(area)
    return {i: work_area_key(found.get(i, ())) for i in ids}


def refresh_link_work_areas(interaction_ids: Iterable[int], using: str | None = None) -> None:
    """Copy the interactions' work areas (as they are now, in this transaction) to their people and organisation
    links: one UPDATE per distinct set of work areas and link table, only of the rows that differ."""
    by_key: dict[str, list[int]] = {}
    for interaction, key in work_area_keys(interaction_ids, using).items():
        by_key.setdefault(key, []).append(interaction)
    for link in dated_links():
        for key, ids in by_key.items():
            for start in range(0, len(ids), 500):
                (link.objects.using(using).filter(interaction_id__in=ids[start : start + 500])
                 .exclude(work_areas=key).update(work_areas=key))  # fmt: skip


class DatedLinks(models.QuerySet["InteractionLink"]):
    """Link rows made without a date (`interaction.people.add(...)`, `.set()`, the admin, from either side) get
    their interaction's date here, in the same statement's transaction: Django's many-to-many managers create
    them with `through._default_manager.using(db).bulk_create`, hence a QuerySet. Every new link takes its
    interaction's work areas as they are now (whatever it was given)."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        missing = sorted({o.interaction_id for o in objs if o.date is None})
        if missing:
            dates: dict[int, dt.date] = {}
            for start in range(0, len(missing), 500):
                dates.update(Interaction.objects.filter(pk__in=missing[start : start + 500]).values_list("pk", "date"))
            for o in objs:
                if o.date is None:
                    o.date = dates.get(o.interaction_id)
        keys = work_area_keys((o.interaction_id for o in objs), self.db)
        for o in objs:
            o.work_areas = keys[o.interaction_id]
        return super().bulk_create(objs, *args, **kwargs)


class InteractionLink(models.Model):
    """An interaction's link to someone or something, with the interaction's date (kept equal to it by
    Interaction.save, InteractionQuerySet.update and DatedLinks) and its work areas (`work_area_key`, kept by
    DatedLinks and by every write of the work-area links: `WorkAreaLinks`, `InteractionWorkArea`)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    date = models.DateField()
    work_areas = models.TextField(blank=True, default="", editable=False)

    objects = DatedLinks.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.date is None:
            self.date = Interaction.objects.filter(pk=self.interaction_id).values_list("date", flat=True).get()
        self.work_areas = work_area_keys([self.interaction_id], kwargs.get("using"))[self.interaction_id]
        super().save(*args, **kwargs)


class InteractionPerson(InteractionLink):
    person = models.ForeignKey(Person, on_delete=models.CASCADE)

    class Meta:
        db_table = "engagement_interaction_people"
        unique_together = [("interaction", "person")]
        indexes = [models.Index(fields=["person", "date", "interaction", "work_areas"], name="engagement_people_dated")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.interaction_id}"


class InteractionOrganisation(InteractionLink):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)

    class Meta:
        db_table = "engagement_interaction_organisations"
        unique_together = [("interaction", "organisation")]
        indexes = [
            models.Index(fields=["organisation", "date", "interaction", "work_areas"], name="engagement_orgs_dated")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.interaction_id}"


def dated_links() -> tuple[type[InteractionLink], ...]:
    """The link tables that carry their interaction's date and work areas."""
    return (InteractionPerson, InteractionOrganisation)


class WorkAreaLinks(models.QuerySet["InteractionWorkArea"]):
    """Work-area links made or moved in bulk (`.add()`, `.set()`, the admin, the through table's own
    `bulk_create` and `update`) refresh their interactions' people and organisation links in the same
    transaction. Deletions (`.remove()`, `.clear()`, a work area or an interaction deleted) are seen by the
    post_delete receiver below, which every deletion path sends (it also stops Django's fast delete)."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        with transaction.atomic(using=self.db):
            made = super().bulk_create(objs, *args, **kwargs)
            refresh_link_work_areas({o.interaction_id for o in objs}, self.db)
        return made

    def update(self, **kwargs: Any) -> int:
        with transaction.atomic(using=self.db):
            ids = set(self.values_list("interaction_id", flat=True))
            count = super().update(**kwargs)
            moved = kwargs.get("interaction", kwargs.get("interaction_id"))
            if moved is not None:
                ids.add(getattr(moved, "pk", moved))
            refresh_link_work_areas(ids, self.db)
        return count


class InteractionWorkArea(models.Model):
    """An interaction's work area (Django's former automatic table, adopted in migration 0009)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    workarea = models.ForeignKey(WorkArea, on_delete=models.CASCADE)

    objects = WorkAreaLinks.as_manager()

    class Meta:
        db_table = "engagement_interaction_work_areas"
        unique_together = [("interaction", "workarea")]

    def __str__(self) -> str:
        return f"{self.workarea_id} in {self.interaction_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or router.db_for_write(InteractionWorkArea, instance=self)
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            refresh_link_work_areas([self.interaction_id], using)


@receiver(post_delete, sender=InteractionWorkArea)
def _work_area_link_deleted(sender: Any, instance: InteractionWorkArea, using: str, **kwargs: Any) -> None:
    """A work-area link deleted by any path: its interaction's links lose the work area (in the deletion's
    transaction; a no-op when the interaction is being deleted too)."""
    refresh_link_work_areas([instance.interaction_id], using)


class InteractionAttachment(models.Model):
    """A document kept with an interaction (a letter, minutes, a briefing): PDF, DOCX or ODT, judged from its
    bytes as a consultation's documents are. Seen by whoever may see the interaction; erased with the people in
    it."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="engagement/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("engagement:attachment", args=[self.interaction_id, self.pk])


class FollowUp(models.Model):
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    due = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text


class CalendarToken(models.Model):
    """A user's private iCalendar feed address. Only a hash is kept; revoking deletes the row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar address of user {self.user_id}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


# --- media: spokespeople, press releases and the coverage log (issue 11, item 5) ---------------------------


class Spokesperson(models.Model):
    """Who speaks for the group on a work area, for a time. Named on the published releases they speak in."""

    work_area = models.ForeignKey(WorkArea, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="spokesperson_roles")
    title = models.CharField(
        max_length=200, blank=True, help_text="How the release names them, e.g. 'Leader, Hull City Council'."
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["work_area__name", "person__name", "pk"]

    def __str__(self) -> str:
        return f"{self.person} ({self.work_area})"

    def current(self, on: dt.date | None = None) -> bool:
        on = on or dt.date.today()
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class PressRelease(models.Model):
    """A press release: draft → approved (by the secretariat) → published. One that quotes a figure cites the
    claims it rests on, and cannot be approved or published while any of them does not hold (services.py)."""

    title = models.CharField(max_length=200)
    title_cy = models.CharField("title (Welsh)", max_length=200, blank=True)
    body = models.TextField()
    body_cy = models.TextField("body (Welsh)", blank=True)
    work_area = models.ForeignKey(WorkArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    spokespeople = models.ManyToManyField(Spokesperson, blank=True, related_name="releases")
    claims = models.ManyToManyField("claims.Claim", blank=True, related_name="press_releases",
                                    help_text="The claims register's entries for the figures it quotes.")  # fmt: skip
    status = models.CharField(max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="release_status_published")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:release", args=[self.pk])

    def public_url(self) -> str:
        return reverse("engagement:press-release", args=[self.pk])


class MediaCoverage(models.Model):
    """One piece of coverage in the media log: outlet, date, address, headline, and the release or claim it
    used (either may be blank: coverage we did not prompt is logged too)."""

    outlet = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="coverage",
                               limit_choices_to={"kind": OrgKind.MEDIA})  # fmt: skip
    date = models.DateField()
    url = models.URLField("address", max_length=500, blank=True)
    headline = models.CharField(max_length=300)
    release = models.ForeignKey(PressRelease, null=True, blank=True, on_delete=models.SET_NULL, related_name="coverage")
    claim = models.ForeignKey("claims.Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "media coverage"
        indexes = [models.Index(fields=["date"], name="mediacoverage_date")]

    def __str__(self) -> str:
        return self.headline


# --- the APPG's meetings (issue 11, item 4) ----------------------------------------------------------------


class AppgMeeting(models.Model):
    """A meeting of the Key Cities APPG: agenda, who attended, minutes and actions. Its minutes are public once
    published (the APPG's public page); the agenda, attendees and actions are for the secretariat."""

    date = models.DateField()
    title = models.CharField(max_length=200)
    agenda = models.TextField(blank=True)
    attendees = models.ManyToManyField(Person, blank=True, related_name="appg_meetings")
    minutes = models.TextField(blank=True)
    minutes_cy = models.TextField("minutes (Welsh)", blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:appg-meeting", args=[self.pk])

    def public_url(self) -> str:
        return reverse("engagement:appg-minutes", args=[self.pk])


class AppgAction(models.Model):
    meeting = models.ForeignKey(AppgMeeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True, help_text="Who does it (a name or an organisation).")
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text
