"""Users and their roles.

Four kinds of visitor use the Hub: the secretariat (staff), officers of a
member council (each belongs to one place), partners (external
organisations), and anonymous visitors who do not sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.network.queries import member_place_ids


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", gettext_lazy("Secretariat")
    MEMBER_OFFICER = "member_officer", gettext_lazy("Member officer")
    PARTNER = "partner", gettext_lazy("Partner")


# What the secretariat may do in the admin, by app: everything in the apps they
# run, and only read the audit log (nobody edits history).
SECRETARIAT_PERMISSIONS: dict[str, set[str] | None] = {
    "network": None,  # None: every permission
    "accounts": None,
    "auth": None,
    "auditlog": {"view"},
    "observatory": {"view"},  # statistics change only through imports
    "claims": None,
    "proposals": {"view"},  # reviewing happens in the Hub's own pages, where it is recorded
    "consultations": {"view"},  # changed only through the Hub's pages, which follow the workflow
    "engagement": None,  # organisations, people, roles and interactions: the secretariat keeps them
    "axes": {"view", "delete"},  # see and clear lockouts
}


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER)
    place = models.ForeignKey(
        "network.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text="The member place a member officer works for.",
    )
    organisation = models.CharField(max_length=200, blank=True, help_text="A partner's organisation.")

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        """How the Hub names a person to others: their full name, or their username if they have given none."""
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.MEMBER_OFFICER and not self.place_id:
            raise ValidationError({"place": _("A member officer must belong to a member place.")})
        if self.role == Role.MEMBER_OFFICER and self.place_id not in member_place_ids():
            raise ValidationError({"place": _("%(place)s is not a member of Key Cities today: officers belong only "
                                              "to member places.") % {"place": self.place}})  # fmt: skip
        if self.role != Role.MEMBER_OFFICER and self.place_id:
            raise ValidationError({"place": _("Only member officers belong to a place.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The secretariat are the staff: they use the admin. Nobody else does.
        if self.is_superuser:
            self.role = Role.SECRETARIAT
        if self.role == Role.SECRETARIAT:
            self.is_staff = True
        elif not self.is_superuser:
            self.is_staff = False
        super().save(*args, **kwargs)

    def _secretariat_may(self, app_label: str, action: str | None = None) -> bool:
        if not (self.is_active and self.role == Role.SECRETARIAT) or app_label not in SECRETARIAT_PERMISSIONS:
            return False
        allowed = SECRETARIAT_PERMISSIONS[app_label]
        return allowed is None or action is None or action in allowed

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        app_label, _, codename = perm.partition(".")
        if self._secretariat_may(app_label, codename.split("_", 1)[0]):
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return self._secretariat_may(app_label) or super().has_module_perms(app_label)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the token is shown once when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What it is for, e.g. 'Bradford CRM export'.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        key = "kc_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash(key)), key
