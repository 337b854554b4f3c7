"""The consent texts (개인정보 수집·이용 동의서) and their versions.

Each text states the four statutory items: purpose, items collected, retention period,
and the right to refuse with its consequence. Changing a text means a new version; the
version a citizen agreed to is stored with the decision.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    required: bool
    title: str
    use: str
    items: str
    retention: str
    refusal: str

    def __hash__(self):
        # a text is known by its purpose and version; hashing the (translated) wording
        # too would translate all of it whenever a text keys a dict, as each filing does
        return hash((self.purpose, self.version))


COMPLAINT_PROCESSING = ConsentText(
    purpose="complaint_processing",
    version="2026.1",
    required=True,
    title=_("민원 처리를 위한 개인정보 수집·이용 (필수)"),
    use=_("민원 접수·처리, 처리 결과와 진행 상황 안내"),
    items=_("이름, 휴대전화번호 또는 이메일, 주소(시·군·구, 행정동), 민원 내용"),
    retention=_("민원 종결 후 3년"),
    refusal=_(
        "동의를 거부할 수 있으나, 거부하면 민원을 접수·처리하고 결과를 알려드릴 수 없습니다."
    ),
)
SATISFACTION_SURVEY = ConsentText(
    purpose="satisfaction_survey",
    version="2026.1",
    required=False,
    title=_("만족도 조사와 해피콜을 위한 개인정보 이용 (선택)"),
    use=_("민원 처리 만족도 조사, 해피콜(처리 후 확인 전화)"),
    items=_("이름, 휴대전화번호 또는 이메일"),
    retention=_("조사 종료 후 1년"),
    refusal=_("동의하지 않아도 민원 신청과 처리에는 아무런 영향이 없습니다."),
)
E_LETTER = ConsentText(
    purpose="e_letter",
    version="2026.1",
    required=False,
    title=_("전자서한 수신을 위한 개인정보 이용 (선택)"),
    use=_("기관 소식과 질의응답집 등 전자서한 발송"),
    items=_("이름, 이메일"),
    retention=_("수신 거부 또는 동의 철회 시까지"),
    refusal=_("동의하지 않아도 민원 신청과 처리에는 아무런 영향이 없습니다."),
)

TEXTS = {text.purpose: text for text in (COMPLAINT_PROCESSING, SATISFACTION_SURVEY, E_LETTER)}
OPTIONAL = [text for text in TEXTS.values() if not text.required]
