"""Demo surveys for ``manage.py seed_demo``: two half-years of team surveys with
responses, the year's post-complaint survey and call scripts, courtesy evaluations with
their interviews, and happy-calls with their tries."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.consents import SATISFACTION_SURVEY
from citizens.services import consents_record
from complaints import faq, workflow
from complaints.models import Complaint, QAItem
from pcrm.lib.calendar import SEOUL
from pcrm.lib.periods import Period
from pcrm.notify.models import Message
from pcrm.org.models import Staff, Team
from surveys import courtesy, selectors, services
from surveys.models import Call, CallAttempt, Campaign, Invitation, Question, Questionnaire

SEED = 6060


def _halves(today: date) -> list[tuple[str, date, date]]:
    """The two half-years before the current one (the demo's team surveys), by today."""
    last = Period.containing("half", today).previous()
    return [
        (
            f"{half.start.year} {'상반기' if half.start.month == 1 else '하반기'}",
            half.start,
            half.end - timedelta(days=1),
        )
        for half in (last.previous(), last)
    ]


QUESTIONNAIRES = {
    "post-complaint": (
        "민원 처리 만족도 조사",
        [
            ("likert5", "overall", "민원 처리 결과에 전반적으로 만족하십니까?"),
            ("likert5", "kindness", "담당 직원은 친절했습니까?"),
            ("likert5", "speed", "처리 속도에 만족하십니까?"),
            ("text", "", "더 하고 싶은 말씀이 있으면 적어 주세요."),
        ],
    ),
    "external": (
        "외부고객 만족도 조사",
        [
            ("likert5", "kindness", "직원의 응대는 친절했습니까?"),
            ("likert5", "speed", "업무 처리는 신속했습니까?"),
            ("likert5", "accuracy", "안내와 처리 결과는 정확했습니까?"),
            ("likert5", "overall", "이 팀의 서비스에 전반적으로 만족하십니까?"),
        ],
    ),
    "internal": (
        "내부고객 만족도 조사",
        [
            ("likert5", "kindness", "이 팀은 협조 요청에 친절하게 응합니까?"),
            ("likert5", "speed", "이 팀은 요청을 제때 처리합니까?"),
            ("likert5", "overall", "이 팀과의 업무에 전반적으로 만족하십니까?"),
        ],
    ),
    "cooperation": (
        "부내협력도 조사",
        [
            ("likert7", "cooperation", "이 팀은 정보를 적극적으로 공유합니까?"),
            ("likert7", "cooperation", "이 팀은 공동 업무에 책임감 있게 참여합니까?"),
            ("likert5", "overall", "이 팀의 협력에 전반적으로 만족하십니까?"),
        ],
    ),
    "happy-call": (
        "해피콜 문항",
        [
            ("yes_no", "", "민원은 해결되었습니까?"),
            ("likert5", "overall", "처리 결과에 만족하십니까?"),
            ("text", "", "고객 말씀"),
        ],
    ),
    "catch-call": (
        "캐치콜 문항",
        [
            ("likert5", "overall", "지금 처리 상황에 만족하십니까?"),
            ("text", "", "불편 사항과 약속한 조치"),
        ],
    ),
}


def _questionnaire(code: str) -> Questionnaire:
    existing = Questionnaire.objects.filter(code=code, version=1).first()
    if existing is not None:
        return existing
    title, questions = QUESTIONNAIRES[code]
    return services.questionnaire_create(code=code, title=title, questions=questions)


def _answers(rng: random.Random, campaign: Campaign, mood: float) -> dict:
    answers = {}
    for question in selectors.questions_of(campaign):
        k = question.points
        if k:
            answers[question.pk] = max(1, min(k, round(rng.gauss(mood * (k - 1) + 1, 0.9))))
        elif question.kind == Question.Kind.YES_NO:
            answers[question.pk] = int(rng.random() < mood + 0.1)
    return answers


@transaction.atomic
def seed() -> str:
    if Campaign.objects.exists():
        return _("데모 만족도 조사: 이미 있습니다.") + _survey_line()
    teams = list(Team.objects.order_by("name"))
    if not teams:
        return _("데모 만족도 조사: 팀이 없어 건너뜁니다.")
    rng = random.Random(SEED)
    mood = {team.pk: rng.uniform(0.55, 0.85) for team in teams}
    responses = 0
    today = timezone.localdate()
    for period, starts_on, ends_on in _halves(today):
        for kind, code in (
            ("external", "external"),
            ("internal", "internal"),
            ("cooperation", "cooperation"),
        ):
            campaign = Campaign.objects.create(
                name=f"{period} {Campaign.Kind(kind).label}",
                kind=kind,
                questionnaire=_questionnaire(code),
                period=period,
                starts_on=starts_on,
                ends_on=ends_on,
                active=False,
            )
            for team in teams:
                for _n in range(rng.randint(3, 28)):  # some teams stay under five
                    anonymous = campaign.anonymous
                    services.response_store(
                        campaign=campaign,
                        team_id=team.pk,
                        channel="email" if anonymous else rng.choice(["web", "sms", "email"]),
                        questions=selectors.questions_of(campaign),
                        answers=_answers(rng, campaign, mood[team.pk]),
                        invitation=None,
                        complaint_id=None,
                        at=None if anonymous else _moment(rng, starts_on, ends_on),
                    )
                    responses += 1
    year = (today - timedelta(days=365), today + timedelta(days=180))
    for kind, code in (
        ("post_complaint", "post-complaint"),
        ("happy_call", "happy-call"),
        ("catch_call", "catch-call"),
    ):
        Campaign.objects.create(
            name=f"{today.year} {Campaign.Kind(kind).label}",
            kind=kind,
            questionnaire=_questionnaire(code),
            period=str(today.year),
            starts_on=year[0],
            ends_on=year[1],
        )
    responses += _post_complaint(rng, mood)
    evaluations = _courtesy(rng)
    call_count = _calls(rng)
    summary = _(
        "데모 만족도 조사: 응답 %(responses)d건, 평가 %(evaluations)d건, 해피콜 %(calls)d건"
    )
    return (
        summary
        % {
            "responses": responses,
            "evaluations": evaluations,
            "calls": call_count,
        }
        + _survey_line()
    )


def _survey_line() -> str:
    """A working survey link (an answered demo complaint's invitation) to try."""
    invitation = (
        Invitation.objects.filter(used=False, citizen__isnull=False, expires_at__gt=timezone.now())
        .order_by("-pk")
        .first()
    )
    if invitation is None:
        return ""
    return "\n" + _("  민원인 화면에서 만족도 조사 해 보기: %(url)s") % {
        "url": services.survey_url(invitation.token)
    }


def _post_complaint(rng: random.Random, mood: dict) -> int:
    """Half of the past year's answered complaints got a satisfaction answer the next day."""
    campaign = Campaign.objects.get(kind="post_complaint")
    questions = selectors.questions_of(campaign)
    answered = Complaint.objects.filter(
        answered_at__isnull=False, answered_at__lt=timezone.now() - timedelta(days=1)
    ).only("pk", "team_id", "answered_at")
    count = 0
    for complaint in answered.order_by("pk"):
        if rng.random() < 0.5:
            continue
        services.response_store(
            campaign=campaign,
            team_id=complaint.team_id,
            channel=rng.choice(["web", "sms"]),
            questions=questions,
            answers=_answers(rng, campaign, mood.get(complaint.team_id, 0.7)),
            invitation=None,
            complaint_id=complaint.pk,
            at=complaint.answered_at + timedelta(days=1),
        )
        count += 1
    return count


def _moment(rng: random.Random, start: date, end: date) -> datetime:
    day = start + timedelta(days=rng.randint(0, (end - start).days))
    return datetime.combine(day, time(rng.randint(9, 20), rng.randint(0, 59)), tzinfo=SEOUL)


def _courtesy(rng: random.Random) -> int:
    sheet = courtesy.default_sheet()
    evaluator = Staff.objects.filter(role=Staff.Role.CS_ADMIN).first()
    if sheet is None or evaluator is None:
        return 0
    items = list(sheet.items.all())
    count = 0
    today = timezone.localdate()
    # each month of the past year, one member of each team is evaluated
    members = list(Staff.objects.filter(role=Staff.Role.STAFF, team__isnull=False).order_by("pk"))
    for month in range(12, 0, -1):
        starts_on = (today.replace(day=1) - timedelta(days=30 * month)).replace(day=1)
        ends_on = starts_on + timedelta(days=27)
        for staff in {
            member.team_id: member for member in rng.sample(members, len(members))
        }.values():
            skill = rng.uniform(0.6, 1.0)
            points = {
                item.pk: round(item.max_points * min(1.0, rng.gauss(skill, 0.12)) * 2) / 2
                for item in items
            }
            points = {pk: max(0, value) for pk, value in points.items()}
            evaluation = courtesy.courtesy_evaluate(
                evaluator=evaluator,
                staff=staff,
                sheet=sheet,
                evaluated_on=starts_on + timedelta(days=rng.randint(0, 27)),
                scenario=rng.choice(
                    ["전입신고 절차 문의", "민원 처리 상황 문의", "불만 제기 응대"]
                ),
                points=points,
            )
            count += 1
            interview = getattr(evaluation, "interview", None)
            if interview is not None and ends_on < timezone.localdate():
                courtesy.interview_record(
                    staff=interview.leader or evaluator,
                    interview=interview,
                    held_on=interview.due_on - timedelta(days=3),
                    content=_("통화 녹취를 함께 듣고 인사와 안내 순서를 점검했습니다."),
                    actions=_("종료 인사 빠짐없이 하기, 담당자 연결 전 용건 먼저 확인하기"),
                    reevaluation_on=interview.due_on + timedelta(days=30),
                )
    return count


def _calls(rng: random.Random) -> int:
    """Answer some demo complaints (their citizens agree to surveys, the demo says so):
    each answer queues the survey link and schedules a happy-call; some calls are made.
    The demo's citizens are fictional: the messages those answers queued are dropped."""
    count = 0
    asked: set[str] = set()
    # the Q&A items count as approved in the last finished half, which gets its book
    finished = faq.finished_half(timezone.localdate())
    half_start = date.fromisoformat(f"{finished[:4]}-{'01' if finished.endswith('1') else '07'}-01")
    before = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for complaint in Complaint.objects.filter(status="received", team__leader__isnull=False)[:30]:
        leader = complaint.team.leader
        consents_record(
            citizen=complaint.citizen,
            decisions={SATISFACTION_SURVEY: True},
            source="web",
            at=complaint.received_at,
        )
        workflow.take(staff=leader, complaint=complaint)
        workflow.start(staff=leader, complaint=complaint)
        workflow.record_intent(
            staff=leader, complaint=complaint, note=_("요청 내용과 기대하는 조치를 확인했습니다.")
        )
        workflow.answer(
            staff=leader,
            complaint=complaint,
            text=complaint.category.answer_template + _("현장을 확인하고 조치를 마쳤습니다."),
        )
        if complaint.title not in asked:  # one approved Q&A item per question
            asked.add(complaint.title)
            _qa_item(leader, complaint, decided=half_start + timedelta(days=7 * len(asked)))
        call = Call.objects.filter(complaint=complaint).first()
        if call is None:
            continue
        count += 1
        if rng.random() < 0.5 or call.assignee is None:
            continue
        at = call.created_at - timedelta(minutes=1)  # a call made earlier today
        call.material_sent_at = call.created_at
        outcome = rng.choice(["reached", "reached", "no_answer", "refused"])
        CallAttempt.objects.create(call=call, at=at, staff=call.assignee, outcome=outcome)
        call.attempts = 1
        if outcome != "no_answer":
            call.status = Call.Status.DONE if outcome == "reached" else Call.Status.REFUSED
            call.closed_at = at
        call.save()
    Message.objects.filter(pk__gt=before, status=Message.Status.PENDING).delete()
    faq.book_compile(finished)
    return count


def _qa_item(leader, complaint, *, decided: date) -> None:
    """An approved Q&A item from a demo answer, dated in the last finished half."""
    item = faq.qa_propose(
        staff=leader,
        complaint=complaint,
        question=_("%(title)s, 어떻게 신고하고 언제 처리되나요?") % {"title": complaint.title},
        answer=_(
            "민원을 신청하시면 담당 팀이 현장을 확인하고 %(period)s 안에 조치합니다. "
            "같은 불편이 다시 생기면 접수번호와 함께 알려 주세요."
        )
        % {"period": complaint.category.period_label},
        keywords=complaint.category.name,
    )
    faq.qa_decide(staff=leader, item=item, approve=True)
    moment = datetime.combine(decided, time(10), tzinfo=SEOUL)
    QAItem.objects.filter(pk=item.pk).update(proposed_at=moment, decided_at=moment)
