"""Signals the observatory sends. Other apps listen; the observatory never
calls them (data flows one way)."""

from django.dispatch import Signal

# Sent after a release has been imported and committed: kwargs `release`.
release_imported = Signal()
