"""The reference model: an embedded French n-gram model, or a Hugging Face masked LM.

Public API::

    from mtrepair.model import load_model
    model = load_model()            # embedded default (cached; memory-mapped tables)
    model.logprob("Il a souligné que la demande reste forte.")   # natural log, </s> included
    model.perplexity(text)
    model.rank(left, ["a souligné", "a gardé à l'esprit"], right)  # [(candidate, score)], best first
    model.logprob_many(texts)        # vectorised batch scoring (numpy array)
    model.id                         # "name@contenthash" for reproducible signatures

``load_model(name)``:

* ``None``, ``"default"`` or ``"embedded"``: the model shipped in ``mtrepair/model/data``;
* ``"none"``: no model (returns ``None``);
* ``"hf:NAME_OR_PATH"``: a masked language model through transformers (extra ``hf``),
  offline unless ``allow_download=True`` or ``MTREPAIR_HF_ONLINE=1``;
* a folder written by ``python -m mtrepair.model.build``.

Per-sentence fluency for scoring: :func:`mtrepair.model.fluency.sentence_perplexities`.
"""

from __future__ import annotations

import os
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ModelError, ModelNotFoundError

__all__ = ["load_model", "default_model_path", "ModelError", "ModelNotFoundError"]

_CACHE: dict[tuple[str, bool], Any] = {}
_LOCK = threading.Lock()


def default_model_path() -> Path:
    """Folder of the embedded model inside the installed package."""
    return Path(str(resources.files("mtrepair.model") / "data"))


def load_model(name: str | None = None, *, allow_download: bool | None = None) -> Any:
    """Load (once, then from a cache) the reference model called ``name``; see module doc."""
    key = (name or "default").strip()
    if key.lower() == "none":
        return None
    if allow_download is None:
        allow_download = os.environ.get("MTREPAIR_HF_ONLINE", "") not in ("", "0")
    ck = (key, bool(allow_download))
    with _LOCK:
        model = _CACHE.get(ck)
        if model is None:
            model = _load(key, bool(allow_download))
            _CACHE[ck] = model
    return model


def _load(key: str, allow_download: bool) -> Any:
    if key.lower() in ("default", "embedded"):
        from .ngram import NgramModel

        return NgramModel(default_model_path())
    if key.startswith("hf:"):
        from .hf import MaskedLMModel

        return MaskedLMModel(key[3:], allow_download=allow_download)
    path = Path(key).expanduser()
    if path.is_dir():
        from .ngram import NgramModel

        return NgramModel(path)
    raise ModelNotFoundError(
        f"unknown model {key!r}: use 'default', 'none', 'hf:NAME_OR_PATH' (a local Hugging Face "
        "masked LM folder) or a folder built by 'python -m mtrepair.model.build'"
    )
