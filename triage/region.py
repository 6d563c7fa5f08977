"""Find the Central Java region (kab/kota -> kecamatan -> desa/kelurahan) a post is about.

All 35 kab/kota, 576 kecamatan and 8,563 desa/kelurahan names (plus a few informal names) go into
one token n-gram dictionary (:class:`triage.phrases.PhraseIndex`), so a post is scanned once.

Precision over recall — a wrong region sends a case to the wrong government, which is worse than
sending it to the provincial team with no region. The policy:

* **Cues.** The word before a name narrows it: ``kab``/``kabupaten``/``pemkab``/``bupati`` to a
  kabupaten, ``kota``/``pemkot``/``walikota`` to a kota, ``kec``/``kecamatan``/``camat`` to a
  kecamatan, ``desa``/``ds``/``kel``/``kelurahan`` to a desa/kelurahan. After ``dusun``,
  ``dukuh``, ``rt``, ``rw``, ``perum``, ``gang``… a name is a sub-village or a housing estate,
  not a desa or kecamatan, and only a kab/kota reading survives.
* **Standalone names.** A name may name a region on its own when all its readings lie in one
  kab/kota: every kab/kota name; a kecamatan name (its homonymous desa in the same kab/kota are
  fine); a desa name only with a ``desa``/``kelurahan`` cue or when it has two or more words.
  The bigger unit wins a name: a kab/kota name beats kecamatan/desa of the same name
  ("karanganyar" is the kabupaten), and a unique kecamatan name beats desa of the same name in
  at most two other kab/kota ("sokaraja" is the kecamatan in Banyumas) unless the post names one
  of those kab/kota; a name shared more widely ("wonosari") is only support, except a few
  kecamatan towns everybody means by the name ("mranggen", "parakan", "kajen", "bumiayu").
* **Supporting names.** Other names (a kecamatan or desa name shared by several kab/kota, a
  one-word desa name without a cue) never name a region alone; they count as support for the
  kab/kota they could lie in, and two supports of the same kab/kota are enough if one of them is
  more than a desa name (Javanese desa names repeat so much that two meet by chance).
* **Common words** (``data/place-common-words.txt``, names the slang map rewrites, and the one-word
  triage keywords: "bawang", "batang", "jati", "pasar" …) count only after an administrative cue;
  a kab/kota name among them also after ``di``/``ke``/``dari``/``wilayah``, and as support
  otherwise ("kec bawang, batang"). Stop words ("dari", "jadi") and administrative words
  ("kelurahan") are never place names, whatever a desa is called.
* **Kota vs kabupaten of the same name.** A cue decides. Bare "semarang"/"smg" means Kota
  Semarang unless a place in Kabupaten Semarang is also named ("ungaran" and "kab. smg" mean the
  kabupaten). Bare "magelang", "pekalongan", "tegal" are ambiguous: they only *support* both
  governments, so the region comes from a named kecamatan/desa that settles it, else none.
  "smg" (also "semoga") counts only after a cue; "solo" is Kota Surakarta; "purwokerto"/"pwt"
  is Kabupaten Banyumas; "ungaran" is Kabupaten Semarang.
* **Choosing.** The kab/kota with a standalone mention (or two supports) wins; several such
  kab/kota are ranked by standalone mentions, then all mentions, and a tie gives no region.
  Inside the winner, the most specific consistent place is returned: a desa inside a named
  kecamatan, else the kecamatan, else the kab/kota; places that disagree (two kecamatan) give
  their common parent.
* **Outside the province.** "jogja", "jakarta", "surabaya" … are recognised so that a post about
  another province is not given the author's (Central Java) profile location.
* ``author_location`` is read the same way and used only when the text names no place at all.

``region_evidence`` is the normalised words (with their cue) that named the chosen region, or
``"author_location: …"`` when it came from the profile.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from triage.normalise import DATA_DIR, tokenise
from triage.phrases import PhraseIndex

KABKOTA, KECAMATAN, DESA = 1, 2, 3

_KABUPATEN_CUES = frozenset({"kabupaten", "kab", "pemkab", "bupati"})
_KOTA_CUES = frozenset({"kota", "kotamadya", "kodya", "pemkot", "walikota"})
_KECAMATAN_CUES = frozenset({"kecamatan", "kec", "kecamatannya", "camat"})
_DESA_CUES = frozenset({"desa", "ds", "kelurahan", "kel", "kalurahan", "kelurahannya", "desanya"})
_SUBVILLAGE_CUES = frozenset(
    {"dusun", "dsn", "dukuh", "dk", "rt", "rw", "perum", "perumahan", "gang", "gg", "komplek", "kompleks"}
)
_LOCATIVE_CUES = frozenset({"di", "ke", "dari", "daerah", "wilayah", "area", "kawasan", "sekitar", "warga"})

# Informal names of kab/kota: alias -> (kab/kota codes, the default among them, needs a cue).
_ALIASES: dict[str, tuple[tuple[str, ...], str | None, bool]] = {
    "solo": (("33.72",), "33.72", False),
    "purwokerto": (("33.02",), "33.02", False),
    "pwt": (("33.02",), "33.02", False),
    "ungaran": (("33.22",), "33.22", False),
    "smg": (("33.74", "33.22"), "33.74", True),
}
# A kecamatan name that is also the name of desa in other kab/kota still means the kecamatan when
# those homonyms lie in at most this many other kab/kota ("sokaraja", "pedurungan"); a name shared
# more widely ("wonosari": 16 desa, and a town in Gunungkidul) needs support — except the
# kecamatan towns below, which everybody means when they write the name.
_KECAMATAN_DOMINANCE_LIMIT = 2
_WELL_KNOWN_KECAMATAN = frozenset({"mranggen", "parakan", "kajen", "bumiayu", "candisari"})
# Bare names shared by a kota and a kabupaten, and which one the bare name means (None: neither).
_SHARED_NAME_DEFAULT = {"semarang": "33.74", "magelang": None, "pekalongan": None, "tegal": None}

_OUTSIDE_PROVINCE = (
    "jogja yogya jogjakarta yogyakarta diy sleman bantul gunungkidul kulonprogo jakarta jkt dki "
    "surabaya sby bandung bekasi tangerang bogor depok ngawi madiun cirebon malang sidoarjo "
    "jatim jabar bali banten lampung"
)
_OUTSIDE_PROVINCE_PHRASES = ("gunung kidul", "kulon progo", "jawa timur", "jawa barat", "daerah istimewa")


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    level: int  # KABKOTA, KECAMATAN or DESA
    kind: str  # kabupaten, kota, kecamatan, desa, kelurahan

    @property
    def kabkota_code(self) -> str:
        return self.code[:5]  # "33.74.10.1006" -> "33.74"


@dataclass(frozen=True, slots=True)
class _Entry:
    """What a phrase in the gazetteer means."""

    places: tuple[Place, ...]
    default: str | None = None  # for kab/kota names shared by a kota and a kabupaten
    needs_cue: bool = False  # "smg": only after a cue
    outside: bool = False  # a place outside Central Java


@dataclass(frozen=True, slots=True)
class RegionFinding:
    code: str
    evidence: str
    from_author_location: bool


@dataclass(frozen=True, slots=True)
class _Mention:
    phrase: str  # the normalised words, with the cue word that narrowed them
    readings: tuple[Place, ...]
    standalone: bool  # names its region on its own (all readings in one kab/kota)
    default: str | None  # the kab/kota it names unless the rest of the post points elsewhere
    desa_only: bool  # only desa/kelurahan readings: support, never enough with other weak support


def _common_prefix_code(codes: Iterable[str]) -> str | None:
    """The most specific code containing all ``codes`` (kab/kota at least), else None."""
    parts_list = [code.split(".") for code in codes]
    if not parts_list:
        return None
    common: list[str] = []
    for parts in zip(*parts_list, strict=False):
        if all(part == parts[0] for part in parts):
            common.append(parts[0])
        else:
            break
    return ".".join(common) if len(common) >= 2 else None


def _words_in(filename: str) -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA_DIR / filename).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def cue_only_place_words() -> frozenset[str]:
    """Place names that are also ordinary words: they name a place only after a cue."""
    return _words_in("place-common-words.txt")


@lru_cache(maxsize=1)
def never_place_words() -> frozenset[str]:
    """Function words ("dari", "jadi") and administrative words that are never a place name in
    a post, even though a desa somewhere is called that ("Desa Kelurahan", "Desa Dari")."""
    return _words_in("stopwords-id.txt") | {"desa", "kelurahan", "kecamatan", "kabupaten", "kota", "dusun"}


class Gazetteer:
    """The place-name dictionary for one province, built once from the reference CSVs."""

    def __init__(self, places: Sequence[Place], extra_common_words: Iterable[str] = ()) -> None:
        self.places_by_code: dict[str, Place] = {place.code: place for place in places}
        # Vocabulary passed in by the caller (keyword rules) may not silence a kab/kota name;
        # only the hand-made list can ("batang").
        kabkota_names = {" ".join(tokenise(place.name.split(" ", 1)[-1])) for place in places if place.level == KABKOTA}
        self._common_words = cue_only_place_words() | (frozenset(extra_common_words) - kabkota_names)
        never = never_place_words() - kabkota_names
        names: dict[tuple[str, ...], list[Place]] = {}
        slang_words: set[str] = set()
        for place in places:
            name = place.name
            if place.level == KABKOTA:
                # "Kabupaten Semarang" is written "semarang"; the cue word ("kab", "kota") is read
                # from the text around the name instead.
                name = name.split(" ", 1)[1] if " " in name else name
            tokens = tuple(tokenise(name))
            if not tokens or (len(tokens) == 1 and tokens[0] in never):
                continue
            if len(tokens) == 1 and tokens[0] != name.lower():
                # The slang map rewrote it ("Moga" -> "semoga"): it is an everyday word.
                slang_words.add(tokens[0])
            names.setdefault(tokens, []).append(place)
            if len(tokens) > 1:
                # Javanese compounds are written both ways: "Karang Anyar" / "Karanganyar".
                names.setdefault(("".join(tokens),), []).append(place)

        # An informal name is a kab/kota reading in front of any desa that happens to share it
        # ("purwokerto" is also a desa in Pati); kab/kota readings win when a mention is read.
        flags: dict[tuple[str, ...], tuple[str | None, bool]] = {}
        for alias, (codes, default, needs_cue) in _ALIASES.items():
            alias_places = [self.places_by_code[code] for code in codes if code in self.places_by_code]
            if alias_places:
                names[(alias,)] = alias_places + names.get((alias,), [])
                flags[(alias,)] = (default, needs_cue)
        for word, default in _SHARED_NAME_DEFAULT.items():
            flags.setdefault((word,), (default, False))

        self._common_words |= slang_words - kabkota_names
        self._index: PhraseIndex[_Entry] = PhraseIndex()
        for tokens, readings in names.items():
            default, needs_cue = flags.get(tokens, (None, False))
            entry = _Entry(tuple(dict.fromkeys(readings)), default=default, needs_cue=needs_cue)
            self._index.add(tokens, entry)
        outside_phrases: list[tuple[str, ...]] = [(word,) for word in _OUTSIDE_PROVINCE.split()]
        outside_phrases += [tuple(phrase.split()) for phrase in _OUTSIDE_PROVINCE_PHRASES]
        for phrase in outside_phrases:
            if phrase not in self._index:
                self._index.add(phrase, _Entry((), outside=True))

    @classmethod
    def from_reference_dir(cls, path: Path, extra_common_words: Iterable[str] = ()) -> Gazetteer:
        places: list[Place] = []
        with (path / "jateng_kabkota.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                places.append(Place(row["kode"], row["nama"], KABKOTA, row["jenis"]))
        with (path / "jateng_kecamatan.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                places.append(Place(row["kode"], row["nama"], KECAMATAN, "kecamatan"))
        with (path / "jateng_desa_kelurahan.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                places.append(Place(row["kode"], row["nama"], DESA, row["jenis"]))
        return cls(places, extra_common_words)

    # -- reading ---------------------------------------------------------------------------

    def find(self, tokens: Sequence[str], author_location: str | None = None) -> RegionFinding | None:
        mentions, named_outside = self._mentions(tokens)
        if mentions:
            return self._resolve(mentions, from_author_location=False)
        if named_outside or not author_location:
            return None
        author_mentions, _ = self._mentions(tokenise(author_location))
        return self._resolve(author_mentions, from_author_location=True) if author_mentions else None

    def _mentions(self, tokens: Sequence[str]) -> tuple[list[_Mention], bool]:
        mentions: list[_Mention] = []
        named_outside = False
        for match in self._index.find(tokens):
            entry = match.payloads[0]
            if entry.outside:
                named_outside = True
                continue
            previous = tokens[match.start - 1] if match.start > 0 else ""
            mention = self._mention(match.phrase, entry, previous)
            if mention is not None:
                mentions.append(mention)
        return mentions, named_outside

    def _mention(self, phrase: tuple[str, ...], entry: _Entry, previous: str) -> _Mention | None:
        readings = entry.places
        administrative_cue = False
        if previous in _SUBVILLAGE_CUES:
            readings = tuple(place for place in readings if place.level == KABKOTA)
        elif previous in _KABUPATEN_CUES or previous in _KOTA_CUES:
            wanted = "kabupaten" if previous in _KABUPATEN_CUES else "kota"
            narrowed = tuple(place for place in readings if place.kind == wanted)
            administrative_cue = bool(narrowed)
            readings = narrowed or readings
        elif previous in _KECAMATAN_CUES or previous in _DESA_CUES:
            level = KECAMATAN if previous in _KECAMATAN_CUES else DESA
            narrowed = tuple(place for place in readings if place.level == level)
            administrative_cue = bool(narrowed)
            readings = narrowed or readings
        if not readings:
            return None

        locative_cue = previous in _LOCATIVE_CUES
        text = " ".join(phrase)
        cue_text = f"{previous} {text}" if administrative_cue else text
        weak_only = False
        if (entry.needs_cue or text in self._common_words) and not administrative_cue:
            # Only the kab/kota reading of a common word is believed: after "di"/"ke"/"dari" on
            # its own ("di batang"), otherwise only as support ("kec bawang, batang").
            readings = tuple(place for place in readings if place.level == KABKOTA)
            if not readings or (entry.needs_cue and not locative_cue):
                return None
            weak_only = not locative_cue

        kabkota_readings = tuple(place for place in readings if place.level == KABKOTA)
        if kabkota_readings:
            # A kab/kota name means the kab/kota, not its homonymous kecamatan or desa.
            default = entry.default if len(kabkota_readings) > 1 else kabkota_readings[0].code
            if administrative_cue:
                default = kabkota_readings[0].code if len(kabkota_readings) == 1 else None
            if weak_only:
                default = None
            return _Mention(cue_text, kabkota_readings, default is not None, default, desa_only=False)

        kecamatan_readings = [place for place in readings if place.level == KECAMATAN]
        kabkotas = {place.kabkota_code for place in readings}
        if len(kabkotas) == 1:
            standalone = bool(kecamatan_readings) or administrative_cue or len(phrase) > 1
            return _Mention(cue_text, readings, standalone, None, desa_only=not kecamatan_readings)
        homonym_kabkotas = len(kabkotas) - 1
        if len(kecamatan_readings) == 1 and (
            homonym_kabkotas <= _KECAMATAN_DOMINANCE_LIMIT or text in _WELL_KNOWN_KECAMATAN
        ):
            # One kecamatan and homonymous desa elsewhere ("sokaraja", "pedurungan"): the
            # kecamatan is meant unless the rest of the post names the kab/kota of a homonym.
            default = kecamatan_readings[0].kabkota_code
            return _Mention(cue_text, readings, True, default, desa_only=False)
        return _Mention(cue_text, readings, False, None, desa_only=not kecamatan_readings)

    def _resolve(self, mentions: list[_Mention], from_author_location: bool) -> RegionFinding | None:
        support: dict[str, list[int]] = {}
        for number, mention in enumerate(mentions):
            for kabkota in {place.kabkota_code for place in mention.readings}:
                support.setdefault(kabkota, []).append(number)

        strong: dict[str, int] = {}
        for mention in mentions:
            kabkotas = {place.kabkota_code for place in mention.readings}
            if mention.default is not None:
                # "semarang" means the kota unless the kabupaten is named some other way too.
                others = [code for code in kabkotas if code != mention.default and len(support[code]) > 1]
                chosen = others[0] if len(others) == 1 else (mention.default if not others else None)
                if chosen is not None:
                    strong[chosen] = strong.get(chosen, 0) + 1
            elif mention.standalone and len(kabkotas) == 1:
                (only,) = kabkotas
                strong[only] = strong.get(only, 0) + 1

        # Two weak mentions are enough only if one of them is more than a desa name: Javanese desa
        # names repeat so much that two of them often meet in some kab/kota by chance.
        candidates = [
            code
            for code in support
            if strong.get(code, 0) > 0
            or (len(support[code]) >= 2 and any(not mentions[n].desa_only for n in support[code]))
        ]
        if not candidates:
            return None

        def rank(code: str) -> tuple[int, int]:
            return strong.get(code, 0), len(support[code])

        candidates.sort(key=rank, reverse=True)
        best = candidates[0]
        if len(candidates) > 1:
            runner_up = candidates[1]
            if rank(best) == rank(runner_up):
                return None

        code, evidence = self._most_specific(best, [mentions[number] for number in support[best]])
        if from_author_location:
            evidence = f"author_location: {evidence}"
        return RegionFinding(code, evidence, from_author_location)

    def _most_specific(self, kabkota: str, mentions: list[_Mention]) -> tuple[str, str]:
        """The deepest place inside ``kabkota`` that the mentions agree on, and its evidence."""
        inside = [
            (mention, [place for place in mention.readings if place.kabkota_code == kabkota]) for mention in mentions
        ]
        # First what each mention says on its own: a kecamatan name means the kecamatan even if a
        # desa in the same kab/kota shares it ("tembalang"); otherwise the common parent of its
        # readings here.
        resolved: list[tuple[_Mention, str | None]] = []
        for mention, places in inside:
            kecamatan_readings = [place for place in places if place.level == KECAMATAN]
            if len(kecamatan_readings) == 1:
                resolved.append((mention, kecamatan_readings[0].code))
            else:
                resolved.append((mention, _common_prefix_code(place.code for place in places)))
        named_kecamatan = {code for _, code in resolved if code is not None and code.count(".") == 2}
        # Then a mention ambiguous inside the kab/kota is settled by a kecamatan named elsewhere.
        settled: list[tuple[_Mention, str]] = []
        for (mention, places), (_, code) in zip(inside, resolved, strict=True):
            if code is not None and code.count(".") == 1 and len(places) > 1 and named_kecamatan:
                within = [place for place in places if place.code[:8] in named_kecamatan]
                if len(within) == 1:
                    code = within[0].code
            settled.append((mention, code or kabkota))

        deepest_mention, deepest = max(settled, key=lambda item: item[1].count("."))
        if all(deepest == code or deepest.startswith(code + ".") for _, code in settled):
            return deepest, deepest_mention.phrase
        common = _common_prefix_code(code for _, code in settled) or kabkota
        evidence = ", ".join(dict.fromkeys(mention.phrase for mention, _ in settled))
        return common, evidence
