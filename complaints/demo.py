"""Demo categories and complaints for ``manage.py seed_demo``."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.models import Citizen
from complaints import workflow
from complaints.models import Answer, Category, Complaint, Event, Pause
from complaints.services import Filing, complaint_file, tracking_url
from pcrm.notify.models import Message
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff, Team

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
HISTORY_DAYS = 365
ANSWERED = 1000  # over the past year: mostly on time, some the same day, a few late
OPEN = 60  # the last few days: waiting, in hand, due today, on hold, a few overdue


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
        return _("데모 민원: 이미 있습니다.") + _tracking_line()
    rng = random.Random(SEED)
    categories = list(Category.objects.select_related("team__leader").order_by("pk"))
    citizens = list(
        Citizen.objects.filter(anonymised_at__isnull=True).exclude(phone="").order_by("pk")[:400]
    )
    if not categories or not citizens:
        return _("데모 민원: 유형이나 고객이 없어 건너뜁니다.")
    now = timezone.now()
    calendar = organisation_calendar()
    members: dict[int, list[Staff]] = {}
    for staff in Staff.objects.filter(active=True, role="staff", team__isnull=False):
        members.setdefault(staff.team_id, []).append(staff)
    for n in range(ANSWERED):
        # spread over the year, a little more in recent months
        days_ago = int(HISTORY_DAYS * (1 - rng.random() ** 0.85)) + 3
        complaint = _file_new(rng, categories, citizens)
        _answered(rng, complaint, now, days_ago, calendar, late=n % 30 == 0, members=members)
    before = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for n in range(OPEN):
        _open(rng, _file_new(rng, categories, citizens), now, n, calendar)
    # the demo's citizens are fictional: what the handling queued for them is dropped
    Message.objects.filter(pk__gt=before, status=Message.Status.PENDING).delete()
    return (
        _(
            "데모 민원: 유형 %(categories)d개, 지난 1년 민원 %(answered)d건과 처리 중인 민원 "
            "%(open)d건을 추가했습니다."
        )
        % {"categories": added_categories, "answered": ANSWERED, "open": OPEN}
        + _tracking_line()
    )


def _tracking_line() -> str:
    """Working tracking links of demo complaints (an answered one, one waiting for the
    citizen's supplement), for a newcomer to open."""
    lines = ""
    for status, text in (
        (Complaint.Status.ANSWERED, _("  민원인 화면에서 처리 상황 보기: %(url)s")),
        (Complaint.Status.SUPPLEMENT, _("  민원인 화면에서 보완 요청에 답하기: %(url)s")),
    ):
        complaint = Complaint.objects.filter(status=status).order_by("-pk").first()
        if complaint is not None:
            lines += "\n" + text % {"url": tracking_url(complaint.tracking_secret)}
    return lines


def _file_new(rng, categories, citizens) -> Complaint:
    category = rng.choice(categories)
    citizen = rng.choice(citizens)
    return complaint_file(
        Filing(
            category=category,
            title=rng.choice(TITLES.get(category.name, [category.name])),
            body="현장을 확인하고 조치해 주시기 바랍니다. 사진을 첨부합니다.",
            name=citizen.name,
            phone=citizen.phone,
            channel=rng.choice(["web", "web", "web", "phone", "visit"]),
            notify=False,  # demo citizens get no messages
        )
    )[0]


def _move(complaint: Complaint, received, calendar, **fields) -> None:
    """Put a complaint filed now back at ``received``: its deadlines worked out from then
    (working days and holidays), its history moved with it."""
    complaint.refresh_from_db()
    due = calendar.due_at(received, complaint.period)
    same_day = calendar.same_day_target(received) if complaint.same_day_due_at else None
    shift = received - complaint.received_at
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=received,
        due_at=due,
        statutory_due_at=due,
        same_day_due_at=same_day,
        updated_at=fields.get("answered_at") or received,
        **fields,
    )
    Event.objects.filter(complaint=complaint).update(at=F("at") + shift)
    Pause.objects.filter(complaint=complaint).update(started_at=F("started_at") + shift)
    if "answered_at" in fields:
        Event.objects.filter(complaint=complaint, kind__in=ANSWER_EVENTS).update(
            at=fields["answered_at"]
        )
        Answer.objects.filter(complaint=complaint).update(at=fields["answered_at"])


ANSWER_EVENTS = ("answered", "closed")


def _working(complaint: Complaint, note: str) -> Staff:
    leader = complaint.team.leader
    member = (
        Staff.objects.filter(team_id=complaint.team_id, active=True, role="staff")
        .order_by("?")
        .first()
        or leader
    )
    workflow.assign(staff=leader, complaint=complaint, assignee=member)
    workflow.start(staff=member, complaint=complaint)
    workflow.record_intent(staff=member, complaint=complaint, note=note)
    return member


def _answered(rng, complaint, now, days_ago, calendar, *, late: bool, members) -> None:
    """A complaint of the past year, handled and answered (closed after two weeks):
    its rows written directly, dated as it happened, as the services would have left
    them (the demo needs a year of them quickly)."""
    received = _working_moment(now - timedelta(days=days_ago), rng, calendar)
    due = calendar.due_at(received, complaint.period)
    same_day = calendar.same_day_target(received) if complaint.same_day_due_at else None
    if late:  # a few answered after their deadline
        answered = due + timedelta(hours=rng.randint(2, 30))
    elif same_day is not None and same_day > received and rng.random() < 0.6:
        answered = received + (same_day - received) * rng.uniform(0.2, 0.9)  # the same day
    else:  # on time, somewhere before the deadline
        answered = received + (due - received) * rng.uniform(0.1, 0.8)
    member = rng.choice(members.get(complaint.team_id) or [complaint.team.leader])
    leader = complaint.team.leader or member
    closed = answered + timedelta(days=2) if days_ago > 14 else None
    status = Complaint.Status.CLOSED if closed else Complaint.Status.ANSWERED
    Complaint.objects.filter(pk=complaint.pk).update(
        received_at=received,
        due_at=due,
        statutory_due_at=due,
        same_day_due_at=same_day,
        status=status,
        assignee=member,
        answered_at=answered,
        closed_at=closed,
        updated_at=closed or answered,
    )
    Event.objects.filter(complaint=complaint).update(at=received)
    text = complaint.category.answer_template + _("현장을 확인하고 조치를 마쳤습니다.")
    Answer.objects.create(complaint=complaint, text=text, staff=member, at=answered)
    steps = [
        (received + (answered - received) * 0.1, "assigned", "received", "assigned", leader, False),
        (
            received + (answered - received) * 0.2,
            "started",
            "assigned",
            "in_progress",
            member,
            False,
        ),
        (answered, "answered", "in_progress", "answered", member, True),
    ]
    if closed:
        steps.append((closed, "closed", "answered", "closed", member, True))
    Event.objects.bulk_create(
        Event(
            complaint=complaint,
            at=at,
            kind=kind,
            from_status=before,
            to_status=after,
            staff=staff,
            note=member.name if kind == "assigned" else "",
            public=public,
        )
        for at, kind, before, after, staff, public in steps
    )


def _open(rng, complaint, now, n, calendar) -> None:
    """The work in hand: a few overdue, some due today, two on hold, the rest waiting or
    being handled; the newest (received today) left for the happy-call demo to answer."""
    if n < 3:  # overdue
        received = now - timedelta(days=rng.randint(8, 12))
    elif n < 10:  # received earlier, due today
        received = now - timedelta(days=rng.randint(1, 3))
    else:
        received = now - timedelta(hours=rng.randint(0, 5), minutes=rng.randint(0, 59))
    received = min(received, now)
    if n < 15:
        _working(complaint, _("요청 내용을 확인하고 현장 확인 일정을 잡았습니다."))
        if n in (10, 11):  # on hold today: the citizen was asked for more
            workflow.request_supplement(
                staff=complaint.assignee or complaint.team.leader,
                complaint=Complaint.objects.get(pk=complaint.pk),
                note=_("현장 사진을 한 장 더 보내 주세요."),
            )
    _move(complaint, received, calendar)
    if 3 <= n < 10:  # due today, at the close of the day
        end = timezone.localtime(now).replace(
            hour=calendar.hours.end.hour, minute=0, second=0, microsecond=0
        )
        Complaint.objects.filter(pk=complaint.pk).update(due_at=end, statutory_due_at=end)


def _working_moment(moment, rng, calendar):
    """A moment in working hours on a working day at or before ``moment``."""
    local = timezone.localtime(moment)
    day = local.date()
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    hour = rng.randint(calendar.hours.start.hour, calendar.hours.end.hour - 2)
    return local.replace(
        year=day.year, month=day.month, day=day.day, hour=hour, minute=rng.randint(0, 59)
    )
