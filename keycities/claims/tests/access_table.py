"""Expected statuses for the claims register: public verdicts, the secretariat's tools."""

from pathlib import Path

from django.conf import settings

from keycities.tests.access import EVERYONE, SECRETARIAT, Row, World


def build(world: World) -> None:
    from keycities.claims.models import Claim
    from keycities.claims.services import load_claims

    load_claims(Path(settings.BASE_DIR) / "data" / "claims.yaml")
    claim = Claim.objects.select_related("document").order_by("pk").first()
    assert claim is not None
    world["claim"] = claim


ROWS = [
    Row("claims:in-numbers", EVERYONE),
    Row("claims:document", EVERYONE, kwargs=lambda w: {"slug": w["claim"].document.slug}),
    Row("claims:claim", EVERYONE, kwargs=lambda w: {"pk": w["claim"].pk}),
    Row("claims:edit", SECRETARIAT, kwargs=lambda w: {"pk": w["claim"].pk}),
    Row("claims:new", SECRETARIAT),
    Row("claims:dashboard", SECRETARIAT),
    Row("api:list_claims", EVERYONE),
    Row("api:get_claim", EVERYONE, kwargs=lambda w: {"claim_id": w["claim"].pk}),
]
