"""Invitations and responses: single-use tokens, consent, anonymity, reminders."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from pcrm.audit.models import AccessLog
from pcrm.notify.models import Message
from pcrm.org.models import Staff
from surveys import calls, selectors, services
from surveys.models import Campaign, Invitation, Response, ResponseItem
from tests.concurrency import at_once
from tests.factories import CampaignFactory, StaffFactory, make_questionnaire
from tests.surveys.conftest import MONDAY_10

pytestmark = pytest.mark.django_db


def _token_of(invitation: Invitation) -> str:
    return invitation.token


def _full_answers(campaign):
    values = {"likert5": 4, "likert7": 6, "yes_no": 1, "text": "친절했습니다"}
    return {q.pk: values[q.kind] for q in selectors.questions_of(campaign)}


def _post_data(campaign, answers):
    return {f"q{pk}": value for pk, value in answers.items()}


def test_answering_a_complaint_invites_the_citizen_once(answer, post_campaign):
    complaint = answer()
    invitation = Invitation.objects.get(complaint=complaint)
    assert (invitation.campaign, invitation.team_id, invitation.channel) == (
        post_campaign,
        complaint.team_id,
        "sms",
    )
    message = Message.objects.get(dedupe_key=f"survey:{invitation.pk}:invitation")
    assert services.survey_url(invitation.token) in message.body
    # the signal running again (a retried task, a second answer) invites nobody twice
    calls.complaint_answered(complaint=complaint)
    assert Invitation.objects.filter(complaint=complaint).count() == 1
    assert Message.objects.filter(dedupe_key__startswith="survey:").count() == 1


def test_tokens_are_long_random_and_stored_as_a_hash(answer, post_campaign):
    tokens = set()
    for n in range(30):
        complaint = answer(phone=f"0107777{n:04d}")
        invitation = Invitation.objects.get(complaint=complaint)
        tokens.add(invitation.token)
        assert len(invitation.token) >= 43  # 32 bytes from secrets = 256 bits, base64url
        assert invitation.token_hash != invitation.token
    assert len(tokens) == 30
    with connection.cursor() as cursor:  # the token is encrypted at rest
        cursor.execute("SELECT token FROM surveys_invitation")
        stored = {row[0] for row in cursor.fetchall()}
    assert not stored & tokens


def test_no_consent_no_survey_and_no_call(answer, post_campaign, happy_script):
    from surveys.models import Call

    complaint = answer(consent=False)
    assert not Invitation.objects.filter(complaint=complaint).exists()
    assert not Call.objects.filter(citizen=complaint.citizen).exists()


def test_a_citizen_answers_on_the_web_and_the_rating_shows(client, org, answer, post_campaign):
    complaint = answer()
    invitation = Invitation.objects.get(complaint=complaint)
    url = reverse("survey-respond", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "처리 결과에 전반적으로 만족하십니까?" in page.content.decode()
    answers = _full_answers(post_campaign)
    response = client.post(url, _post_data(post_campaign, answers))
    assert response.status_code == 302 and response["Location"] == reverse("survey-thanks")
    stored = Response.objects.get()
    assert (stored.invitation, stored.complaint, stored.channel) == (invitation, complaint, "sms")
    assert ResponseItem.objects.filter(response=stored).count() == 4
    complaint.refresh_from_db()
    assert complaint.rating == 4
    # used now: a clear message, not the form
    again = client.get(url)
    assert again.status_code == 410
    assert "이미 응답한 설문입니다" in again.content.decode()
    # the rating shows on the staff complaint page and on the tracking page
    from complaints.services import tracking_url

    tracking = client.get(tracking_url(complaint.tracking_secret).split("8000", 1)[1])
    assert "5점 중 4점" in tracking.content.decode()
    client.force_login(org.member.user)
    staff_page = client.get(reverse("staff-complaint-detail", args=[complaint.pk]))
    assert "5점 중 4점" in staff_page.content.decode()


def test_missing_answers_keep_what_was_typed(client, answer, post_campaign):
    invitation = Invitation.objects.get(complaint=answer())
    questions = selectors.questions_of(post_campaign)
    first, text = questions[0], questions[3]
    url = reverse("survey-respond", args=[invitation.token])
    page = client.post(url, {f"q{first.pk}": "2", f"q{text.pk}": "전화가 늦었어요"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "이 문항에 답해 주세요." in body
    assert re.search(rf'name="q{first.pk}" value="2"[^>]*checked', body)
    assert "전화가 늦었어요" in body
    assert not Response.objects.exists()


def test_unknown_and_expired_links_get_a_clear_message(client, answer, post_campaign):
    unknown = client.get(reverse("survey-respond", args=["x" * 43]))
    assert unknown.status_code == 410
    assert "설문 링크를 찾을 수 없습니다" in unknown.content.decode()
    invitation = Invitation.objects.get(complaint=answer())
    with time_machine.travel(MONDAY_10 + timedelta(days=15), tick=False):
        expired = client.get(reverse("survey-respond", args=[invitation.token]))
    assert expired.status_code == 410
    assert "응답 기한이 지난 설문입니다" in expired.content.decode()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submissions_of_one_token_store_one_response(org, category):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    campaign = CampaignFactory(kind="internal")
    invitation = services._invite(
        campaign, org.other_team.pk, "email", now=MONDAY_10, staff=org.member
    )
    answers = _full_answers(campaign)

    def submit():
        try:
            services.response_submit(token=invitation.token, answers=answers)
        except services.SurveyError as error:
            return error.code
        return "stored"

    with time_machine.travel(MONDAY_10 + timedelta(hours=1), tick=False):
        outcomes, errors = at_once(submit, 20)
    assert errors == []
    assert sorted(outcomes) == ["stored"] + ["used"] * 19
    assert Response.objects.count() == 1


def test_staff_surveys_are_anonymous(org):
    campaign = CampaignFactory(kind="cooperation", questionnaire=make_questionnaire("coop"))
    campaign.teams.set([org.other_team])
    org.member.user.email = "member@example.go.kr"
    org.member.user.save()
    with time_machine.travel(MONDAY_10, tick=False):
        services.campaign_invite(staff=org.cs_admin, campaign=campaign)
    invitation = Invitation.objects.get(staff=org.member)
    logs_before = AccessLog.objects.count()
    with time_machine.travel(MONDAY_10 + timedelta(hours=2), tick=False):
        response = services.response_submit(token=invitation.token, answers=_full_answers(campaign))
    response.refresh_from_db()
    invitation.refresh_from_db()
    # nothing on the response points back: no invitation, no complaint, no moment
    assert (response.invitation_id, response.complaint_id, response.submitted_at) == (
        None,
        None,
        None,
    )
    assert invitation.used and invitation.used_at is None
    # and the schema has no column that could: no link to staff or to the invitation's row
    for model in (Response, ResponseItem):
        related = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        assert Staff not in related
    assert AccessLog.objects.count() == logs_before


def test_a_team_never_rates_itself(org):
    campaign = CampaignFactory(kind="internal", questionnaire=make_questionnaire("internal"))
    campaign.teams.set([org.team, org.other_team])
    for staff in (org.member, org.leader, org.other_member, org.other_leader, org.cs_admin):
        staff.user.email = f"{staff.user.username}@example.go.kr"
        staff.user.save()
    StaffFactory(user__email="", team=org.team)  # no e-mail: not invited
    with time_machine.travel(MONDAY_10, tick=False):
        created = services.campaign_invite(staff=org.cs_admin, campaign=campaign)
        assert services.campaign_invite(staff=org.cs_admin, campaign=campaign) == 0
    assert created == 5  # each of the five asked about the other team only
    pairs = set(Invitation.objects.values_list("staff__team_id", "team_id"))
    assert pairs == {(org.team.pk, org.other_team.pk), (org.other_team.pk, org.team.pk)}


def test_only_cs_admin_sends_team_survey_invitations(org):
    from django.core.exceptions import PermissionDenied

    campaign = CampaignFactory(kind="external")
    with pytest.raises(PermissionDenied):
        services.campaign_invite(staff=org.leader, campaign=campaign)
    post = CampaignFactory(kind=Campaign.Kind.POST_COMPLAINT)
    with pytest.raises(services.SurveyError):
        services.campaign_invite(staff=org.cs_admin, campaign=post)


def test_external_survey_invites_consenting_citizens_of_answered_complaints(
    org, answer, post_campaign
):
    complaint = answer()
    answer(consent=False, phone="01055556666")
    external = CampaignFactory(kind="external", questionnaire=make_questionnaire("external"))
    with time_machine.travel(MONDAY_10 + timedelta(days=1), tick=False):
        assert services.campaign_invite(staff=org.cs_admin, campaign=external) == 1
    invitation = Invitation.objects.get(campaign=external)
    assert (invitation.citizen, invitation.team_id) == (complaint.citizen, complaint.team_id)


def test_one_reminder_after_n_days_and_none_once_answered(answer, post_campaign):
    first = Invitation.objects.get(complaint=answer())
    second = Invitation.objects.get(complaint=answer(phone="01033334444"))
    with time_machine.travel(MONDAY_10 + timedelta(days=2), tick=False):
        assert services.send_survey_reminders() == 0  # not due yet
        services.response_submit(token=second.token, answers=_full_answers(post_campaign))
    with time_machine.travel(MONDAY_10 + timedelta(days=3, minutes=1), tick=False):
        assert services.send_survey_reminders() == 1
        assert services.send_survey_reminders() == 0  # a second sweep sends nothing
    with time_machine.travel(MONDAY_10 + timedelta(days=5), tick=False):
        assert services.send_survey_reminders() == 0  # one reminder only
    reminders = Message.objects.filter(dedupe_key__endswith=":reminder")
    assert list(reminders.values_list("dedupe_key", flat=True)) == [f"survey:{first.pk}:reminder"]


def test_a_fault_in_the_follow_up_never_stops_an_answer(answer, post_campaign, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("survey service down")

    monkeypatch.setattr(calls, "complaint_answered", broken)
    complaint = answer()
    assert complaint.status == "answered"
    assert not Invitation.objects.filter(complaint=complaint).exists()
    assert "survey follow-up" in caplog.text
