"""Every page carries the Content-Security-Policy and Permissions-Policy headers."""

import pytest

from tests.pages import plain_paths

pytestmark = pytest.mark.django_db


def test_every_page_has_the_policies(client, org):
    client.force_login(org.cs_admin.user)
    paths = plain_paths()
    assert len(paths) > 30
    nonces = set()
    for path in paths:
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), path
        nonces.add(policy.split("'nonce-")[1].split("'")[0])
    assert len(nonces) == len(paths)  # a new nonce for every response


def test_an_attachment_keeps_its_own_stricter_policy():
    from pcrm.middleware import policy

    assert (
        "unsafe-eval" not in policy("n")
        and "'unsafe-inline'" not in policy("n").split("style-src-attr")[0]
    )
