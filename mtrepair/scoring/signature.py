"""mtrepair's signature for scores: the repair settings plus the scoring settings.

``mtrepair:0.1.0|glossary:412@3f2a9c1d|model:kn4-fr@ab12cd34|min-conf:0.70|...|cfg:1a2b3c4d``
``|lid:langdetect-1.0.9,seed0|w:p0.2,a0.45,f0.2,m0.15|half:a1.5,m3|ppl:150-3000|fmin:0.5|...|verdict:80/55``

Printed with every score (text, JSON, HTML) so a result can be reproduced:
the version, the glossary content hash, the model id, the repair thresholds,
the language-identification seed and every weight and threshold of the index.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from ..config import RepairConfig
from ..signature import repair_signature


@lru_cache(maxsize=1)
def _langdetect_version() -> str:
    try:
        from importlib.metadata import version

        return version("langdetect")
    except Exception:  # noqa: BLE001 - metadata missing: still a usable signature
        return "?"


def score_signature(config: RepairConfig, glossary: Any = None, model: Any = None) -> str:
    """Signature of everything that decides a quality score. ``model`` is a model or its id."""
    if not isinstance(model, str):
        model = "none" if model is None else str(getattr(model, "id", type(model).__name__))
    key = (config, id(glossary), model)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is glossary:
        return cached[1]
    base = repair_signature(config, glossary, None if model == "none" else SimpleNamespace(id=model))
    sig = (
        f"{base}|lid:langdetect-{_langdetect_version()},seed{config.langdetect_seed}"
        f"|{config.scoring.signature()}"
    )
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = (glossary, sig)
    return sig


#: (config, glossary id, model id) -> (glossary, signature); hashing the glossary takes milliseconds.
_CACHE: dict[tuple[Any, int, str], tuple[Any, str]] = {}
