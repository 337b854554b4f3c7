"""The SENS and NHN Cloud backends over real HTTP against a local fake provider that
checks the documented request shape and signature; success, refusal, outage, a provider
that accepts and never answers, delivery reports by polling and by webhook; 알림톡 first,
SMS when it does not arrive, and never the same channel twice."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from pcrm.notify import services
from pcrm.notify.models import Message
from tests.factories import file_complaint
from tests.notify import fake_provider as fp

pytestmark = pytest.mark.django_db

TEMPLATES = {"complaint-received": "PCRM_RECEIVED", "complaint-answered": "PCRM_ANSWERED"}


@pytest.fixture
def fake():
    provider = fp.FakeProvider().start()
    yield provider
    provider.stop()
    assert provider.problems == []  # every request had the documented shape


@pytest.fixture
def sens(fake, settings):
    settings.SENS_API_URL = fake.url
    settings.SENS_ACCESS_KEY, settings.SENS_SECRET_KEY = fp.ACCESS_KEY, fp.SECRET_KEY
    settings.SENS_SMS_SERVICE_ID = fp.SMS_SERVICE
    settings.SENS_ALIMTALK_SERVICE_ID = fp.ALIMTALK_SERVICE
    settings.SENS_PLUS_FRIEND_ID = fp.PLUS_FRIEND
    settings.NOTIFY_SMS_SENDER = fp.SENDER
    settings.NOTIFY_SMS_BACKEND = "pcrm.notify.providers.sens.SensSms"
    settings.NOTIFY_ALIMTALK_BACKEND = "pcrm.notify.providers.sens.SensAlimtalk"
    settings.NOTIFY_ALIMTALK_TEMPLATES = TEMPLATES
    settings.NOTIFY_PROVIDER_TIMEOUT = 1
    return fake


@pytest.fixture
def nhn(fake, settings):
    settings.NHN_SMS_API_URL = settings.NHN_ALIMTALK_API_URL = fake.url
    settings.NHN_SMS_APP_KEY = settings.NHN_ALIMTALK_APP_KEY = fp.NHN_APP
    settings.NHN_SMS_SECRET_KEY = fp.NHN_SMS_SECRET
    settings.NHN_ALIMTALK_SECRET_KEY = fp.NHN_ALIMTALK_SECRET
    settings.NHN_ALIMTALK_SENDER_KEY = fp.NHN_SENDER_KEY
    settings.NOTIFY_SMS_SENDER = fp.SENDER
    settings.NOTIFY_SMS_BACKEND = "pcrm.notify.providers.nhn.NhnSms"
    settings.NOTIFY_ALIMTALK_BACKEND = "pcrm.notify.providers.nhn.NhnAlimtalk"
    settings.NOTIFY_ALIMTALK_TEMPLATES = TEMPLATES
    settings.NOTIFY_PROVIDER_TIMEOUT = 1
    return fake


def _short_sms(key="short"):
    return Message.objects.create(
        channel="sms",
        recipient="01012345678",
        body="[PCRM 시청] 짧은 안내",
        billing="sms",
        dedupe_key=key,
    )


def _later(minutes):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.mark.parametrize("provider", ["sens", "nhn"])
def test_sms_and_lms_go_in_the_documented_shape(request, provider, category, settings):
    fake = request.getfixturevalue(provider)
    settings.NOTIFY_ALIMTALK_BACKEND = ""  # SMS only
    _short_sms()
    file_complaint(category, phone="01012345678")  # the receipt: longer than 90 bytes
    assert services.deliver_due() == 2
    short, receipt = Message.objects.order_by("pk")
    assert (short.billing, receipt.billing) == ("sms", "lms")
    assert short.status == receipt.status == "sent" and short.provider_ref and receipt.provider_ref
    sent = fake.sent(f"{provider}-sms")
    assert len(sent) == 2
    if provider == "sens":
        assert [row["type"] for row in sent] == ["SMS", "LMS"]
        assert sent[1]["content"] == receipt.body and sent[1]["messages"] == [{"to": "01012345678"}]
    else:
        assert [row["path"].rsplit("/", 1)[1] for row in sent] == ["sms", "mms"]
        assert sent[1]["senderGroupingKey"] == receipt.reference
    # delivered, as the provider reports on being asked
    for row in sent:
        fake.delivered[row["id"]] = True
    with _later(2):
        assert services.poll_receipts() == 2
    assert set(Message.objects.values_list("status", flat=True)) == {"delivered"}


@pytest.mark.parametrize("provider", ["sens", "nhn"])
def test_alimtalk_first_and_an_sms_once_when_it_does_not_arrive(request, provider, org, category):
    fake = request.getfixturevalue(provider)
    complaint, _secret = file_complaint(category, phone="01012345678")
    first = Message.objects.get()
    assert (first.channel, first.next_channels) == ("alimtalk", "sms")
    services.deliver_due()
    [alimtalk] = fake.sent(f"{provider}-alimtalk")
    assert alimtalk["templateCode"] == "PCRM_RECEIVED"
    fake.delivered[alimtalk["id"]] = False  # the citizen has no KakaoTalk
    with _later(2):
        assert services.poll_receipts() == 1
        assert services.poll_receipts() == 0  # settled once
        services.deliver_due()
    first.refresh_from_db()
    sms = Message.objects.get(fallback_of=first)
    assert (first.status, sms.channel, sms.status) == ("fell_back", "sms", "sent")
    assert len(fake.sent(f"{provider}-sms")) == 1
    assert sms.dedupe_key == f"{first.dedupe_key}>sms"
    # staff see both on the complaint's page
    org.member.team = complaint.team
    from complaints import workflow

    workflow.assign(staff=org.leader, complaint=complaint, assignee=org.member)
    from django.test import Client

    client = Client()
    client.force_login(org.member.user)
    page = client.get(f"/staff/complaints/{complaint.pk}/").content.decode()
    table = page.split('id="sent-messages"')[1].split("</table>")[0]
    assert "알림톡" in table and "다른 수단으로 대체" in table and "대체 발송" in table


@pytest.mark.parametrize("provider", ["sens", "nhn"])
def test_a_provider_that_accepts_and_never_answers_gets_nothing_twice(
    request, provider, category, settings
):
    """The 알림톡 request times out after the provider accepted it: never resent as
    알림톡; SENS cannot be asked about it, so after the receipt timeout the SMS goes,
    once; NHN finds it by our reference and reads its delivery."""
    fake = request.getfixturevalue(provider)
    fake.mode[f"{provider}-alimtalk"] = "hang"
    file_complaint(category, phone="01012345678")
    message = Message.objects.get()
    assert services.deliver_due() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_ref == ""
    assert "응답 없음" in message.last_error
    for minutes in (5, 30, 60):  # later runs: nothing is due again
        with _later(minutes):
            assert services.deliver_due() == 0
    assert len(fake.sent(f"{provider}-alimtalk")) == 1
    fake.mode.clear()
    if provider == "nhn":
        fake.delivered[fake.sent("nhn-alimtalk")[0]["id"]] = True
        with _later(2):
            assert services.poll_receipts() == 1
        message.refresh_from_db()
        assert message.status == "delivered" and message.provider_ref
        expected_sms = 0
    else:
        with _later(5):
            assert services.poll_receipts() == 0  # not yet: the report may still come
        with _later(11):
            assert services.poll_receipts() == 1
            services.deliver_due()
            services.deliver_due()
            assert services.poll_receipts() == 0
        expected_sms = 1
    assert len(fake.sent(f"{provider}-sms")) == expected_sms
    assert len(fake.sent(f"{provider}-alimtalk")) == 1


@pytest.mark.parametrize("provider", ["sens", "nhn"])
def test_an_sms_unanswered_is_not_sent_again(request, provider, category, settings):
    fake = request.getfixturevalue(provider)
    settings.NOTIFY_ALIMTALK_BACKEND = ""
    fake.mode[f"{provider}-sms"] = "hang"
    file_complaint(category, phone="01012345678")
    services.deliver_due()
    for minutes in (5, 60, 600):
        with _later(minutes):
            services.deliver_due()
            services.poll_receipts()
    assert len(fake.sent(f"{provider}-sms")) == 1
    assert Message.objects.get().status == "sent"


@pytest.mark.parametrize("provider", ["sens", "nhn"])
def test_an_outage_is_retried_and_a_refusal_moves_on(request, provider, category, settings):
    fake = request.getfixturevalue(provider)
    fake.mode[f"{provider}-alimtalk"] = "down"
    file_complaint(category, phone="01012345678")
    first = Message.objects.get()
    moment = timezone.now()
    for attempt in range(services.MAX_ATTEMPTS):
        with time_machine.travel(moment + timedelta(days=attempt), tick=False):
            services.deliver_due()
    first.refresh_from_db()
    assert first.status == "fell_back" and "503" in first.last_error
    assert first.attempts == services.MAX_ATTEMPTS
    fake.mode[f"{provider}-sms"] = "refuse"  # a wrong number: refused for good
    with time_machine.travel(moment + timedelta(days=5), tick=False):
        services.deliver_due()
        services.deliver_due()
    sms = Message.objects.get(fallback_of=first)
    assert sms.status == "failed" and sms.attempts == 1 and "거부" in sms.last_error
    assert fake.sent(f"{provider}-alimtalk") == [] and fake.sent(f"{provider}-sms") == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("provider", ["sens", "nhn"])
def test_delivery_reports_by_webhook(request, provider, category, settings, live_server):
    fake = request.getfixturevalue(provider)
    settings.NOTIFY_RECEIPT_TOKEN = "receipt-token-0123456789"
    file_complaint(category, phone="01012345678")
    services.deliver_due()
    alimtalk = Message.objects.get()
    hook = f"{live_server.url}/hooks/notify/alimtalk/receipt-token-0123456789/"
    if provider == "sens":
        failed = {"messageId": alimtalk.provider_ref, "messageStatusName": "fail"}
    else:
        failed = {"requestId": alimtalk.provider_ref, "resultCode": "3018"}
    assert fake.report(hook, [failed]) == (200, {"settled": 1})
    assert fake.report(hook, [failed]) == (200, {"settled": 0})  # the same report again
    services.deliver_due()
    sms = Message.objects.get(fallback_of=alimtalk)
    assert sms.status == "sent" and len(fake.sent(f"{provider}-sms")) == 1
    if provider == "sens":
        delivered = {"requestId": sms.provider_ref, "statusName": "success"}
    else:
        delivered = {"requestId": sms.provider_ref, "resultCode": "1000"}
    sms_hook = hook.replace("/alimtalk/", "/sms/")
    assert fake.report(sms_hook, delivered) == (200, {"settled": 1})
    sms.refresh_from_db()
    assert sms.status == "delivered" and sms.delivered_at is not None
    # a wrong secret finds nothing; a body that is not JSON is refused
    assert fake.report(hook.replace("0123456789", "guess"), [failed])[0] == 404
    assert Message.objects.count() == 2


def test_the_webhook_refuses_what_is_not_a_report(client, settings):
    settings.NOTIFY_RECEIPT_TOKEN = "receipt-token-0123456789"
    hook = "/hooks/notify/sms/receipt-token-0123456789/"
    assert client.post(hook, "not json", content_type="application/json").status_code == 400
    nested = "[" * 100_000 + "]" * 100_000
    assert client.post(hook, nested, content_type="application/json").status_code == 400
    assert client.get(hook).status_code == 405
    assert (
        client.post(
            "/hooks/notify/email/receipt-token-0123456789/", "{}", content_type="application/json"
        ).status_code
        == 404
    )
    settings.NOTIFY_RECEIPT_TOKEN = ""
    assert client.post(hook, "{}", content_type="application/json").status_code == 404


def test_the_file_backend_writes_one_line_per_message(category, settings, tmp_path):
    import json

    settings.NOTIFY_SMS_BACKEND = "pcrm.notify.backends.FileBackend"
    settings.NOTIFY_ALIMTALK_BACKEND = ""
    settings.NOTIFY_FILE_DIR = tmp_path
    file_complaint(category, phone="01012345678")
    message = Message.objects.get()
    assert services.deliver_due() == 1 and services.deliver_due() == 0
    [line] = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    written = json.loads(line)
    assert written["reference"] == message.reference and written["body"] == message.body
    assert (written["to"], written["billing"]) == ("01012345678", "lms")


def test_a_message_taken_over_from_a_dead_worker_is_looked_up_before_it_is_sent(
    nhn, category, settings
):
    """The worker died after the provider accepted the SMS: the sweep that takes the
    claim over finds it by our reference (NHN) instead of sending it again."""
    settings.NOTIFY_ALIMTALK_BACKEND = ""
    settings.NOTIFY_CLAIM_TIMEOUT = 600
    file_complaint(category, phone="01012345678")
    message = Message.objects.get()
    assert services.deliver_due() == 1
    # as if that worker had died before writing "sent": its claim left behind
    Message.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=timezone.now(), provider_ref="", sent_at=None
    )
    with _later(11):
        assert services.deliver_due() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.provider_ref == nhn.sent("nhn-sms")[0]["id"]
    assert len(nhn.sent("nhn-sms")) == 1
