"""Quality of a classifier on labelled examples: accuracy, macro-F1, per-class precision and
recall, top-3 accuracy, expected calibration error, a confusion matrix (text and PNG).

No plotting library: the PNG is drawn pixel by pixel and written with the standard library's
``zlib`` (one grey cell per pair of classes, darker = more; class numbers along the axes match
the numbered legend in the text report).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ClassScore:
    label: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Evaluation:
    labels: tuple[str, ...]  # rows and columns of ``confusion``
    confusion: tuple[tuple[int, ...], ...]  # [true][predicted]
    accuracy: float
    macro_f1: float
    top3_accuracy: float | None
    calibration_error: float | None
    per_class: tuple[ClassScore, ...]

    @property
    def total(self) -> int:
        return sum(map(sum, self.confusion))

    def as_dict(self) -> dict[str, object]:
        return {
            "examples": self.total,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "top3_accuracy": None if self.top3_accuracy is None else round(self.top3_accuracy, 4),
            "calibration_error": None if self.calibration_error is None else round(self.calibration_error, 4),
        }


def evaluate(
    truth: Sequence[str],
    predicted: Sequence[str],
    top3: Sequence[Sequence[str]] | None = None,
    confidence: Sequence[float] | None = None,
) -> Evaluation:
    """Score ``predicted`` against ``truth``; macro-F1 averages over the classes that occur in ``truth``."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    labels = tuple(sorted(set(truth) | set(predicted)))
    position = {label: index for index, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for actual, guess in zip(truth, predicted, strict=True):
        matrix[position[actual]][position[guess]] += 1
    per_class = []
    for index, label in enumerate(labels):
        true_positive = matrix[index][index]
        support = sum(matrix[index])
        predicted_count = sum(row[index] for row in matrix)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassScore(label, support, precision, recall, f1))
    present = [score for score in per_class if score.support]
    total = len(truth)
    accuracy = sum(matrix[i][i] for i in range(len(labels))) / total if total else 0.0
    top3_accuracy = None
    if top3 is not None and total:
        top3_accuracy = sum(actual in best for actual, best in zip(truth, top3, strict=True)) / total
    calibration_error = None
    if confidence is not None and total:
        calibration_error = _expected_calibration_error(
            [actual == guess for actual, guess in zip(truth, predicted, strict=True)], confidence
        )
    return Evaluation(
        labels=labels,
        confusion=tuple(tuple(row) for row in matrix),
        accuracy=accuracy,
        macro_f1=sum(score.f1 for score in present) / len(present) if present else 0.0,
        top3_accuracy=top3_accuracy,
        calibration_error=calibration_error,
        per_class=tuple(per_class),
    )


def _expected_calibration_error(correct: Sequence[bool], confidence: Sequence[float], bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over ten equal-width confidence bins, weighted by size."""
    sums: list[list[float]] = [[0.0, 0.0, 0.0] for _ in range(bins)]  # count, confidence, correct
    for right, value in zip(correct, confidence, strict=True):
        bucket = sums[min(int(value * bins), bins - 1)]
        bucket[0] += 1
        bucket[1] += value
        bucket[2] += float(right)
    total = sum(bucket[0] for bucket in sums)
    return sum(abs(bucket[1] - bucket[2]) for bucket in sums if bucket[0]) / total if total else 0.0


def text_report(evaluation: Evaluation, title: str) -> str:
    """A plain-text report: the headline numbers, per-class scores and the numbered confusion matrix."""
    lines = [title, "=" * len(title), ""]
    lines.append(f"examples        {evaluation.total}")
    lines.append(f"accuracy        {evaluation.accuracy:.3f}")
    lines.append(f"macro-F1        {evaluation.macro_f1:.3f}")
    if evaluation.top3_accuracy is not None:
        lines.append(f"top-3 accuracy  {evaluation.top3_accuracy:.3f}")
    if evaluation.calibration_error is not None:
        lines.append(f"calibration err {evaluation.calibration_error:.3f}  (ECE, 10 bins)")
    lines += ["", f"{'#':>3}  {'class':<24} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}"]
    for index, score in enumerate(evaluation.per_class, start=1):
        numbers = f"{score.support:>7} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f}"
        lines.append(f"{index:>3}  {score.label:<24} {numbers}")
    lines += ["", "confusion matrix (rows: true class, columns: predicted class, by number above)"]
    width = max(4, len(str(max((max(row) for row in evaluation.confusion), default=0))) + 1)
    lines.append("    " + "".join(f"{index:>{width}}" for index in range(1, len(evaluation.labels) + 1)))
    for index, row in enumerate(evaluation.confusion, start=1):
        lines.append(f"{index:>3} " + "".join(f"{count:>{width}}" for count in row))
    return "\n".join(lines) + "\n"


# -- the confusion matrix as a PNG ------------------------------------------------------------

# 3x5 pixel digits, one string of 15 bits per digit, row by row.
_DIGITS = (
    "111101101101111",
    "010110010010111",
    "111001111100111",
    "111001111001111",
    "101101111001001",
    "111100111001111",
    "111100111101111",
    "111001010010010",
    "111101111101111",
    "111101111001111",
)
_CELL = 24
_SCALE = 2  # digit pixel size
_MARGIN = 40


def confusion_png(evaluation: Evaluation, path: str | Path) -> Path:
    """Write the confusion matrix as a greyscale PNG; each row is shaded by its own share."""
    size = len(evaluation.labels)
    width = height = _MARGIN + size * _CELL + 4
    pixels = [bytearray([255] * width) for _ in range(height)]
    for row_index, row in enumerate(evaluation.confusion):
        row_total = sum(row) or 1
        for column_index, count in enumerate(row):
            shade = 255 - round(215 * count / row_total) if count else 255
            top, left = _MARGIN + row_index * _CELL, _MARGIN + column_index * _CELL
            for y in range(top, top + _CELL):
                line = pixels[y]
                for x in range(left, left + _CELL):
                    border = y in (top, top + _CELL - 1) or x in (left, left + _CELL - 1)
                    line[x] = 170 if border else shade
            if row_index == column_index:  # mark the diagonal with a dark dot
                for y in range(top + 2, top + 6):
                    for x in range(left + 2, left + 6):
                        pixels[y][x] = 0
    for index in range(size):
        label = str(index + 1)
        _draw_number(pixels, label, x=_MARGIN + index * _CELL + 5, y=_MARGIN - 14)  # columns: predicted
        _draw_number(pixels, label, x=8, y=_MARGIN + index * _CELL + 7)  # rows: true
    target = Path(path)
    target.write_bytes(_png(width, height, pixels))
    return target


def _draw_number(pixels: list[bytearray], number: str, x: int, y: int) -> None:
    for offset, char in enumerate(number):
        bits = _DIGITS[int(char)]
        for bit_index, bit in enumerate(bits):
            if bit != "1":
                continue
            row, column = divmod(bit_index, 3)
            for dy in range(_SCALE):
                for dx in range(_SCALE):
                    px = x + offset * 4 * _SCALE + column * _SCALE + dx
                    py = y + row * _SCALE + dy
                    if 0 <= py < len(pixels) and 0 <= px < len(pixels[py]):
                        pixels[py][px] = 0


def _png(width: int, height: int, rows: list[bytearray]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in rows)  # filter type 0 on every scanline
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
