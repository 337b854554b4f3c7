"""Every role reaches only its pages: one table over the URL list."""

import pytest
from django.urls import reverse

from surveys import courtesy

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "non_staff", "member", "leader", "cs_admin", "auditor"]

SERVING = {"member", "leader", "cs_admin"}

# url name -> (how to build its arguments, who gets 200, {persona: status} for exceptions).
# Everybody else is turned away: anonymous to the login page, the logged-in with 403.
PAGES = {
    # team leaders start on their dashboard (a redirect from the staff home)
    "staff-home": (None, {"member", "cs_admin", "auditor"}, {"leader": 200}),
    "team-detail": ("own_team", {"member", "leader", "cs_admin", "auditor"}, {}),
    "access-log": (None, {"auditor"}, {}),
    "access-log-export": (None, set(), {"auditor": 400}),  # no period chosen: the log, why
    "admin:index": (None, {"cs_admin"}, {}),
    "admin:org_staff_changelist": (None, {"cs_admin"}, {}),
    "admin:audit_accesslog_changelist": (None, {"cs_admin"}, {}),
    "citizen-list": (None, SERVING, {}),
    "citizen-create": (None, SERVING, {}),
    "citizen-segments": (None, SERVING, {}),
    "citizen-reviews": (None, SERVING, {}),
    "citizen-duplicates": (None, {"leader", "cs_admin"}, {}),
    "citizen-merge": ("merge", {"leader", "cs_admin"}, {}),
    "citizen-detail": ("citizen", SERVING, {}),
    "citizen-edit": ("citizen", SERVING, {}),
    "relationship-list": (None, SERVING, {}),
    "relationship-import": (None, SERVING, {}),
    "relationship-export": ("csv", SERVING, {}),
    "relationship-edit": ("citizen", SERVING, {}),
    # a member without the flag permission cannot even see that the flag exists
    "flag-clear": ("flag", {"leader", "cs_admin"}, {"member": 404}),
    "flag-review": ("flag", {"leader", "cs_admin"}, {"member": 404}),
    "staff-complaint-new": (None, SERVING, {}),
    "staff-inbox": (None, SERVING, {}),
    "staff-inbox-export": (None, SERVING, {}),
    "staff-bulk-assign": (None, {"leader"}, {}),
    "staff-board": (None, SERVING, {}),
    "notification-list": (None, {"member", "leader", "cs_admin", "auditor"}, {}),
    "notifications-read": (
        None,
        set(),
        dict.fromkeys(("member", "leader", "cs_admin", "auditor"), 405),
    ),
    "notify-costs": (None, {"leader", "cs_admin"}, {}),
    "staff-complaint-act": ("take", set(), {"member": 405, "leader": 405, "cs_admin": 405}),
    "staff-complaint-detail": ("complaint", SERVING, {}),
    "staff-complaint-similar": ("complaint", SERVING, {}),
    "staff-complaint-note": ("complaint", SERVING, {}),
    "staff-complaint-colleagues": ("complaint", SERVING, {}),
    "staff-complaint-library": ("complaint", SERVING, {}),
    "staff-complaint-library-used": (
        "library_text",
        set(),
        dict.fromkeys(("member", "leader", "cs_admin"), 405),
    ),
    "answer-library": (None, SERVING, {}),
    "staff-view-save": (None, set(), dict.fromkeys(("member", "leader", "cs_admin"), 405)),
    # only its owner (the member) removes a saved view; to others it does not exist
    "staff-view-delete": ("view", {"member"}, {"leader": 404, "cs_admin": 404}),
    "answer-library-approve": ("library_item", set(), {"leader": 405, "cs_admin": 405}),
    "staff-complaint-attachment": ("attachment", SERVING, {}),
    "campaign-list": (None, SERVING, {}),
    "campaign-detail": ("campaign", SERVING, {}),
    "campaign-export": ("campaign", SERVING, {}),
    "campaign-invite": ("campaign", {"cs_admin"}, {}),
    "call-list": (None, SERVING, {}),
    "call-detail": ("call", SERVING, {}),
    "courtesy-list": (None, SERVING, {}),
    "courtesy-new": (None, {"cs_admin"}, {}),
    "courtesy-detail": ("evaluation", SERVING, {}),
    "interview-detail": ("interview", {"leader", "cs_admin"}, {}),
    "staff-dashboard": (None, {"leader"}, {}),
    "scorecard-org": (None, {"leader", "cs_admin"}, {}),
    "scorecard-export": (None, {"cs_admin"}, {}),
    "scorecard-equity": (None, {"leader", "cs_admin"}, {}),
    "scorecard-weights": (None, {"cs_admin"}, {}),
    "scorecard-team": ("own_team", SERVING, {}),
    "qa-propose": ("complaint", SERVING, {}),
    "qa-review": (None, {"leader", "cs_admin"}, {}),
    "qa-decide": ("qaitem", {"leader", "cs_admin"}, {}),
    "qa-books": (None, SERVING, {}),
    "qa-book-compile": (None, set(), {"cs_admin": 405}),
    "qa-book": ("book", SERVING, {}),
    "e-letter-list": (None, {"leader", "cs_admin"}, {}),
    "e-letter-new": (None, {"leader", "cs_admin"}, {}),
    "e-letter-detail": ("letter", {"leader", "cs_admin"}, {}),
    "e-letter-edit": ("letter", {"leader", "cs_admin"}, {}),
    "e-letter-schedule": ("letter", set(), {"leader": 405, "cs_admin": 405}),
    "e-letter-cancel": ("letter", set(), {"leader": 405, "cs_admin": 405}),
    "e-letter-delete": ("letter", {"leader", "cs_admin"}, {}),
    # POST-only actions: a GET is refused once access is granted
    "citizen-reveal": ("citizen", set(), {"leader": 405, "member": 405, "cs_admin": 405}),
    "call-reveal": ("call", set(), {"leader": 405, "member": 405, "cs_admin": 405}),
    "citizen-flag-create": ("citizen", set(), {"leader": 405, "member": 405, "cs_admin": 405}),
}
PUBLIC = ["login", "healthz", "complaint-mine"]


def _client_for(persona, client, org, non_staff_user):
    if persona == "non_staff":
        client.force_login(non_staff_user)
    elif persona != "anonymous":
        client.force_login(getattr(org, persona).user)
    return client


@pytest.fixture
def objects(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import (
        CampaignFactory,
        CategoryFactory,
        CitizenFactory,
        FlagFactory,
        file_complaint,
    )

    citizen = CitizenFactory()
    other = CitizenFactory()
    pdf = SimpleUploadedFile("사진.pdf", b"%PDF-1.4 test", "application/pdf")
    complaint, _secret = file_complaint(
        CategoryFactory(team=org.team), attachments=[(pdf, "application/pdf")]
    )
    evaluation = _low_evaluation(org)
    qaitem, _book = _qa(org, complaint)
    from citizens.models import ELetter

    letter = ELetter.objects.create(
        title="소식", body="본문", audience="friendly", signed_by=org.leader
    )
    return {
        "letter": letter,
        "qaitem": qaitem,
        "campaign": CampaignFactory(),
        "call": _call(org, complaint),
        "evaluation": evaluation,
        "interview": evaluation.interview,
        "citizen": citizen,
        "other": other,
        "flag": FlagFactory(citizen=citizen, set_by=org.leader),
        "complaint": complaint,
        "attachment": complaint.attachments.get(),
        "view": _saved_view(org),
    }


def _saved_view(org):
    from complaints.saved import saved_view_save

    return saved_view_save(staff=org.member, name="기한 초과", query="tab=overdue", shared=False)


def _qa(org, complaint):
    from complaints.models import QABook, QAItem

    item = QAItem.objects.create(
        complaint=complaint,
        category=complaint.category,
        team=org.team,
        question="질문",
        answer="답변",
        proposed_by=org.member,
    )
    return item, QABook.objects.create(period="2026-H1", title="2026년 상반기 질의응답집")


def _call(org, complaint):
    from django.utils import timezone

    from surveys.models import Call

    return Call.objects.create(
        kind=Call.Kind.HAPPY,
        reason=Call.Reason.ANSWERED,
        source="roles",
        citizen=complaint.citizen,
        complaint=complaint,
        team=org.team,
        assignee=org.member,
        list_date=timezone.localdate(),
        due_at=timezone.now(),
    )


def _low_evaluation(org):
    import datetime

    sheet = courtesy.default_sheet()
    return courtesy.courtesy_evaluate(
        evaluator=org.cs_admin,
        staff=org.member,
        sheet=sheet,
        evaluated_on=datetime.date(2026, 11, 23),
        scenario="민원 문의",
        points={item.pk: 5 for item in sheet.items.all()},
    )


def _url(name, kwargs_kind, org, objects):
    if kwargs_kind == "own_team":
        return reverse(name, kwargs={"pk": org.team.pk})
    if kwargs_kind in {
        "citizen",
        "flag",
        "complaint",
        "attachment",
        "campaign",
        "call",
        "evaluation",
        "interview",
        "qaitem",
        "letter",
        "view",
    }:
        return reverse(name, kwargs={"pk": objects[kwargs_kind].pk})
    if kwargs_kind == "library_text":
        return reverse(name, kwargs={"pk": objects["complaint"].pk, "item": 1})
    if kwargs_kind == "library_item":
        return reverse(name, kwargs={"item": 1})
    if kwargs_kind == "take":
        return reverse(name, kwargs={"pk": objects["complaint"].pk, "action": "take"})
    if kwargs_kind == "book":
        return reverse(name, kwargs={"period": "2026-H1"})
    if kwargs_kind == "csv":
        return reverse(name, kwargs={"fmt": "csv"})
    if kwargs_kind == "merge":
        return reverse(name) + f"?survivor={objects['citizen'].pk}&duplicate={objects['other'].pk}"
    return reverse(name)


def _named_routes(patterns, prefix="", namespace=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if hasattr(p, "url_patterns"):
            inner = f"{p.namespace}:" if p.namespace else namespace
            yield from _named_routes(p.url_patterns, route, inner)
        elif p.name:
            yield route, namespace + p.name


def test_every_staff_page_is_in_the_table():
    """A new staff page must be added here, so that its access is decided and tested."""
    from pcrm.urls import urlpatterns

    staff_pages = {name for route, name in _named_routes(urlpatterns) if route.startswith("staff/")}
    assert staff_pages
    assert staff_pages <= set(PAGES), staff_pages - set(PAGES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_access_by_role(page, persona, client, org, objects, non_staff_user):
    kwargs_kind, allowed, exceptions = PAGES[page]
    url = _url(page, kwargs_kind, org, objects)
    response = _client_for(persona, client, org, non_staff_user).get(url, follow=True)
    if persona in exceptions:
        assert response.status_code == exceptions[persona], (page, persona)
    elif persona in allowed:
        assert response.status_code == 200, (page, persona)
        assert not response.redirect_chain, (page, persona)
    elif persona == "anonymous":
        assert response.redirect_chain, (page, persona)
        assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    else:
        assert response.status_code == 403, (page, persona)


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_need_no_login(name, client):
    assert client.get(reverse(name)).status_code == 200


def test_superuser_without_staff_profile_reaches_admin_only(client, db):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("staff-home")).status_code == 403
