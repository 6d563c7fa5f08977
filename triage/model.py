"""A trained text classifier in a safe, versioned on-disk format, and its run-time scoring.

On disk a model is a directory (no pickle anywhere)::

    manifest.json     format, version, created, classes, sources, sizes, metrics, temperature,
                      and the sha256 of the two files below
    vocabulary.json   the feature strings, in column order (see triage.features)
    weights.npz       idf (n_features), coef (n_features x n_classes), intercept (n_classes);
                      float32, read with allow_pickle=False

Scoring is TF-IDF (sublinear tf, l2-normalised) followed by a linear layer and a softmax with a
temperature fitted on held-out data, exactly as scikit-learn computes it at training time; the
round trip is tested. numpy is the only run-time dependency.

Texts are scored in batches (:meth:`LinearTextModel.probabilities`): the features of the whole
batch become one sparse matrix in CSR form (row lengths, column numbers, values: plain numpy
arrays), the linear layer is one gather-multiply-and-sum over its non-zero entries
(``np.add.reduceat`` per row), and the softmax runs over the batch at once. A text's scores depend
only on its own row, so a text reads the same alone and in any batch; :meth:`~LinearTextModel.predict`
is a batch of one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from triage.features import analyse, analyse_tokens

FORMAT = "kemala-linear-text-1"
MANIFEST = "manifest.json"
VOCABULARY = "vocabulary.json"
WEIGHTS = "weights.npz"

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]


class ModelError(Exception):
    """A model directory that is missing, incomplete, corrupt or of an unknown format."""


@dataclass(frozen=True)
class Prediction:
    """Class probabilities of one text, best first; ``evidence`` counts known features."""

    ranked: tuple[tuple[str, float], ...]
    evidence: int

    @property
    def label(self) -> str:
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        return self.ranked[0][1]

    def top(self, count: int = 3) -> tuple[tuple[str, float], ...]:
        return self.ranked[:count]


@dataclass
class LinearTextModel:
    """TF-IDF + linear classifier over :func:`triage.features.analyse` features."""

    version: str
    classes: tuple[str, ...]
    vocabulary: tuple[str, ...]
    idf: FloatArray
    coef: FloatArray  # (n_features, n_classes)
    intercept: FloatArray  # (n_classes,)
    temperature: float = 1.0
    manifest: dict[str, Any] = field(default_factory=dict)
    analyser: Callable[[str], list[str]] = analyse
    # The same features from a text's tokens (triage.normalise.tokenise): must agree with ``analyser``.
    token_analyser: Callable[[Sequence[str]], list[str]] = analyse_tokens

    def __post_init__(self) -> None:
        self._index = {feature: position for position, feature in enumerate(self.vocabulary)}
        if self.coef.shape != (len(self.vocabulary), len(self.classes)):
            raise ModelError(
                f"coef has shape {self.coef.shape}, expected ({len(self.vocabulary)}, {len(self.classes)})"
            )
        if self.idf.shape != (len(self.vocabulary),) or self.intercept.shape != (len(self.classes),):
            raise ModelError("idf or intercept does not match the vocabulary and classes")

    # -- scoring -----------------------------------------------------------------------------

    def probabilities(self, feature_lists: Sequence[Sequence[str]]) -> tuple[FloatArray, IntArray]:
        """Class probabilities (texts x classes, in :attr:`classes` order) of texts given by their
        features (:attr:`analyser`), and how many distinct known features each text has.

        A text without a known feature gets the softmax of the intercept and evidence 0.
        """
        index = self._index
        columns: list[int] = []  # the batch in CSR form: known columns row after row ...
        counts: list[int] = []  # ... how often each occurs in its text ...
        known: list[int] = []  # ... and how many distinct columns each row has
        for features in feature_lists:
            tally = Counter(column for column in map(index.get, features) if column is not None)
            known.append(len(tally))
            columns.extend(tally)
            counts.extend(tally.values())
        raw = np.repeat(self.intercept[None, :], len(feature_lists), axis=0)
        evidence = np.asarray(known, dtype=np.intp)
        if columns:
            filled = evidence > 0
            starts = (np.cumsum(evidence) - evidence)[filled]  # where each non-empty row begins
            cols = np.asarray(columns, dtype=np.intp)
            # Sublinear tf times idf, then each row scaled to unit length (as scikit-learn does).
            values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))).astype(np.float32) * self.idf[cols]
            norms = np.sqrt(np.add.reduceat(values * values, starts))
            values /= np.repeat(np.maximum(norms, np.float32(1e-30)), evidence[filled])
            # The linear layer: each non-zero entry times its coefficient row, summed per text.
            raw[filled] += np.add.reduceat(self.coef[cols] * values[:, None], starts, axis=0)
        raw /= np.float32(self.temperature)
        raw -= raw.max(axis=1, keepdims=True)
        exponents = np.exp(raw)
        result: FloatArray = exponents / exponents.sum(axis=1, keepdims=True)
        return result, evidence

    def predict_features(self, feature_lists: Sequence[Sequence[str]]) -> list[Prediction]:
        probabilities, evidence = self.probabilities(feature_lists)
        order = np.argsort(-probabilities, axis=1, kind="stable")
        ranked_probabilities = np.take_along_axis(probabilities, order, axis=1).tolist()
        classes = self.classes
        return [
            Prediction(tuple(zip([classes[i] for i in ranks], values, strict=True)), known)
            for ranks, values, known in zip(order.tolist(), ranked_probabilities, evidence.tolist(), strict=True)
        ]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        return self.predict_features([self.analyser(text) for text in texts])

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    # -- persistence -------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike[str]) -> Path:
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        vocabulary_bytes = json.dumps(list(self.vocabulary), ensure_ascii=False).encode("utf-8")
        (path / VOCABULARY).write_bytes(vocabulary_bytes)
        with (path / WEIGHTS).open("wb") as handle:
            np.savez_compressed(
                handle,
                idf=self.idf.astype(np.float32),
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
            )
        manifest = {
            **self.manifest,
            "format": FORMAT,
            "version": self.version,
            "classes": list(self.classes),
            "temperature": self.temperature,
            "sizes": {
                **self.manifest.get("sizes", {}),
                "features": len(self.vocabulary),
                "classes": len(self.classes),
                "vocabulary_bytes": len(vocabulary_bytes),
                "weights_bytes": (path / WEIGHTS).stat().st_size,
            },
            "sha256": {name: _sha256(path / name) for name in (VOCABULARY, WEIGHTS)},
        }
        self.manifest = manifest
        (path / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> LinearTextModel:
        path = Path(directory)
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(f"no {MANIFEST} in {path}") from None
        except ValueError as error:
            raise ModelError(f"{path / MANIFEST} is not valid JSON: {error}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ModelError(f"{path} is not a {FORMAT} model")
        for name, digest in manifest.get("sha256", {}).items():
            if name in (VOCABULARY, WEIGHTS) and _sha256(path / name) != digest:
                raise ModelError(f"{path / name} does not match its checksum in the manifest")
        try:
            vocabulary = json.loads((path / VOCABULARY).read_text(encoding="utf-8"))
            with np.load(path / WEIGHTS, allow_pickle=False) as arrays:
                idf = np.asarray(arrays["idf"], dtype=np.float32)
                coef = np.ascontiguousarray(arrays["coef"], dtype=np.float32)
                intercept = np.asarray(arrays["intercept"], dtype=np.float32)
        except (OSError, ValueError, KeyError) as error:
            raise ModelError(f"cannot read the model in {path}: {error}") from None
        if not isinstance(vocabulary, list) or not all(isinstance(item, str) for item in vocabulary):
            raise ModelError(f"{path / VOCABULARY} must be a JSON list of strings")
        return cls(
            version=str(manifest["version"]),
            classes=tuple(manifest["classes"]),
            vocabulary=tuple(vocabulary),
            idf=idf,
            coef=coef,
            intercept=intercept,
            temperature=float(manifest.get("temperature", 1.0)),
            manifest=manifest,
        )


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise ModelError(f"{path} is missing") from None
