import pytest

from tests.factories import CategoryFactory


@pytest.fixture
def category(org):
    return CategoryFactory(name="도로 파손 신고", team=org.team, period="3d")
