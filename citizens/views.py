from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from citizens import selectors, services
from citizens.access import can_merge, can_see_flags
from citizens.forms import (
    CitizenCreateForm,
    CitizenForm,
    FlagForm,
    ImportForm,
    RelationshipForm,
    RevealForm,
    ReviewForm,
)
from citizens.models import Citizen, Relationship, VulnerabilityFlag
from citizens.relationship_io import relationships_export, relationships_import
from citizens.segments import visible_dimensions
from pcrm.lib import querystring
from pcrm.lib.spreadsheet import XLSX, download
from pcrm.org.access import SERVING_ROLES, get_for_user, staff_required


@staff_required(*SERVING_ROLES)
def citizen_list(request):
    q = request.GET.get("q", "")
    sigungu = request.GET.get("sigungu", "")
    rows, applied = selectors.citizen_list(request.user, q=q, sigungu=sigungu, params=request.GET)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    sees_flags = can_see_flags(request.staff)
    return render(
        request,
        "citizens/citizen_list.html",
        {
            "page": page,
            "q": q,
            "sigungu": sigungu,
            "districts": selectors.districts(request.user),
            "dimensions": visible_dimensions(sees_flags=sees_flags),
            "applied": applied,
            "params": request.GET,
            "sees_flags": sees_flags,
            "query": querystring.without(request, "page"),
        },
    )


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def citizen_create(request):
    form = CitizenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen = services.citizen_create(
            staff=request.staff,
            data=form.profile_data(),
            consents=form.consents(),
            source=form.cleaned_data["consent_source"],
        )
        messages.success(request, _("고객을 등록했습니다."))
        return redirect("citizen-detail", pk=citizen.pk)
    return render(request, "citizens/citizen_form.html", {"form": form, "creating": True})


def _detail_context(request, citizen, **extra):
    sees_flags = can_see_flags(request.staff)
    contacts = Paginator(selectors.timeline(request.user, citizen), 20).get_page(
        request.GET.get("page")
    )
    return {
        "citizen": citizen,
        "sees_flags": sees_flags,
        "flags": selectors.flags_for(request.user, citizen) if sees_flags else [],
        "flag_form": FlagForm() if sees_flags else None,
        "consents": selectors.current_consents(citizen),
        "contacts": contacts,
        "relationship": getattr(citizen, "relationship", None),
        "reveal_form": RevealForm(),
        **extra,
    }


@staff_required(*SERVING_ROLES)
def citizen_detail(request, pk):
    citizen = get_for_user(
        request.user,
        Citizen,
        pk=pk,
        queryset=Citizen.objects.select_related("relationship__owner"),
    )
    services.citizen_viewed(staff=request.staff, citizen=citizen)
    return render(request, "citizens/citizen_detail.html", _detail_context(request, citizen))


@staff_required(*SERVING_ROLES)
@require_POST
def citizen_reveal(request, pk):
    citizen = get_for_user(request.user, Citizen, pk=pk)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        revealed = services.citizen_reveal(
            staff=request.staff, citizen=citizen, purpose=form.cleaned_data["purpose"]
        )
    return render(
        request,
        "citizens/citizen_detail.html",
        _detail_context(request, citizen, revealed=revealed, reveal_form=form),
    )


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def citizen_edit(request, pk):
    citizen = get_for_user(request.user, Citizen, pk=pk, for_change=True)
    form = CitizenForm(request.POST or None, instance=citizen)
    if request.method == "POST" and form.is_valid():
        citizen.refresh_from_db()  # the form wrote into the instance; the service compares
        changed = services.citizen_update(
            staff=request.staff, citizen=citizen, data=form.profile_data()
        )
        if changed:
            messages.success(request, _("고객 정보를 고쳤습니다."))
        else:
            messages.info(request, _("바뀐 내용이 없습니다."))
        return redirect("citizen-detail", pk=citizen.pk)
    if request.method == "GET":
        services.citizen_viewed(staff=request.staff, citizen=citizen, purpose="고객 정보 수정 화면")
    return render(request, "citizens/citizen_form.html", {"form": form, "citizen": citizen})


@staff_required(*SERVING_ROLES)
@require_POST
def flag_create(request, pk):
    citizen = get_for_user(request.user, Citizen, pk=pk, for_change=True)
    if not can_see_flags(request.staff):
        raise PermissionDenied
    form = FlagForm(request.POST)
    if form.is_valid():
        services.flag_set(staff=request.staff, citizen=citizen, **form.cleaned_data)
        messages.success(request, _("취약고객으로 지정했습니다."))
        return redirect("citizen-detail", pk=citizen.pk)
    return render(
        request, "citizens/citizen_detail.html", _detail_context(request, citizen, flag_form=form)
    )


def _flag_to_change(request, pk) -> VulnerabilityFlag:
    return get_for_user(
        request.user,
        VulnerabilityFlag,
        pk=pk,
        for_change=True,
        queryset=VulnerabilityFlag.objects.select_related("citizen"),
    )


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def flag_clear(request, pk):
    flag = _flag_to_change(request, pk)
    if request.method == "POST":
        services.flag_clear(staff=request.staff, flag=flag)
        messages.success(request, _("취약고객 지정을 해제했습니다."))
        return redirect("citizen-detail", pk=flag.citizen_id)
    return render(request, "citizens/flag_clear_confirm.html", {"flag": flag})


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def flag_review(request, pk):
    flag = _flag_to_change(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_reviewed(
            staff=request.staff, flag=flag, next_review_on=form.cleaned_data["next_review_on"]
        )
        messages.success(request, _("재검토를 마쳤습니다."))
        return redirect("citizen-reviews")
    return render(request, "citizens/flag_review.html", {"flag": flag, "form": form})


@staff_required(*SERVING_ROLES)
def reviews_due(request):
    page = Paginator(selectors.reviews_due(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request, "citizens/reviews_due.html", {"page": page, "today": timezone.localdate()}
    )


@staff_required(*SERVING_ROLES)
def segment_overview(request):
    dimensions, total = selectors.segment_overview(request.user)
    return render(
        request,
        "citizens/segments.html",
        {
            "dimensions": dimensions,
            "total": total,
            "districts": selectors.district_counts(request.user),
        },
    )


@staff_required("team_leader", "cs_admin")
def duplicates(request):
    return render(
        request, "citizens/duplicates.html", {"groups": selectors.duplicate_groups(request.user)}
    )


@staff_required("team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def merge(request):
    source = request.POST if request.method == "POST" else request.GET
    survivor = get_for_user(request.user, Citizen, pk=source.get("survivor") or 0)
    duplicate = get_for_user(request.user, Citizen, pk=source.get("duplicate") or 0)
    if survivor.pk == duplicate.pk:
        messages.error(request, _("같은 고객끼리는 병합할 수 없습니다."))
        return redirect("citizen-duplicates")
    if request.method == "POST" and can_merge(request.staff):
        services.citizens_merge(staff=request.staff, survivor=survivor, duplicate=duplicate)
        messages.success(request, _("두 고객 정보를 하나로 합쳤습니다."))
        return redirect("citizen-detail", pk=survivor.pk)
    return render(
        request, "citizens/merge_confirm.html", {"survivor": survivor, "duplicate": duplicate}
    )


@staff_required(*SERVING_ROLES)
def relationship_list(request):
    category = request.GET.get("category", "")
    if category not in Relationship.Category.values:
        category = ""
    q = request.GET.get("q", "")
    rows = selectors.relationship_list(request.user, category=category, q=q)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "citizens/relationship_list.html",
        {
            "page": page,
            "category": category,
            "q": q.strip()[:50],
            "categories": Relationship.Category.choices,
            "query": querystring.without(request, "page"),
        },
    )


@staff_required(*SERVING_ROLES)
def relationship_export(request, fmt):
    category = request.GET.get("category", "")
    if category not in Relationship.Category.values:
        category = ""
    rows = selectors.relationship_list(request.user, category=category)
    content = relationships_export(staff=request.staff, relationships=rows, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content_type = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return download(content, f"relationships-{stamp}.{fmt}", content_type)


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def relationship_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = relationships_import(staff=request.staff, upload=form.cleaned_data["file"])
        if report.ok:
            messages.success(
                request,
                _("%(created)d명을 새로 등록하고 %(updated)d명을 갱신했습니다.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("relationship-list")
    return render(request, "citizens/relationship_import.html", {"form": form, "report": report})


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def relationship_edit(request, pk):
    citizen = get_for_user(request.user, Citizen, pk=pk, for_change=True)
    instance = Relationship.objects.filter(citizen=citizen).first()
    form = RelationshipForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.relationship_save(staff=request.staff, citizen=citizen, **form.cleaned_data)
        messages.success(request, _("우호·기관고객 정보를 저장했습니다."))
        return redirect("citizen-detail", pk=citizen.pk)
    return render(request, "citizens/relationship_form.html", {"form": form, "citizen": citizen})
