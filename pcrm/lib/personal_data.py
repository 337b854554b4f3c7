"""Personal data in free text: one detector for every place that publishes or reviews
text a citizen wrote (Open311's public feed, the Q&A scrubber, the API).

``find(text)`` lists what looks personal, each finding with its kind and place;
``redact(text)`` replaces each with a label such as ``(전화번호)``. Detected:

- resident registration numbers (주민등록번호) and foreign registration numbers
  (외국인등록번호): a real birth date and a gender digit, written ``YYMMDD-NNNNNNN``
  (with a hyphen or space, any check digit: numbers issued since October 2020 have
  none) or as 13 digits in a row whose check digit is right;
- telephone numbers in every Korean form: mobile, area codes, 070/050x internet
  numbers, with ``-``, ``.``, spaces or brackets, and international ``+82``/``0082``
  forms with or without the trunk ``0``; business numbers (15xx/16xx/18xx) and
  the organisation's own numbers are not personal;
- e-mail addresses;
- card numbers (13 to 19 digits, in groups or not) that pass the Luhn check;
- bank account numbers: groups of digits joined by hyphens, 10 to 14 digits in all, that
  are no telephone number or date, and any 10 to 16 digit run after 계좌/통장/은행 words;
- personal names: before 님/씨, in a signature line (``홍길동 드림``, ``작성자: 홍길동``),
  right before a telephone number or registration number, and any names given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

LABELS = {
    "rrn": "(주민등록번호)",
    "foreigner": "(외국인등록번호)",
    "phone": "(전화번호)",
    "email": "(이메일)",
    "card": "(카드번호)",
    "account": "(계좌번호)",
    "name": "○○○",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


_D = r"(?<![\d-])"  # not glued to a longer number
_E = r"(?![\d])"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REGISTRATION = re.compile(_D + r"(\d{2})(\d{2})(\d{2})(?:\s?[-\u2013]\s?|\s)([1-8])(\d{6})" + _E)
_REGISTRATION_RUN = re.compile(_D + r"(\d{2})(\d{2})(\d{2})([1-8])(\d{6})" + _E)
_SEP = r"(?:\s?[-.]\s?|\s)"
_PHONE = re.compile(
    r"(?<![\d+])"
    r"(?:"
    # international: +82 10 1234 5678, +82-2-123-4567, +82 (0)10…, 0082…, 8210…
    r"(?:\+\s?82|00\s?82|(?<!\d)82)[\s-]?(?:\(0\))?\s?0?"
    r"(?:1[016789]|2|[3-6][1-5]|70|50\d)" + _SEP + r"?\d{3,4}" + _SEP + r"?\d{4}"
    r"|"
    # national: 010-1234-5678, (02) 123-4567, 031.123.4567, 0505 123 4567
    r"\(?0(?:1[016789]|2|[3-6][1-5]|70|50\d)\)?" + _SEP + r"?\d{3,4}" + _SEP + r"?\d{4}"
    r")" + _E
)
_CARD = re.compile(_D + r"\d{4}(?:[\s-]?\d{4}){2}[\s-]?\d{1,7}" + _E)
_ACCOUNT_GROUPS = re.compile(_D + r"\d{2,6}(?:-\d{2,8}){2,3}" + _E)
_ACCOUNT_WORD = re.compile(
    r"(?:계좌|통장|은행|입금|account)[^\d\n]{0,20}(\d[\d\s-]{8,20}\d)", re.IGNORECASE
)
_DATE_SHAPE = re.compile(r"^(?:19|20)\d{2}-\d{1,2}-\d{1,2}$")
_HANGUL_NAME = r"[가-힣]{2,4}"
_HONORIFIC = re.compile(r"(" + _HANGUL_NAME + r")(\s?)(님|씨)")
# words before a number that are no names
_NOUNS = ("번호", "연락처", "전화", "휴대폰", "핸드폰", "카드", "계좌", "통장", "메일")
_NOUNS += ("주소", "문의")
# nouns ending in 씨 that are no honorific
_SSI_NOUNS = ("날씨", "글씨", "말씨", "솜씨", "마음씨", "아가씨", "아저씨", "불씨", "맵씨")
_SIGNATURE = re.compile(
    r"(?:(?:작성자|성명|이름|신청인|민원인|보낸\s?사람)\s?[:\uff1a]\s?(" + _HANGUL_NAME + r"))"
    r"|(?:^|\n)\s*[-\u2013]?\s*(" + _HANGUL_NAME + r")\s?(?:드림|올림|배상)"
)
# the commonest Korean surnames (about nine in ten people): a name right before a
# contact starts with one of these and does not end like a place or a thing
_SURNAMES = set(
    "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염"
)
_NOT_NAME_ENDINGS = tuple("등로길구시군읍면리과팀실청소장원관점역층호")
# words that take 님 or 씨 but are no names
_NOT_NAMES = {
    "고객",
    "민원인",
    "담당자",
    "주무관",
    "팀장",
    "팀장님",
    "과장",
    "국장",
    "부장",
    "실장",
    "계장",
    "시장",
    "구청장",
    "선생",
    "시민",
    "주민",
    "여러분",
    "사장",
    "기사",
    "아버",
    "어머",
    "아버지",
    "어머니",
    "부모",
    "부모님",
    "아드",
    "따님",
    "손님",
    "할머니",
    "할아버지",
    "이웃",
    "신청인",
    "작성자",
    "관리인",
    "경비",
    "기사님",
    "선배",
    "후배",
    "동생",
    "언니",
    "오빠",
    "누나",
    "형님",
    "아저",
    "아주머",
    "아가",
    "날씨",
    "솜씨",
    "맵시",
    "마음씨",
}
_BUSINESS_PHONE = re.compile(r"^1[568]\d{2}")


def _birth_date_ok(yy: str, mm: str, dd: str, gender: str) -> bool:
    century = {"1": 1900, "2": 1900, "5": 1900, "6": 1900}.get(gender, 2000)
    try:
        date(century + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def _registration_check_ok(digits: str) -> bool:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(digits[:12], weights, strict=True))
    resident = (11 - total % 11) % 10
    foreign = (resident + 2) % 10
    check = int(digits[12])
    return check == (foreign if digits[6] in "5678" else resident)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _registrations(text: str):
    for pattern, needs_check in ((_REGISTRATION, False), (_REGISTRATION_RUN, True)):
        for match in pattern.finditer(text):
            yy, mm, dd, gender, _rest = match.groups()
            if not _birth_date_ok(yy, mm, dd, gender):
                continue
            if needs_check and not _registration_check_ok(_digits(match.group())):
                continue
            kind = "foreigner" if gender in "5678" else "rrn"
            yield Finding(kind, match.start(), match.end(), match.group())


def _phones(text: str, own: frozenset[str]):
    for match in _PHONE.finditer(text):
        digits = _digits(match.group())
        national = "0" + digits[2:].lstrip("0") if digits.startswith("82") else digits
        national = "0" + national[4:].lstrip("0") if national.startswith("0082") else national
        if national in own:
            continue
        yield Finding("phone", match.start(), match.end(), match.group())


def _cards(text: str):
    for match in _CARD.finditer(text):
        digits = _digits(match.group())
        if 13 <= len(digits) <= 19 and _luhn_ok(digits):
            yield Finding("card", match.start(), match.end(), match.group())


def _accounts(text: str, own: frozenset[str]):
    for match in _ACCOUNT_GROUPS.finditer(text):
        value = match.group()
        if _digits(value) in own or "ISBN" in text[max(0, match.start() - 6) : match.start()]:
            continue
        if 10 <= len(_digits(value)) <= 14 and not _DATE_SHAPE.match(value):
            yield Finding("account", match.start(), match.end(), value)
    for match in _ACCOUNT_WORD.finditer(text):
        value = match.group(1)
        if 10 <= len(_digits(value)) <= 16:
            yield Finding("account", match.start(1), match.end(1), value)


def _names(text: str, names, contacts: list[Finding]):
    for name in {n for n in names if n and len(n) >= 2}:
        for match in re.finditer(re.escape(name), text):
            yield Finding("name", match.start(), match.end(), name)
    for match in _HONORIFIC.finditer(text):
        word, _space, title = match.groups()
        if title == "씨" and (word[0] not in _SURNAMES or (word + title).endswith(_SSI_NOUNS)):
            continue
        if any(word.endswith(n) or word[:2] == n for n in _NOT_NAMES):
            continue
        yield Finding("name", match.start(1), match.end(1), word)
    for match in _SIGNATURE.finditer(text):
        group = 1 if match.group(1) else 2
        if match.group(group) not in _NOT_NAMES:
            yield Finding("name", match.start(group), match.end(group), match.group(group))
    for contact in contacts:  # 홍길동 010-1234-5678, 홍길동(900101-1234567)
        before = re.search(r"(?<![가-힣])([가-힣]{2,4})[\s,:(]{0,3}$", text[: contact.start])
        word = before.group(1) if before else ""
        if (
            word
            and word[0] in _SURNAMES
            and word not in _NOT_NAMES
            and not word.endswith(_NOUNS + _NOT_NAME_ENDINGS)
        ):
            yield Finding("name", before.start(1), before.end(1), before.group(1))


def find(text: str, *, names=(), own_phones=()) -> list[Finding]:
    """What looks personal in ``text``, in order, without overlaps (the first and longest
    finding wins). ``names`` are names known to be personal (the complainant's);
    ``own_phones`` are numbers that are not (the organisation's own)."""
    if not text:
        return []
    own = frozenset(_digits(p) for p in own_phones)
    contacts = [
        *_registrations(text),
        *(f for f in _phones(text, own) if not _BUSINESS_PHONE.match(_digits(f.text))),
        *_cards(text),
        *(Finding("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)),
    ]
    found = sorted(
        [*contacts, *_accounts(text, own), *_names(text, names, contacts)],
        key=lambda f: (f.start, -(f.end - f.start), list(LABELS).index(f.kind)),
    )
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept


def redact(text: str, *, names=(), own_phones=()) -> str:
    """``text`` with every finding replaced by its label."""
    out, position = [], 0
    for finding in find(text, names=names, own_phones=own_phones):
        out += [text[position : finding.start], LABELS[finding.kind]]
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def contains(text: str, *, names=()) -> bool:
    return bool(find(text, names=names))
