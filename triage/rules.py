"""The keyword rules of the baseline reader: sector + routing topics, kind cues, urgency cues.

Every phrase is written in plain (or informal) Indonesian and normalised with the same
:func:`triage.normalise.tokenise` as the posts, so "jln provinsi" and "jalan provinsi" are one
phrase. Matching is longest-first on tokens (see :mod:`triage.phrases`), and a token with an
enclitic ("jalannya", "rusaklah") also matches its stem.

Routing (who answers) — each topic says either *this agency* or *the kab/kota government of the
region found, falling back to this provincial OPD when no region is found*:

=========================  ==========================================  ==============================
sector                     topic (examples)                            agency
=========================  ==========================================  ==============================
infrastruktur              jalan provinsi                              dpu-bmck
infrastruktur              jalan nasional, tol, pantura                lapor-sp4n (national roads)
infrastruktur              jalan rusak/berlubang, jembatan, drainase   kab/kota, else dpu-bmck
infrastruktur              lampu jalan/PJU, traffic light, parkir      kab/kota, else dishub
infrastruktur              Trans Jateng, bus                           dishub
infrastruktur              PDAM, air bersih mati                       kab/kota, else dpu-bmck
infrastruktur              RTLH, perumahan                             kab/kota, else disperakim
infrastruktur              sungai, tanggul, waduk, tata ruang          pusdataru
infrastruktur              proyek mangkrak, flyover, underpass         kab/kota, else dpu-bmck
infrastruktur              pohon tumbang (LaporGub files it here)      kab/kota, else bpbd
infrastruktur              sertifikat tanah, PTSL, BPN                 kanwil-bpn (LaporGub: infrastruktur)
infrastruktur              internet, sinyal, BTS, kabel semrawut       diskominfo (LaporGub: infrastruktur)
permades-kependudukan      KTP, KK, akta, dukcapil; dana desa, kades   kab/kota, else dispermadesdukcapil
sosial-masyarakat          bansos, PKH, BPNT, DTKS, PBI, ODGJ, lansia  kab/kota, else dinsos
sosial-masyarakat          bansos provinsi / bantuan gubernur          dinsos
sosial-masyarakat          PHK, upah, THR, buruh                       disnakertrans (labour inspection)
sosial-masyarakat          BPJS Ketenagakerjaan, JHT                   bpjs-tk
sosial-masyarakat          KDRT, kekerasan anak, KB                    kab/kota, else dp3akb
sosial-masyarakat          PKL, miras, ketertiban, keresahan           kab/kota, else satpolpp
pendidikan                 SMA/SMK/SLB; sekolah, guru, PPDB (generic)  disdikbud (the province runs SMA/SMK)
pendidikan                 SD, SMP, PAUD, TK                           kab/kota, else disdikbud
pendidikan                 madrasah, pesantren                         kanwil-kemenag
energi                     listrik, PLN, padam, token                  pln-jateng
energi                     LPG, BBM, SPBU                              pertamina
energi                     tambang, galian C                           desdm
kesehatan                  BPJS (Kesehatan), JKN, KIS                  bpjs-kesehatan
kesehatan                  puskesmas, posyandu, DBD, imunisasi, RS     kab/kota, else dinkes
kesehatan                  RSUD provinsi; named provincial hospitals   dinkes; rsud-*/rsjd-*; rsup-kariadi
pertanian                  pupuk, petani, kartu tani                   distanbun
pertanian                  irigasi                                     pusdataru
pertanian                  ternak, PMK, rabies / nelayan, ikan         disnakkeswan / dkp
keuangan-aset              pajak kendaraan, samsat, PKB, STNK          bapenda
keuangan-aset              PBB, SPPT, BPHTB                            kab/kota, else bapenda
keuangan-aset              NPWP, PPh, SPT / Bank Jateng / aset daerah  kanwil-djp / bank-jateng / bpkad
kepegawaian                ASN, PNS, PPPK, honorer, TPP                bkd
lingkungan                 sampah, TPS, TPA                            kab/kota, else dlhk
lingkungan                 limbah, pencemaran, polusi, hutan           dlhk
ekonomi-industri           harga, minyak goreng / beras, Bulog         disperindag / bulog-jateng
ekonomi-industri           pasar (tradisional)                         kab/kota, else disperindag
ekonomi-industri           UMKM, koperasi / izin usaha, OSS / PBG-IMB  dinkopukm / dpmptsp / kab/kota
bencana                    banjir, longsor, gempa, rob, puting beliung bpbd
bencana                    kebakaran, damkar                           kab/kota, else bpbd
pariwisata-budaya          wisata, olahraga, atlet / cagar budaya      disporapar / disdikbud
pembangunan-daerah         musrenbang, perencanaan / aplikasi, website bappeda / diskominfo
forkominda                 polisi, begal, maling, narkoba, SIM         polda-jateng
forkominda                 TNI / kejaksaan, korupsi                    kodam-iv / kejati-jateng
forkominda                 imigrasi, lapas                             kanwil-kemenkum
saberpungli                pungli, pungutan liar, uang pelicin         saber-pungli
lain-lain                  KUA, haji / pemilu / politik uang           kanwil-kemenag / kpu-jateng /
                                                                       bawaslu-jateng
=========================  ==========================================  ==============================

Where the province's own LaporGub labels (2024-25) file a matter under another sector than its
name suggests, the rules follow LaporGub (noted in the table); the brief's list decides otherwise.

Weights: 1 = a weak hint ("jalan" is also an address), 2 = a clear sign, 3 = decisive, 4 = a
specific sub-topic; 5-6 = a phrase that names the agency or overrides a generic topic ("jalan
provinsi", "bansos provinsi", "RSUD Moewardi"): such a topic routes whenever it matched.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, eq=False)  # identity equality: topics are unique objects, cheap to hash
class Topic:
    """A group of phrases that point to one sector and one way of routing."""

    name: str
    sector: str
    weight: float
    agency: str | None  # the agency; for a kab/kota matter, the provincial fallback
    kabkota: bool  # True: the kab/kota government of the region found answers
    phrases: tuple[str, ...]


def _topic(name: str, sector: str, weight: float, agency: str | None, phrases: str, kabkota: bool = False) -> Topic:
    phrase_list = tuple(phrase.strip() for phrase in phrases.split(",") if phrase.strip())
    return Topic(name, sector, weight, agency, kabkota, phrase_list)


TOPICS: tuple[Topic, ...] = (
    # --- infrastruktur
    _topic(
        "jalan-provinsi",
        "infrastruktur",
        5,
        "dpu-bmck",
        "jalan provinsi, ruas provinsi, jalan milik provinsi, jalan raya provinsi, kewenangan provinsi",
    ),
    _topic(
        "jalan-nasional",
        "infrastruktur",
        5,
        "lapor-sp4n",
        "jalan nasional, ruas nasional, jalan tol, tol, pantura, jalur pantura, jalan negara",
    ),
    _topic(
        "jalan-rusak",
        "infrastruktur",
        3,
        "dpu-bmck",
        "jalan rusak, jalanrusak, jalan berlubang, jalanberlubang, berlubang, lubang, aspal, tambal, "
        "tambal sulam, jalan desa, jalan kampung, jalan kabupaten, jalan kota, jalan lingkungan, "
        "paving, jalan ambrol, jalan amblas, amblas, ambrol, jalan licin, jalan bergelombang, "
        "bergelombang, jalan hancur, makadam, perbaikan jalan, pengaspalan, betonisasi, jalan cor, "
        "jalan rabat, talud, talut, plengsengan, polisi tidur, speed bump",
        kabkota=True,
    ),
    _topic("jalan", "infrastruktur", 1, "dpu-bmck", "jalan, jalannya, gang, trotoar, jalur, ruas", kabkota=True),
    _topic(
        "jembatan",
        "infrastruktur",
        3,
        "dpu-bmck",
        "jembatan, jembatan putus, jembatan rusak, jembatan ambruk, jembatan roboh, jembatan gantung",
        kabkota=True,
    ),
    _topic(
        "drainase",
        "infrastruktur",
        2,
        "dpu-bmck",
        "drainase, selokan, saluran air, got, gorong gorong, saluran, mampet, tersumbat, saluran mampet",
        kabkota=True,
    ),
    _topic(
        "penerangan-jalan",
        "infrastruktur",
        3,
        "dishub",
        "lampu jalan, lampujalan, pju, penerangan jalan, lampu penerangan jalan, lampu pju, penerangan jalan umum",
        kabkota=True,
    ),
    _topic("lampu", "infrastruktur", 1, "dishub", "lampu, penerangan, gelap gulita", kabkota=True),
    _topic(
        "lalu-lintas",
        "infrastruktur",
        2,
        "dishub",
        "lampu lalu lintas, traffic light, lampu merah, apill, rambu, rambu lalu lintas, marka, "
        "halte, terminal, parkir liar, jukir, juru parkir, parkir, angkot, angkutan umum, macet, "
        "kemacetan, zebra cross, jembatan penyeberangan, jpo, dishub, perhubungan",
        kabkota=True,
    ),
    _topic(
        "trans-jateng",
        "infrastruktur",
        4,
        "dishub",
        "trans jateng, transjateng, brt trans jateng, bus trans jateng, brt, bus, angkutan provinsi",
    ),
    _topic(
        "air-minum",
        "infrastruktur",
        3,
        "dpu-bmck",
        "pdam, air pdam, air bersih, air mati, air tidak mengalir, air tidak keluar, air keruh, "
        "pipa pdam, pipa bocor, perumda air minum, tirta, meteran air, tagihan air, air minum",
        kabkota=True,
    ),
    _topic(
        "perumahan",
        "infrastruktur",
        2,
        "disperakim",
        "rtlh, rumah tidak layak huni, bedah rumah, perumahan, rusunawa, rusun, permukiman kumuh",
        kabkota=True,
    ),
    _topic(
        "sungai",
        "infrastruktur",
        2,
        "pusdataru",
        "sungai, normalisasi sungai, normalisasi, tanggul, tanggul sungai, sedimentasi, pendangkalan, "
        "bendung, bendungan, waduk, embung, tata ruang, rtrw, pusdataru, psda",
    ),
    _topic(
        "pu",
        "infrastruktur",
        2,
        "dpu-bmck",
        "dinas pu, dpu, bina marga, pekerjaan umum, dpupr, cipta karya",
        kabkota=True,
    ),
    # --- permades-kependudukan
    _topic(
        "adminduk",
        "permades-kependudukan",
        3,
        "dispermadesdukcapil",
        "ktp, e ktp, ektp, ktp el, kartu tanda penduduk, kk, kartu keluarga, akta, akte, "
        "akta kelahiran, akte kelahiran, akta kematian, akte kematian, dukcapil, disdukcapil, capil, "
        "kia, kartu identitas anak, domisili, surat pindah, pindah domisili, blangko, blanko, "
        "cetak ktp, rekam ktp, perekaman, adminduk, kependudukan, ikd, identitas kependudukan digital, "
        "pencatatan sipil",
        kabkota=True,
    ),
    _topic("nik", "permades-kependudukan", 1, "dispermadesdukcapil", "nik", kabkota=True),
    _topic(
        "pemerintahan-desa",
        "permades-kependudukan",
        3,
        "dispermadesdukcapil",
        "dana desa, perangkat desa, sekdes, sekretaris desa, apbdes, bumdes, pemdes, pemerintah desa, "
        "pilkades, alokasi dana desa",
        kabkota=True,
    ),
    _topic(
        "kepala-desa",
        "permades-kependudukan",
        2,
        "dispermadesdukcapil",
        "kepala desa, kades, pak kades, bapak kades, pak lurah, bapak lurah",
        kabkota=True,
    ),
    # "kelurahan" and "balai desa" are mostly addresses, hence only a hint.
    _topic(
        "kantor-desa",
        "permades-kependudukan",
        1,
        "dispermadesdukcapil",
        "balai desa, kantor desa, kelurahan, kantor kelurahan, lurah",
        kabkota=True,
    ),
    # --- sosial-masyarakat
    _topic(
        "bansos-provinsi",
        "sosial-masyarakat",
        5,
        "dinsos",
        "bansos provinsi, bantuan provinsi, bantuan gubernur, bansos pemprov, bantuan pemprov",
    ),
    _topic(
        "bansos",
        "sosial-masyarakat",
        3,
        "dinsos",
        "bansos, bantuan sosial, pkh, bpnt, blt, bst, dtks, dtsen, sembako, kpm, penerima bantuan, "
        "bantuan pangan, bantuan beras, program keluarga harapan, kartu sembako, "
        "bantuan langsung tunai, data kemiskinan, keluarga miskin, warga miskin, orang miskin, "
        "tidak mampu, dinsos, dinas sosial",
        kabkota=True,
    ),
    # Subsidised health insurance (PBI) is a social-assistance matter: Dinsos proposes who gets it.
    _topic(
        "pbi",
        "sosial-masyarakat",
        5,
        "dinsos",
        "pbi, kis pbi, bpjs pbi, pbi jk, pbi jkn, kartu keluarga sejahtera, kks",
        kabkota=True,
    ),
    _topic(
        "pmks",
        "sosial-masyarakat",
        2,
        "dinsos",
        "odgj, gangguan jiwa, gelandangan, pengemis, gepeng, anak jalanan, anjal, lansia terlantar, "
        "terlantar, disabilitas, difabel, panti asuhan, panti jompo, panti sosial, lansia, jompo, "
        "hidup sendiri, yatim, yatim piatu",
        kabkota=True,
    ),
    _topic("bantuan", "sosial-masyarakat", 1, "dinsos", "bantuan, penerima, penyaluran", kabkota=True),
    _topic(
        "ketenagakerjaan",
        "sosial-masyarakat",
        3,
        "disnakertrans",
        "phk, pemutusan hubungan kerja, upah, umr, umk, ump, thr, pesangon, lembur, buruh, karyawan, "
        "pekerja, serikat pekerja, gaji tidak dibayar, gaji belum dibayar, kontrak kerja, outsourcing, "
        "hrd, tenaga kerja, pengangguran, loker, lowongan kerja, kartu kuning, pelatihan kerja, blk, "
        "pekerja migran, tki, tkw, disnaker, disnakertrans, transmigrasi",
    ),
    _topic(
        "bpjs-ketenagakerjaan",
        "sosial-masyarakat",
        5,
        "bpjs-tk",
        "bpjs ketenagakerjaan, bpjs tk, bpjamsostek, jamsostek, jht, jaminan hari tua",
    ),
    _topic(
        "perlindungan",
        "sosial-masyarakat",
        3,
        "dp3akb",
        "kdrt, kekerasan dalam rumah tangga, kekerasan anak, kekerasan seksual, kekerasan terhadap anak, "
        "pelecehan, pelecehan seksual, perlindungan anak, pernikahan dini, nikah dini, kb, "
        "keluarga berencana",
        kabkota=True,
    ),
    _topic(
        "ketertiban",
        "sosial-masyarakat",
        2,
        "satpolpp",
        "pkl, pedagang kaki lima, satpol pp, satpol, satpolpp, pengamen, karaoke, tempat hiburan, "
        "miras, minuman keras, perda, ketertiban, bangunan liar, reklame liar, spanduk liar, "
        "sound horeg, kebisingan, berisik, mabuk, mabuk mabukan, kos kosan",
        kabkota=True,
    ),
    # --- pendidikan
    _topic(
        "sekolah-provinsi",
        "pendidikan",
        3,
        "disdikbud",
        "sma, smk, slb, sman, smkn, sma negeri, smk negeri, sekolah menengah atas, "
        "sekolah menengah kejuruan, sekolah luar biasa, ppdb sma, ppdb smk, spmb sma, spmb smk",
    ),
    _topic(
        "sekolah-kabkota",
        "pendidikan",
        3,
        "disdikbud",
        "sd, sdn, smp, smpn, sd negeri, smp negeri, sekolah dasar, paud, tk, tk negeri, "
        "sekolah menengah pertama, ppdb sd, ppdb smp, spmb sd, spmb smp",
        kabkota=True,
    ),
    _topic(
        "pendidikan",
        "pendidikan",
        2,
        "disdikbud",
        "sekolah, ppdb, spmb, zonasi, guru, murid, siswa, siswi, wali murid, orang tua murid, "
        "komite sekolah, pungutan sekolah, sumbangan sekolah, iuran sekolah, seragam, seragam sekolah, "
        "lks, ijazah, rapor, raport, beasiswa, kip, pip, kepala sekolah, study tour, studi tour, spp, "
        "daftar ulang, pendidikan, disdik, disdikbud, dinas pendidikan",
    ),
    _topic("pendidikan-lemah", "pendidikan", 1, "disdikbud", "kelas, buku, pelajaran, ujian, belajar"),
    _topic(
        "madrasah",
        "pendidikan",
        4,
        "kanwil-kemenag",
        "madrasah, mts, mtsn, madrasah aliyah, madrasah tsanawiyah, madrasah ibtidaiyah, pesantren, "
        "ponpes, pondok pesantren, santri, diniyah, tpq",
    ),
    # --- energi
    _topic(
        "listrik",
        "energi",
        3,
        "pln-jateng",
        "listrik, pln, padam, pemadaman, mati lampu, token listrik, token, meteran listrik, kwh, trafo, "
        "travo, gardu, tiang listrik, kabel listrik, tegangan, voltase, listrik padam, listrik mati, "
        "byar pet, sambungan listrik, pasang baru, tagihan listrik, plts, panel surya, jaringan listrik, "
        "kabel listrik putus, kabel putus, kabel menjuntai, kabel listrik menjuntai",
    ),
    _topic(
        "migas",
        "energi",
        3,
        "pertamina",
        "lpg, gas melon, gas 3 kg, gas lpg, tabung gas, gas, bbm, solar, pertalite, pertamax, "
        "premium, spbu, pom bensin, bensin, minyak tanah, pertamina, pangkalan gas, pangkalan lpg, "
        "agen lpg",
    ),
    _topic(
        "tambang",
        "energi",
        3,
        "desdm",
        "tambang, penambangan, tambang ilegal, galian c, tambang pasir, pertambangan, kuari, quarry, esdm, air tanah",
    ),
    # --- kesehatan
    _topic(
        "bpjs-kesehatan",
        "kesehatan",
        4,
        "bpjs-kesehatan",
        "bpjs, bpjs kesehatan, jkn, kis, kartu indonesia sehat, jkn kis, faskes, mobile jkn, iuran bpjs, "
        "bpjs nonaktif, bpjs tidak aktif",
    ),
    _topic(
        "layanan-kesehatan",
        "kesehatan",
        3,
        "dinkes",
        "puskesmas, pustu, posyandu, polindes, poskesdes, bidan desa, dbd, demam berdarah, fogging, "
        "foging, jentik, imunisasi, vaksin, vaksinasi, stunting, gizi buruk, tbc, campak, diare, "
        "muntaber, keracunan, wabah, klb, kejadian luar biasa, rumah sakit, rsud, igd, ugd, "
        "rawat inap, rawat jalan, dokter, perawat, pasien, rujukan, ambulans, ambulance, obat, apotek, "
        "bidan, klinik, kesehatan, dinkes, dinas kesehatan, nakes, tenaga kesehatan",
        kabkota=True,
    ),
    _topic("sakit", "kesehatan", 1, "dinkes", "sakit, berobat, periksa, antrean pasien", kabkota=True),
    _topic(
        "rs-provinsi",
        "kesehatan",
        5,
        "dinkes",
        "rsud provinsi, rumah sakit provinsi, rumah sakit milik provinsi, rsud milik provinsi",
    ),
    _topic("rsud-moewardi", "kesehatan", 6, "rsud-moewardi", "moewardi, muwardi"),
    _topic("rsud-margono", "kesehatan", 6, "rsud-margono", "margono, margono soekarjo"),
    _topic("rsud-tugurejo", "kesehatan", 6, "rsud-tugurejo", "rsud tugurejo, rumah sakit tugurejo, rsud kota tugurejo"),
    _topic("rsud-kelet", "kesehatan", 6, "rsud-kelet", "rsud kelet, rumah sakit kelet"),
    _topic(
        "rsjd-amino",
        "kesehatan",
        6,
        "rsjd-amino",
        "amino gondohutomo, rsj amino, rsjd amino, rsjd dari amino, rumah sakit jiwa semarang, rsj semarang",
    ),
    _topic(
        "rsjd-surakarta",
        "kesehatan",
        6,
        "rsjd-surakarta",
        "rsjd surakarta, rsj surakarta, rsj solo, rsjd solo, rumah sakit jiwa solo, rumah sakit jiwa surakarta",
    ),
    _topic(
        "rsjd-soedjarwadi",
        "kesehatan",
        6,
        "rsjd-soedjarwadi",
        "soedjarwadi, sudjarwadi, sujarwadi, rsj klaten, rsjd klaten",
    ),
    _topic("rsup-kariadi", "kesehatan", 6, "rsup-kariadi", "kariadi, rsup kariadi"),
    # --- pertanian
    _topic(
        "pertanian",
        "pertanian",
        3,
        "distanbun",
        "pupuk, pupuk subsidi, pupuk bersubsidi, urea, npk, phonska, kartu tani, rdkk, petani, "
        "kelompok tani, gapoktan, poktan, ppl, penyuluh pertanian, gabah, harga gabah, padi, panen, "
        "gagal panen, hama, wereng, tikus sawah, alsintan, traktor, benih, bibit, pertanian, "
        "perkebunan, sawah, tembakau, distanbun, dinas pertanian",
    ),
    _topic(
        "irigasi",
        "pertanian",
        4,
        "pusdataru",
        "irigasi, irigasi sawah, saluran irigasi, jaringan irigasi, p3a, dam irigasi, pintu air",
    ),
    _topic(
        "peternakan",
        "pertanian",
        3,
        "disnakkeswan",
        "ternak, peternak, peternakan, sapi, kambing, pmk, penyakit mulut dan kuku, antraks, anthrax, "
        "flu burung, rabies, anjing liar, kesehatan hewan, rph, rumah potong hewan",
    ),
    _topic(
        "perikanan",
        "pertanian",
        3,
        "dkp",
        "nelayan, perikanan, ikan, kapal nelayan, tpi, tempat pelelangan ikan, budidaya ikan, rumpon, "
        "cantrang, kelautan",
    ),
    # --- keuangan-aset
    _topic(
        "pajak-kendaraan",
        "keuangan-aset",
        4,
        "bapenda",
        "pajak kendaraan, pajak motor, pajak mobil, pkb, bbnkb, samsat, samsat keliling, samsat online, "
        "sakpole, new sakpole, e samsat, esamsat, pajak tahunan, stnk tahunan, perpanjang stnk, balik nama, "
        "opsen, pemutihan pajak, pemutihan, bapenda, bppd, uppd, pajak kendaraan bermotor",
    ),
    _topic(
        "pbb",
        "keuangan-aset",
        3,
        "bapenda",
        "pbb, sppt, pajak bumi dan bangunan, pajak bumi, njop, bphtb",
        kabkota=True,
    ),
    _topic(
        "pajak-pusat",
        "keuangan-aset",
        4,
        "kanwil-djp",
        "npwp, pph, ppn, pajak penghasilan, spt, spt tahunan, coretax, djp, efin, kpp, kantor pajak",
    ),
    _topic("bank-jateng", "keuangan-aset", 5, "bank-jateng", "bank jateng"),
    _topic(
        "aset",
        "keuangan-aset",
        3,
        "bpkad",
        "aset daerah, aset pemprov, aset provinsi, bpkad, tanah pemprov, barang milik daerah, sewa aset",
    ),
    _topic("pajak", "keuangan-aset", 1, "bapenda", "pajak, retribusi, stnk, bpkb"),
    # --- kepegawaian
    _topic(
        "kepegawaian",
        "kepegawaian",
        3,
        "bkd",
        "asn, pns, cpns, pppk, p3k, honorer, tenaga honorer, guru honorer, non asn, formasi, "
        "seleksi cpns, seleksi pppk, bkd, tpp, tunjangan, sertifikasi guru, tpg, ppg, gtk, mutasi pegawai, "
        "kenaikan pangkat, pensiun, taspen, pegawai negeri, aparatur, disiplin pegawai, pegawai, nip, "
        "sk pengangkatan, nuptk, prajabatan, kepegawaian",
    ),
    # --- lingkungan
    _topic(
        "sampah",
        "lingkungan",
        3,
        "dlhk",
        "sampah, tps, tpa, tumpukan sampah, sampah menumpuk, buang sampah, bakar sampah, "
        "pembakaran sampah, bank sampah, truk sampah, pengangkutan sampah, retribusi sampah, "
        "tps liar, tps3r, dlh, dinas lingkungan hidup",
        kabkota=True,
    ),
    _topic(
        "pencemaran",
        "lingkungan",
        3,
        "dlhk",
        "limbah, pencemaran, tercemar, mencemari, polusi, polusi udara, asap pabrik, bau busuk, "
        "bau menyengat, limbah pabrik, limbah b3, limbah medis, limbah cair, air limbah, "
        "sungai tercemar, amdal, debu, dlhk, lingkungan hidup",
    ),
    _topic("bau-asap", "lingkungan", 2, "dlhk", "asap, bau, bau tidak sedap, kotor, kumuh"),
    _topic(
        "kehutanan",
        "lingkungan",
        3,
        "dlhk",
        "hutan, kehutanan, penebangan liar, pembalakan, illegal logging, penebangan pohon, reboisasi",
    ),
    # --- ekonomi-industri
    _topic(
        "perdagangan",
        "ekonomi-industri",
        2,
        "disperindag",
        "harga, harga naik, kenaikan harga, harga mahal, harga sembako, minyak goreng, minyakita, gula, "
        "cabai, cabe, telur, bawang merah, bawang putih, timbangan, tera ulang, metrologi, perdagangan, "
        "pedagang, toko modern, minimarket, disperindag, industri, perindustrian, inflasi",
    ),
    _topic(
        "pasar",
        "ekonomi-industri",
        3,
        "disperindag",
        "pasar, pasar tradisional, pasar rakyat, los pasar, kios pasar, retribusi pasar, "
        "revitalisasi pasar, relokasi pasar",
        kabkota=True,
    ),
    _topic(
        "beras",
        "ekonomi-industri",
        3,
        "bulog-jateng",
        "beras, stok beras, harga beras, beras mahal, bulog, operasi pasar, spHP, beras sphp",
    ),
    _topic(
        "umkm",
        "ekonomi-industri",
        3,
        "dinkopukm",
        "umkm, ukm, koperasi, usaha mikro, pelaku usaha, modal usaha, bmt, ksp, simpan pinjam, usaha kecil",
    ),
    _topic(
        "perizinan",
        "ekonomi-industri",
        3,
        "dpmptsp",
        "izin usaha, ijin usaha, perizinan, perijinan, nib, oss, investasi, investor, izin operasional, dpmptsp, ptsp",
    ),
    _topic(
        "perizinan-bangunan",
        "ekonomi-industri",
        4,
        "dpmptsp",
        "pbg, imb, izin bangunan, ijin bangunan, persetujuan bangunan gedung, izin mendirikan bangunan",
        kabkota=True,
    ),
    # --- bencana
    _topic(
        "bencana",
        "bencana",
        3,
        "bpbd",
        "banjir, banjir bandang, kebanjiran, longsor, tanah longsor, longsoran, gempa, gempa bumi, rob, "
        "banjir rob, puting beliung, angin puting beliung, angin kencang, angin ribut, tanggul jebol, "
        "tsunami, erupsi, gunung meletus, abu vulkanik, kekeringan, krisis air bersih, dropping air, "
        "droping air, pengungsi, pengungsian, evakuasi, bencana, bencana alam, bpbd, genangan, "
        "tergenang, air meluap, meluap, luapan, terendam, rendaman, tanah ambles, tanah amblas, tanah bergerak, "
        "pergerakan tanah, air masuk rumah, air masuk kampung, air laut masuk, mengungsi, posko",
    ),
    _topic(
        "kebakaran",
        "bencana",
        4,
        "bpbd",
        "kebakaran, terbakar, damkar, pemadam kebakaran, kebakaran rumah, kebakaran lahan, hydrant",
        kabkota=True,
    ),
    _topic(
        "pohon-tumbang",
        "infrastruktur",
        3,
        "bpbd",
        "pohon tumbang, pohon roboh, pohon rawan tumbang, pohon mau tumbang, pohon miring, dahan patah, "
        "pohon besar rawan, pohon tua",
        kabkota=True,
    ),
    _topic("pohon", "infrastruktur", 1, "dpu-bmck", "pohon, dahan, ranting, pemangkasan", kabkota=True),
    # --- pariwisata-budaya
    _topic(
        "wisata",
        "pariwisata-budaya",
        3,
        "disporapar",
        "wisata, objek wisata, obyek wisata, tempat wisata, destinasi, destinasi wisata, pariwisata, "
        "pantai, kolam renang, tiket masuk, desa wisata, retribusi wisata, wisatawan, disporapar",
    ),
    _topic(
        "olahraga",
        "pariwisata-budaya",
        3,
        "disporapar",
        "olahraga, gor, stadion, atlet, pon, porprov, bonus atlet, kepemudaan, karang taruna, "
        "sepak bola, sepakbola, jogging track",
    ),
    _topic(
        "kebudayaan",
        "pariwisata-budaya",
        3,
        "disdikbud",
        "cagar budaya, kebudayaan, kesenian, sanggar, wayang, budaya, museum, situs budaya",
    ),
    # --- pembangunan-daerah
    _topic(
        "pembangunan",
        "pembangunan-daerah",
        2,
        "bappeda",
        "musrenbang, perencanaan pembangunan, rencana pembangunan, pembangunan, bappeda, rpjmd, "
        "pemerataan pembangunan, bantuan keuangan, bankeu, hibah, rencana tata ruang",
    ),
    _topic(
        "pembangunan-fisik",
        "infrastruktur",
        2,
        "dpu-bmck",
        "proyek, proyek mangkrak, mangkrak, fly over, flyover, underpass, jalan layang, "
        "pembangunan jalan, proyek jalan, kontraktor",
        kabkota=True,
    ),
    # Telecommunication is infrastructure in the province's own taxonomy; Diskominfo answers.
    _topic(
        "kominfo",
        "infrastruktur",
        3,
        "diskominfo",
        "internet, sinyal, wifi, jaringan internet, blank spot, blankspot, tower, bts, tiang wifi, "
        "kabel wifi, kabel fiber, kabel optik, kabel semrawut, tv digital, siaran, "
        "situs pemerintah, kominfo, diskominfo, hoaks, hoax, cctv",
    ),
    _topic("kabel", "infrastruktur", 1, "diskominfo", "kabel, tiang"),
    _topic("aplikasi", "pembangunan-daerah", 1, "diskominfo", "aplikasi, website, web, situs, server"),
    # --- forkominda
    _topic(
        "kepolisian",
        "forkominda",
        3,
        "polda-jateng",
        "polisi, polri, polda, polres, polsek, polresta, polrestabes, kapolda, kapolres, kapolsek, "
        "bhabinkamtibmas, begal, pembegalan, dibegal, maling, kemalingan, pencurian, pencuri, curanmor, "
        "dicuri, jambret, copet, rampok, perampokan, penipuan, ditipu, tipu, investasi bodong, "
        "arisan bodong, narkoba, sabu, miras oplosan, balap liar, trek trekan, knalpot brong, "
        "knalpot bising, tawuran, geng motor, klitih, premanisme, preman, judi, judi online, judol, "
        "perjudian, sim, tilang, etle, tabrak lari, laka lantas, satlantas, penganiayaan, "
        "pengeroyokan, pembunuhan, pemerkosaan, teror pinjol, debt collector, pinjol ilegal, "
        "penagihan pinjol, kriminal, kejahatan, laporan polisi, kepolisian, lapor kehilangan, surat kehilangan, "
        "sabung ayam, pemalakan, dipalak, palak, pengancaman, mengancam, ancaman, bnn, pengedar",
    ),
    _topic("kecelakaan", "forkominda", 1, "polda-jateng", "kecelakaan, celaka"),
    _topic("tni", "forkominda", 3, "kodam-iv", "tni, tentara, kodam, kodim, koramil, babinsa, tni ad, prajurit"),
    _topic(
        "kejaksaan",
        "forkominda",
        3,
        "kejati-jateng",
        "kejaksaan, kejati, kejari, jaksa, korupsi, tipikor, penyelewengan dana, penyalahgunaan anggaran, "
        "mark up, markup",
    ),
    _topic(
        "pertanahan",
        "infrastruktur",
        3,
        "kanwil-bpn",
        "sertifikat tanah, sertipikat, sertifikat, bpn, pertanahan, ptsl, prona, sengketa tanah, "
        "mafia tanah, pengukuran tanah, atr bpn, agraria",
    ),
    _topic(
        "kemenkum",
        "forkominda",
        3,
        "kanwil-kemenkum",
        "imigrasi, paspor, lapas, rutan, napi, narapidana, kemenkumham, kemenkum, fidusia",
    ),
    # --- saberpungli
    _topic(
        "pungli",
        "saberpungli",
        5,
        "saber-pungli",
        "pungli, pungutan liar, pungut liar, uang pelicin, pelicin, uang rokok, uang damai, minta uang, "
        "dimintai uang, diminta uang, pungutan tanpa dasar, calo, percaloan, suap, gratifikasi, sogok, "
        "sogokan, saber pungli, narik uang, menarik uang, narik duit, minta duit, dimintai duit, "
        "tanpa karcis, tanpa kuitansi, tanpa kwitansi, uang tambahan, biaya tambahan, tarif tidak resmi",
    ),
    # --- lain-lain (matters of other bodies that still have an owner)
    _topic(
        "kemenag",
        "lain-lain",
        3,
        "kanwil-kemenag",
        "kua, haji, umroh, umrah, buku nikah, kemenag, penyuluh agama, jemaah haji, ibadah haji",
    ),
    _topic("pemilu", "lain-lain", 3, "kpu-jateng", "kpu, pemilu, pilkada, pilgub, daftar pemilih, surat suara"),
    _topic(
        "bawaslu",
        "lain-lain",
        4,
        "bawaslu-jateng",
        "bawaslu, politik uang, money politic, serangan fajar, pelanggaran pemilu",
    ),
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- kind cues ------------------------------------------------------------------------------
# Each family: "phrase:weight" items (weight 1 when omitted).

PROBLEM_CUES = (
    "rusak, rusak parah:2, berlubang, lubang, mati, padam, macet, bocor, mampet, tersumbat, menumpuk, "
    "numpuk, bau, kotor, kumuh, gelap, licin, becek, tergenang, banjir, longsor, ambrol, amblas, roboh, "
    "ambruk, tumbang, putus, jebol, retak, hancur, parah, rawan, bahaya, berbahaya, membahayakan, "
    "kecelakaan, celaka, tidak berfungsi:2, tidak menyala:2, tidak nyala:2, tidak jalan, tidak ada, "
    "tidak bisa, tidak dapat, tidak cair:2, belum cair:2, tidak pernah, belum, belum diperbaiki:2, "
    "tidak diperbaiki:2, tidak ditanggapi:2, tidak direspon:2, tidak ada tindak lanjut:2, lambat, lama, "
    "lelet, sulit, susah, ribet, dipersulit:2, mahal, langka, kosong, habis, hilang, dicuri, ditipu, "
    "kecewa:2, mengecewakan:2, kesal, jengkel, marah, resah, meresahkan, mengganggu, terganggu, keluhan, "
    "mengeluh, mengeluhkan, komplain, protes, lapor, melapor, melaporkan, aduan, mengadu, pengaduan, "
    "tolong, mohon:0.5, segera, diperbaiki, perbaikan, ditindaklanjuti, tindak lanjut, ditindak, "
    "tindak tegas, ditertibkan, pungli:2, korupsi, liar, ilegal, telat, terlambat, ditolak, dipotong, "
    "potongan, tidak sesuai, tidak layak, memprihatinkan, miris, payah, buruk, jelek, asal asalan, "
    "mangkrak, terbengkalai, tidak terurus, dibiarkan, sampai sekarang, sudah lama, bertahun tahun, "
    "berbulan bulan, berhari hari, padahal, tidak:0.5, marak, pinjol ilegal:2, teror, diteror, "
    "menghambat, terhambat, antre, antri, menunggu, nunggu, kurang, minim, tanpa, masalah, bermasalah, "
    "error, eror, gagal, kebakaran, ketus, dimarahi, kasar, judes, ganda, rugi, merugi, merugikan, jarang, "
    "bolos, mabuk, kekurangan, massal, seadanya, tidak terawat:2, tidak jelas:2, tidak selesai:2, hampir, "
    "terpotong, kepotong, berdesakan, serobot, bising, sesak, tidak kering, motong, memotong, salah, "
    "salah ketik:2, calo, begal, maling, pencurian, penipuan, judi, narkoba, miras, dipungut, pungutan"
)
QUESTION_CUES = (
    "apakah, kapan, bagaimana, berapa, dimana, di mana, siapa, "
    "bisakah, bolehkah, apa:0.5, apa saja, mau tanya:2, ingin bertanya:2, mau bertanya:2, "
    "izin bertanya:2, ijin bertanya:2, tanya, bertanya, mohon info:2, mohon informasi:2, minta info:2, "
    "minta informasi:2, info dong:2, bagaimana cara:2, bagaimana caranya:2, cara:0.5, syarat, "
    "persyaratan, prosedur, apa syarat:2, perlu apa, lewat mana:2, ada yang tahu:2, mohon penjelasan:2, "
    "minta penjelasan:2, boleh tahu:2, mau tahu:2, ingin tahu:2, mohon pencerahan:2, bisa tidak, apa bisa, "
    "apa boleh, boleh tidak, tidak ya, belum ya, atau tidak, atau belum"
)
# Question words that in complaints are usually rhetorical ("kok belum diperbaiki?", "polisi
# kemana?"): they count half, and a "?" after only these counts half too.
RHETORICAL_CUES = (
    "kenapa, mengapa, kok, kemana, ke mana, bagaimana nih, bagaimana ini, mana tanggung jawab, "
    "sampai kapan, mau sampai kapan"
)
SUGGESTION_CUES = (
    "saran:2, usul:2, usulan:2, mengusulkan:2, menyarankan:2, sebaiknya, alangkah baiknya:2, "
    "lebih baik, bagaimana kalau:2, bagaimana jika:2, mohon ditambah:2, mohon ditambahkan:2, "
    "perlu ditambah:2, perlu ditambahkan:2, mohon dibuatkan:2, tolong dibuatkan:2, mohon diadakan:2, "
    "tolong diadakan:2, perlu diadakan:2, tolong ditambah:2, tolong ditambahkan:2, ke depannya, "
    "mohon dipasang:2, tolong dipasang:2, perlu dipasang:2, diperbanyak:2, ditambah, ditambahkan, dipasang, "
    "jemput bola:2, diperkuat, tahun depan, "
    "kedepannya, harapan saya, masukan:2, memberi masukan:2, ide, gagasan, sebaiknya dibuat:2"
)
# Thanks are often only politeness at the end of a complaint ("… mohon ditindaklanjuti, terima
# kasih"); praise says something went well. Appreciation needs praise, or thanks about nothing else.
THANKS_CUES = (
    "terima kasih, matur nuwun, berterima kasih, nuwun, terima kasih atas perhatian, "
    "terima kasih atas perhatiannya, atas perhatiannya, mohon perhatiannya"
)
PRAISE_CUES = (
    "mantap, apresiasi:2, mengapresiasi:2, salut, luar biasa, keren, top:0.5, sukses:0.5, respon cepat:2, "
    "respons cepat:2, gerak cepat:2, cepat tanggap:2, tanggap, sudah diperbaiki:2, sudah ditangani:2, "
    "sudah mulus:2, sekarang mulus, sudah bagus, bagus:0.5, puas, bangga, hebat, sudah normal:2, "
    "sudah menyala:2, sudah nyala:2, sudah diaspal:2, sudah dibenahi:2, sudah dibersihkan:2, "
    "sudah diangkut:2, sudah cair:2, akhirnya, terima kasih atas, semoga awet, awet, ramah, cepat:0.5, "
    "sudah jadi, alhamdulillah, apik, tenang, sudah gratis:2, sudah dibenerin:2, sudah ada lagi, sukses terus, "
    "mulus, memuaskan:2, pelayanan bagus:2, pelayanannya bagus:2"
)
SPAM_CUES = (
    "slot:3, gacor:3, maxwin:3, judi online:2, judol:2, togel:3, toto:2, deposit:2, depo:2, rtp:3, "
    "scatter:3, bonus new member:3, new member:2, link alternatif:3, daftar sekarang:2, klik link:2, "
    "link di bio:3, cek bio:3, link bio:3, di bio:2, giveaway:3, follow back:3, followback:3, follow:1, "
    "promo:2, diskon:2, harga murah:2, murah, dijual:2, jual, open order:3, open po:3, order, reseller:3, "
    "dropship:3, gratis ongkir:3, ongkir:2, cashback:2, endorse:3, wa, whatsapp:0.5, dm, subscribe:2, "
    "pinjol, pinjaman online, dana cepat:3, cair cepat:3, tanpa jaminan:3, tanpa agunan:3, bunga rendah:3, "
    "modal receh:3, cuan:2, pasti wd:3, wd:2, jackpot:3, zeus:3, olympus:3, pragmatic:3, akun pro:3, "
    "casino:3, kasino:3, obat kuat:3, pelangsing:3, peninggi badan:3, jasa followers:3, followers:2, "
    "auto cuan:3, bandar:1, slotgacor:3, slotonline:3, judionline:3, joki:3, jasa joki:3, fast respon:2, "
    "fast respons:2, dijamin, untung, keuntungan, passive income:3, penghasilan tambahan:2, kerja dari rumah:2, "
    "hubungi, yang minat, info lengkap, klik, situs, situs judi:3, deposit pulsa:3, tanpa potongan:2"
)

# --- urgency cues ---------------------------------------------------------------------------

EMERGENCY_CUES = (
    "banjir, banjir bandang, kebanjiran, longsor, tanah longsor, kebakaran, terbakar, gempa, gempa bumi, "
    "tsunami, tenggelam, hanyut, terseret arus, puting beliung, angin puting beliung, tanggul jebol, "
    "air meluap, meluap, erupsi, korban jiwa, korban meninggal, korban luka, korban tertimbun, ada korban, "
    "meninggal dunia, tewas, terjebak, tertimbun, "
    "tertimpa, darurat, keadaan darurat, sos, evakuasi, mengungsi, pengungsi, wabah, klb, "
    "kejadian luar biasa, keracunan massal, sekarat, rob, banjir rob, air laut masuk, air masuk, air mulai masuk, "
    "masuk rumah, masuk kampung, dievakuasi, belum dievakuasi, terkepung air"
)
HIGH_CUES = (
    "jalan ambrol, ambrol, amblas, jalan amblas, jalan putus, jembatan putus, jembatan ambruk, "
    "jembatan roboh, pohon tumbang, pohon roboh, pohon mau tumbang, pohon rawan tumbang, kabel putus, "
    "kabel menjuntai, kabel listrik putus, kabel terjuntai, tiang listrik roboh, tiang listrik miring, "
    "tiang miring, tiang roboh, lampu lalu lintas mati, traffic light mati, lampu merah mati, "
    "tanggul retak, tanggul kritis, tanah retak, rawan longsor, rawan banjir, memakan korban, "
    "makan korban, sering kecelakaan, kecelakaan, krisis air, kekeringan, kesulitan air bersih, dbd, "
    "demam berdarah, keracunan, gizi buruk, mengamuk, urgent, mendesak, gawat, sesak napas, sesak nafas, batuk, "
    "jatuh, terjatuh, sering jatuh, tabrakan, hampir tabrakan, pingsan, kekerasan, digigit, digigit anjing, "
    "rabies, kondisi drop, ditolak rumah sakit, bullying, perundungan, kdrt, pelecehan, narkoba, "
    "miras oplosan, lapuk, hampir roboh, mau roboh, hampir ambruk, hampir kena, membahayakan, berbahaya, "
    "bahaya, rawan kecelakaan, diare massal, puluhan warga, dirawat, tidak bisa dilewati, terputus, lumpuh, jebol"
)
# Phrases that contain an emergency word but are not one: "nomor darurat", "jembatan darurat".
NOT_URGENT_CUES = (
    "nomor darurat, jembatan darurat, pintu darurat, tangga darurat, jalur evakuasi, titik kumpul, "
    "latihan evakuasi, simulasi bencana, simulasi gempa, mitigasi bencana"
)
# Words that make an emergency a threat to life when help is asked for ("tolong segera …").
DANGER_WORDS = _words("nyawa terancam api tenggelam hanyut sekarat pingsan berdarah terjepit terjebak")
REQUEST_WORDS = _words("tolong segera cepat bantu")
# An emergency word after these (within three words) is a risk, a habit or the past: "agar tidak
# banjir", "rawan longsor", "langganan banjir", "bekas kebakaran" — serious, not happening now.
MITIGATING_WORDS = _words(
    "pas agar supaya biar mencegah cegah antisipasi rawan potensi langganan bekas pasca sisa sebelum "
    "takut khawatir kalau jika bila sering selalu tiap setiap musim dulu pernah akibat setelah "
    "kemarin lalu"
)
NEGATION_WORDS = _words("tidak bukan belum jangan tanpa")
NOW_WORDS = _words("sekarang sedang barusan masih mulai terkini")
NOW_PHRASES = ("saat ini", "hari ini", "malam ini", "pagi ini", "siang ini", "sore ini", "baru saja", "sedang terjadi")
DURATION_WORDS = _words("hari minggu seminggu bulan sebulan berhari berminggu berbulan")
# Outages become "high" only with a duration in the post ("air mati sudah 3 hari").
OUTAGE_CUES = (
    "air mati, air tidak mengalir, air tidak keluar, pdam mati, air pdam mati, air bersih mati, "
    "listrik mati, listrik padam, mati lampu, pemadaman"
)


ALL_CUE_SPECS = (
    PROBLEM_CUES,
    QUESTION_CUES,
    RHETORICAL_CUES,
    SUGGESTION_CUES,
    THANKS_CUES,
    PRAISE_CUES,
    SPAM_CUES,
    EMERGENCY_CUES,
    HIGH_CUES,
    OUTAGE_CUES,
    NOT_URGENT_CUES,
)
NUMBER_WORDS = _words(
    "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belasan puluhan beberapa berapa"
)
WAITING_UNITS = _words("jam hari minggu bulan tahun")


def parse_cues(spec: str) -> list[tuple[str, float]]:
    """``"a, b c:2"`` -> ``[("a", 1.0), ("b c", 2.0)]``."""
    cues: list[tuple[str, float]] = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        phrase, _, weight = item.partition(":")
        cues.append((phrase.strip(), float(weight) if weight else 1.0))
    return cues
