"""Korean telephone numbers: every way a mobile number is written, and what is refused."""

import pytest

from pcrm.lib.phone import InvalidPhone, normalise_phone


@pytest.mark.parametrize("raw", ["010-5981-8529", "01059818529", "+82 10 5981 8529"])
def test_every_010_mobile_number_is_accepted(raw):
    assert normalise_phone(raw) == "01059818529"


@pytest.mark.parametrize("raw", ["010-123-456", "011-1234", "+1 202 555 0100", "전화번호"])
def test_malformed_or_foreign_numbers_are_refused(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)
