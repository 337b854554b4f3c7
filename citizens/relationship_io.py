"""Import and export of the friendly/institutional customer list (CSV and XLSX).

An import is checked whole before anything is written: the report lists every bad
row with its reason, and a file with any bad row changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from citizens.consents import E_LETTER
from citizens.models import Citizen, Consent, Relationship
from citizens.services import citizens_exported
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access_many
from pcrm.lib.crypto import blind_index
from pcrm.lib.phone import InvalidPhone, normalise_phone
from pcrm.lib.spreadsheet import xlsx_bytes
from pcrm.org.access import serves
from pcrm.org.models import Staff

COLUMNS = [
    ("category", "구분"),
    ("name", "이름"),
    ("organisation_name", "기관명"),
    ("contact_person", "기관 담당자"),
    ("phone", "휴대전화"),
    ("email", "이메일"),
    ("sigungu", "시·군·구"),
    ("dong", "행정동"),
    ("owner", "관리 담당자 아이디"),
    ("interest", "관심 분야"),
    ("notes", "메모"),
    ("e_letter", "전자서한 동의"),
]
HEADERS = [header for _key, header in COLUMNS]
CATEGORY_BY_LABEL = {
    "우호고객": Relationship.Category.FRIENDLY,
    "기관고객": Relationship.Category.INSTITUTIONAL,
}
LABEL_BY_CATEGORY = {value: label for label, value in CATEGORY_BY_LABEL.items()}
YES, NO = {"y", "yes", "예", "동의", "o"}, {"", "n", "no", "아니오", "미동의", "x"}
MAX_ROWS = 5000


@dataclass
class ParsedRow:
    number: int
    category: str
    name: str
    organisation_name: str
    contact_person: str
    phone: str
    email: str
    sigungu: str
    dong: str
    owner: Staff | None
    interest: str
    notes: str
    e_letter: bool


@dataclass
class ImportReport:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


def read_rows(upload) -> list[list[str]]:
    name = upload.name.lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:
            raise ImportFileError(
                _("XLSX 파일을 읽을 수 없습니다. 파일이 손상되지 않았는지 확인하세요.")
            ) from exc
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(
                _("CSV 파일의 글자 인코딩을 알 수 없습니다. UTF-8로 저장해 주세요.")
            )
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ImportFileError(_("파일에 내용이 없습니다."))
    if [h.strip() for h in rows[0][: len(HEADERS)]] != HEADERS:
        raise ImportFileError(
            _("제목 줄이 양식과 다릅니다. 다음 순서로 적어 주세요: %(headers)s")
            % {"headers": ", ".join(HEADERS)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("한 번에 %(max)d행까지 올릴 수 있습니다.") % {"max": MAX_ROWS})
    return [row + [""] * (len(HEADERS) - len(row)) for row in rows[1:]]


def _parse(number: int, cells: list[str], owners: dict[str, Staff], errors) -> ParsedRow | None:
    values = dict(zip([key for key, _h in COLUMNS], cells, strict=False))
    problems = []
    category = CATEGORY_BY_LABEL.get(values["category"])
    if category is None:
        problems.append(_("구분은 '우호고객' 또는 '기관고객'이어야 합니다"))
    if not values["name"]:
        problems.append(_("이름이 비어 있습니다"))
    elif len(values["name"]) > 50:
        problems.append(_("이름이 50자를 넘습니다"))
    phone = ""
    if values["phone"]:
        try:
            phone = normalise_phone(values["phone"])
        except InvalidPhone:
            problems.append(
                _("휴대전화 번호 형식이 올바르지 않습니다 (%(value)s)") % {"value": values["phone"]}
            )
    email = values["email"].lower()
    if email and ("@" not in email or "." not in email.partition("@")[2]):
        problems.append(_("이메일 형식이 올바르지 않습니다"))
    if not phone and not email and not any("휴대전화" in p for p in problems):
        problems.append(_("휴대전화나 이메일 중 하나는 있어야 합니다"))
    if category == Relationship.Category.INSTITUTIONAL and not values["organisation_name"]:
        problems.append(_("기관고객은 기관명이 있어야 합니다"))
    owner = None
    if values["owner"]:
        owner = owners.get(values["owner"])
        if owner is None:
            problems.append(
                _("관리 담당자 아이디 '%(value)s'인 재직 직원이 없습니다")
                % {"value": values["owner"]}
            )
    consent = values["e_letter"].lower()
    if consent not in YES | NO:
        problems.append(_("전자서한 동의는 Y 또는 N으로 적습니다"))
    if len(values["interest"]) > 100:
        problems.append(_("관심 분야가 100자를 넘습니다"))
    if problems:
        errors.append((number, "; ".join(problems)))
        return None
    return ParsedRow(
        number=number,
        category=category,
        name=values["name"],
        organisation_name=values["organisation_name"][:100],
        contact_person=values["contact_person"][:50],
        phone=phone,
        email=email,
        sigungu=values["sigungu"][:30],
        dong=values["dong"][:30],
        owner=owner,
        interest=values["interest"],
        notes=values["notes"],
        e_letter=consent in YES,
    )


def relationships_import(*, staff: Staff, upload) -> ImportReport:
    """Check every row; only if all are good, write them all in one transaction."""
    if not serves(staff):
        raise PermissionDenied
    report = ImportReport()
    try:
        raw_rows = read_rows(upload)
    except ImportFileError as exc:
        report.errors.append((0, str(exc)))
        return report
    owners = {s.user.username: s for s in Staff.objects.filter(active=True).select_related("user")}
    parsed = [
        row
        for number, cells in enumerate(raw_rows, start=2)
        if (row := _parse(number, cells, owners, report.errors)) is not None
    ]
    seen: dict[str, int] = {}
    for row in parsed:
        for key in filter(None, [row.phone and f"p:{row.phone}", row.email and f"e:{row.email}"]):
            if key in seen:
                report.errors.append(
                    (row.number, _("%(first)d행과 연락처가 같습니다") % {"first": seen[key]})
                )
            seen.setdefault(key, row.number)
    if report.errors:
        report.errors.sort()
        return report
    _write(staff, parsed, report)
    return report


@transaction.atomic
def _write(staff: Staff, rows: list[ParsedRow], report: ImportReport) -> None:
    phone_hashes = {blind_index(r.phone): r for r in rows if r.phone}
    email_hashes = {blind_index(r.email): r for r in rows if r.email}
    matched: dict[int, Citizen] = {}
    for citizen in Citizen.objects.filter(anonymised_at__isnull=True).filter(
        phone_hash__in=list(phone_hashes)
    ) | Citizen.objects.filter(anonymised_at__isnull=True, email_hash__in=list(email_hashes)):
        row = phone_hashes.get(citizen.phone_hash) or email_hashes.get(citizen.email_hash)
        matched.setdefault(row.number, citizen)

    new_citizens = []
    for row in rows:
        if row.number in matched:
            continue
        citizen = Citizen(
            kind=Citizen.Kind.INSTITUTION
            if row.category == Relationship.Category.INSTITUTIONAL
            else Citizen.Kind.INDIVIDUAL,
            name=row.name,
            organisation_name=row.organisation_name,
            contact_person=row.contact_person,
            phone=row.phone,
            email=row.email,
            sigungu=row.sigungu,
            dong=row.dong,
            e_letter_opt_in=row.e_letter,
        )
        citizen.refresh_hashes()
        new_citizens.append(citizen)
        matched[row.number] = citizen
    Citizen.objects.bulk_create(new_citizens, batch_size=500)
    created_ids = {c.pk for c in new_citizens}

    existing = {
        rel.citizen_id: rel
        for rel in Relationship.objects.filter(citizen__in=[c.pk for c in matched.values()])
    }
    to_create, to_update, consents, opted = [], [], [], []
    for row in rows:
        citizen = matched[row.number]
        values = {
            "category": row.category,
            "owner": row.owner,
            "interest": row.interest,
            "notes": row.notes,
        }
        if citizen.pk in existing:
            relationship = existing[citizen.pk]
            for key, value in values.items():
                setattr(relationship, key, value)
            to_update.append(relationship)
        else:
            to_create.append(Relationship(citizen=citizen, **values))
        if citizen.e_letter_opt_in != row.e_letter or citizen.pk in created_ids:
            consents.append(
                Consent(
                    citizen=citizen,
                    purpose=E_LETTER.purpose,
                    version=E_LETTER.version,
                    required=False,
                    granted=row.e_letter,
                    source=Consent.Source.IMPORT,
                    recorded_by=staff,
                )
            )
            if citizen.e_letter_opt_in != row.e_letter:
                citizen.e_letter_opt_in = row.e_letter
                opted.append(citizen)
    Relationship.objects.bulk_create(to_create, batch_size=500)
    Relationship.objects.bulk_update(
        to_update, ["category", "owner", "interest", "notes"], batch_size=500
    )
    Consent.objects.bulk_create(consents, batch_size=500)
    Citizen.objects.bulk_update(opted, ["e_letter_opt_in"], batch_size=500)
    record_access_many(
        subjects=new_citizens,
        action=AccessLog.Action.CREATE,
        actor=staff.user,
        purpose="우호·기관고객 일괄 등록",
    )
    record_access_many(
        subjects=[c for c in matched.values() if c.pk not in created_ids],
        action=AccessLog.Action.UPDATE,
        actor=staff.user,
        purpose="우호·기관고객 일괄 등록",
    )
    report.created = len(new_citizens)
    report.updated = len(rows) - len(new_citizens)


def _export_rows(relationships):
    for rel in relationships:
        citizen = rel.citizen
        yield [
            LABEL_BY_CATEGORY[rel.category],
            citizen.masked_label,
            citizen.organisation_name,
            citizen.contact_person,
            citizen.masked_phone,
            citizen.masked_email,
            citizen.sigungu,
            citizen.dong,
            rel.owner.user.username if rel.owner else "",
            rel.interest,
            rel.notes,
            "Y" if citizen.e_letter_opt_in else "N",
        ]


def relationships_export(*, staff: Staff, relationships, fmt: str) -> bytes:
    """The list with names, phones and e-mails masked; each citizen's export is logged."""
    relationships = list(relationships.select_related("citizen", "owner__user"))
    citizens_exported(
        staff=staff,
        citizens=[rel.citizen for rel in relationships],
        purpose="우호·기관고객 목록 내보내기",
        fmt=fmt,
    )
    if fmt == "xlsx":
        return xlsx_bytes(_("우호·기관고객"), [HEADERS, *_export_rows(relationships)])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(_export_rows(relationships))
    return buffer.getvalue().encode("utf-8-sig")
