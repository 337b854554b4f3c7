"""Demo categories and complaints for ``manage.py seed_demo``."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from citizens.models import Citizen
from complaints.models import Category, Complaint
from complaints.services import Filing, complaint_file
from pcrm.org.models import Team

SEED = 4242
CATEGORIES = [
    # name, team, period, same-day target
    ("도로 파손 신고", "도로관리팀", "3d", True),
    ("불법 주정차 신고", "교통행정팀", "immediate", True),
    ("쓰레기 무단투기 신고", "환경관리팀", "2d", True),
    ("가로등 고장", "도로관리팀", "4d", True),
    ("소음·악취 불편", "환경관리팀", "7d", False),
    ("민원 처리 절차 문의", "민원총괄팀", "8h", True),
    ("제증명 발급 문의", "민원처리팀", "1d", True),
    ("행정 서비스 불만·제안", "고객만족팀", "14d", False),
]
TITLES = {
    "도로 파손 신고": ["OO로 인도 보도블록 파손", "버스정류장 앞 포트홀", "횡단보도 도색 벗겨짐"],
    "불법 주정차 신고": ["학교 앞 상습 불법주차", "소방차 전용구역 주차"],
    "쓰레기 무단투기 신고": ["골목 쓰레기 무단투기", "공원 입구 대형폐기물 방치"],
    "가로등 고장": ["아파트 앞 가로등 꺼짐", "산책로 가로등 깜빡임"],
    "소음·악취 불편": ["공사장 새벽 소음", "음식점 배기 악취"],
    "민원 처리 절차 문의": ["민원 처리 기간 문의", "보완 요청 받은 서류 제출 방법"],
    "제증명 발급 문의": ["무인발급기 위치 문의", "온라인 발급 오류"],
    "행정 서비스 불만·제안": ["민원실 대기 시간 개선 제안", "전화 연결 지연 불만"],
}
COUNT = 120


@transaction.atomic
def seed() -> str:
    teams = {team.name: team for team in Team.objects.all()}
    added_categories = 0
    for name, team_name, period, same_day in CATEGORIES:
        if team_name in teams:
            _category, created = Category.objects.get_or_create(
                name=name,
                defaults={
                    "team": teams[team_name],
                    "period": period,
                    "same_day_target": same_day,
                    "answer_template": f"안녕하십니까. {name} 관련 민원에 답변드립니다.\n\n",
                },
            )
            added_categories += created
    if Complaint.objects.exists():
        return _("데모 민원: 이미 있습니다.")
    rng = random.Random(SEED)
    categories = list(Category.objects.order_by("pk"))
    citizens = list(
        Citizen.objects.filter(anonymised_at__isnull=True).exclude(phone="").order_by("pk")[:400]
    )
    if not categories or not citizens:
        return _("데모 민원: 유형이나 고객이 없어 건너뜁니다.")
    for _i in range(COUNT):
        category = rng.choice(categories)
        citizen = rng.choice(citizens)
        filed = complaint_file(
            Filing(
                category=category,
                title=rng.choice(TITLES.get(category.name, [category.name])),
                body="현장을 확인하고 조치해 주시기 바랍니다. 사진을 첨부합니다.",
                name=citizen.name,
                phone=citizen.phone,
                channel=rng.choice(["web", "web", "web", "phone", "visit"]),
                notify=False,  # demo citizens get no confirmation messages
            )
        )[0]
        # spread the demo over the last three weeks, deadlines kept as filed
        shift = timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8))
        Complaint.objects.filter(pk=filed.pk).update(
            received_at=filed.received_at - shift,
            due_at=filed.due_at - shift,
            statutory_due_at=filed.statutory_due_at - shift,
            same_day_due_at=filed.same_day_due_at - shift if filed.same_day_due_at else None,
        )
    return _("데모 민원: 유형 %(categories)d개, 민원 %(count)d건을 추가했습니다.") % {
        "categories": added_categories,
        "count": COUNT,
    }
