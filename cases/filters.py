"""The case filters shared by the inbox, the agency queue, exports and the REST API."""

from __future__ import annotations

from datetime import datetime, time

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Kind, Status
from sources.models import Platform


class CaseFilter(django_filters.FilterSet):
    # distinct=False: the status filter joins nothing, and DISTINCT over every column made SQLite sort the whole list.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"), distinct=False)
    sector = django_filters.CharFilter(field_name="sector__code", label=_("Sector"))
    agency = django_filters.CharFilter(field_name="agency__code", label=_("Agency"))
    region = django_filters.CharFilter(method="filter_region", label=_("Region (Kemendagri code)"))
    platform = django_filters.ChoiceFilter(choices=Platform.choices, label=_("Platform"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("From"))
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("To"))
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Case
        fields = ["status", "sector", "agency", "region", "platform", "kind"]

    def filter_region(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """A kab/kota code matches every case inside it (its kecamatan and desa codes start with it)."""
        value = value.strip()
        return queryset.filter(Q(region__code=value) | Q(region__code__startswith=value + "."))

    def filter_date_from(self, queryset: QuerySet[Case], name: str, value: object) -> QuerySet[Case]:
        start = timezone.make_aware(datetime.combine(value, time.min))  # type: ignore[arg-type]
        return queryset.filter(opened_at__gte=start)

    def filter_date_to(self, queryset: QuerySet[Case], name: str, value: object) -> QuerySet[Case]:
        end = timezone.make_aware(datetime.combine(value, time.max))  # type: ignore[arg-type]
        return queryset.filter(opened_at__lte=end)

    def filter_text(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(tracking_code__iexact=value) | Q(summary__icontains=value))
