"""Demo citizens for ``manage.py seed_demo``: about 2,000 with a fixed random seed."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.consents import COMPLAINT_PROCESSING, E_LETTER, SATISFACTION_SURVEY
from citizens.models import Channel, Citizen, Consent, Contact, Relationship, VulnerabilityFlag
from citizens.services import consent_entry
from pcrm.lib.crypto import blind_index
from pcrm.org.models import Staff

COUNT = 2000
SEED = 20261123
FAMILY = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진".replace(
        "", " "
    ).split()
)
GIVEN = (  # noqa: SIM905
    "민준 서준 도윤 예준 시우 하준 지호 주원 지후 준우 준서 건우 현우 우진 선우 연우 유준 정우 "
    "승우 승현 서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 지민 채원 수아 지아 지윤 은서 다은 "
    "예은 수빈 소윤 영수 영희 정숙 순자 미경 상철 정호 경희 성민 은정 현주 동훈 혜진 재훈 미란"
).split()
DISTRICTS = {
    "종로구": ["청운효자동", "사직동", "삼청동", "혜화동"],
    "성북구": ["성북동", "돈암1동", "길음1동", "정릉3동"],
    "마포구": ["공덕동", "아현동", "서교동", "망원1동"],
    "강서구": ["화곡1동", "등촌2동", "가양1동", "발산1동"],
    "노원구": ["상계1동", "중계본동", "하계1동", "공릉2동"],
}
INTERESTS = ["도로·교통", "환경·녹지", "복지", "문화·체육", "지역경제", "주거·건축", "교육"]
ORGANISATIONS = ["주민자치회", "상인회", "복지관", "아파트 입주자대표회의", "장애인협회", "노인회"]
FLAG_REASONS = {
    VulnerabilityFlag.Kind.ELDERLY_ALONE: "홀로 지내시며 전화 응대에 시간이 필요함",
    VulnerabilityFlag.Kind.DISABLED: "청각장애로 문자 안내를 선호함",
    VulnerabilityFlag.Kind.LOW_INCOME: "기초생활수급 가구, 복지 연계 필요",
    VulnerabilityFlag.Kind.FOREIGN: "한국어가 서툴러 쉬운 말 안내 필요",
    VulnerabilityFlag.Kind.DISSATISFIED: "같은 민원에 세 번 이상 불만족 응답",
}


def _phone(rng: random.Random) -> str:
    return f"010{rng.randint(2000, 9999)}{rng.randint(0, 9999):04d}"


@transaction.atomic
def seed() -> str:
    rng = random.Random(SEED)
    first_phone = _phone(random.Random(SEED))
    if Citizen.objects.filter(phone_hash=blind_index(first_phone)).exists():
        return _("데모 고객: 이미 있습니다.")
    now = timezone.now()
    year = timezone.localdate().year
    leaders = list(Staff.objects.filter(role=Staff.Role.TEAM_LEADER).order_by("pk"))
    owners = list(Staff.objects.filter(role__in=["staff", "team_leader"]).order_by("pk"))

    citizens = []
    for i in range(COUNT):
        sigungu = rng.choice(list(DISTRICTS))
        institution = i % 40 == 7
        name = rng.choice(FAMILY) + rng.choice(GIVEN)
        citizen = Citizen(
            kind=Citizen.Kind.INSTITUTION if institution else Citizen.Kind.INDIVIDUAL,
            name=name,
            organisation_name=f"{sigungu} {rng.choice(ORGANISATIONS)}" if institution else "",
            contact_person=name if institution else "",
            phone=first_phone if i == 0 else _phone(rng),
            email=f"citizen{i:04d}@example.com" if rng.random() < 0.4 else "",
            sigungu=sigungu,
            dong=rng.choice(DISTRICTS[sigungu]),
            birth_year=rng.randint(year - 90, year - 16),
            gender=rng.choice(["female", "male", ""]),
            preferred_language=rng.choices(["ko", "en", "zh", "vi"], [94, 2, 2, 2])[0],
            preferred_channel=rng.choices(
                [Channel.SMS, Channel.PHONE, Channel.EMAIL, Channel.VISIT], [50, 30, 15, 5]
            )[0],
            do_not_call=rng.random() < 0.03,
            e_letter_opt_in=rng.random() < 0.3,
            created_at=now - timedelta(days=rng.randint(30, 900)),
        )
        citizen.refresh_hashes()
        citizens.append(citizen)
    Citizen.objects.bulk_create(citizens, batch_size=500)

    consents, contacts, flags, relationships = [], [], [], []
    for i, citizen in enumerate(citizens):
        for text, granted in (
            (COMPLAINT_PROCESSING, True),
            (SATISFACTION_SURVEY, rng.random() < 0.7),
            (E_LETTER, citizen.e_letter_opt_in),
        ):
            consents.append(
                consent_entry(
                    citizen=citizen,
                    text=text,
                    granted=granted,
                    source=Consent.Source.WEB,
                    at=citizen.created_at,
                )
            )
        for _n in range(rng.choice([0, 0, 1, 1, 2, 3, 5, 8])):
            at = now - timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 9))
            contacts.append(
                Contact(
                    citizen=citizen,
                    at=at,
                    kind="demo.consultation",
                    channel=rng.choice([Channel.PHONE, Channel.WEB, Channel.VISIT]),
                    summary=rng.choice(["전화 상담", "민원 문의", "방문 상담", "처리 결과 안내"]),
                )
            )
        if leaders and i % 20 == 3:
            kind = rng.choice(list(FLAG_REASONS))
            flags.append(
                VulnerabilityFlag(
                    citizen=citizen,
                    kind=kind,
                    reason=FLAG_REASONS[kind],
                    set_by=rng.choice(leaders),
                    review_on=timezone.localdate() + timedelta(days=rng.randint(-10, 180)),
                )
            )
            citizen.vulnerable = True
        if owners and (citizen.kind == Citizen.Kind.INSTITUTION or i % 8 == 5):
            relationships.append(
                Relationship(
                    citizen=citizen,
                    category=Relationship.Category.INSTITUTIONAL
                    if citizen.kind == Citizen.Kind.INSTITUTION
                    else Relationship.Category.FRIENDLY,
                    owner=rng.choice(owners),
                    interest=rng.choice(INTERESTS),
                )
            )
    Consent.objects.bulk_create(consents, batch_size=1000)
    Contact.objects.bulk_create(contacts, batch_size=1000)
    VulnerabilityFlag.objects.bulk_create(flags, batch_size=500)
    Relationship.objects.bulk_create(relationships, batch_size=500)
    counts: dict[int, list] = {}
    for contact in contacts:
        counts.setdefault(contact.citizen.pk, []).append(contact.at)
    for citizen in citizens:
        ats = counts.get(citizen.pk, [])
        citizen.contact_count = len(ats)
        citizen.last_contact_at = max(ats) if ats else None
    Citizen.objects.bulk_update(
        citizens, ["contact_count", "last_contact_at", "vulnerable"], batch_size=500
    )
    return _(
        "데모 고객: %(citizens)d명 (취약고객 %(flags)d명, 우호·기관고객 %(relationships)d명)을 "
        "추가했습니다."
    ) % {"citizens": len(citizens), "flags": len(flags), "relationships": len(relationships)}
