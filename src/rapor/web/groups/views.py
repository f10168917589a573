"""Comparison groups: the list with the form that saves one, a group against a region or school,
and deleting one. Dinas accounts only (a school account gets a 404), and a group only for its
owner (anyone else gets a 404, as for an entity outside their scope)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from rapor.web import release_data
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard.filters import jenjang_choices, parse_selection
from rapor.web.dashboard.search import find_places, regions_in_scope
from rapor.web.groups import comparison
from rapor.web.groups.forms import ComparisonGroupForm, member_codes, members_in_scope
from rapor.web.groups.models import MAX_MEMBERS, ComparisonGroup
from rapor.web.query import single_param
from rapor.web.release_data import NATIONAL_CODE


def _dinas_only(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user)
    if scope.home_region is None:
        raise Http404
    return scope


# The form's Cari button (`aksi=cari`): show the regions and schools that match `cari`, and
# bring the form back as it was, with the ticked ones among its members; nothing is saved.
SEARCH = "cari"


def _saves_only(group: str, request: HttpRequest) -> str | None:
    """The rate limit of saving a group; a search saves nothing and does not count."""
    if request.POST.get("aksi") == SEARCH:
        return None
    return settings.RAPOR_FORM_RATE


@login_required
@ratelimit(key="user", rate=_saves_only, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    scope = _dinas_only(request)
    data = release_data.current()
    posted = _with_ticked_members(request.POST) if request.method == "POST" else None
    search = None
    if posted is not None and posted.get("aksi") == SEARCH:
        form = ComparisonGroupForm(initial=posted.dict(), owner=request.user, data=data)
        search = find_places(data, scope, posted.get("cari", ""))
    else:
        form = ComparisonGroupForm(posted, owner=request.user, data=data)
        if form.is_valid():
            return redirect("groups:detail", pk=form.save().pk)
    groups = [
        (group, members_text(len(group.member_codes)))
        for group in ComparisonGroup.objects.filter(owner=request.user)
    ]
    context = {"form": form, "groups": groups, "search": search, "ticked": {}}
    return render(request, "groups/list.html", context)


@login_required
def member_search(request: HttpRequest) -> HttpResponse:
    """The matches of `cari` as the form shows them, for htmx while the user types; the codes
    ticked in earlier results (`tambah`) stay ticked above them."""
    scope = _dinas_only(request)
    data = release_data.current()
    ticked = members_in_scope(data, scope, request.GET.getlist("tambah")[:MAX_MEMBERS])
    search = find_places(data, scope, single_param(request.GET, "cari"))
    context = {"search": search, "ticked": ticked}
    return render(request, "groups/_member_search.html", context)


def _with_ticked_members(posted: QueryDict) -> QueryDict:
    """The posted form with the codes ticked in search results (`tambah`) among its members."""
    form_data = posted.copy()
    codes = member_codes(
        form_data.get("members", "") + "\n" + "\n".join(form_data.getlist("tambah"))
    )
    form_data["members"] = "\n".join(codes)
    form_data.pop("tambah", None)
    return form_data


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _dinas_only(request)
    group = get_object_or_404(ComparisonGroup, pk=pk, owner=request.user)
    data = release_data.current()
    selection = parse_selection(request.GET, data.years)
    jenjang, year = selection.filter.jenjang, selection.year
    # The account's scope may have shrunk since the group was saved: show only what it may see.
    allowed = members_in_scope(data, scope, group.member_codes)
    typed = single_param(request.GET, "subjek").strip()
    try:
        subject, subject_error = _subject(data, scope, group, typed, jenjang), None
    except ValidationError as error:
        subject, subject_error = None, error.message
    context = {
        "group": group,
        "selection": selection,
        "years": data.years,
        "jenjang_choices": jenjang_choices(),
        "subject": subject,
        "typed_subject": typed,
        "subject_error": subject_error,
        "subject_choices": _subject_choices(data, scope, allowed),
        "holds_every_member": subject is not None
        and comparison.holds_every_member(data, subject, list(allowed)),
        "members": list(allowed.values()),
        "members_text": members_text(len(allowed)),
        "rows": comparison.compare(data, group, list(allowed), subject, jenjang, year),
    }
    return render(request, "groups/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (a group is gone for good), then deletes on the answer's POST."""
    _dinas_only(request)
    group = get_object_or_404(ComparisonGroup, pk=pk, owner=request.user)
    if request.method == "POST":
        group.delete()
        return redirect("groups:list")
    size = members_text(len(group.member_codes))
    return render(request, "groups/delete.html", {"group": group, "size": size})


def _subject_choices(data, scope: Scope, members: dict[str, str]) -> list[tuple[str, str]]:
    """Suggested while typing the subject, by code with a name: the account's regions, then
    the group's schools (a kab/kota compares one of its schools with the others)."""
    regions = [(region.code, region.name) for region in regions_in_scope(data, scope)]
    schools = [(code, name) for code, name in members.items() if data.region(code) is None]
    return regions + schools


def members_text(count: int) -> str:
    """ "N anggota" in the reader's language."""
    return ngettext("%(n)s anggota", "%(n)s anggota", count) % {"n": count}


def _subject(data, scope: Scope, group, code: str, jenjang: str) -> comparison.Subject | None:
    """The region or school the `subjek` code names (none: the group's values alone). A code
    that is unknown or outside the account's scope is a field error, the same for both so that
    it tells nothing of what lies outside. Not the nation, which holds every group: nothing
    would be left to compare with."""
    if not code:
        return None
    if code != NATIONAL_CODE and data.region(code) is not None and scope.allows_region(code):
        return comparison.region_subject(data, code, jenjang, group)
    school = data.school(code)
    if school is not None and scope.allows_school(code, school["kabkota_code"]):
        return comparison.school_subject(data, school, jenjang)
    message = _(
        "Tidak ada wilayah atau satuan pendidikan dengan kode %(code)s yang dapat Anda bandingkan."
    )
    raise ValidationError(message % {"code": code})
