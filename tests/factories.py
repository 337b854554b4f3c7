import datetime
import itertools
from functools import cache

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from pcrm.org.models import Department, Staff, Team

PASSWORD = "correct-horse-battery-staple"


@cache
def password_hash() -> str:
    """Argon2 is slow on purpose: hash the shared test password once, reuse the hash."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(password_hash)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"부서{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"팀{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    name = factory.Iterator(["김민수", "이서연", "박지훈", "최유진", "정도윤"])
    team = factory.SubFactory(TeamFactory)
    role = Staff.Role.STAFF


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "citizens.Citizen"

    name = factory.Iterator(["김민수", "이영희", "박정숙", "최상철", "정미경"])
    phone = factory.Sequence(lambda n: f"010{2000 + n // 10000:04d}{n % 10000:04d}")
    sigungu = "마포구"
    dong = "공덕동"
    birth_year = 1970


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "citizens.VulnerabilityFlag"
        skip_postgeneration_save = True

    citizen = factory.SubFactory(CitizenFactory)
    kind = "elderly_alone"
    reason = "홀로 지내심"
    set_by = factory.SubFactory(StaffFactory, role="team_leader")
    review_on = datetime.date(2027, 1, 31)

    @factory.post_generation
    def mark(obj, create, extracted, **kwargs):
        if create:
            type(obj.citizen).objects.filter(pk=obj.citizen_id).update(vulnerable=True)
            obj.citizen.vulnerable = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "complaints.Category"
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"도로 파손 신고 {n}")
    team = factory.SubFactory(TeamFactory)
    period = "3d"
    same_day_target = True


def file_complaint(
    category,
    *,
    phone="01012345678",
    email="",
    name="김민수",
    title="보도블록 파손",
    attachments=(),
    channel="web",
    **extra,
):
    """A complaint filed through the real service; returns (complaint, tracking secret)."""
    from complaints.services import Filing, complaint_file

    complaint, secret, _created = complaint_file(
        Filing(
            category=category,
            title=title,
            body="현장 확인 부탁드립니다.",
            name=name,
            phone=phone,
            email=email,
            channel=channel,
            attachments=list(attachments),
            **extra,
        )
    )
    return complaint, secret


_questionnaire_numbers = itertools.count(1)


def make_questionnaire(code=None, questions=None):
    """A questionnaire with the given (kind, dimension, text) questions; by default a
    5-point overall rating, a 5-point kindness item, a 7-point speed item and free text."""
    from surveys.services import questionnaire_create

    return questionnaire_create(
        code=code or f"survey-{next(_questionnaire_numbers)}",
        title="민원 처리 만족도 조사",
        questions=questions
        or [
            ("likert5", "overall", "처리 결과에 전반적으로 만족하십니까?"),
            ("likert5", "kindness", "담당자는 친절했습니까?"),
            ("likert7", "speed", "처리가 빨랐습니까?"),
            ("text", "", "하고 싶은 말씀"),
        ],
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Campaign"

    name = factory.Sequence(lambda n: f"민원 처리 만족도 {n}")
    kind = "post_complaint"
    questionnaire = factory.LazyFunction(make_questionnaire)
    period = "2026 하반기"
    starts_on = datetime.date(2026, 7, 1)
    ends_on = datetime.date(2026, 12, 31)


def public_form_data(client, category, **overrides) -> dict:
    """The public filing form as a browser sends it, with a fresh submission key."""
    import re

    html = client.get("/complaints/new/").content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', html).group(1)
    data = {
        "submission_key": key,
        "category": category.pk,
        "title": "보도블록이 깨졌어요",
        "body": "공덕역 2번 출구 앞 보도블록이 깨져 위험합니다.",
        "name": "김민수",
        "phone": "010-1234-5678",
        "email": "",
        "consent_required": "on",
    }
    data.update(overrides)
    return data
