"""Consultation responses: government consultations the group watches, the
response its members draft together, review and endorse, and what came of
the policy asks it made.

One consultation has at most one response, kept on the consultation itself:
its questions are `Section`s, its text is the newest `Version` (a snapshot of
every question and answer, kept for ever), and each draft-review-sign-off
cycle is a numbered *round*. Member places' reviews belong to a round, so a
response edited after review is reviewed again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.network.models import Place, WorkArea


class BodyType(models.TextChoices):
    UK_GOVERNMENT = "uk-government", _("UK Government department")
    WELSH_GOVERNMENT = "welsh-government", _("Welsh Government")
    COMMITTEE = "committee", _("Parliamentary committee")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    WATCHING = "watching", _("Watching")
    DRAFTING = "drafting", _("Drafting")
    MEMBER_REVIEW = "member-review", _("Member review")
    SIGNED_OFF = "signed-off", _("Signed off")
    SUBMITTED = "submitted", _("Submitted")
    GOVERNMENT_RESPONSE = "government-response", _("Government response published")


STAGES = list(Stage)
# The text may change in these stages; in review or once signed off a change starts a new round.
EDITABLE = {Stage.WATCHING, Stage.DRAFTING, Stage.MEMBER_REVIEW, Stage.SIGNED_OFF}
RESTARTS_REVIEW = {Stage.MEMBER_REVIEW, Stage.SIGNED_OFF}
# Published on the public archive: the response has gone to government.
PUBLISHED = {Stage.SUBMITTED, Stage.GOVERNMENT_RESPONSE}
FINAL = {Stage.SIGNED_OFF, *PUBLISHED}


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def open_on(self, day: dt.date) -> ConsultationQuerySet:
        """Consultations still taking responses on `day`."""
        return self.filter(closes_on__gte=day)

    def published(self) -> ConsultationQuerySet:
        return self.filter(status__in=PUBLISHED)


class Consultation(models.Model):
    title = models.CharField(max_length=300)
    body_type = models.CharField(_("Type of body"), max_length=20, choices=BodyType.choices)
    body_name = models.CharField(_("Body"), max_length=200, help_text=_("e.g. 'Department for Education'."))
    url = models.URLField(_("Link"), max_length=500, help_text=_("The consultation's page."))
    published_on = models.DateField(_("Published"))
    closes_on = models.DateField(_("Closing date"))
    work_areas = models.ManyToManyField(WorkArea, blank=True, related_name="consultations")
    lead_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="consultations_led",
                                   help_text=_("The member place whose officers draft the response."))  # fmt: skip
    status = models.CharField(max_length=20, choices=Stage.choices, default=Stage.WATCHING)
    summary = models.TextField(blank=True, help_text=_("What it is about, for members."))

    round = models.PositiveSmallIntegerField(default=1, help_text="The draft-review-sign-off cycle.")
    review_deadline = models.DateField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")  # fmt: skip
    signed_off_version = models.ForeignKey("Version", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")  # fmt: skip
    positions = models.JSONField(default=dict, blank=True, help_text=(
        "Each member place's position on the signed-off round, frozen at sign-off: "
        '{"endorsed": [names], "endorsed_with_comments": [...], "abstained": [...], "objected": [...], '
        '"did_not_respond": [...]}.'))  # fmt: skip
    override_reason = models.TextField(blank=True, help_text=(
        "Why the secretariat signed the response off although a member place objected."))  # fmt: skip
    submitted_on = models.DateField(null=True, blank=True)
    # The Welsh version of the signed-off response, where one is issued (docs/adr/0010-welsh.md): the title and,
    # per section id, the question and answer in Welsh, for the version number it translates.
    title_cy = models.CharField("title in Welsh", max_length=300, blank=True)
    welsh_answers = models.JSONField(
        default=dict, blank=True,
        help_text='{"<section id>": {"question": text, "answer": text}} in Welsh.')  # fmt: skip
    welsh_version = models.PositiveIntegerField(null=True, blank=True,
                                                help_text="The signed-off version the Welsh translates.")  # fmt: skip
    government_response_url = models.URLField(max_length=500, blank=True)
    government_response_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "title"]
        indexes = [models.Index(fields=["status", "closes_on"], name="consultation_status_closes")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("consultations:published", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()


class Document(models.Model):
    """A file about the consultation: the consultation paper, an evidence note."""

    ALLOWED = {
        "application/pdf": "PDF",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
        "application/vnd.oasis.opendocument.text": "ODT",
    }
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="consultations/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind(self) -> str:
        return self.ALLOWED.get(self.content_type, "file")


class Section(models.Model):
    """One question of the consultation; its answers live in the versions."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    question = models.TextField()
    removed = models.BooleanField(default=False, help_text="Taken out of the response; kept for its history.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Q{self.position}: {self.question[:60]}"


class Version(models.Model):
    """The whole response as one person saved it: every question and its answer."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    round = models.PositiveSmallIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True, help_text="What changed, in a few words.")
    content = models.JSONField(default=list, help_text='[{"section": id, "question": text, "answer": text}]')

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.consultation}: version {self.number}"

    def answers(self) -> dict[int, str]:
        return {int(s["section"]): s["answer"] for s in self.content}

    def sections(self) -> list[dict[str, Any]]:
        return list(self.content)


class Evidence(models.Model):
    """A link from a section to a live figure: a group figure for an indicator, or a published claim."""

    class Kind(models.TextChoices):
        FIGURE = "figure", _("A group figure from the evidence base")
        CLAIM = "claim", _("A published claim")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    indicator = models.SlugField(blank=True, help_text="The indicator's slug (figures).")
    group = models.SlugField(blank=True, default="key-cities", help_text="The group's slug (figures).")
    claim_id = models.PositiveIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.indicator} ({self.group})" if self.kind == self.Kind.FIGURE else f"claim {self.claim_id}"


class Comment(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    round = models.PositiveSmallIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.section}"


class Decision(models.TextChoices):
    ENDORSE = "endorse", _("Endorse")
    ENDORSE_WITH_COMMENTS = "endorse-with-comments", _("Endorse with comments")
    ABSTAIN = "abstain", _("Abstain")
    OBJECT = "object", _("Object")


ENDORSING = {Decision.ENDORSE, Decision.ENDORSE_WITH_COMMENTS}

# Where a member place stands on a round, in the order pages list them.
POSITIONS = {
    "endorsed": _("Endorsed"),
    "endorsed_with_comments": _("Endorsed with comments"),
    "abstained": _("Abstained"),
    "objected": _("Objected"),
    "did_not_respond": _("Did not respond"),
}
POSITION_OF: dict[str, str] = {Decision.ENDORSE: "endorsed", Decision.ENDORSE_WITH_COMMENTS: "endorsed_with_comments",
               Decision.ABSTAIN: "abstained", Decision.OBJECT: "objected"}  # fmt: skip


class Review(models.Model):
    """A member place's decision on one round of a response, recorded by one of its officers."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="consultation_reviews")
    decision = models.CharField(max_length=24, choices=Decision.choices)
    text = models.TextField(blank=True, help_text="Comments, or the reason for objecting.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["place__name"]
        constraints = [models.UniqueConstraint(fields=["consultation", "round", "place"], name="review_unique_place")]

    def __str__(self) -> str:
        return f"{self.place}: {self.get_decision_display()} ({self.consultation}, round {self.round})"


class AskStatus(models.TextChoices):
    NO_REPLY = "no-reply", _("No reply")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly-accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


class Ask(models.Model):
    """A policy ask the response makes, and what came of it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="asks")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("The ask")
    department = models.CharField(max_length=200, help_text="Who the ask is of, e.g. 'HM Treasury'.")
    work_area = models.ForeignKey(WorkArea, null=True, blank=True, on_delete=models.PROTECT, related_name="asks")
    status = models.CharField(max_length=20, choices=AskStatus.choices, default=AskStatus.NO_REPLY)
    status_on = models.DateField(null=True, blank=True, help_text="When the status was last known to change.")
    evidence = models.TextField(blank=True, help_text="What shows the status: a link, a quotation.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation__closes_on", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class AskUpdate(models.Model):
    """One change of an ask's status, kept so the ledger's history survives."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=AskStatus.choices)
    on = models.DateField()
    evidence = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ask}: {self.get_status_display()} on {self.on}"


class Event(models.Model):
    """Everything that happens to a consultation, in order: its history page."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Added")
        IMPORTED = "imported", _("Imported from a file")
        EDITED = "edited", _("Details edited")
        STATUS = "status", _("Status changed")
        DOCUMENT = "document", _("Document attached")
        QUESTIONS = "questions", _("Questions changed")
        VERSION = "version", _("Response saved")
        NEW_ROUND = "new-round", _("New draft round")
        EVIDENCE = "evidence", _("Evidence changed")
        COMMENT = "comment", _("Comment")
        REVIEW_OPENED = "review-opened", _("Member review opened")
        REVIEW = "review", _("Review recorded")
        REMINDER = "reminder", _("Reminders sent")
        SIGNED_OFF = "signed-off", _("Signed off")
        SUBMITTED = "submitted", _("Submitted")
        GOVERNMENT_RESPONSE = "government-response", _("Government response recorded")
        ASK = "ask", _("Ask recorded")
        ASK_STATUS = "ask-status", _("Ask status changed")
        WELSH = "welsh", _("Welsh version saved")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", help_text="Blank: the system.")  # fmt: skip
    round = models.PositiveSmallIntegerField(default=1)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.get_kind_display()}"
