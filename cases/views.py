"""The case desk: triage inbox, agency queue, all cases, one case, its actions and the CSV export.

Views stay thin. They load only what the viewer may see (`get_case_for_user`, `visible_cases`, both built on
`Case.objects.visible_to`), check the shape of the input with `cases.forms`, and call `cases.services`,
which alone change state and decide what is allowed.

Outcomes of an action, the same for every action URL:
- not logged in: redirect to the login page; no role in the program or the wrong role: 403; a case the
  viewer may not see: 404; anything but POST: 405.
- refused by the service (`TransitionError`) or invalid input: without htmx, redirect back with the message;
  with htmx, status 200 and the same row re-rendered with the message in it. A refusal is an ordinary
  answer for the person triaging, not a transport error, and htmx 2 swaps only 2xx responses by default.
- done: without htmx, redirect back with a message; with htmx, the row is replaced by a one-line receipt
  (inbox) or by its updated self (agency queue).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases import services
from cases.filters import CaseFilter
from cases.forms import (
    DelegateForm,
    MergeForm,
    NoteForm,
    RejectForm,
    ReplyForm,
    TransferForm,
    TriageForm,
    error_text,
)
from cases.models import AuditEvent, Case, Kind, RejectReason, Reply, ReplyStatus, Status, Urgency
from cases.services import ADMIN_ACTIONS, AGENCY_ACTIONS, ALLOWED_FROM
from cases.templatetags.case_tags import select_options
from programs.access import current_program, membership_for
from programs.models import Agency, Membership, Program, Region, RegionLevel, Role, Sector
from sources.models import Platform, Post, PostRole

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 25  # a phone screen's worth of work; also keeps the page small and fast on slow connections

# Which actions to offer in which status: the services' own table, so a button is shown exactly when the
# service would accept the action (tests/cases/test_offers.py checks it against the services too).
ADMIN_OFFERS: dict[str, tuple[str, ...]] = {name: ALLOWED_FROM[name] for name in ADMIN_ACTIONS}
AGENCY_OFFERS: dict[str, tuple[str, ...]] = {name: ALLOWED_FROM[name] for name in AGENCY_ACTIONS}

ACTION_LABELS = {
    "open": gettext_lazy("Case opened"),
    "follow_up": gettext_lazy("Citizen follow-up"),
    "triage": gettext_lazy("Triaged"),
    "delegate": gettext_lazy("Delegated"),
    "reject": gettext_lazy("Rejected"),
    "merge": gettext_lazy("Merged into another case"),
    "merge_in": gettext_lazy("Another case merged into this one"),
    "close": gettext_lazy("Closed"),
    "acknowledge": gettext_lazy("Acknowledged"),
    "request_transfer": gettext_lazy("Transfer requested"),
    "reply_queued": gettext_lazy("Reply queued"),
    "reply_sent": gettext_lazy("Reply published"),
    "reply_retry": gettext_lazy("Reply attempt failed, will retry"),
    "reply_failed": gettext_lazy("Reply failed"),
    "reply_requeued": gettext_lazy("Reply put back in the outbox"),
    "resolve": gettext_lazy("Resolved"),
}

# The row templates read these relations; loading them with the case keeps every list at a fixed query count.
CASE_RELATIONS = ("sector", "region", "agency", "suggested_sector", "suggested_agency", "suggested_region")


class StaffRequest(HttpRequest):
    """A request from a logged-in member of the program, as `staff_view` hands it to the view."""

    user: User
    program: Program
    membership: Membership


StaffView = Callable[..., HttpResponseBase]


def _program(request: HttpRequest) -> Program:
    program: Program | None = getattr(request, "program", None)
    if program is None:
        program = current_program(request)
        request.program = program  # type: ignore[attr-defined]
    return program


def staff_view(*roles: str) -> Callable[[StaffView], StaffView]:
    """Let in logged-in members of the program with one of `roles` (any role when none is given).

    Anonymous visitors go to the login page; accounts without a role get the "no role" page (403).
    """

    def decorate(view: StaffView) -> StaffView:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return _to_login(request)
            program = _program(request)
            membership = membership_for(request.user, program)
            if membership is None:
                return render(request, "no_membership.html", status=403)
            if roles and membership.role not in roles:
                raise PermissionDenied
            staff_request = cast(StaffRequest, request)
            staff_request.program, staff_request.membership = program, membership
            return view(staff_request, *args, **kwargs)

        return wrapper

    return decorate


def _to_login(request: HttpRequest) -> HttpResponseBase:
    """Send an anonymous visitor to the login page, and back here afterwards.

    For an htmx action (a session that expired while the page stayed open) the whole page goes to the login
    page, back to the page the user was on; otherwise htmx would swap the login form into a single row.
    """
    if request.headers.get("HX-Request") == "true":
        current = request.headers.get("HX-Current-URL", "")
        back = ""
        if url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(current)
            back = parts.path + (f"?{parts.query}" if parts.query else "")
        response = HttpResponse(status=200)
        response["HX-Redirect"] = redirect_to_login(back or reverse("home")).url
        return response
    return redirect_to_login(request.get_full_path())


def visible_cases(request: HttpRequest) -> QuerySet[Case]:
    return Case.objects.visible_to(request.user, _program(request))


def get_case_for_user(request: HttpRequest, tracking_code: str) -> Case:
    """Return the case if the viewer may see it; otherwise 404, so another agency's case looks absent."""
    case = (
        visible_cases(request)
        .select_related(*CASE_RELATIONS, "merged_into")
        .filter(tracking_code=tracking_code)
        .first()
    )
    if case is None:
        raise Http404(_("No such case."))
    return case


def _require_admin(request: StaffRequest) -> None:
    if request.membership.role != Role.ADMIN:
        raise PermissionDenied


def _require_agency_staff(request: StaffRequest) -> None:
    # The case was loaded through visible_to, so agency staff reaching here belong to the case's agency.
    if not request.membership.is_agency_staff:
        raise PermissionDenied


def _active_agencies(program: Program) -> QuerySet[Agency]:
    return Agency.objects.filter(program=program, is_active=True).order_by("short_name")


def _agency_choices(program: Program) -> list[tuple[str, str]]:
    """(code, short name) of the active agencies: the "delegate to" and agency filter options."""
    return list(_active_agencies(program).values_list("code", "short_name"))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


#
# Lists
#


def _with_follow_up_counts(cases: list[Case]) -> list[Case]:
    """Set `follow_up_count` on the shown cases with one grouped query.

    Counted for the page only: an annotation on the list query made the database join and group every case
    of the list (thousands) before taking the page of 50.
    """
    counts = dict(
        Post.objects.filter(case__in=[c.pk for c in cases], role=PostRole.FOLLOW_UP)
        .values_list("case")
        .annotate(n=Count("pk"))
        .values_list("case", "n")
    )
    for case in cases:
        case.follow_up_count = counts.get(case.pk, 0)  # type: ignore[attr-defined]
    return cases


LIST_ORDER = ("-urgency", "-opened_at", "-pk")  # most urgent first, then newest


def _listed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything a list row shows, in the same few queries however many rows there are."""
    return (
        cases.select_related(*CASE_RELATIONS)
        .prefetch_related(
            Prefetch(
                "posts",
                # Not the raw payload: decoding the JSON evidence of every shown post cost more than the rest.
                queryset=Post.objects.filter(role=PostRole.REPORT).defer("raw").order_by("posted_at", "pk"),
                to_attr="report_posts",
            ),
            Prefetch(
                "events",
                queryset=AuditEvent.objects.filter(action="request_transfer")
                .select_related("actor")
                .order_by("-created_at", "-pk"),
                to_attr="transfer_requests",
            ),
        )
        .order_by(*LIST_ORDER)
    )


def _page_of_cases(ids: list[int]) -> list[Case]:
    """The cases of one page, with what their rows show, in the order of `ids`.

    A list is paged over ids first and loaded second: ordering the whole list with every joined column made
    SQLite sort thousands of wide rows to keep 25 (35 ms of the inbox's 40 ms of SQL at 100,000 cases); the
    ids alone come sorted from the inbox index.
    """
    by_id = {case.pk: case for case in _listed(Case.objects.filter(pk__in=ids))}
    return _with_follow_up_counts([by_id[pk] for pk in ids if pk in by_id])


@dataclass(frozen=True)
class CaseList:
    template: str
    statuses: tuple[str, ...]  # what this list can show at all; also the status filter's choices
    default_statuses: tuple[str, ...]  # shown until the viewer picks statuses
    agency_filter: bool = True


ALL_STATUSES = tuple(Status.values)
QUEUE_STATUSES = (
    Status.DELEGATED,
    Status.ACKNOWLEDGED,
    Status.ANSWERED,
    Status.TRANSFER_REQUESTED,
    Status.RESOLVED,
    Status.CLOSED,
)
INBOX = CaseList("cases/inbox.html", ALL_STATUSES, (Status.NEW, Status.TRIAGED, Status.TRANSFER_REQUESTED))
QUEUE = CaseList("cases/queue.html", QUEUE_STATUSES, QUEUE_STATUSES[:4], agency_filter=False)
EVERYTHING = CaseList("cases/all.html", ALL_STATUSES, ())
FILTER_FIELDS = ("sector", "region", "agency", "platform", "kind", "date_from", "date_to", "q")


def _render_list(request: StaffRequest, spec: CaseList) -> HttpResponse:
    data = request.GET.copy()
    data.pop("page", None)
    if not spec.agency_filter:
        data.pop("agency", None)
    chosen = [status for status in data.getlist("status") if status in spec.statuses]
    data.setlist("status", chosen or list(spec.default_statuses))
    # The statuses are applied here, once, as one IN: a second status condition from the filter set made
    # SQLite walk the index for every status of the list instead of the shown ones (40 ms at 100k cases).
    statuses = data.getlist("status") or list(spec.statuses)
    cases = visible_cases(request).filter(status__in=statuses).order_by(*LIST_ORDER)
    other_filters = data.copy()
    other_filters.pop("status", None)
    filterset = CaseFilter(other_filters, queryset=cases, request=request)
    page = Paginator(filterset.qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _page_of_cases(list(page.object_list))
    program = request.program
    agency_choices = _agency_choices(program)
    current = {name: data.get(name, "") for name in FILTER_FIELDS}
    context = {
        "page": page,
        "filterset": filterset,
        "current": current,
        "filters_open": any(current.values()) or bool(chosen),
        "status_options": [
            (status, Status(status).label, status in data.getlist("status")) for status in spec.statuses
        ],
        "show_agency_filter": spec.agency_filter,
        "sector_choices": Sector.objects.filter(program=program).order_by("name").values_list("code", "name"),
        "kabkota_choices": Region.objects.filter(program=program, level=RegionLevel.KABKOTA)
        .order_by("name")
        .values_list("code", "name"),
        "agency_choices": agency_choices,
        "agency_options": select_options(agency_choices),  # each inbox row's "delegate to" list
        "platforms": Platform.choices,
        "kinds": Kind.choices,
        "export_query": data.urlencode(),
        "return_to": request.get_full_path(),
        "offer": ADMIN_OFFERS,
        "agency_offer": AGENCY_OFFERS,
        "reject_options": select_options(RejectReason.choices),
        "action_fragments": {},  # {% inbox_actions %} renders each status's forms once per page
    }
    return render(request, spec.template, context)


@require_GET
@staff_view(Role.ADMIN)
def inbox(request: StaffRequest) -> HttpResponse:
    return _render_list(request, INBOX)


@require_GET
@staff_view(Role.OPERATOR, Role.SUPERVISOR)
def queue(request: StaffRequest) -> HttpResponse:
    return _render_list(request, QUEUE)


@require_GET
@staff_view(Role.ADMIN, Role.ANALYST)
def all_cases(request: StaffRequest) -> HttpResponse:
    return _render_list(request, EVERYTHING)


#
# One case
#


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str


def _status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code


def _timeline(case: Case) -> list[TimelineEntry]:
    entries = []
    for event in case.events.select_related("actor").order_by("created_at", "pk"):
        if event.actor is not None:
            actor = event.actor.get_username()
        elif event.actor_label in ("", services.SYSTEM):
            actor = _("system")
        else:
            actor = event.actor_label
        entries.append(
            TimelineEntry(
                at=event.created_at,
                actor=actor,
                action=str(ACTION_LABELS.get(event.action, event.action)),
                from_status=_status_label(event.from_status),
                to_status=_status_label(event.to_status),
                reason=event.reason,
            )
        )
    return entries


def _replies_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    replies = list(case.replies.select_related("author").order_by("created_at", "pk"))
    return {
        "case": case,
        "replies": replies,
        "replies_pending": any(r.status in (ReplyStatus.QUEUED, ReplyStatus.SENDING) for r in replies),
        "can_retry": request.membership.is_agency_staff,
    }


def _offers(request: StaffRequest, case: Case) -> set[str]:
    if request.membership.role == Role.ADMIN:
        offers = ADMIN_OFFERS
    elif request.membership.is_agency_staff:
        offers = AGENCY_OFFERS
    else:
        return set()
    return {action for action, statuses in offers.items() if case.status in statuses}


@require_GET
@staff_view()
def detail(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    posts = list(case.posts.order_by("posted_at", "pk"))
    reports = [post for post in posts if post.role == PostRole.REPORT]
    offers = _offers(request, case)
    context: dict[str, Any] = {
        **_replies_context(request, case),
        "reports": reports,
        "follow_ups": [post for post in posts if post.role == PostRole.FOLLOW_UP],
        "agency_posts": [post for post in posts if post.role == PostRole.AGENCY_REPLY],
        "region_evidence": reports[0].region_evidence if reports else "",
        "timeline": _timeline(case),
        "offers": offers,
        "reply_limit": services.REPLY_LIMITS.get(case.platform),
        "return_to": request.get_full_path(),
    }
    program = request.program
    if "triage" in offers:
        context["sectors"] = Sector.objects.filter(program=program).order_by("name")
        # Kab/kota and kecamatan only: the 8,500 desa would make the select unusable. A desa already
        # chosen by the reader stays selectable.
        context["regions"] = Region.objects.filter(program=program).filter(
            Q(level__in=[RegionLevel.KABKOTA, RegionLevel.KECAMATAN]) | Q(pk=case.region_id)
        )
        context["kinds"] = Kind.choices
    if "delegate" in offers:
        context["agencies"] = _active_agencies(program)
    if "reject" in offers:
        context["reject_reasons"] = RejectReason.choices
    return render(request, "cases/detail.html", context)


@require_GET
@staff_view()
def replies(request: StaffRequest, tracking_code: str) -> HttpResponse:
    """The replies block alone, polled by the detail page while a reply is on its way."""
    case = get_case_for_user(request, tracking_code)
    return render(request, "cases/_replies.html", _replies_context(request, case))


#
# Actions
#


def _return_to(request: HttpRequest, case: Case) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("cases:detail", args=[case.tracking_code])


def _render_row(request: StaffRequest, case: Case, *, error: str = "", notice: str = "") -> HttpResponse:
    """The list row the htmx action came from, as it is now, with the outcome in it."""
    fresh = _listed(visible_cases(request)).filter(pk=case.pk).first()
    if fresh is None:  # no longer the viewer's to see
        return render(request, "cases/_done_row.html", {"case": case, "message": error or notice})
    _with_follow_up_counts([fresh])
    surface = request.POST.get("surface")
    context = {
        "case": fresh,
        "error": error,
        "notice": notice,
        "return_to": _return_to(request, case),
        "offer": ADMIN_OFFERS,
        "agency_offer": AGENCY_OFFERS,
        "reject_options": select_options(RejectReason.choices),
    }
    if surface == "queue":
        return render(request, "cases/_queue_row.html", context)
    context["agency_options"] = select_options(_agency_choices(request.program))
    return render(request, "cases/_inbox_row.html", context)


def _perform(request: StaffRequest, case: Case, form: forms.Form | None, act: Callable[[], str]) -> HttpResponse:
    """Validate, run one service call, and answer in the convention described at the top of this module."""
    try:
        if form is not None and not form.is_valid():
            raise services.TransitionError(error_text(form))
        message = act()
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except services.TransitionError as exc:
        if _is_htmx(request):
            return _render_row(request, case, error=str(exc))
        messages.error(request, str(exc))
        return redirect(_return_to(request, case))
    if _is_htmx(request):
        if request.POST.get("surface") == "queue":
            return _render_row(request, case, notice=message)
        return render(request, "cases/_done_row.html", {"case": case, "message": message})
    messages.success(request, message)
    return redirect(_return_to(request, case))


@require_POST
@staff_view()
def triage(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_admin(request)
    form = TriageForm(request.POST, program=request.program)

    def act() -> str:
        data = form.cleaned_data
        services.triage_case(
            case, request.user, sector=data["sector"], region=data["region"], kind=data["kind"] or None
        )
        return _("%(code)s triaged.") % {"code": case.tracking_code}

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def delegate(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_admin(request)
    form = DelegateForm(request.POST, program=request.program)

    def act() -> str:
        agency = form.cleaned_data["agency"]
        services.delegate_case(case, request.user, agency=agency, note=form.cleaned_data["note"])
        return _("%(code)s delegated to %(agency)s.") % {
            "code": case.tracking_code,
            "agency": agency.short_name,
        }

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def reject(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_admin(request)
    form = RejectForm(request.POST)

    def act() -> str:
        reason = form.cleaned_data["reason"]
        services.reject_case(case, request.user, reason=reason, note=form.cleaned_data["note"])
        return _("%(code)s rejected: %(reason)s.") % {
            "code": case.tracking_code,
            "reason": RejectReason(reason).label,
        }

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def merge(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_admin(request)
    form = MergeForm(request.POST, visible_cases=visible_cases(request))

    def act() -> str:
        into: Case = form.cleaned_data["into"]
        services.merge_case(case, request.user, into=into, note=form.cleaned_data["note"])
        return _("%(code)s merged into %(into)s.") % {"code": case.tracking_code, "into": into.tracking_code}

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def close(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_admin(request)
    form = NoteForm(request.POST)

    def act() -> str:
        services.close_case(case, request.user, note=form.cleaned_data["note"])
        return _("%(code)s closed.") % {"code": case.tracking_code}

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def acknowledge(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_agency_staff(request)

    def act() -> str:
        services.acknowledge_case(case, request.user)
        return _("%(code)s acknowledged.") % {"code": case.tracking_code}

    return _perform(request, case, None, act)


@require_POST
@staff_view()
def reply(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_agency_staff(request)
    form = ReplyForm(request.POST)

    def act() -> str:
        services.queue_reply(case, request.user, text=form.cleaned_data["text"])
        return _("Reply queued; it will be published from the agency's account.")

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def transfer(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_agency_staff(request)
    form = TransferForm(request.POST)

    def act() -> str:
        services.request_transfer(case, request.user, reason=form.cleaned_data["reason"])
        return _("%(code)s sent back to the Kemala admin for transfer.") % {"code": case.tracking_code}

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def resolve(request: StaffRequest, tracking_code: str) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_agency_staff(request)
    form = NoteForm(request.POST)

    def act() -> str:
        services.resolve_case(case, request.user, note=form.cleaned_data["note"])
        return _("%(code)s resolved.") % {"code": case.tracking_code}

    return _perform(request, case, form, act)


@require_POST
@staff_view()
def retry_reply(request: StaffRequest, tracking_code: str, reply_id: int) -> HttpResponse:
    case = get_case_for_user(request, tracking_code)
    _require_agency_staff(request)
    failed = get_object_or_404(Reply, pk=reply_id, case=case)

    def act() -> str:
        services.retry_failed_reply(failed, request.user)
        return _("The reply is back in the outbox.")

    return _perform(request, case, None, act)


#
# Export
#


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


# Column names are a contract for spreadsheets and scripts, so they stay in English whatever the language.
EXPORT_COLUMNS = [
    "tracking_code",
    "opened_at",
    "status",
    "kind",
    "urgency",
    "platform",
    "sector",
    "region_code",
    "region",
    "agency",
    "support",
    "follow_ups",
    "first_reply_at",
    "resolved_at",
    "text",
]
# The same words as the triage contract (`kemala classify`), not the translated labels.
URGENCY_CODES = {Urgency.NORMAL: "normal", Urgency.HIGH: "high", Urgency.EMERGENCY: "emergency"}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _local_iso(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


@require_GET
@staff_view()
def export(request: StaffRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, scoped like the pages and with personal data masked in citizen text."""
    # Imported here: triage is a separate pure library, and only the export needs it in this module.
    from triage import mask_pii

    cases = visible_cases(request)
    if request.membership.is_agency_staff:
        cases = cases.filter(status__in=QUEUE_STATUSES)
    listed = (
        cases.select_related("sector", "region", "agency")
        .annotate(follow_up_count=Count("posts", filter=Q(posts__role=PostRole.FOLLOW_UP)))
        .order_by(*LIST_ORDER)
    )
    filterset = CaseFilter(request.GET, queryset=listed, request=request)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark
        yield writer.writerow(EXPORT_COLUMNS)
        for case in filterset.qs.iterator(chunk_size=500):
            row = [
                case.tracking_code,
                _local_iso(case.opened_at),
                case.status,
                case.kind,
                URGENCY_CODES.get(case.urgency, ""),
                case.platform,
                case.sector.code if case.sector else "",
                case.region.code if case.region else "",
                case.region.name if case.region else "",
                case.agency.code if case.agency else "",
                case.support_count,
                case.follow_up_count,
                _local_iso(case.first_reply_at),
                _local_iso(case.resolved_at),
                mask_pii(case.summary),
            ]
            yield writer.writerow([_csv_cell(value) for value in row])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kemala-cases-{stamp}.csv"'
    return response
