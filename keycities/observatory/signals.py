"""Signals the observatory sends. Other apps listen; the observatory never
calls them (data flows one way)."""

from django.dispatch import Signal

# Sent after a release has been imported and committed: kwargs `release`. A release whose import stopped
# between its commit and this signal is announced on the next import run, so a listener may hear of a release
# twice: listeners enqueue a task (keycities/core/tasks.py) that is safe to run again.
release_imported = Signal()
