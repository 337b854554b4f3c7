"""Every page in headless Chromium, under the enforced Content-Security-Policy: no
violation reported by the browser, no console error. The pages are every address that
takes no argument (the administration included), as an administrator, and the pages of
one complaint, citizen and survey, as staff and as the citizen."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser import console_errors, log_in
from tests.factories import CitizenFactory, file_complaint
from tests.pages import plain_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _html_pages(client, paths) -> list[str]:
    """The addresses that answer a page (not a file, a redirect or JSON) to this client."""
    pages = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(path)
    return pages


def _violations(driver, live_server, paths) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        driver.get(live_server.url + path)
        driver.execute_script("return document.readyState")  # scripts have run
        errors = console_errors(driver)
        if errors:
            found[path] = errors
    return found


def test_no_page_violates_the_content_security_policy(driver, live_server, client, org, category):
    complaint, secret = file_complaint(category, title="보도블록 파손")
    file_complaint(category, phone="01099990000", title="보도블록 파손 신고")
    citizen = CitizenFactory(name="이영희", phone="01055556666")

    citizen_pages = [
        *_html_pages(Client(), plain_paths()),
        reverse("complaint-receipt", args=[secret]),
        reverse("complaint-track-secret", args=[secret]),
    ]
    assert "/complaints/new/" in citizen_pages and "/faq/" in citizen_pages
    assert _violations(driver, live_server, citizen_pages) == {}

    client.force_login(org.cs_admin.user)
    staff_pages = [
        *_html_pages(client, plain_paths()),
        reverse("staff-complaint-detail", args=[complaint.pk]),
        reverse("staff-complaint-similar", args=[complaint.pk]),
        reverse("citizen-detail", args=[citizen.pk]),
        f"/admin/complaints/complaint/{complaint.pk}/change/",
    ]
    assert len(staff_pages) > 60 and "/staff/complaints/" in staff_pages
    assert any(path.startswith("/admin/") for path in staff_pages)
    log_in(driver, live_server, client, org.cs_admin)
    assert _violations(driver, live_server, staff_pages) == {}
