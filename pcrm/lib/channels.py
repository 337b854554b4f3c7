"""How a complaint, a message or an answer travels, and what people call it: one name
for each way, whichever list shows it (a complaint's channel, a citizen's preferred
channel, a survey's, a message's)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "web": _("인터넷"),
    "phone": _("전화"),
    "visit": _("방문"),
    "letter": _("서면"),
    "sms": _("문자"),
    "email": _("이메일"),
    "open311": _("외부 연계"),
}
