"""The API tests' fixtures."""

import pytest


@pytest.fixture
def ids():
    """The ids of a list answer's rows."""

    def read(response) -> list[int]:
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    return read
