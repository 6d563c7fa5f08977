"""Reader.read() on posts written the way citizens write them: informal, abbreviated, misspelt.

Every post here was written for these tests (nothing copied from real complaint data); place
names are real Central Java places from the shipped reference files.
"""

from __future__ import annotations

import time
from dataclasses import FrozenInstanceError

import pytest

from tests.triage.support import shared_reader
from triage import MODEL_VERSION, PiiSpan, Reader, Reading, default_reference_dir
from triage.reading import KINDS, URGENCIES
from triage.rules import TOPICS

# text, sector, agency, region
ROUTED_POSTS = [
    # kab/kota matters go to the kab/kota government of the place named
    (
        "jln rusak parah bgt di tembalang smg, udh 3 bln gk dibenerin #KemalaJateng",
        "infrastruktur",
        "kota-semarang",
        "33.74.10",
    ),
    (
        "jalan desa di ds jatirejo kec ngargoyoso karanganyar rusak, tolong diaspal",
        "infrastruktur",
        "kab-karanganyar",
        "33.13.07.2008",
    ),
    ("air pdam mati udah 4 hari di kel. gisikdrono", "infrastruktur", "kota-semarang", "33.74.13.1007"),
    ("jembatan di sokaraja retak, motor aja takut lewat", "infrastruktur", "kab-banyumas", "33.02.19"),
    ("lampu pju di jalan raya cepu blora mati semua, gelap rawan begal", "infrastruktur", "kab-blora", "33.16.05"),
    ("KTP el sy udh rekam 6 bulan blm jadi2 di dukcapil kab. smg", "permades-kependudukan", "kab-semarang", "33.22"),
    (
        "bansos pkh sy gk cair2 padahal terdaftar dtks, desa kalisari kec sayung demak",
        "sosial-masyarakat",
        "kab-demak",
        "33.21.04.2004",
    ),
    ("lansia di kutoarjo blm dpt bansos pkh, pdhl miskin", "sosial-masyarakat", "kab-purworejo", "33.06.09"),
    ("warga jebres solo resah, pengamen & pkl nutup trotoar", "sosial-masyarakat", "kota-surakarta", "33.72.04"),
    ("puskesmas di kec mertoyudan magelang pelayanane lelet bgt", "kesehatan", "kab-magelang", "33.08.10"),
    (
        "DBD di kel. sumurboto banyumanik, sudah 3 warga dirawat, tolong fogging",
        "kesehatan",
        "kota-semarang",
        "33.74.11.1011",
    ),
    ("anak sy di SD negeri 2 kartasura sukoharjo dimintai uang seragam", "pendidikan", "kab-sukoharjo", "33.11.12"),
    (
        "sampah numpuk di pinggir jalan kelurahan tlogosari kulon, bau bgt",
        "lingkungan",
        "kota-semarang",
        "33.74.06.1004",
    ),
    (
        "rumah warga kebakaran di desa ngrombo kec tangen sragen, damkar lama datangnya",
        "bencana",
        "kab-sragen",
        "33.14.19.2005",
    ),
    # provincial matters go to the provincial OPD, wherever they are
    ("Jalan provinsi Ungaran - Bawen berlubang banyak, mohon segera ditambal", "infrastruktur", "dpu-bmck", "33.22.11"),
    ("ppdb sma negeri zonasi kacau, anak sy gak ketrima padahal rumah deket sekolah", "pendidikan", "disdikbud", None),
    ("bayar pajak kendaraan di samsat klaten antre 3 jam", "keuangan-aset", "bapenda", "33.10"),
    ("min, pupuk urea di kios kradenan blora kosong trs, petani bingung", "pertanian", "distanbun", "33.16.03"),
    ("limbah pabrik cemari sungai di kec. kaliwungu kendal, air jd item & bau", "lingkungan", "dlhk", "33.24.08"),
    ("asap pabrik di ambarawa bikin sesak napas warga", "lingkungan", "dlhk", "33.22.10"),
    ("PHK sepihak di pabrik garmen ungaran, pesangon gak dibayar", "sosial-masyarakat", "disnakertrans", "33.22"),
    ("banjir bandang di desa dieng kejajar, tolong segera ada warga hanyut", "bencana", "bpbd", "33.07.13.2013"),
    ("tambang galian c ilegal di kec. pakis magelang bikin jalan rusak", "energi", "desdm", "33.08.16"),
    ("Ibu sy pasien di RSUD Moewardi disuruh beli obat sendiri", "kesehatan", "rsud-moewardi", None),
    # national matters go to the vertical agency or the state company
    ("listrik padam terus tiap malem di purwokerto, pln gimana nih", "energi", "pln-jateng", "33.02"),
    ("gas melon langka di pati, harga 30rb", "energi", "pertamina", "33.18"),
    ("bpjs sy dinonaktifkan tanpa pemberitahuan, mau berobat ditolak", "kesehatan", "bpjs-kesehatan", None),
    ("begal marak di jalan lingkar kudus, polisi kemana?", "forkominda", "polda-jateng", "33.19"),
    ("jalan nasional pantura rusak parah, truk2 besar lewat", "infrastruktur", "lapor-sp4n", None),
    ("pungli di samsat kota magelang, diminta uang 50rb", "saberpungli", "saber-pungli", "33.71"),
    ("pungutan liar ppdb sma negeri 1 lasem rembang 2 juta", "saberpungli", "saber-pungli", "33.17.14"),
]


@pytest.fixture(scope="module")
def reader() -> Reader:
    return shared_reader()


@pytest.mark.parametrize(("text", "sector", "agency", "region"), ROUTED_POSTS)
def test_sector_agency_and_region(reader: Reader, text: str, sector: str, agency: str, region: str | None) -> None:
    reading = reader.read(text)
    assert (reading.sector, reading.agency, reading.region) == (sector, agency, region)
    assert 0.3 <= reading.sector_confidence <= 0.95
    assert 0 < reading.agency_confidence <= reading.sector_confidence


def test_kabkota_matter_without_region_falls_back_to_the_provincial_opd_with_less_confidence(reader: Reader) -> None:
    with_region = reader.read("jalan rusak parah di tembalang, banyak lubang")
    without_region = reader.read("jalan rusak parah, banyak lubang")
    assert with_region.agency == "kota-semarang"
    assert without_region.agency == "dpu-bmck"
    assert without_region.region is None
    assert without_region.agency_confidence < with_region.agency_confidence


def test_author_location_is_used_only_when_the_text_names_no_place(reader: Reader) -> None:
    from_profile = reader.read("jalan depan rumah ambrol, tolong", author_location="Kendal, Jawa Tengah")
    assert (from_profile.region, from_profile.agency) == ("33.24", "kab-kendal")
    assert from_profile.region_evidence == "author_location: kendal"
    from_text = reader.read("jalan depan rumah ambrol di tembalang", author_location="Kendal")
    assert from_text.region == "33.74.10"
    # A confident reading from the text is worth more than one from the profile.
    assert from_profile.agency_confidence < from_text.agency_confidence


def test_a_post_about_another_province_does_not_get_the_authors_region(reader: Reader) -> None:
    reading = reader.read("jalan rusak di jogja parah", author_location="Semarang")
    assert reading.region is None


def test_no_topic_means_lain_lain_with_low_confidence_and_no_agency(reader: Reader) -> None:
    reading = reader.read("selamat pagi semua, semangat ya")
    assert (reading.kind, reading.sector, reading.agency) == ("other", "lain-lain", None)
    assert reading.sector_confidence == pytest.approx(0.2)
    assert reading.agency_confidence == 0


def test_split_evidence_lowers_sector_confidence(reader: Reader) -> None:
    clear = reader.read("jalan rusak berlubang, aspal hancur, jembatan juga retak")
    mixed = reader.read("jalan rusak, sampah numpuk, listrik padam")
    assert clear.sector == "infrastruktur"
    assert mixed.sector_confidence < clear.sector_confidence


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jalan di depan sd 1 rusak parah udh setahun", "complaint"),
        ("kapan bansos tahap 2 cair?", "question"),
        ("mau tanya syarat bikin kk baru gmn ya?", "question"),
        ("apakah pendaftaran ppdb sma sudah dibuka", "question"),
        ("pajak motor telat 2 thn kena denda, bisa pemutihan gak ya?", "question"),
        ("kok ktp saya belum jadi jadi sudah 4 bulan?", "complaint"),  # rhetorical
        ("Saran: lampu jalan di jalan raya ungaran mohon ditambah, gelap rawan begal", "suggestion"),
        ("usul min, sebaiknya ada bus trans jateng jurusan semarang - kendal", "suggestion"),
        ("terima kasih pak, jalan di gombong sudah mulus skrg 👍", "appreciation"),
        ("matur nuwun pak gub 🙏", "appreciation"),
        ("jalan rusak parah mohon segera diperbaiki, terima kasih", "complaint"),  # polite thanks only
        ("SLOT GACOR MAXWIN hari ini!! depo 10rb, link di bio", "spam"),
        ("promo diskon 50% hari ini saja, order via WA, gratis ongkir", "spam"),
        ("pinjol cair cepat tanpa jaminan, hubungi admin", "spam"),
        ("cek https://a.example/1 https://a.example/2 https://a.example/3 giveaway", "spam"),
        ("marak judi online di kampung, warga resah, mohon polisi bertindak", "complaint"),  # not spam
        ("selamat pagi semua", "other"),
        ("wkwkwk", "other"),
    ],
)
def test_kind(reader: Reader, text: str, kind: str) -> None:
    assert reader.read(text).kind == kind


def test_spam_has_no_sector_and_no_agency(reader: Reader) -> None:
    reading = reader.read("slot gacor maxwin, daftar sekarang link alternatif")
    assert (reading.kind, reading.sector, reading.agency, reading.urgency) == ("spam", None, None, "normal")


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("banjir setinggi lutut di kaligawe sekarang, tolong segera", "emergency"),
        ("longsor menimbun rumah warga di desa kami, ada korban tertimbun", "emergency"),
        ("kebakaran pasar, apinya makin besar!!", "emergency"),
        ("anak tenggelam di sungai belum ketemu", "emergency"),
        ("wabah diare di desa kami, sudah KLB", "emergency"),
        ("tolong segera, ada warga terjebak di dalam rumah", "emergency"),
        ("darurat!! tanggul jebol air masuk rumah", "emergency"),
        ("tiap hujan pasti banjir di jalan kaligawe, tolong dinormalisasi sungainya", "high"),  # habitual
        ("daerah kami rawan longsor kalau hujan deras", "high"),  # a risk, not happening
        ("jalan ambrol separuh di tuntang", "high"),
        ("pohon tumbang nutup jalan di jl. pandanaran", "high"),
        ("kabel listrik putus menjuntai di depan sekolah", "high"),
        ("air pdam mati udah 4 hari", "high"),  # outage with a duration
        ("air pdam mati pagi ini", "normal"),  # outage without one
        ("sudah tidak banjir lagi sejak sungai dikeruk", "normal"),  # negated
        ("jalan berlubang di depan pasar", "normal"),
        ("nomor darurat polisi berapa ya?", "normal"),
        ("posko pengungsian banjir di mana ya?", "high"),  # a question about an emergency
        ("selamat pagi, semoga tidak banjir", "normal"),
    ],
)
def test_urgency(reader: Reader, text: str, urgency: str) -> None:
    assert reader.read(text).urgency == urgency


def test_reading_carries_pii_spans_and_the_model_version(reader: Reader) -> None:
    text = "ktp hilang, NIK 3374011203850001 hp 0812-3456-7890"
    reading = reader.read(text)
    assert [(span.kind, text[span.start : span.end]) for span in reading.pii] == [
        ("nik", "3374011203850001"),
        ("phone", "0812-3456-7890"),
    ]
    assert reading.model_version == MODEL_VERSION == "baseline-rules-1"


def test_to_contract_has_the_documented_shape(reader: Reader) -> None:
    contract = reader.read("jln rusak di tembalang, hp 081234567890").to_contract("post-7")
    assert list(contract) == [
        "id",
        "kind",
        "sector",
        "agency",
        "region",
        "urgency",
        "confidence",
        "pii",
        "model_version",
    ]
    assert contract["id"] == "post-7"
    assert contract["region"] == "33.74.10"
    assert set(contract["confidence"]) == {"sector", "agency"}
    assert contract["pii"] == [{"kind": "phone", "start": 27, "end": 39}]


def test_reading_and_spans_are_immutable(reader: Reader) -> None:
    reading = reader.read("jalan rusak")
    with pytest.raises(FrozenInstanceError):
        reading.kind = "spam"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        PiiSpan("nik", 0, 16).start = 1  # type: ignore[misc]


HOSTILE_TEXTS = [
    "",
    "   \n\t  ",
    "\x00jalan\x00rusak\x00",
    "\ud800\udfff jalan rusak \udbff",
    "الطريق مكسور في سمارانج \u202e kirim \u202c",
    "😡" * 3000,
    "<script>alert('jalan rusak')</script><img src=x onerror=alert(1)>",
    "jalan rusak di tembalang semarang " * 760,  # ~25,000 characters
    "a" * 25_000,
    "1" * 25_000,
    "@" * 25_000,
    "#" * 25_000,
    "http://" * 3_500,
    "smg " * 6_000,
    "desa kelurahan kecamatan kabupaten kota " * 600,
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_hostile_input_never_crashes_and_stays_fast(reader: Reader, text: str) -> None:
    started = time.perf_counter()
    reading = reader.read(text, author_location=text[:200])
    elapsed = time.perf_counter() - started
    assert isinstance(reading, Reading)
    assert reading.kind in KINDS
    assert reading.urgency in URGENCIES
    assert all(0 <= span.start < span.end <= len(text) for span in reading.pii)
    assert elapsed < 1.0  # a 25,000-character post is read in tens of milliseconds


def test_ordinary_posts_are_read_well_under_a_millisecond(reader: Reader) -> None:
    texts = [text for text, *_ in ROUTED_POSTS]
    started = time.perf_counter()
    for _ in range(20):
        for text in texts:
            reader.read(text)
    per_read = (time.perf_counter() - started) / (20 * len(texts))
    # Typically ~0.1 ms; the bound is loose so that a slow CI machine does not fail the test.
    assert per_read < 0.002


def test_every_rule_names_a_known_sector_and_agency() -> None:
    # Reader() refuses rules that name codes missing from the reference files …
    shared_reader()
    # … and says which rule is wrong.
    from triage.region import Gazetteer

    with pytest.raises(ValueError, match="unknown agency"):
        Reader(Gazetteer([]), frozenset(topic.sector for topic in TOPICS), frozenset(), {})


def test_default_reference_dir_is_the_repositorys_jateng_data() -> None:
    directory = default_reference_dir()
    assert directory.parts[-3:] == ("programs", "data", "jateng")
    assert (directory / "jateng_desa_kelurahan.csv").is_file()
