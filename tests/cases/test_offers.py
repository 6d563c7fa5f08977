"""The buttons the pages offer (cases.views.*_OFFERS) agree with what the services accept, status by status."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser

from cases import services
from cases.models import Case, Status
from cases.views import ADMIN_OFFERS, AGENCY_OFFERS
from programs.models import Agency

CALLS: dict[str, Callable[[Case, AbstractBaseUser, AbstractBaseUser, Agency, Case], object]] = {
    "triage": lambda case, admin, operator, other_agency, other: services.triage_case(
        case, admin, sector=None, region=None
    ),
    "delegate": lambda case, admin, operator, other_agency, other: services.delegate_case(
        case, admin, agency=other_agency
    ),
    "reject": lambda case, admin, operator, other_agency, other: services.reject_case(case, admin, reason="spam"),
    "merge": lambda case, admin, operator, other_agency, other: services.merge_case(case, admin, into=other),
    "close": lambda case, admin, operator, other_agency, other: services.close_case(case, admin),
    "acknowledge": lambda case, admin, operator, other_agency, other: services.acknowledge_case(case, operator),
    "reply": lambda case, admin, operator, other_agency, other: services.queue_reply(case, operator, text="Siap."),
    "transfer": lambda case, admin, operator, other_agency, other: services.request_transfer(
        case, operator, reason="Kewenangan kabupaten."
    ),
    "resolve": lambda case, admin, operator, other_agency, other: services.resolve_case(case, operator),
}
OFFERS = {**ADMIN_OFFERS, **AGENCY_OFFERS}


def test_every_offer_has_a_service_call() -> None:
    assert set(CALLS) == set(OFFERS)


@pytest.mark.parametrize("status", [s.value for s in Status])
@pytest.mark.parametrize("action", sorted(OFFERS))
def test_offer_matches_service(
    action: str,
    status: str,
    make_case: Callable[..., Case],
    admin_user: AbstractBaseUser,
    operator_a: AbstractBaseUser,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    case = make_case(status=status, agency=agency_a)
    other = make_case("Kasus lain yang masih terbuka")
    try:
        CALLS[action](case, admin_user, operator_a, agency_b, other)
        accepted = True
    except services.NotAllowed:
        raise  # a permission problem would hide what this test is about
    except services.TransitionError:
        accepted = False
    assert accepted == (status in OFFERS[action])
