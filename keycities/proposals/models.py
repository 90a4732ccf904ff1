"""'Work with us': proposals from partners, routed to the lead place(s) of
their work areas, tracked through review and answered.

The submitter needs no account: an unguessable link (its token is stored
only as a hash) lets them follow, add to or withdraw their proposal.
Personal data (name, email, organisation, attachments) is erased after a
retention period once a proposal is closed; the proposal is kept anonymised.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.network.models import Place, WorkArea


class OrganisationType(models.TextChoices):
    BUSINESS = "business", _("Business")
    EDUCATION = "education", _("University or college")
    CHARITY = "charity", _("Charity or community group")
    PUBLIC_BODY = "public-body", _("Public body")
    RESIDENT = "resident", _("Resident")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under-review", _("Under review")
    ACCEPTED = "accepted", _("Accepted into the work programme")
    REFERRED = "referred", _("Referred to a member place")
    PILOT_CANDIDATE = "pilot-candidate", _("Pilot candidate")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the submitter")


DECISIONS = {Status.ACCEPTED, Status.REFERRED, Status.PILOT_CANDIDATE, Status.DECLINED}
# Which status may follow which (reviewers); the submitter may withdraw any open proposal.
TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.UNDER_REVIEW, *DECISIONS},
    Status.UNDER_REVIEW: set(DECISIONS),
    Status.ACCEPTED: {Status.CLOSED},
    Status.REFERRED: {Status.CLOSED},
    Status.PILOT_CANDIDATE: {Status.CLOSED},
    Status.DECLINED: {Status.CLOSED},
    Status.CLOSED: set(),
    Status.WITHDRAWN: set(),
}
OPEN = {Status.RECEIVED, Status.UNDER_REVIEW}
FINISHED = {Status.CLOSED, Status.WITHDRAWN}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def routed_to(self, place: Place | int | None) -> ProposalQuerySet:
        """Proposals in a place's queue: work areas it leads, or referred to it."""
        return self.filter(models.Q(work_areas__lead_links__place=place) | models.Q(referred_to=place)).distinct()

    def for_place(self, place: Place | int | None) -> ProposalQuerySet:
        """Proposals a place's officers may read: those in its queue, and those that name it as a place involved
        (which they read but do not review)."""
        return self.filter(models.Q(work_areas__lead_links__place=place) | models.Q(referred_to=place)
                           | models.Q(places=place)).distinct()  # fmt: skip


class Language(models.TextChoices):
    """The language a proposal was written in, which is the language its submitter is answered in."""

    ENGLISH = "en-gb", _("English")
    WELSH = "cy", _("Welsh")


class ReferenceCounter(models.Model):
    """The last proposal number given in a year. Each submission takes the next one by incrementing the row
    inside its own transaction, so that simultaneous submissions never get the same reference."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Proposal(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False,
                                      help_text="The draft it was sent from: sending the same draft again finds "
                                                "this proposal instead of making another.")  # fmt: skip

    name = models.CharField(max_length=120)
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    organisation_type = models.CharField(max_length=20, choices=OrganisationType.choices)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="proposals", help_text="A signed-in partner.")  # fmt: skip

    title = models.CharField(max_length=150)
    summary = models.TextField(help_text="Up to 100 words.")
    details = models.TextField()
    work_areas = models.ManyToManyField(WorkArea, blank=True, related_name="proposals")
    not_sure = models.BooleanField(default=False, help_text="The submitter did not know the work area.")
    places = models.ManyToManyField(Place, blank=True, related_name="proposals_about")
    suggestions = models.JSONField(default=list, help_text="Suggested work areas with scores, at submission.")
    embedding = models.JSONField(default=list, blank=True, help_text="For finding similar proposals.")
    consent_at = models.DateTimeField()
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH,
                                help_text="The language of the form it was sent in: its emails and status page "
                                          "use it.")  # fmt: skip

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="proposals_to_review")  # fmt: skip
    referred_to = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="proposals_referred")  # fmt: skip
    submitted_at = models.DateTimeField(auto_now_add=True)
    first_response_due = models.DateField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True, help_text="When personal data was erased.")

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "first_response_due"], name="proposal_status_due")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:review", args=[self.reference])

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    @property
    def is_welsh(self) -> bool:
        return self.language == Language.WELSH

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def reviewing_place_ids(self) -> list[int]:
        """The places whose officers review it: the lead places of its work areas, and any it was referred to."""
        return [p.pk for p in self.lead_places()] + ([self.referred_to_id] if self.referred_to_id else [])

    def lead_places(self) -> list[Place]:
        seen: dict[int, Place] = {}
        for work_area in self.work_areas.all():
            for link in work_area.lead_links.all():
                seen.setdefault(link.place_id, link.place)
        return list(seen.values())


class Attachment(models.Model):
    ALLOWED = {
        "application/pdf": "PDF",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
        "application/vnd.oasis.opendocument.text": "ODT",
    }
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="proposals/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind(self) -> str:
        return self.ALLOWED.get(self.content_type, "file")


class Event(models.Model):
    """Everything that happens to a proposal: transitions, assignment, notes, additions."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        TRANSITION = "transition", _("Status changed")
        ASSIGNED = "assigned", _("Reviewer assigned")
        NOTE = "note", _("Private note")
        ADDITION = "addition", _("Information added by the submitter")
        ERASED = "erased", _("Personal data erased")
        EXPORTED = "exported", _("Personal data exported")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", help_text="Blank: the submitter or the system.")  # fmt: skip
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True, help_text="Private to reviewers.")
    public_answer = models.TextField(blank=True, help_text="Shown to, and emailed to, the submitter.")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal.reference}: {self.get_kind_display()}"

    @property
    def from_status_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(value: str) -> str:
    """A status's label in the active language (the value itself if it is not a status)."""
    return str(Status(value).label) if value in Status.values else value
