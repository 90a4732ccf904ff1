import pytest

from . import extracts


@pytest.fixture
def loaded(registry: None) -> None:
    extracts.load()
