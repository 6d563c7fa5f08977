"""A labelled corpus of synthetic #KemalaJateng posts, for the sandbox, the tests and the benchmarks.

Every text here was written for this project in the style of citizens' posts to a provincial
complaint service: informal Indonesian with some Javanese, slang and abbreviations, typos,
emoji, anger and politeness. Nothing is copied from real complaint data. Posts are composed
from templates: a problem template (sector, topic, kind, urgency) with slots for real place
names from the Jawa Tengah reference files, durations and landmarks, then decorated (greeting,
mention, closing, emoji, other hashtags, URL) and roughened (abbreviations, stretched letters,
swapped letters, lower case or ALL CAPS).

Every generated item carries its intended label (`CitizenPost`): kind, sector code, region
code (the most specific Kemendagri code the text names), urgency and the personal data it
contains, so the simulator doubles as a labelled source.

ALL personal data produced here (NIK and KK numbers, phone numbers, e-mail addresses, vehicle
plates, names and handles) is INVENTED at random; it belongs to nobody. E-mail addresses use
the reserved `example.com`/`example.net` domains.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

DATA_DIR = Path(__file__).resolve().parent.parent / "programs" / "data" / "jateng"

KINDS = ("complaint", "question", "suggestion", "appreciation", "other", "spam")
# normal: questions, thanks, chatter, spam and ordinary complaints; high: a danger to people soon or a
# vulnerable person affected; emergency: lives at risk now (the scale of triage.Reading.urgency).
URGENCIES = ("normal", "high", "emergency")  # the product's scale (triage.Reading.urgency)

# The sectors citizens write about most: each has at least 20 complaint templates.
COMMON_SECTORS = (
    "infrastruktur",
    "permades-kependudukan",
    "sosial-masyarakat",
    "pendidikan",
    "energi",
    "kesehatan",
    "lingkungan",
    "bencana",
    "pertanian",
    "keuangan-aset",
    "forkominda",
    "saberpungli",
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a problem is: a kab/kota, optionally narrowed to a kecamatan and a desa/kelurahan."""

    kabkota: str
    kecamatan: str | None = None
    desa: str | None = None

    @property
    def region(self) -> str:
        """The most specific Kemendagri code: what a post naming this place is labelled with."""
        return self.desa or self.kecamatan or self.kabkota


@dataclass(frozen=True, slots=True)
class CitizenPost:
    """One generated post with the reading a perfect triage would give it."""

    text: str
    kind: str  # one of KINDS
    sector: str | None  # a code from jateng_sectors.csv; None for chatter and spam
    region: str | None  # the Kemendagri code of the place the text names, or None
    urgency: str  # one of URGENCIES
    topic: str | None = None  # finer than sector ("jalan", "lampu", "ktp" …): same topic + place = same issue
    place: Place | None = None  # the place named in the text (None if none is named)
    pii: tuple[str, ...] = ()  # kinds of invented personal data in the text: nik, phone, email, plate
    template_id: str | None = None  # "sector/index": lets a second citizen word the same problem differently


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Kab:
    code: str
    name: str  # "Kabupaten Cilacap"
    short: str  # "Cilacap"
    is_kota: bool


@dataclass(frozen=True, slots=True)
class _Area:
    code: str
    name: str
    is_kelurahan: bool = False


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    kabkota: dict[str, _Kab]
    kecamatan: dict[str, _Area]
    kec_by_kab: dict[str, tuple[_Area, ...]]
    desa: dict[str, _Area]
    desa_by_kec: dict[str, tuple[_Area, ...]]
    shared_kec_names: frozenset[str]  # kecamatan names used in more than one kab/kota (lower case)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    kabkota: dict[str, _Kab] = {}
    for row in _read_csv("jateng_kabkota.csv"):
        is_kota = row["jenis"] == "kota"
        short = row["nama"].removeprefix("Kabupaten ").removeprefix("Kota ")
        kabkota[row["kode"]] = _Kab(row["kode"], row["nama"], short, is_kota)
    kecamatan: dict[str, _Area] = {}
    kec_by_kab: dict[str, list[_Area]] = {}
    name_count: dict[str, int] = {}
    for row in _read_csv("jateng_kecamatan.csv"):
        area = _Area(row["kode"], row["nama"])
        kecamatan[area.code] = area
        kec_by_kab.setdefault(row["kode_kabkota"], []).append(area)
        name_count[area.name.lower()] = name_count.get(area.name.lower(), 0) + 1
    desa: dict[str, _Area] = {}
    desa_by_kec: dict[str, list[_Area]] = {}
    for row in _read_csv("jateng_desa_kelurahan.csv"):
        area = _Area(row["kode"], row["nama"], row["jenis"] == "kelurahan")
        desa[area.code] = area
        desa_by_kec.setdefault(row["kode_kecamatan"], []).append(area)
    return _Gazetteer(
        kabkota=kabkota,
        kecamatan=kecamatan,
        kec_by_kab={code: tuple(areas) for code, areas in kec_by_kab.items()},
        desa=desa,
        desa_by_kec={code: tuple(areas) for code, areas in desa_by_kec.items()},
        shared_kec_names=frozenset(name for name, count in name_count.items() if count > 1),
    )


@lru_cache(maxsize=1)
def sector_codes() -> tuple[str, ...]:
    """The 17 sector codes of jateng_sectors.csv, in file order."""
    return tuple(row["code"] for row in _read_csv("jateng_sectors.csv"))


@lru_cache(maxsize=1)
def _kab_geo() -> dict[str, tuple[list[float], tuple[float, float]]]:
    """Bounding box [w, s, e, n] and centre (lng, lat) of each kab/kota, for geotags."""
    with (DATA_DIR / "jateng_kabkota_boundaries.geojson").open(encoding="utf-8") as handle:
        data = json.load(handle)
    out: dict[str, tuple[list[float], tuple[float, float]]] = {}
    for feature in data["features"]:
        lngs: list[float] = []
        lats: list[float] = []
        stack: list[Any] = [feature["geometry"]["coordinates"]]
        while stack:
            item = stack.pop()
            if item and isinstance(item[0], (int, float)):
                lngs.append(float(item[0]))
                lats.append(float(item[1]))
            else:
                stack.extend(item)
        props = feature["properties"]
        bbox = [min(lngs), min(lats), max(lngs), max(lats)]
        out[props["kode"]] = (bbox, (float(props["lng"]), float(props["lat"])))
    return out


def geotag(rng: random.Random, kabkota: str) -> dict[str, Any]:
    """A place for `store.create_post(place=…)`: the kab/kota as X would tag it, sometimes with a point."""
    kab = _gazetteer().kabkota[kabkota]
    bbox, (lng, lat) = _kab_geo()[kabkota]
    place: dict[str, Any] = {
        "id": hashlib.sha256(f"jateng:{kabkota}".encode()).hexdigest()[:16],
        "full_name": f"{kab.name}, Jawa Tengah",
        "name": kab.name,
        "country": "Indonesia",
        "country_code": "ID",
        "place_type": "city",
        "bbox": bbox,
    }
    if rng.random() < 0.4:  # a precise point near the centre
        place["coordinates"] = [
            round(lng + rng.uniform(-0.03, 0.03), 5),
            round(lat + rng.uniform(-0.03, 0.03), 5),
        ]
    return place


# ---------------------------------------------------------------------------------------------
# Places in text
# ---------------------------------------------------------------------------------------------

# How citizens name a kab/kota. A bare "Semarang" means the city; the other split names
# (Magelang, Pekalongan, Tegal) are always qualified so the label stays unambiguous.
_KAB_ALIASES: dict[str, tuple[str, ...]] = {
    "33.74": ("Semarang", "smg", "Kota Semarang", "kota smg", "Semarang"),
    "33.72": ("Solo", "Surakarta", "kota Solo", "Solo", "Kota Surakarta"),
    "33.02": ("Banyumas", "Purwokerto", "pwt", "Kab. Banyumas", "purwokerto"),
    "33.22": ("Kab. Semarang", "kab smg", "Ungaran", "kabupaten Semarang"),
    "33.08": ("Kab. Magelang", "kab mgl", "kabupaten Magelang"),
    "33.71": ("Kota Magelang", "kota mgl"),
    "33.26": ("Kab. Pekalongan", "kab pekalongan", "kabupaten Pekalongan"),
    "33.75": ("Kota Pekalongan", "kota pekalongan"),
    "33.28": ("Kab. Tegal", "kab tegal", "kabupaten Tegal"),
    "33.76": ("Kota Tegal", "kota tegal"),
    "33.73": ("Salatiga", "kota Salatiga", "salatiga"),
    "33.11": ("Sukoharjo", "skh", "Kab. Sukoharjo"),
    "33.13": ("Karanganyar", "kra", "Kab. Karanganyar"),
    "33.03": ("Purbalingga", "pbg", "Kab. Purbalingga"),
}

# Bigger places are reported from more often.
_KAB_WEIGHTS: dict[str, int] = {"33.74": 9, "33.72": 5, "33.02": 4, "33.22": 3, "33.01": 3, "33.18": 3}

# Kab/kota on the north or south coast.
COASTAL = frozenset(
    [
        "33.01",
        "33.05",
        "33.06",
        "33.17",
        "33.18",
        "33.20",
        "33.21",
        "33.24",
        "33.25",
        "33.26",
        "33.27",
        "33.28",
        "33.29",
        "33.74",
        "33.75",
        "33.76",
    ]
)

_NO_PLACE = (
    "daerah saya",
    "kampung kami",
    "desa kami",
    "sini",
    "lingkungan kami",
    "perumahan kami",
    "kampung sebelah",
    "tempat saya",
    "daerahku",
)


def _kab_alias(rng: random.Random, kab: _Kab) -> str:
    if kab.code in _KAB_ALIASES:
        return rng.choice(_KAB_ALIASES[kab.code])
    prefix = "Kota" if kab.is_kota else rng.choice(("Kab.", "kab", "Kabupaten", "kab."))
    return rng.choice((kab.short, kab.short, kab.short.lower(), f"{prefix} {kab.short}"))


def _rt_rw(rng: random.Random) -> str:
    rt, rw = rng.randint(1, 12), rng.randint(1, 9)
    return rng.choice(
        (f"RT {rt:02d} RW {rw:02d}", f"rt {rt}/rw {rw}", f"RT.{rt:02d}/RW.{rw:02d}", f"RT {rt:02d}/{rw:02d}")
    )


def random_place(rng: random.Random, *, allow_none: bool = True, coastal: bool = False) -> Place | None:
    """A place somewhere in Jawa Tengah (on the coast if `coastal`), at kab/kota, kecamatan or desa level."""
    level = rng.choices(("none", "kab", "kec", "desa"), weights=(15 if allow_none else 0, 40, 25, 20))[0]
    if level == "none":
        return None
    gaz = _gazetteer()
    codes = [code for code in gaz.kabkota if code in COASTAL or not coastal]
    kab = rng.choices(codes, weights=[_KAB_WEIGHTS.get(code, 2) for code in codes])[0]
    if level == "kab":
        return Place(kab)
    kec = rng.choice(gaz.kec_by_kab[kab]).code
    if level == "kec":
        return Place(kab, kec)
    return Place(kab, kec, rng.choice(gaz.desa_by_kec[kec]).code)


def place_text(rng: random.Random, place: Place | None) -> str:
    """Name `place` the way a citizen might; always resolvable to `place.region`."""
    if place is None:
        return rng.choice(_NO_PLACE)
    gaz = _gazetteer()
    kab = gaz.kabkota[place.kabkota]
    if place.kecamatan is None:
        return _kab_alias(rng, kab)
    kec = gaz.kecamatan[place.kecamatan]
    kec_word = rng.choice(("kec.", "kec", "kecamatan", "Kec.", "Kecamatan"))
    kab_needed = kec.name.lower() in gaz.shared_kec_names
    if place.desa is None:
        text = f"{kec_word} {kec.name}"
        if kab_needed or rng.random() < 0.5:
            text += rng.choice((", ", " ")) + _kab_alias(rng, kab)
        return text
    desa = gaz.desa[place.desa]
    if desa.is_kelurahan:
        desa_word = rng.choice(("kelurahan", "kel.", "kel", "Kelurahan"))
    else:
        desa_word = rng.choice(("desa", "ds.", "ds", "Desa"))
    text = f"{desa_word} {desa.name}"
    if rng.random() < 0.35:
        text += " " + _rt_rw(rng)
    text += f", {kec_word} {kec.name}"
    if kab_needed or rng.random() < 0.6:
        text += rng.choice((", ", " ")) + _kab_alias(rng, kab)
    return text


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------
# One template a line: `KIND TOPIC URGENCY [coast] | text`; a line starting with `+` continues the text.
# `coast` marks a problem only a place on the coast can have (rob, fishermen, a fish auction).
# KIND: c complaint, q question, s suggestion, a appreciation.
# URGENCY: l or n normal, h high, x emergency.
# Slots: {loc} place (or "daerah saya"), {dur} a duration ("udah 3 bulan"), {durjv} the same
# in Javanese ("rong wulan"), {lm} a landmark, {jl} a street, {sch} a school, {rs} a hospital,
# {amount} some money, {n} a small number.

_TEMPLATE_TEXT: dict[str, str] = {
    "infrastruktur": """
c jalan n | jalannya rusakk parahh di {loc}, lubangnya udah kaya kolam ikan {dur} gk dibenerin
c jalan h | {jl} di {loc} rusak berat, banyak lubang {lm}. motor sering jatuh apalagi kalau malam
c jalan n | tolong pak jalan di {loc} {dur} rusak gk dibenerin, tiap hujan jadi kubangan lumpur
c jalan n | dalane {loc} rusak parah lur, wis {durjv} ora didandani. piye iki pak?
c jalan n | Mohon maaf pak/bu, jalan penghubung antar desa di {loc} rusak parah, aspal mengelupas
+ dan berlubang {dur}. Anak-anak sekolah kesulitan lewat
c jalan n | JALAN DI {loc} RUSAK PARAH!!! {dur} GAK ADA YANG PEDULI
c jalan h | lubang di {jl} {lm} makin gede, kemarin ada pemotor jatuh. sebelum ada korban lagi tolong ditambal
c jalan n | jalan provinsi di {loc} banyak lubang, truk gede lewat terus. padahal baru diaspal tahun lalu
c jalan n | aspal baru {dur} udah ngelupas lagi di {loc}, proyek asal-asalan nih
c jalan n | jalan {lm} di {loc} cuma diuruk batu doang, pas kemarau debunya ampun2an
c jalan h | {jl} ambles {lm} {loc}, separuh badan jalan udah turun. bahaya banget buat yg lewat malem
c jalan n | galian pipa di {jl} {loc} gk ditutup lagi, jalan jadi bergelombang {dur}
c jalan n | jalan di {loc} rusaknya kebangetan, mobil ambulans aja susah lewat
c lampu n | lampu PJU sepanjang {jl} {loc} mati semua {dur}, gelap gulita rawan begal
c lampu n | lampu jalan {lm} di {loc} mati min, udah lapor ke kelurahan tp blm ada tindakan
c lampu n | lampune dalan {lm} {loc} mati kabeh, peteng ndedet lur. mbok ndang dibenakke
c lampu n | Selamat malam, lampu penerangan jalan di {loc} padam {dur}. Warga takut lewat malam hari
c lampu h | lampu lalu lintas di perempatan {loc} mati, kendaraan saling serobot hampir tabrakan
c jembatan h | jembatan di {loc} retak dan pagarnya udah ilang, anak2 sekolah tiap hari lewat situ
c jembatan h | jembatan gantung di {loc} kayunya banyak yg lapuk, serem banget kalo nyebrang
c jembatan n | jembatan penghubung ke {loc} putus {dur}, warga harus muter jauh lewat desa sebelah
c jembatan n | kreteg ing {loc} wis rusak {durjv}, motor ora iso liwat. nyuwun didandani pak
c drainase n | saluran air di {loc} mampet, tiap hujan jalan tergenang setinggi lutut
c drainase n | got di {jl} {loc} ketutup tanah {dur}, air meluber ke rumah warga pas hujan
c drainase h | gorong-gorong {lm} {loc} jebol, jalan jadi berlubang besar di tengah
c bangunan n | trotoar di {jl} {loc} rusak dan dipake parkir, pejalan kaki terpaksa turun ke jalan
c bangunan n | rumah tidak layak huni di {loc} blm dapet bantuan bedah rumah {dur}, atapnya udah mau roboh
q jalan l | min, perbaikan {jl} di {loc} itu kewenangan provinsi atau kabupaten ya?
q jalan l | kapan jalan di {loc} mau diaspal pak? katanya udah masuk anggaran tahun ini
q lampu l | ada yg tau nomor pengaduan lampu PJU buat {loc}?
s lampu l | usul pak, lampu jalan di {loc} ditambah, soalnya sepanjang {jl} masih gelap
s jalan l | saran min, kalau benerin jalan mbok ya dicor beton aja biar awet, di {loc} tiap tahun rusak lagi
s jalan l | mohon dipasang rambu hati-hati {lm} {loc}, sering kecelakaan
a jalan l | makasih pak, jalan di {loc} udh dibenerin 👍 sekarang mulus
a lampu l | terima kasih respon cepatnya, lampu jalan {lm} {loc} udah nyala lagi
a jalan l | matur nuwun pak, dalan {loc} wis apik saiki
""",
    "permades-kependudukan": """
c ktp n | bikin KTP-el di dukcapil {loc} {dur} blm jadi, alasannya blangko habis terus
c ktp n | e-KTP saya {dur} cuma dikasih surat keterangan, kapan jadinya ini min?
c ktp n | rekam KTP di kantor kecamatan {loc} antrinya dari subuh, sehari dibatasi 20 orang doang
c ktp n | KTP anak saya salah nama, udah bolak balik ke dukcapil {loc} tp disuruh balik lagi terus
c ktp n | Mohon maaf bu, KTP-el saya hilang, mau urus ulang di {loc} katanya harus nunggu {dur}
c ktp n | server dukcapil {loc} down terus, udah 3x dateng tetep gk bisa cetak KTP
c ktp n | ngurus ktp nang {loc} kok suwe temen, wis {durjv} durung dadi
c kk n | KK saya di {loc} datanya beda sama KTP, jadi gk bisa daftar BPJS. ngurusnya ribet banget
c kk n | pecah KK di {loc} {dur} gk selesai2, padahal syarat udah lengkap semua
c kk n | nama di KK salah ketik, mau benerin harus ke {loc} 3 kali. gk ada online nya kah?
c kk n | pindah domisili ke {loc} tapi KK baru {dur} blm terbit
c akta n | akta kelahiran anak saya {dur} blm jadi di dukcapil {loc}
c akta n | urus akta kematian bapak saya di {loc} dipersulit, disuruh bawa surat ini itu
c akta n | akta lahir online katanya cepet, tp saya daftar {dur} statusnya masih diproses terus
c desa n | dana desa di {loc} penggunaannya gk transparan, papan informasi APBDes gk pernah dipasang
c desa n | perangkat desa di {loc} jarang di kantor, mau minta surat pengantar harus ke rumah pak kades
c desa n | kepala desa di {loc} nahan surat pengantar warga yg gk dukung dia pas pilkades
c desa n | balai desa di {loc} tutup terus pas jam kerja, pelayanan surat menyurat jadi lama
c desa n | pembangunan jalan desa pakai dana desa di {loc} kualitasnya jelek, baru {dur} udah retak
c ktp n | data kependudukan saya di {loc} ganda, katanya NIK nya dipake orang lain
c desa n | kantor desa ing {loc} ora tau buka lur, arep ngurus surat angel tenan
q ktp l | min, syarat bikin KTP-el yg hilang apa aja ya?
q kk l | apakah bisa urus KK di {loc} kalau sekarang saya kerja di luar kota?
q ktp l | blangko KTP di dukcapil {loc} udah ada lagi belum ya?
q ktp l | cara cek NIK udah aktif atau belum gimana min?
s ktp l | saran pak, pelayanan adminduk di {loc} dibuka juga hari sabtu biar yg kerja bisa ngurus
s ktp l | mbok ya jemput bola rekam KTP ke desa2 di {loc}, lansia susah ke kecamatan
a kk l | terima kasih dukcapil {loc}, urus KK cuma sehari jadi 👍
a akta l | pelayanan akta di {loc} sekarang cepet, matur nuwun
""",
    "sosial-masyarakat": """
c bansos n | bansos di {loc} salah sasaran, yg punya mobil malah dapet, janda tua tetangga saya gk dapet
c pkh n | PKH ibu saya di {loc} tiba2 dihentikan {dur} tanpa alasan
c bansos n | BPNT di {loc} {dur} gk cair, kata pendamping datanya lagi diverifikasi terus
c bansos n | data penerima bansos di {loc} gk pernah diperbarui, yg udah meninggal masih terdaftar
c bansos n | kartu KKS saya gk bisa dipakai, saldonya kosong {dur}. saya warga {loc}
c bansos h | lansia di {loc} hidup sendiri gk dapet bantuan apa2, rumahnya hampir roboh
c bansos n | kami keluarga miskin di {loc} udah daftar DTKS {dur} tp gk pernah masuk
c bansos n | BLT di {loc} dibagi rata sama pak RT, padahal harusnya buat yg terdaftar
c bansos n | KIS PBI saya nonaktif tiba2, pas mau berobat di {loc} ditolak
c keresahan n | anak jalanan dan pengemis makin banyak {lm} {loc}, dinsos kemana?
c keresahan h | ODGJ di {loc} sering ngamuk di jalan, keluarganya gk mampu, mohon dinsos turun tangan
c naker n | saya di-PHK sepihak sama pabrik di {loc} tanpa pesangon, mohon disnaker bantu
c naker n | gaji di bawah UMK di pabrik garmen {loc}, lembur gk dibayar
c naker n | THR belum dibayar perusahaan di {loc} padahal udah lewat lebaran
c bansos n | bantuan beras 10 kg di {loc} kualitasnya jelek, berkutu dan bau apek
c bansos n | bansos sembako nang {loc} ora adil, sing sugih entuk, sing mlarat ora
c keresahan n | warga {loc} resah sama kos2an yg dipake buat mabuk2an tiap malem
c bansos h | penyaluran bansos di kantor pos {loc} antrinya berdesakan, ada lansia sampe pingsan
c bansos n | disabilitas di {loc} gk pernah didata buat bantuan, anak saya tuna daksa
c pkh n | nama ibu saya di {loc} dicoret dari PKH tanpa pemberitahuan {dur}
c pkh n | pencairan PKH tahap {n} di {loc} molor terus, kami butuh buat biaya sekolah anak
q pkh l | kapan pencairan bansos PKH tahap {n} min?
q bansos l | cara daftar DTKS di {loc} gimana ya? harus lewat desa?
q bansos l | BLT dana desa tahun ini masih ada gk pak?
q bansos l | min cek penerima bansos bisa lewat mana ya?
s bansos l | usul min, data penerima bansos di {loc} diumumin terbuka di balai desa biar transparan
a bansos l | alhamdulillah bansos ibu saya di {loc} udah cair, makasih pak 🙏
""",
    "pendidikan": """
c ppdb n | PPDB SMA zonasi di {loc} gk adil, rumah deket sekolah malah gk ketrima
c ppdb n | web PPDB jateng error terus dari pagi, gk bisa daftar. gimana ini pak??
c ppdb n | anak saya nilainya bagus tp kalah sama yg pake surat domisili palsu di PPDB {sch} {loc}
c ppdb n | ada titipan di PPDB {sch} {loc}, kuota zonasi dipake anak pejabat
c pungutan n | sekolah gratis katanya, tp di {sch} {loc} masih ditarik uang gedung {amount}
c sekolah h | {sch} di {loc} atapnya bocor dan plafon kelas ambrol, anak2 belajar di lorong
c guru n | guru honorer di {sch} {loc} gajinya cuma {amount} sebulan, itupun telat {dur}
c pungutan n | ijazah anak saya ditahan {sch} di {loc} karena nunggak SPP
c beasiswa n | dana PIP anak saya di {loc} gk cair {dur}, sekolah bilang tunggu aja
c pungutan n | seragam di {sch} {loc} wajib beli di koperasi sekolah, harganya {amount} mahal banget
c pungutan n | {sch} di {loc} jual LKS wajib ke murid, padahal katanya dilarang
c sekolah h | bullying di {sch} {loc} gk ditangani, anak saya sampe takut sekolah
c guru n | SLB di {loc} kekurangan guru, satu guru pegang 3 kelas
c sekolah n | toilet {sch} di {loc} gk layak, airnya gk ada {dur}
c ppdb n | PPDB jalur afirmasi di {loc} banyak yg gk tepat sasaran
c ppdb n | akun PPDB anak saya gk bisa verifikasi, operator SMP asal di {loc} gk bisa dihubungi
c pungutan n | study tour {sch} {loc} wajib ke Bali {amount}, yg gk ikut dapet tugas tambahan
c pungutan n | anakku sekolah nang {sch} {loc}, kok isih dijaluki duit gedung. jare gratis?
c beasiswa n | beasiswa prestasi buat siswa SMA di {loc} gk jelas pengumumannya
c sekolah n | jam masuk {sch} di {loc} jam 6 pagi, anak2 dari desa jauh kesusahan
c sekolah h | gedung {sch} di {loc} retak2 setelah gempa, belum ada pengecekan
q ppdb l | PPDB SMA/SMK tahun ini kapan dibuka min?
q ppdb l | jalur zonasi PPDB jateng radiusnya berapa km ya?
q ppdb l | kalau pindah domisili ke {loc}, anak bisa daftar PPDB zonasi gk?
q beasiswa l | beasiswa buat siswa SMK swasta di {loc} ada gk pak?
s ppdb l | saran pak, server PPDB diperkuat tahun depan, tiap hari pertama pasti down
a pungutan l | makasih pak, {sch} {loc} sekarang udah gratis beneran, gk ada pungutan lagi
""",
    "energi": """
c listrik n | listrik di {loc} padam terus tiap hari, bisa 3-4 jam. PLN gimana sih
c listrik n | LISTRIK MATI LAGI DI {loc}!!! {dur} byar pet terus, alat elektronik pada rusak
c lpg n | gas LPG 3 kg langka di {loc}, keliling 5 warung gk ada. kalopun ada harganya 35rb
c lpg n | harga elpiji melon di {loc} tembus 40 ribu, jauh di atas HET
c listrik h | kabel listrik menjuntai rendah di {jl} {loc}, hampir kena kepala pengendara
c listrik h | tiang listrik miring mau roboh {lm} {loc}, udah lapor PLN blm ditangani
c listrik n | token listrik udah diisi tp meteran gk nambah, {dur} komplain ke PLN gk ada solusi
c listrik n | tagihan listrik bulan ini naik 3x lipat padahal pemakaian sama, rumah di {loc}
c bbm n coast | solar di SPBU {loc} habis terus, nelayan gk bisa melaut
c bbm n | antrian pertalite di SPBU {loc} sampe ke jalan raya, bikin macet
c galian n | tambang galian C ilegal di {loc} bikin jalan rusak dan sungai keruh
c galian n | truk pasir dari galian C di {loc} ugal2an dan tanahnya tercecer di jalan
c listrik n | listrik nang {loc} mati terus lur, kulkasku rusak. PLN ki piye to
c listrik n | pasang baru listrik di {loc} {dur} belum dipasang, padahal udah bayar
c listrik h | trafo PLN {lm} {loc} meledak semalem, sampe sekarang gelap
c lpg n | pangkalan LPG di {loc} cuma jual ke orang tertentu, warga biasa gk kebagian
c listrik n | listrik di {loc} tegangannya turun tiap malem, lampu redup kipas gk muter
c listrik h | gardu listrik {lm} {loc} bunyi mendengung dan keluar percikan api
c listrik n | Mohon maaf pak, dusun kami di {loc} sampai sekarang belum teraliri listrik PLN
c lpg n | beli LPG 3kg di {loc} sekarang wajib pake KTP tp stoknya tetep kosong
c bbm n | bensin eceran di {loc} dijual 15 ribu seliter, pom bensin jauh banget
q lpg l | min, pendaftaran subsidi LPG 3 kg pakai KTP itu sampai kapan?
q listrik l | jadwal pemadaman bergilir di {loc} bisa dicek dimana ya?
s listrik l | usul min, dusun terpencil di {loc} dikasih PLTS aja biar gk tergantung jaringan
a listrik l | makasih PLN, listrik di {loc} udah normal lagi 👍
""",
    "kesehatan": """
c puskesmas n | puskesmas di {loc} jam 10 pagi dokternya blm dateng, pasien numpuk
c puskesmas n | pelayanan puskesmas di {loc} ketus banget, ibu saya dimarahi petugas
c rs h | ibu saya pasien BPJS ditolak {rs} di {loc} katanya kamar penuh, padahal kondisinya drop
c rs n | antri BPJS di {rs} {loc} dari subuh baru dipanggil jam 2 siang
c bpjs n | BPJS saya nonaktif tiba2 padahal bayar rutin tiap bulan, domisili {loc}
c rs n | obat di {rs} {loc} sering kosong, pasien BPJS disuruh beli sendiri di apotek luar
c wabah h | kasus DBD di {loc} banyak banget, tetangga saya 3 orang masuk RS. mohon fogging
c puskesmas h | ambulans desa di {loc} gk bisa dipake, alasannya gk ada sopir
c rs n | pasien BPJS di {rs} {loc} dipulangkan padahal belum sembuh
c rs h | IGD {rs} di {loc} lama banget penanganannya, anak saya demam tinggi nunggu 2 jam
c gizi h | ada balita di {loc} gizi buruk, kurus kering, posyandu gk pernah jalan
c puskesmas n | bidan desa di {loc} jarang di tempat, ibu hamil harus ke kota
c puskesmas n | puskesmas pembantu di {loc} tutup {dur}, bangunannya dibiarkan rusak
c wabah h | diare massal di {loc} setelah acara hajatan, puluhan warga dirawat
c rs n | biaya persalinan di {rs} {loc} tetep ditarik {amount} padahal pake BPJS
c bpjs n | rujukan BPJS ribet, dari puskesmas {loc} disuruh bolak balik
c puskesmas n | nek nang puskesmas {loc} antrine suwi tenan, dokter e mung siji
c wabah h | ada anak di {loc} digigit anjing, vaksin anti rabies di puskesmas kosong
c puskesmas n | pengobatan TBC di {loc} obatnya putus, pasien disuruh nunggu stok
c rs h | {rs} di {loc} minta uang jaminan {amount} dulu sebelum pasien ditangani, padahal darurat
c puskesmas n | apotek puskesmas {loc} tutup jam 11, pasien sore gk dapet obat
q bpjs l | cara aktifin lagi BPJS PBI yg nonaktif gimana min?
q puskesmas l | imunisasi campak buat balita di puskesmas {loc} jadwalnya kapan?
q bpjs l | BPJS bisa dipake di klinik mana aja ya di {loc}?
s puskesmas l | saran pak, antrian puskesmas di {loc} pakai sistem online biar gk numpuk dari subuh
a rs l | terima kasih petugas {rs} {loc}, pelayanannya ramah dan cepat 🙏
""",
    "lingkungan": """
c sampah n | sampah numpuk {lm} {loc} {dur} gk diangkut, baunya sampe ke rumah warga
c sampah n | TPS di {loc} udah overload, sampah meluber ke jalan
c limbah h | sungai di {loc} jadi item dan bau, limbah pabrik dibuang langsung ke kali
c limbah n | limbah pabrik tahu di {loc} dibuang ke selokan, baunya nyengat banget
c polusi h | asap pabrik di {loc} bikin sesak napas, anak2 pada batuk
c sampah n | orang buang sampah sembarangan di pinggir {jl} {loc}, udah kaya TPA liar
c sampah h | TPA di {loc} kebakaran lagi, asapnya masuk ke rumah2
c hutan n | penebangan hutan liar di {loc}, kayunya diangkut truk tiap malem
c limbah n | limbah peternakan ayam di {loc} baunya gk ketulungan, lalat dimana-mana
c sampah n | kali di {loc} penuh sampah plastik, pas hujan airnya meluap
c sampah n | sampah nang {loc} ora diangkut {durjv}, mambu banget lur
c polusi n | pembakaran sampah {lm} {loc} tiap sore, asapnya ganggu
c limbah h | limbah medis (jarum suntik, selang infus) dibuang sembarangan di {loc}
c limbah n | air sumur warga di {loc} jadi keruh dan bau sejak ada pabrik baru
c hutan n | pohon2 besar di {jl} {loc} ditebangi buat proyek, sekarang jadi gersang
c sampah n | sampah di pasar {loc} gk diangkut seminggu, jadi sarang tikus
c sampah n | petugas sampah di {loc} minta iuran naik tp ngangkutnya seminggu sekali
c limbah n coast | tambak di {loc} buang limbah ke laut, ikan2 pada mati
c polusi n coast | debu batu bara dari PLTU di {loc} nempel di jemuran dan atap rumah
c limbah h | Mohon ditindak, ada pembuangan limbah B3 di lahan kosong {lm} {loc}
c hutan n | sungai di {loc} dikeruk buat pasir liar, tebingnya mulai longsor
q sampah l | jadwal pengangkutan sampah di {loc} hari apa aja ya?
q sampah l | bank sampah di {loc} ada dimana min?
s sampah l | usul min, tiap kelurahan di {loc} dikasih bank sampah
s sampah l | tolong diperbanyak tempat sampah terpilah {lm} {loc}
a sampah l | mantap, sampah {lm} {loc} udah diangkut semua. makasih DLH 👍
""",
    "bencana": """
c banjir x | TOLONG!!! banjir di {loc} air sudah sepinggang, warga butuh perahu evakuasi
c banjir h | banjir lagi di {loc}, air masuk rumah setinggi lutut. mohon bantuan
c longsor x | longsor di {loc} menutup jalan, ada rumah yg tertimbun. mohon segera kirim alat berat
c banjir x | tanggul sungai di {loc} jebol, air mulai masuk kampung
c rob h coast | rob di {loc} makin parah, tiap hari air laut masuk ke rumah
c angin h | pohon tumbang melintang di {jl} {loc}, jalan gk bisa dilewati
c angin x | angin puting beliung barusan di {loc}, puluhan atap rumah terbang
c kebakaran x | kebakaran rumah di {loc}, damkar blm dateng!! tolong
c longsor h | retakan tanah di perbukitan {loc} makin lebar, warga takut longsor susulan
c banjir h | pengungsi banjir di {loc} kekurangan makanan dan selimut, bantuan blm dateng
c kekeringan h | kekeringan di {loc} {dur}, warga harus beli air 5 ribu per jeriken
c banjir x | banjir bandang di {loc}, ada warga yg hanyut!! tolong tim SAR
c banjir x | tulung pak, banyune wis mlebu omah sedada ing {loc}, bocah-bocah durung dievakuasi
c longsor h | tanah ambles di {loc} setelah hujan deres, 3 rumah retak
c banjir h | sungai di {loc} meluap, jembatan darurat hanyut
c longsor n | longsoran tebing di {loc} nutup separuh jalan {dur}, belum dibersihkan
c banjir h | hujan deres dari sore, air di {loc} terus naik. warga mulai ngungsi ke masjid
c banjir h | Mohon bantuan, banjir di {loc} sudah 3 hari belum surut, banyak warga mulai sakit
c gempa x | gempa barusan kerasa kenceng di {loc}, ada rumah roboh
c kebakaran h | kebakaran lahan di {loc} asapnya kemana2, apinya belum padam
c banjir x | banjir setinggi 1 meter di {loc}, lansia di RT kami terjebak di lantai 2
c banjir n | pasca banjir di {loc} lumpur numpuk {dur}, belum ada bantuan bersih2
q banjir l | posko pengungsian banjir di {loc} dimana ya min?
q longsor l | bantuan buat korban longsor di {loc} bisa disalurkan lewat mana?
s banjir l | saran min, sungai di {loc} dinormalisasi sebelum musim hujan, tiap tahun banjir
a banjir l | terima kasih BPBD dan relawan yg udah evakuasi warga {loc} semalam 🙏
""",
    "pertanian": """
c pupuk n | pupuk subsidi di {loc} langka pas musim tanam, petani kelimpungan
c pupuk n | harga pupuk urea di kios {loc} 150rb per sak, jauh di atas HET
c pupuk n | kartu tani gk bisa dipake nebus pupuk di {loc}, kata kios datanya gk ada
c pupuk n | kuota pupuk di RDKK {loc} dipotong separo, gk cukup buat sawah
c gabah n | harga gabah di {loc} anjlok pas panen, tengkulak seenaknya
c irigasi n | saluran irigasi sawah di {loc} jebol {dur}, sawah kering gk bisa tanam
c hama n | hama tikus nyerang sawah di {loc}, PPL gk pernah turun
c pupuk n | pupuk nang {loc} langka lur, wis muter-muter ora entuk. petani kudu piye
c pupuk n | pupuk bersubsidi di {loc} dijual paketan sama pupuk nonsubsidi, petani dipaksa beli
c benih n | bantuan benih padi di {loc} kualitasnya jelek, banyak yg gk tumbuh
c ternak h | wabah PMK nyerang sapi di {loc}, obat dan vaksin gk ada
c harga n | harga cabai di tingkat petani {loc} cuma 8rb/kg, rugi bandar
c alsintan n | alsintan bantuan buat kelompok tani di {loc} dikuasai ketua kelompok sendiri
c irigasi n | bendung irigasi di {loc} rusak, air gk sampai ke sawah hilir
c ternak h | ayam warga di {loc} mati mendadak puluhan, takut flu burung
c ikan n coast | tempat pelelangan ikan di {loc} sepi, harga ikan dipermainkan tengkulak
c harga n | petani tembakau di {loc} rugi, harga dari gudang murah banget
c hama n | penyuluh pertanian di {loc} gk pernah kelihatan {dur}
c pupuk n | pengecer pupuk di {loc} cuma buka sehari seminggu, antrinya panjang
c irigasi n | banyak sawah di {loc} jadi perumahan, irigasi jadi kacau
c asuransi n | Mohon maaf pak, klaim asuransi usaha tani di {loc} gk cair padahal sawah puso kena banjir
q pupuk l | kapan jadwal penebusan pupuk subsidi musim tanam ini min?
q pupuk l | cara daftar kartu tani di {loc} gimana ya?
s pupuk l | usul pak, tebus pupuk subsidi pake KTP aja, kartu tani sering error
a pupuk l | alhamdulillah pupuk di kios {loc} udah ada lagi, matur nuwun pak
""",
    "keuangan-aset": """
c samsat n | antrian samsat {loc} panjang banget dari pagi, loket cuma buka 2
c pajak n | bayar pajak motor lewat aplikasi gagal terus tp saldo kepotong
c samsat n | di samsat {loc} masih ada calo, yg lewat calo malah didahulukan
c pajak n | denda pajak kendaraan kok tetep ditarik padahal katanya ada pemutihan
c samsat n | samsat keliling di {loc} jadwalnya gk jelas, udah nunggu dari jam 8 gk dateng
c samsat n | STNK saya {dur} belum jadi setelah bayar pajak 5 tahunan di samsat {loc}
c samsat n | mutasi kendaraan ke {loc} ribet banget, berkas bolak balik
c aset n | tanah aset pemprov di {loc} dibiarin terbengkalai jadi semak belukar
c aset n | gedung milik provinsi di {loc} kosong {dur}, dipake nongkrong anak2 mabuk
c bank n | ATM Bank Jateng di {loc} sering offline, mau ambil gaji susah
c bank h | saldo tabungan Bank Jateng saya berkurang tanpa transaksi, CS di {loc} gk bisa jelasin
c pajak n | bayar pajak kendaraan di {loc} cuma bisa tunai, gk bisa QRIS
c pajak n | program pemutihan pajak kendaraan gk disosialisasikan ke desa2 di {loc}
c samsat n | samsat nang {loc} antrine dowo tenan, loket e sitik
c pajak n | udah bayar pajak kendaraan tp di aplikasi masih muncul tunggakan
c samsat n | plat nomor baru {dur} gk dikirim, kata samsat {loc} TNKB kosong
c bank n | pelayanan Bank Jateng cabang {loc} lambat, teller cuma 1
c aset n | lahan aset daerah di {loc} disewakan oknum ke pedagang, uangnya masuk kantong pribadi
c samsat n | gerai samsat di mall {loc} tutup padahal masih jam operasional
c bank n | pengajuan kredit di Bank Jateng {loc} dipersulit, syaratnya berubah2
c pajak n | balik nama motor warisan ortu di {loc} mahal banget dan ribet
q pajak l | min, pemutihan pajak kendaraan tahun ini sampai kapan?
q samsat l | bayar pajak kendaraan plat luar provinsi bisa di samsat {loc} gk?
q samsat l | syarat balik nama motor bekas apa aja ya?
s samsat l | usul min, samsat {loc} buka hari minggu biar pekerja bisa bayar pajak
a samsat l | bayar pajak di samsat {loc} sekarang cepet, 15 menit beres. mantap 👍
""",
    "forkominda": """
c begal h | begal di {jl} {loc} makin marak, kemarin tetangga saya jadi korban
c balap n | balap liar di {jl} {loc} tiap malam minggu, berisik dan bahaya
c geng h | Mohon patroli pak polisi, jam 2 pagi {lm} {loc} sering ada geng motor bawa sajam
c curanmor n | curanmor di {loc} {dur} udah 5 kejadian, polsek gk ada tindakan
c polisi n | lapor ke polsek {loc} soal penipuan online {dur} gk ada perkembangan
c tawuran h | tawuran pelajar {lm} {loc} hampir tiap minggu, warga takut
c miras h | peredaran miras oplosan di {loc} bebas, anak2 muda pada mabuk
c balap n | knalpot brong di {loc} berisik tiap malem, mohon ditertibkan
c judi n | judi sabung ayam di {loc} terang2an, aparat kayak tutup mata
c maling n | maling masuk rumah di {loc}, sebulan udah 3 rumah kebobolan
c balap n | balap liar nang {jl} {loc} saben wengi, medeni lur
c pengadilan n | sidang perkara saya di pengadilan {loc} ditunda terus {dur} tanpa kejelasan
c lalin n | lalu lintas {lm} {loc} semrawut, gk ada polisi yg ngatur
c narkoba h | narkoba di {loc} udah masuk ke anak SMP, tolong BNN dan polisi turun
c preman h | pemalakan sopir truk di {jl} {loc} sama preman, tiap lewat dimintain duit
c preman n | parkir liar {lm} {loc} dijaga preman, tarifnya seenaknya
c petasan h | jual petasan di {loc} bebas, kemarin ada anak kena ledakan
c preman h | debt collector di {loc} ngancem warga pake kekerasan
c polisi h | laporan KDRT tetangga saya ke polsek {loc} gk ditanggapi
c geng h | pengeroyokan {lm} {loc} semalem, pelakunya masih bebas
c begal h | jambret di {jl} {loc} sering banget pas sore
q polisi l | lapor kehilangan STNK di polsek {loc} syaratnya apa ya?
q polisi l | nomor darurat polisi di {loc} berapa min?
s begal l | usul pak, pasang CCTV di {jl} {loc} buat cegah begal
a polisi l | terima kasih pak polisi {loc}, patroli malamnya bikin warga tenang 👍
""",
    "saberpungli": """
c desa n | ngurus surat pengantar di {loc} dimintain {amount}, katanya buat uang rokok
c samsat n | pungli di samsat {loc}, cek fisik dimintain {amount} tanpa kuitansi
c ktp n | bikin KTP di {loc} gratis katanya, tp petugas minta {amount} biar cepet
c bansos n | pendamping PKH di {loc} motong bantuan {amount} per penerima
c sekolah n | {sch} di {loc} minta sumbangan wajib {amount} tiap bulan, kalo gk bayar rapor ditahan
c jembatan-timbang n | ada pungli di jembatan timbang {loc}, sopir truk dimintain {amount}
c parkir n | petugas parkir berseragam di {loc} narik {amount} tanpa karcis
c ptsl n | sertifikat PTSL di {loc} katanya gratis, tp panitia desa narik {amount} per bidang
c izin n | urus PBG di {loc} dimintain uang pelicin {amount}
c pasar n | bayar retribusi pasar di {loc} gk dikasih karcis, jumlahnya naik terus
c dishub n | oknum dishub {lm} {loc} narik uang dari angkot tiap lewat
c puskesmas n | surat sehat di puskesmas {loc} dimintain {amount}, padahal tarifnya gk segitu
c desa n | pungli penerimaan perangkat desa di {loc}, calon dimintain {amount}
c kua n | nikah di KUA {loc} dimintain biaya tambahan {amount} di luar ketentuan
c lapas n | petugas lapas di {loc} minta uang kalau keluarga mau jenguk
c pppk n | rekrutmen PPPK di {loc} ada yg minta uang {amount} biar lolos
c desa n | pungli nang {loc}, ngurus surat wae kudu mbayar {amount}
c bansos n | bantuan bedah rumah di {loc} dipotong {amount} sama oknum perangkat
c akta n | bikin akta di {loc} lewat orang dalam bayar {amount} langsung jadi, yg gk bayar nunggu lama
c skck n | ngurus SKCK di {loc} dimintai {amount} di luar PNBP
c tpi n coast | Mohon Saber Pungli turun, ada pungutan {amount} per perahu di TPI {loc}
q lapor l | min, lapor pungli bisa lewat sini kan? atau ada nomor khusus?
s lapor l | saran pak, semua loket layanan di {loc} dipasang CCTV dan papan tarif resmi
""",
    "kepegawaian": """
c asn n | ASN di kantor dinas {loc} jam 10 udah pada ngopi di warung, pelayanan ditinggal
c honorer n | honorer di {loc} {dur} belum dapat kejelasan pengangkatan PPPK
c tpp n | TPP pegawai di {loc} telat {dur} tanpa penjelasan
c cpns n | pengumuman CPNS formasi {loc} gk transparan, nilainya gk dibuka
c asn n | pegawai kecamatan di {loc} sering bolos, kantor kosong pas jam kerja
q pppk l | min, pendaftaran PPPK tahun ini dibuka kapan ya?
""",
    "ekonomi-industri": """
c harga n | harga beras di pasar {loc} naik terus, sekarang 16 ribu sekilo
c harga n | minyak goreng di {loc} langka lagi, kalaupun ada mahal
c pasar n | pasar tradisional di {loc} becek dan atapnya bocor, pembeli jadi sepi
c umkm n | izin usaha lewat OSS ribet, di {loc} gk ada pendampingan buat UMKM
c umkm n | bantuan modal UMKM di {loc} gk jelas siapa penerimanya
c pasar n | minimarket berjejer di {loc}, warung kecil pada tutup
q umkm l | cara daftar sertifikat halal gratis buat UMKM di {loc} gimana ya?
""",
    "pariwisata-budaya": """
c wisata n | objek wisata di {loc} kotor, toiletnya gk layak, tiketnya mahal
c budaya n | cagar budaya di {loc} dibiarin rusak, malah katanya mau dibongkar
c olahraga n | GOR di {loc} rusak gk terawat, atlet latihan seadanya
c wisata n | jalan menuju tempat wisata di {loc} rusak, wisatawan pada ngeluh
c wisata n | retribusi wisata di {loc} dobel, masuk bayar, parkir bayar lagi
q budaya l | event budaya di {loc} bulan ini ada apa aja min?
""",
    "pembangunan-daerah": """
c musrenbang n | usulan musrenbang di {loc} tiap tahun gk pernah direalisasi
c proyek n | proyek pembangunan di {loc} mangkrak {dur}, cuma pagarnya yg berdiri
c proyek n | pembangunan pasar baru di {loc} molor dari jadwal, pedagang direlokasi ke tenda
c proyek n | rencana jalan tol lewat {loc} gk ada sosialisasi ke warga
s musrenbang l | usul pak, hasil musrenbang di {loc} diumumkan terbuka biar warga bisa ngawal
""",
    "lain-lain": """
c hewan n | anjing liar di {loc} makin banyak, sering ngejar anak2 sekolah
c keresahan n | sound horeg di {loc} sampe subuh, kaca rumah warga bergetar
c surat n | surat saya ke pak gubernur {dur} gk ada balasan
c tanah n | warga {loc} minta kejelasan soal sengketa tanah makam desa
q kemala l | kapan Kemala ada aplikasinya sendiri min? biar gampang lapor
""",
}

_KIND_CODES = {"c": "complaint", "q": "question", "s": "suggestion", "a": "appreciation"}
_URGENCY_CODES = {"l": "normal", "n": "normal", "h": "high", "x": "emergency"}


@dataclass(frozen=True, slots=True)
class _Template:
    template_id: str
    sector: str
    topic: str
    kind: str
    urgency: str
    text: str
    coastal: bool = False


def _parse_templates(sector: str, block: str) -> list[_Template]:
    raw: list[list[str]] = []  # [header, text]
    for line in block.strip().splitlines():
        if line.startswith("+"):
            raw[-1][1] += " " + line[1:].strip()
        else:
            header, _, text = line.partition(" | ")
            raw.append([header, text.strip()])
    out = []
    for index, (header, text) in enumerate(raw):
        kind, topic, urgency, *flags = header.split()
        out.append(
            _Template(
                f"{sector}/{index}",
                sector,
                topic,
                _KIND_CODES[kind],
                _URGENCY_CODES[urgency],
                text,
                coastal="coast" in flags,
            )
        )
    return out


TEMPLATES: tuple[_Template, ...] = tuple(
    template for sector, block in _TEMPLATE_TEXT.items() for template in _parse_templates(sector, block)
)
_BY_KIND: dict[str, dict[str, list[_Template]]] = {}  # kind → sector → templates
for _template in TEMPLATES:
    _BY_KIND.setdefault(_template.kind, {}).setdefault(_template.sector, []).append(_template)

# How often citizens write about each sector (roads lead, as in the 2016 service).
_SECTOR_WEIGHTS: dict[str, int] = {
    "infrastruktur": 24,
    "permades-kependudukan": 7,
    "sosial-masyarakat": 8,
    "pendidikan": 6,
    "energi": 7,
    "kesehatan": 7,
    "lingkungan": 7,
    "bencana": 6,
    "pertanian": 4,
    "keuangan-aset": 4,
    "forkominda": 4,
    "saberpungli": 3,
    "kepegawaian": 2,
    "ekonomi-industri": 2,
    "pariwisata-budaya": 2,
    "pembangunan-daerah": 2,
    "lain-lain": 1,
}

_KIND_WEIGHTS: dict[str, int] = {
    "complaint": 60,
    "question": 12,
    "suggestion": 5,
    "appreciation": 5,
    "other": 8,
    "spam": 10,
}

# ---------------------------------------------------------------------------------------------
# Slot values and decorations
# ---------------------------------------------------------------------------------------------

_LANDMARKS = (
    "depan SD N {n}",
    "deket pasar",
    "samping masjid",
    "depan balai desa",
    "di pertigaan",
    "depan indomaret",
    "deket jembatan",
    "sebelah puskesmas",
    "depan kantor kecamatan",
    "deket SPBU",
    "arah ke alun-alun",
    "belakang terminal",
    "depan SMP {n}",
    "deket makam",
    "sebelah lapangan",
    "depan pabrik",
    "deket rel kereta",
    "di perempatan lampu merah",
    "depan gereja",
    "samping pos ronda",
    "deket stasiun",
    "depan alfamart",
    "pinggir kali",
    "di tikungan tajam",
    "pintu masuk perumahan",
)
_STREETS = (
    "Jl. Diponegoro",
    "jalan Sudirman",
    "jl. A. Yani",
    "Jl Pemuda",
    "jalan raya",
    "jalan poros desa",
    "jl. Gatot Subroto",
    "jalan Kartini",
    "jl. Veteran",
    "jalan lingkar",
    "jalan provinsi",
    "jalan kampung",
    "jl. Pahlawan",
    "jl. MT Haryono",
    "jalan Imam Bonjol",
    "jalan utama",
    "jl. Pattimura",
    "jalan Slamet Riyadi",
)
_SCHOOLS = ("SMAN {n}", "SMA N {n}", "SMKN {n}", "SMK N {n}", "SMA Negeri {n}", "SMK Negeri {n}", "SLB N {n}")
_HOSPITALS = ("RSUD", "rumah sakit", "RS", "RS swasta", "klinik", "RSUD kabupaten")
_AMOUNTS = (
    "20rb",
    "50 ribu",
    "Rp 100.000",
    "150rb",
    "200 ribu",
    "Rp250rb",
    "300rb",
    "500 ribu",
    "1 juta",
    "Rp 1,5jt",
    "2 juta",
    "75rb",
)
_DURATION_PHRASES = (
    "dari lebaran kemarin",
    "sejak awal tahun",
    "berbulan-bulan",
    "dari kemarin",
    "sejak musim hujan",
    "bertahun-tahun",
    "dari tahun lalu",
    "udah lama banget",
    "hampir setahun",
    "udah seminggu",
)
_DURATION_JV = (
    "pirang-pirang wulan",
    "setaun luwih",
    "rong wulan",
    "telung wulan",
    "suwe banget",
    "rong minggu",
)

_GREETINGS = (
    "Min,",
    "min",
    "Selamat pagi pak,",
    "Selamat siang,",
    "Mohon maaf pak/bu,",
    "Assalamualaikum,",
    "Assalamualaikum wr wb.",
    "lapor min!",
    "Pak Gub,",
    "Permisi min,",
    "Nuwun sewu,",
    "Lur,",
    "Yth. Bapak Gubernur,",
    "halo min",
    "Pak, bu,",
    "mas/mbak admin,",
)
_CLOSINGS = (
    "mohon ditindaklanjuti 🙏",
    "tolong segera diperbaiki",
    "suwun",
    "makasih min",
    "plis",
    "gimana ini pak??",
    "matur nuwun",
    "ditunggu responnya",
    "jangan cuma janji",
    "mohon perhatiannya",
    "terima kasih.",
    "nyuwun tulung",
    "sampai kapan kayak gini?",
    "tolong dong",
    "mbok ndang ditangani",
    "Terima kasih atas perhatiannya.",
)
_CLOSINGS_BY_KIND: dict[str, tuple[str, ...]] = {
    "question": ("makasih min", "suwun", "terima kasih.", "mohon infonya 🙏", "ditunggu jawabannya", "nuwun"),
    "suggestion": (
        "terima kasih.",
        "suwun",
        "semoga bisa dipertimbangkan",
        "matur nuwun 🙏",
        "cuma usul sih",
    ),
    "appreciation": ("sukses terus", "matur nuwun", "mantap", "👍👍", "semoga awet", "salut"),
}
_URGENT_CLOSINGS = ("TOLONG SEGERA!!", "cepet pak tolong", "darurat!!", "🆘🆘", "tolong segera ditangani 🙏")
_EMOJI = ("😭", "🙏", "😡", "😤", "🤦", "😩", "😢", "🙏🙏", "😡😡😡", "💔", "🥲", "😒")
_GENERAL_HANDLES = ("@humasjateng", "@pemprovjateng", "@gubernur_jtg", "@kemala_jateng", "@jatengprov")
_SECTOR_HANDLES: dict[str, tuple[str, ...]] = {
    "infrastruktur": ("@dpubinmarga_jtg", "@dpu_jateng"),
    "permades-kependudukan": ("@dukcapil_jtg",),
    "sosial-masyarakat": ("@dinsosjateng",),
    "pendidikan": ("@disdikbud_jtg",),
    "energi": ("@pln_jateng", "@esdm_jateng"),
    "kesehatan": ("@dinkes_jtg", "@bpjs_jateng"),
    "lingkungan": ("@dlhk_jateng",),
    "bencana": ("@bpbd_jateng",),
    "pertanian": ("@distanbun_jtg",),
    "keuangan-aset": ("@samsat_jateng", "@bapenda_jtg"),
    "forkominda": ("@polda_jtg",),
    "saberpungli": ("@saberpungli_jtg",),
}
_EXTRA_TAGS = ("#JatengGayeng", "#LaporGub", "#PelayananPublik", "#Jateng", "#infojateng", "#viral")
_SECTOR_TAGS: dict[str, tuple[str, ...]] = {
    "infrastruktur": ("#jalanrusak", "#jalanberlubang"),
    "bencana": ("#banjir", "#siagabencana"),
    "energi": ("#PLN", "#listrikpadam"),
    "pendidikan": ("#PPDB", "#PPDBJateng"),
    "kesehatan": ("#BPJS",),
    "lingkungan": ("#sampah",),
}
_HASHTAGS = (
    ("#KemalaJateng", 50),
    ("#kemalajateng", 30),
    ("#Kemalajateng", 10),
    ("#KEMALAJATENG", 5),
    ("#kemalaJateng", 5),
)

# Informal spellings citizens use; a word is swapped for one of them at random.
_SLANG: dict[str, tuple[str, ...]] = {
    "yang": ("yg",),
    "yg": ("yg", "yang"),
    "tidak": ("gk", "ga", "tdk", "nggak"),
    "gk": ("gk", "ga", "gak", "g", "nggak", "ngga"),
    "sudah": ("udh", "udah", "sdh"),
    "udah": ("udh", "udah", "dah"),
    "udh": ("udh", "udah"),
    "belum": ("blm", "belom"),
    "blm": ("blm", "belom", "blum"),
    "sama": ("sm",),
    "banget": ("bgt", "bngt", "bangett"),
    "padahal": ("pdhl",),
    "tapi": ("tp",),
    "tp": ("tp", "tapi"),
    "dengan": ("dgn", "dg"),
    "karena": ("krn", "karna"),
    "tolong": ("tlg", "tolong"),
    "untuk": ("utk", "buat"),
    "saya": ("sy", "aku", "saya"),
    "kalau": ("kalo", "klo", "kl"),
    "kalo": ("kalo", "klo"),
    "juga": ("jg",),
    "gimana": ("gmn", "gmana"),
    "dimana": ("dmn",),
    "orang": ("org",),
    "sekarang": ("skrg", "skrng"),
    "lagi": ("lg",),
    "dari": ("dr",),
    "bisa": ("bs", "bisa"),
    "harus": ("hrs",),
    "rumah": ("rmh",),
    "pak": ("pak", "pa", "bapak"),
    "min": ("min", "mimin", "minn"),
    "terus": ("trs", "terus2an"),
    "katanya": ("katanya", "ktnya", "jare"),
    "warga": ("warga", "wrg"),
}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[rng.randrange(len(items))]


def _duration(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return _pick(rng, _DURATION_PHRASES)
    unit = rng.choice(("hari", "minggu", "bulan", "bulan", "tahun"))
    count = {"hari": rng.randint(3, 20), "minggu": rng.randint(2, 6), "bulan": rng.randint(2, 11)}.get(
        unit, rng.randint(1, 3)
    )
    prefix = rng.choice(("udah", "udh", "sudah", "dah", "hampir", "lebih dari", "sudah hampir"))
    return f"{prefix} {count} {unit}"


def _slots(rng: random.Random, loc: str) -> dict[str, str]:
    n = str(rng.randint(1, 5))
    return {
        "loc": loc,
        "dur": _duration(rng),
        "durjv": _pick(rng, _DURATION_JV),
        "lm": _pick(rng, _LANDMARKS).format(n=rng.randint(1, 6)),
        "jl": _pick(rng, _STREETS),
        "sch": _pick(rng, _SCHOOLS).format(n=rng.randint(1, 4)),
        "rs": _pick(rng, _HOSPITALS),
        "amount": _pick(rng, _AMOUNTS),
        "n": n,
    }


def _roughen(rng: random.Random, text: str, sloppiness: float) -> str:
    """Informal spellings, stretched letters and the odd swapped letter; `{slots}` are left alone."""
    words = text.split(" ")
    out = []
    for word in words:
        if "{" in word or "@" in word or "#" in word or any(ch.isdigit() for ch in word):
            out.append(word)
            continue
        core = word.rstrip(".,!?")
        tail = word[len(core) :]
        lowered = core.lower()
        if lowered in _SLANG and rng.random() < sloppiness:
            core = _pick(rng, _SLANG[lowered])
        elif core.isalpha() and len(core) >= 4:
            roll = rng.random()
            if roll < sloppiness * 0.06:  # "parahh", "rusakkk"
                core += core[-1] * rng.randint(1, 3)
            elif roll < sloppiness * 0.09:  # a swapped pair of letters
                i = rng.randrange(1, len(core) - 2)
                core = core[:i] + core[i + 1] + core[i] + core[i + 2 :]
        out.append(core + tail)
    return " ".join(out)


def program_hashtag(rng: random.Random) -> str:
    """The program hashtag in one of the casings citizens type."""
    return rng.choices([tag for tag, _ in _HASHTAGS], weights=[weight for _, weight in _HASHTAGS])[0]


def _short_url(rng: random.Random) -> str:
    token = "".join(rng.choices(string.ascii_letters + string.digits, k=10))
    return rng.choice((f"https://t.co/{token}", f"https://t.co/{token}", f"https://maps.app.goo.gl/{token}"))


def _with_hashtag(rng: random.Random, parts: list[str], tag: str) -> list[str]:
    """Put the hashtag at the start, at the end, or between two parts of the message."""
    position = rng.random()
    if position < 0.2:
        return [tag, *parts]
    if position < 0.45 and len(parts) > 1:
        at = rng.randrange(1, len(parts))
        return [*parts[:at], tag, *parts[at:]]
    return [*parts, tag]


# ---------------------------------------------------------------------------------------------
# Invented personal data (never real: random digits, reserved e-mail domains)
# ---------------------------------------------------------------------------------------------


def fake_nik(rng: random.Random, kabkota: str | None = None) -> str:
    """An invented 16-digit NIK/KK number shaped like a Jawa Tengah one (region, birth date, serial)."""
    region = (kabkota or f"33.{rng.randint(1, 29):02d}").replace(".", "")
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    birth = f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}"
    return f"{region}{rng.randint(1, 20):02d}{birth}{rng.randint(1, 9999):04d}"


def fake_phone(rng: random.Random) -> str:
    """An invented Indonesian mobile number in one of the ways people write them."""
    prefix = rng.choice(("812", "813", "821", "822", "852", "857", "878", "896", "895"))
    a, b = rng.randint(1000, 9999), rng.randint(100, 9999)
    return rng.choice((f"0{prefix}-{a}-{b}", f"0{prefix}{a}{b}", f"+62 {prefix} {a} {b}", f"0{prefix} {a} {b}"))


def fake_email(rng: random.Random) -> str:
    """An invented address on a reserved domain (RFC 2606)."""
    name = _pick(rng, _FIRST_NAMES).lower()
    domain = rng.choice(("example.com", "example.net"))
    return f"{name}{rng.choice(('', '.', '_'))}{rng.randint(1, 999)}@{domain}"


def fake_plate(rng: random.Random) -> str:
    """An invented Jawa Tengah vehicle plate."""
    area = rng.choice(("H", "AD", "K", "R", "G", "AA", "B"))
    letters = "".join(rng.choices(string.ascii_uppercase, k=rng.randint(1, 3)))
    return f"{area} {rng.randint(1, 9999)} {letters}"


def _pii_snippet(rng: random.Random, sector: str, place: Place | None) -> tuple[str, str]:
    kab = place.kabkota if place else None
    options: list[tuple[str, str]] = [
        (
            rng.choice(("bisa hubungi saya di", "WA saya", "no hp", "kontak saya")) + " " + fake_phone(rng),
            "phone",
        ),
        (rng.choice(("email saya", "balas ke email", "email:")) + " " + fake_email(rng), "email"),
    ]
    if sector in ("permades-kependudukan", "sosial-masyarakat", "kesehatan", "pendidikan", "saberpungli"):
        label = rng.choice(("NIK saya", "NIK:", "nik", "no KK", "NIK ibu saya", "no. KK"))
        options += [(f"{label} {fake_nik(rng, kab)}", "nik")] * 3
    if sector in ("keuangan-aset", "forkominda"):
        options += [(f"{rng.choice(('nopol', 'plat nomor', 'motor saya'))} {fake_plate(rng)}", "plate")] * 3
    return _pick(rng, options)


# ---------------------------------------------------------------------------------------------
# Posts
# ---------------------------------------------------------------------------------------------


def _assemble(
    rng: random.Random,
    body: str,
    *,
    kind: str,
    sector: str | None,
    urgency: str,
    polite: bool,
    case: str = "",
) -> str:
    """Decorate a body with greeting, mention, closing, emoji, tags, URL and the program hashtag.

    `case` is "upper" (a rant in capitals), "lower" or "": it applies to what the citizen typed,
    not to a pasted link.
    """
    parts: list[str] = []
    if rng.random() < (0.5 if polite else 0.25):
        parts.append(_pick(rng, _GREETINGS))
    if rng.random() < 0.2:
        handles = _GENERAL_HANDLES + _SECTOR_HANDLES.get(sector or "", ())
        parts.append(_pick(rng, handles))
    parts.append(body)
    if urgency in ("high", "emergency") and rng.random() < 0.4:
        parts.append(_pick(rng, _URGENT_CLOSINGS))
    elif rng.random() < 0.4:
        parts.append(_pick(rng, _CLOSINGS_BY_KIND.get(kind, _CLOSINGS)))
    if rng.random() < 0.3:
        parts.append(_pick(rng, _EMOJI))
    tail: list[str] = []
    if rng.random() < 0.12:
        tail.append(_short_url(rng))
    if rng.random() < 0.15:
        tail.append(_pick(rng, _EXTRA_TAGS + _SECTOR_TAGS.get(sector or "", ())))
    typed = " ".join(_with_hashtag(rng, parts, program_hashtag(rng)))
    if len(typed) + sum(len(item) + 1 for item in tail) > 280:  # keep within X's limit: drop the decorations
        typed, tail = f"{body} {program_hashtag(rng)}", []
    if case == "upper":
        typed = typed.upper()
    elif case == "lower":
        typed = typed.lower()
    return " ".join([typed, *tail])


def _render(rng: random.Random, template: _Template, place: Place | None, *, use_place: bool) -> CitizenPost:
    sloppiness = rng.choice((0.1, 0.4, 0.7, 0.9))
    body = _roughen(rng, template.text, sloppiness)
    named: Place | None = None
    if "{loc}" in template.text:
        named = place if use_place else None
        loc = place_text(rng, named)
    else:
        loc = ""
        if use_place and place is not None:
            named = place
            intro = rng.choice(("saya warga {loc},", "warga {loc} mau tanya,", "dari {loc}:", "saya di {loc},"))
            body = intro + " " + body
            loc = place_text(rng, place)
    body = body.format_map(_slots(rng, loc))
    if body[:1].islower() and rng.random() < 0.4:
        body = body[0].upper() + body[1:]
    pii: tuple[str, ...] = ()
    if template.kind in ("complaint", "question") and rng.random() < 0.07:
        snippet, pii_kind = _pii_snippet(rng, template.sector, named)
        body = f"{body.rstrip('.')}. {snippet}"
        pii = (pii_kind,)
    polite = body.startswith(("Mohon", "Selamat"))
    caps = {"emergency": 0.2, "high": 0.1, "normal": 0.05}.get(template.urgency, 0.0)
    if template.kind != "complaint":
        caps = 0.0
    roll = rng.random()
    case = "upper" if roll < caps else "lower" if roll < caps + 0.4 else ""
    text = _assemble(
        rng,
        body,
        kind=template.kind,
        sector=template.sector,
        urgency=template.urgency,
        polite=polite,
        case=case,
    )
    return CitizenPost(
        text=text,
        kind=template.kind,
        sector=template.sector,
        region=named.region if named else None,
        urgency=template.urgency,
        topic=template.topic,
        place=named,
        pii=pii,
        template_id=template.template_id,
    )


def _public_service_post(rng: random.Random, kind: str) -> CitizenPost:
    by_sector = _BY_KIND[kind]
    sector = _weighted(rng, {code: weight for code, weight in _SECTOR_WEIGHTS.items() if code in by_sector})
    template = _pick(rng, by_sector[sector])
    place = random_place(rng, allow_none=True, coastal=template.coastal)
    if "{loc}" in template.text:
        return _render(rng, template, place, use_place=place is not None)
    return _render(rng, template, place, use_place=place is not None and rng.random() < 0.25)


# Chatter: not a public-service matter. Composed from pieces so it rarely repeats.
_CHAT_OPENERS = ("", "", "wkwk", "gaes", "guys", "hmm", "btw", "eh", "lur", "sugeng enjang,", "pagi2")
_CHAT_BODIES = (
    "selamat pagi warga jateng, semangat kerjanya",
    "nonton PSIS malem ini gk?",
    "hari ini panas banget ya, kayak di oven",
    "baru tau ada hashtag ini",
    "ini hashtag buat apa sih?",
    "pagi2 udah macet aja",
    "sugeng enjang sedulur, ojo lali sarapan",
    "barusan liat rombongan pak gub lewat",
    "mantap jateng gayeng",
    "rt kalo kamu juga wong jateng",
    "lagi pengen soto kudus",
    "enaknya weekend ke dieng apa ke kopeng ya",
    "ada yg tau lowongan kerja gk?",
    "kangen mudik",
    "hujan terus, jemuran gk kering2",
    "mie ayam wonogiri emang juara",
    "kok sepi ya timeline",
    "selamat hari jadi provinsi jawa tengah",
    "persis solo menang lagi!!",
    "siapa yg masih bangun jam segini",
    "lagi antri bakso, rame banget",
    "good morning from jateng",
    "iseng ikut ngetag",
    "nggak ngerti lagi sama drama di grup wa keluarga",
    "ngopi sik ben ora ngantuk",
)
_CHAT_TAILS = ("", "", "😂", "🤣", "☕", "🔥", "😅", "hehe", "wkwkwk", "✨", "💪", "ygy")

# Spam that hijacks the hashtag. Phone numbers and links in it are invented.
_SPAM_BODIES = (
    "SLOT GACOR HARI INI 🔥 maxwin x500 depo {n}0rb langsung WD, link di bio",
    "pinjol cair 5 menit tanpa jaminan tanpa BI checking, WA {phone}",
    "follow back ya kak, pasti aku fb 🙏 #followback",
    "jual followers & likes murah, real akun indo, DM aja",
    "promo skincare diskon {n}0% hari ini aja!! cek {url}",
    "kerja dari rumah gaji 500rb/hari, minat? DM sekarang",
    "bandar togel terpercaya, bonus new member 100% {url}",
    "investasi emas untung {n}0% per bulan dijamin aman, WA {phone}",
    "situs judi online resmi, deposit pulsa tanpa potongan {url}",
    "butuh dana cepat? cair hari ini, chat admin {phone}",
    "RAHASIA menang slot ada di sini 👉 {url}",
    "obat kuat herbal asli, COD seluruh jateng, WA {phone}",
    "giveaway iPhone! cukup follow, like & RT, pemenang diumumkan besok {url}",
    "jasa joki tugas & skripsi murah, fast respon {phone}",
)
_SPAM_TAGS = ("#slotgacor", "#pinjol", "#followback", "#promo", "#giveaway", "#viral", "#fyp", "#infoloker")


def _offtopic_post(rng: random.Random) -> CitizenPost:
    pieces = [rng.choice(_CHAT_OPENERS), _pick(rng, _CHAT_BODIES), rng.choice(_CHAT_TAILS)]
    body = " ".join(piece for piece in pieces if piece)
    if rng.random() < 0.6:  # chatter only sometimes carries the program hashtag
        body = " ".join(_with_hashtag(rng, [body], program_hashtag(rng)))
    if rng.random() < 0.2:
        body += " " + _pick(rng, _EXTRA_TAGS)
    return CitizenPost(text=body, kind="other", sector=None, region=None, urgency="normal")


def _spam_post(rng: random.Random) -> CitizenPost:
    template = _pick(rng, _SPAM_BODIES)
    pii = ("phone",) if "{phone}" in template else ()
    body = template.format(n=rng.randint(1, 9), phone=fake_phone(rng), url=_short_url(rng))
    tags = [program_hashtag(rng), *rng.sample(_SPAM_TAGS, k=rng.randint(1, 4))]
    rng.shuffle(tags)
    return CitizenPost(
        text=f"{body} {' '.join(tags)}", kind="spam", sector=None, region=None, urgency="normal", pii=pii
    )


def generate_post(rng: random.Random) -> CitizenPost:
    """One new top-level post, with its label. Every kind but chatter carries the program hashtag."""
    kind = _weighted(rng, _KIND_WEIGHTS)
    if kind == "spam":
        return _spam_post(rng)
    if kind == "other":
        return _offtopic_post(rng)
    return _public_service_post(rng, kind)


def generate_same_problem(rng: random.Random, original: CitizenPost) -> CitizenPost:
    """Another citizen reporting the problem of `original`: same sector, topic and place, other words."""
    if original.sector is None or original.topic is None:
        return generate_post(rng)
    same_topic = [
        t
        for t in TEMPLATES
        if t.sector == original.sector and t.topic == original.topic and t.kind == "complaint" and "{loc}" in t.text
    ]
    others = [t for t in same_topic if t.template_id != original.template_id] or same_topic
    if not others:
        return generate_post(rng)
    return _render(rng, _pick(rng, others), original.place, use_place=original.place is not None)


# ---------------------------------------------------------------------------------------------
# Thread talk: follow-ups, answers to an agency, support
# ---------------------------------------------------------------------------------------------

_STILL_BY_TOPIC: dict[str, tuple[str, ...]] = {
    "jalan": (
        "masih rusak sampe skrg",
        "lubangnya makin gede min",
        "jalannya blm dibenerin jg",
        "tambah parah",
    ),
    "lampu": ("lampunya masih mati", "masih gelap gulita tiap malem", "lampune isih mati lur"),
    "jembatan": ("jembatannya masih gitu2 aja", "blm ada perbaikan sama sekali"),
    "banjir": ("air makin naik min!!", "blm surut sampe skrg", "tolong, airnya masih tinggi"),
    "longsor": ("alat berat blm dateng", "jalannya masih ketutup"),
    "sampah": ("sampahnya masih numpuk", "baunya makin parah"),
    "listrik": ("listrik mati lagi barusan", "masih byar pet"),
    "lpg": ("gas masih langka", "masih kosong di mana2"),
    "ktp": ("KTP nya blm jadi jg", "masih disuruh nunggu"),
    "pupuk": ("pupuknya tetep gk ada", "petani masih nunggu"),
}
_STILL_DEFAULT = ("masih sama aja", "blm ada perubahan", "blm ada tindak lanjut", "kondisinya masih sama")
_NUDGES = (
    "gimana min, udh seminggu blm ada kabar",
    "up",
    "up min 🙏",
    "UP!!!",
    "halo min? ada yg baca gk sih",
    "min tolong dibaca dong",
    "udah {n} hari blm ada respon",
    "piye min, kok meneng wae?",
    "ditunggu kabarnya pak",
    "ini jadi ditindaklanjuti gk ya?",
    "min??",
    "sekedar ngingetin lagi min",
    "kok gk ada jawaban ya",
)


def generate_follow_up(rng: random.Random, original: CitizenPost) -> str:
    """A citizen's later reply in their own thread: a nudge, a "still broken", or both."""
    still = _STILL_BY_TOPIC.get(original.topic or "", _STILL_DEFAULT)
    nudge = _pick(rng, _NUDGES).format(n=rng.randint(2, 14))
    roll = rng.random()
    if original.kind != "complaint" or roll < 0.4:
        text = nudge
    elif roll < 0.7:
        text = _pick(rng, still)
    else:
        text = f"{_pick(rng, still)}, {nudge}"
    if rng.random() < 0.25:
        text += " " + _pick(rng, _EMOJI)
    return text


_THANKS = (
    "makasih min 🙏",
    "siap, terima kasih pak",
    "oke min ditunggu",
    "matur nuwun pak",
    "suwun min, wis beres",
    "alhamdulillah udah dibenerin, makasih",
    "terima kasih atas responnya",
    "mantap, gercep 👍",
)
_NOT_DONE = (
    "blm beres tuh min, masih sama aja",
    "udah dicek beneran? kok masih gini",
    "cuma janji doang, sampe skrg blm ada yg dateng",
    "kemarin cuma dilihat, gk dikerjain",
    "durung beres pak, isih podo wae",
    "ditunggu realisasinya, jangan cuma dijawab",
)


def generate_agency_answer_reply(rng: random.Random, satisfied: bool) -> str:
    """A citizen answering the agency's reply: thanks, or "not fixed yet"."""
    return _pick(rng, _THANKS if satisfied else _NOT_DONE)


_SUPPORT = (
    "bener min, di sini jg sama",
    "tolong diperhatikan pak, ini udh lama",
    "setuju, mohon ditindaklanjuti",
    "👆👆 ini min",
    "sama lur, aku yo ngalami",
    "betul banget, saya tiap hari lewat situ",
    "ikut lapor, kondisinya memang parah",
    "up biar dibaca",
)


def generate_support(rng: random.Random) -> str:
    """A quote of another citizen's post: support, with the program hashtag."""
    return " ".join(_with_hashtag(rng, [_pick(rng, _SUPPORT)], program_hashtag(rng)))


# ---------------------------------------------------------------------------------------------
# Personas (invented people)
# ---------------------------------------------------------------------------------------------

_FIRST_NAMES = (
    "Budi", "Sri", "Agus", "Dwi", "Eko", "Siti", "Wahyu", "Rina", "Joko", "Slamet", "Tri", "Endang",
    "Yuni", "Bambang", "Heru", "Nur", "Dian", "Fajar", "Rizky", "Putri", "Ayu", "Dimas", "Bayu",
    "Anisa", "Nanda", "Galih", "Ratna", "Wulan", "Sigit", "Teguh", "Lestari", "Puji", "Setyo",
    "Ahmad", "Arif", "Indah", "Kurnia", "Mega", "Yusuf", "Rohmat", "Sumarni", "Hartono", "Tika",
)  # fmt: skip
_LAST_NAMES = (
    "Santoso", "Wibowo", "Pratama", "Saputra", "Setiawan", "Hidayat", "Kurniawan", "Lestari",
    "Rahayu", "Purnomo", "Susanto", "Nugroho", "Wijaya", "Handayani", "Prasetyo", "Utomo", "Maulana",
    "Suryani", "Hartati", "Riyadi", "Sulistyo", "Wulandari", "Firmansyah", "Ningsih",
)  # fmt: skip
_HONORIFICS = ("mas", "mbak", "kang", "pakde", "bude", "cak", "dik")
_PROFILE_EMOJI = ("🌻", "☕", "🏍️", "🌙", "⚽", "🌾", "🇮🇩", "✨")


def _handle(text: str) -> str:
    """An X username: letters, digits and underscore, at most 15 characters."""
    clean = "".join(ch for ch in text.lower() if ch.isascii() and (ch.isalnum() or ch == "_"))
    return clean[:15] or "warga"


def generate_persona(rng: random.Random) -> tuple[str, str, str | None]:
    """An invented citizen: (username, display name, profile location or None)."""
    first, last = _pick(rng, _FIRST_NAMES), _pick(rng, _LAST_NAMES)
    pattern = rng.randrange(7)
    if pattern == 0:
        username = _handle(first + last)
    elif pattern == 1:
        username = _handle(f"{first}_{last[: rng.randint(2, 5)]}")
    elif pattern == 2:
        username = _handle(f"{first}{rng.randint(1, 99)}")
    elif pattern == 3:
        username = _handle(f"{first}{rng.randint(80, 99)}{last[0]}")
    elif pattern == 4:
        username = _handle(f"{rng.choice(_HONORIFICS)}_{first}")
    elif pattern == 5:
        username = _handle(f"{first[0]}{last}{rng.randint(1, 9)}")
    else:
        username = _handle(f"{first}{last[:3]}_")
    style = rng.randrange(6)
    if style == 0:
        name = f"{first} {last}"
    elif style == 1:
        name = f"{rng.choice(_HONORIFICS).title()} {first}"
    elif style == 2:
        name = f"{first} {last[0]}. {rng.choice(_PROFILE_EMOJI)}"
    elif style == 3:
        name = f"{first} {last}".upper()
    elif style == 4:
        name = first.lower()
    else:
        name = f"{first} | {rng.choice(('warga jateng', 'wong cilik', 'ojol', 'petani', 'guru'))}"
    location: str | None = None
    roll = rng.random()
    if roll < 0.55:
        gaz = _gazetteer()
        kab = gaz.kabkota[rng.choice(list(gaz.kabkota))]
        location = _kab_alias(rng, kab) + rng.choice(("", ", Jawa Tengah", ", Indonesia", " 🏠"))
    elif roll < 0.7:
        location = rng.choice(("Jawa Tengah", "Indonesia", "Jateng", "Bumi Allah", "rumah", "Central Java"))
    return username, name, location


def generate_spammer(rng: random.Random) -> tuple[str, str, str | None]:
    """An invented spam account."""
    stem = rng.choice(("slotgacor", "pinjolcepat", "promo_", "infoloker", "followback", "danacair", "jpmaxwin"))
    username = _handle(f"{stem}{rng.randint(10, 9999)}")
    name = rng.choice(("SLOT GACOR 🔥", "Info Pinjaman", "Promo Hari Ini", "Admin Loker", "FB 100%", "CS Resmi"))
    return username, name, rng.choice((None, "Indonesia", "Jakarta"))
