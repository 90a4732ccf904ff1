"""Signals the observatory sends. Other apps listen; the observatory never
calls them (data flows one way)."""

from django.dispatch import Signal

# Sent once per import run (`services.import_run`: a command, an upload published, the whole catalogue), after
# the run's releases have committed: kwargs `releases`, a list. A release whose import stopped between its commit
# and the end of its run is announced by the next run, so a listener may hear of a release twice: listeners
# enqueue a task (keycities/core/tasks.py) that is safe to run again.
release_imported = Signal()
