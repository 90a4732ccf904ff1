from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "keycities.engagement"
    label = "engagement"
    verbose_name = "Engagement: Parliament, government, media and partners"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import erasure
        from keycities.core import work as my_work

        from . import models, search, services, work

        auditlog.register(models.Interaction, m2m_fields={"people", "organisations", "places", "work_areas", "asks"})
        for model in (models.Organisation, models.Person, models.Role, models.FollowUp, models.Constituency,
                      models.ConstituencyArea):  # fmt: skip
            auditlog.register(model)
        auditlog.register(models.PressRelease, m2m_fields={"spokespeople", "claims"})
        auditlog.register(models.Spokesperson)
        auditlog.register(models.InteractionAttachment)
        auditlog.register(models.AppgMeeting, m2m_fields={"attendees"})
        auditlog.register(models.AppgAction)
        auditlog.register(models.MediaCoverage)
        auditlog.register(models.CalendarToken, exclude_fields=["key_hash"])
        erasure.register(finder=services.find_person, eraser=("engagement", services.erase_for_person),
                         exporter=services.export_for_person)  # fmt: skip
        my_work.register(provider=work.sections, nav=work.NAV)
        search.register_sources()
