"""The Hub's API, /api/v1/. Each app contributes a router."""

from keycities.briefings.api import router as briefings_router
from keycities.claims.api import router as claims_router
from keycities.consultations.api import router as consultations_router
from keycities.core.api import HubAPI, install_error_handlers
from keycities.engagement.api import router as engagement_router
from keycities.library.api import router as library_router
from keycities.network.api import router as network_router
from keycities.observatory.api import router as observatory_router
from keycities.pilots.api import router as pilots_router
from keycities.proposals.api import router as proposals_router
from keycities.voice.api import router as voice_router

api = HubAPI(
    title="Key Cities Hub API",
    version="1",
    description=(
        "The Key Cities member registry and evidence. Lists are paginated (limit, offset) and "
        "available as CSV with format=csv. Errors share one envelope: "
        '{"error": {"status", "code", "message", "details"}}. '
        "Statistics: Office for National Statistics, Open Government Licence v3.0."
    ),
    urls_namespace="api",
)
install_error_handlers(api)
# Proposals first: its POST /work-areas/suggest must not be taken for GET /work-areas/{slug}.
api.add_router("", proposals_router)
api.add_router("", network_router)
api.add_router("", observatory_router)
api.add_router("", claims_router)
api.add_router("", consultations_router)
api.add_router("", engagement_router)
api.add_router("", briefings_router)
api.add_router("", voice_router)
api.add_router("", pilots_router)
api.add_router("", library_router)
