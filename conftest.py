# Fixtures shared by the unit tests of every app and the browser journeys.
pytest_plugins = ["keycities.tests.fixtures"]
