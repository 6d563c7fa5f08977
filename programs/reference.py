"""Load a program's reference data (regions, sectors, agencies) from the CSV files shipped with Kemala.

Loading is idempotent: rows are matched on their code, so running it again after the files change updates
names and adds new rows without touching cases that point at existing ones.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from programs.models import Agency, Program, Region, RegionLevel, Sector
from programs.reader import reference_dir

PROGRAMS = {
    "jateng": {"name": "Kemala Jawa Tengah", "hashtags": "#KemalaJateng", "time_zone": "Asia/Jakarta"},
}


@dataclass
class LoadSummary:
    regions: int
    sectors: int
    agencies: int


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@transaction.atomic
def load_program(slug: str, data_dir: Path | None = None) -> tuple[Program, LoadSummary]:
    if slug not in PROGRAMS:
        raise ValueError(f"Unknown program {slug!r}; known: {', '.join(sorted(PROGRAMS))}")
    data_dir = data_dir or reference_dir(slug)
    program, _ = Program.objects.update_or_create(slug=slug, defaults=PROGRAMS[slug])
    prefix = "jateng_"

    existing = {r.code: r for r in Region.objects.filter(program=program)}
    parents: dict[str, Region] = {}

    def upsert(code: str, name: str, level: str, kind: str, parent: Region | None) -> Region:
        region = existing.get(code)
        if region is None:
            region = Region(program=program, code=code)
        region.name, region.level, region.kind, region.parent = name, level, kind, parent
        return region

    kabkota = [
        upsert(r["kode"], r["nama"], RegionLevel.KABKOTA, r["jenis"], None)
        for r in _rows(data_dir / f"{prefix}kabkota.csv")
    ]
    _save_regions(kabkota, existing)
    parents.update({r.code: r for r in kabkota})
    kecamatan = [
        upsert(r["kode"], r["nama"], RegionLevel.KECAMATAN, "kecamatan", parents[r["kode_kabkota"]])
        for r in _rows(data_dir / f"{prefix}kecamatan.csv")
    ]
    _save_regions(kecamatan, existing)
    parents.update({r.code: r for r in kecamatan})
    desa = [
        upsert(r["kode"], r["nama"], RegionLevel.DESA, r["jenis"], parents[r["kode_kecamatan"]])
        for r in _rows(data_dir / f"{prefix}desa_kelurahan.csv")
    ]
    _save_regions(desa, existing)

    for row in _rows(data_dir / f"{prefix}sectors.csv"):
        Sector.objects.update_or_create(
            program=program, code=row["code"], defaults={"name": row["name"], "examples": row["examples"]}
        )
    regions_by_code = {r.code: r for r in Region.objects.filter(program=program, level=RegionLevel.KABKOTA)}
    for row in _rows(data_dir / f"{prefix}agencies.csv"):
        Agency.objects.update_or_create(
            program=program,
            code=row["code"],
            defaults={
                "short_name": row["short_name"],
                "name": row["name"],
                "kind": row["kind"],
                "responsibility": row["responsibility"],
                "region": regions_by_code.get(row["region_code"]) if row["region_code"] else None,
            },
        )
    return program, LoadSummary(
        regions=Region.objects.filter(program=program).count(),
        sectors=Sector.objects.filter(program=program).count(),
        agencies=Agency.objects.filter(program=program).count(),
    )


def _save_regions(regions: list[Region], existing: dict[str, Region]) -> None:
    new = [r for r in regions if r.pk is None]
    old = [r for r in regions if r.pk is not None]
    Region.objects.bulk_create(new, batch_size=500)
    if old:
        Region.objects.bulk_update(old, ["name", "level", "kind", "parent"], batch_size=500)
    if new and new[0].pk is None:  # backends that do not return ids from bulk_create
        ids = dict(
            Region.objects.filter(program=new[0].program, code__in=[r.code for r in new]).values_list("code", "pk")
        )
        for region in new:
            region.pk = ids[region.code]
    existing.update({r.code: r for r in regions})
