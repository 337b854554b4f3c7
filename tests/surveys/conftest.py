from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from citizens.consents import SATISFACTION_SURVEY
from complaints import workflow
from tests.factories import CampaignFactory, file_complaint, make_questionnaire

KST = timezone.get_fixed_timezone(9 * 60)
MONDAY_10 = datetime(2026, 11, 23, 10, tzinfo=KST)


@pytest.fixture(autouse=True)
def _a_week_in_november():
    """Survey tests happen in the week of their fixed Monday (the clock moving on from
    noon): links made then are still valid, whatever day the suite runs."""
    with time_machine.travel(MONDAY_10 + timedelta(hours=2), tick=True):
        yield


@pytest.fixture
def post_campaign(db):
    return CampaignFactory(kind="post_complaint", reminder_after_days=3, valid_days=14)


@pytest.fixture
def happy_script(db):
    return CampaignFactory(
        kind="happy_call",
        name="해피콜 문항",
        questionnaire=make_questionnaire(
            code="happy-call",
            questions=[
                ("yes_no", "", "민원이 해결되었습니까?"),
                ("likert5", "overall", "처리에 만족하십니까?"),
            ],
        ),
    )


@pytest.fixture
def answer(org, category):
    """File (with or without survey consent), handle and answer a complaint at a moment."""

    def do(*, consent=True, at=MONDAY_10, phone="01012345678", **filing):
        consents = {SATISFACTION_SURVEY: True} if consent else {}
        with time_machine.travel(at, tick=False):
            complaint, _secret = file_complaint(category, phone=phone, consents=consents, **filing)
            workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
            workflow.start(staff=org.member, complaint=complaint)
            workflow.answer(staff=org.member, complaint=complaint, text="보수 공사를 마쳤습니다.")
        complaint.refresh_from_db()
        return complaint

    return do


def weigh_only(cs_admin, **weights):
    """Scorecard weights on the few indicators a test fills (with the default weights a
    composite needs data for half of them); every other indicator weighs nothing."""
    from scorecards import indicators

    values = dict.fromkeys(indicators.DEFAULT_WEIGHTS, Decimal(0))
    values.update({code: Decimal(weight) for code, weight in weights.items()})
    indicators.weights_save(staff=cs_admin, values=values)
