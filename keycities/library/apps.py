from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "keycities.library"
    label = "library"
    verbose_name = "Publications library and search"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import erasure
        from keycities.core import search as registry

        from . import index, models, services, sources

        auditlog.register(models.Publication, m2m_fields={"places", "work_areas"})
        registry.set_indexer(index.indexer)
        sources.register_sources()
        erasure.register(eraser=("library", services.erase_for_person))
