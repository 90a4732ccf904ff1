"""The observatory's tasks (see keycities/core/tasks.py): checking and publishing an uploaded release."""

from keycities.core.tasks import retried

from . import uploads


@retried()
def check_upload(upload_id: int) -> str:
    """Validate an uploaded release and work out its preview (the revisions against the data as it stands)."""
    return uploads.check(upload_id)


@retried()
def publish_upload(upload_id: int) -> str:
    """Import an upload the secretariat chose to publish; the claims are re-checked once afterwards."""
    return uploads.import_upload(upload_id)
