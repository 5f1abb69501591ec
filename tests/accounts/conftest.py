import pytest

from tests.factories import DepartmentFactory, TrackFactory


@pytest.fixture
def tracks(db):  # type: ignore[no-untyped-def]
    """The two bundled certifications, as HR names them in a file."""
    return {
        "zh": TrackFactory(
            slug="phone-etiquette-zh-level-1",
            titles={
                "zh": "电话礼仪认证(一级)",
                "ko": "전화 예절 인증(1급·중국어)",
                "en": "Level 1 (Chinese)",
            },
            language="zh",
            due_days=30,
        ),
        "ko": TrackFactory(
            slug="phone-etiquette-ko-level-1",
            titles={
                "zh": "电话接待礼仪认证(一级·韩语)",
                "ko": "전화 응대 예절 인증(1급)",
                "en": "Level 1 (Korean)",
            },
            language="ko",
            due_days=45,
        ),
    }


@pytest.fixture
def departments(db):  # type: ignore[no-untyped-def]
    return [
        DepartmentFactory(code="service-1", name="客服一部"),
        DepartmentFactory(code="service-2", name="客服二部"),
    ]
