"""A reproducibility signature for mtrepair's own settings, in sacrebleu's spirit.

``mtrepair:0.1.0|glossary:1043@3f2a9c1d|model:kn4-fr@ab12cd34|min-conf:0.70|cats:all|...|cfg:1a2b3c4d``
names everything that decides an output: version, glossary size and content
hash, model id, thresholds and switches, and ``cfg:`` a hash of every other
repair setting (so a change to any of them shows). Two runs with the same signature on
the same input give the same output.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .config import RepairConfig
from .types import ALL_CATEGORIES


def glossary_fingerprint(glossary: Any) -> str:
    if glossary is None:
        return "none"
    entries = getattr(glossary, "entries", ())
    h = hashlib.sha256()
    for e in sorted(entries, key=lambda e: e.id):
        h.update(repr((e.id, e.pattern, tuple(e.replace), e.confidence, e.mode)).encode("utf-8"))
    return f"{len(entries)}@{h.hexdigest()[:8]}"


def repair_signature(config: RepairConfig, glossary: Any = None, model: Any = None) -> str:
    from . import __version__

    cats = "all" if set(config.categories) == set(ALL_CATEGORIES) else "+".join(sorted(config.categories))
    switches = "".join(
        flag
        for flag, on in (
            ("b", config.remove_boilerplate),
            ("l", config.join_broken_lines),
            ("t", config.typography),
            ("e", config.restore_entities),
            ("u", config.find_unlisted),
        )
        if on
    )
    model_id = "none" if model is None else getattr(model, "id", type(model).__name__)
    disabled = f"|disabled:{len(config.disabled_rules)}" if config.disabled_rules else ""
    return (
        f"mtrepair:{__version__}|glossary:{glossary_fingerprint(glossary)}|model:{model_id}"
        f"|min-conf:{config.min_confidence:.2f}|margin:{config.model_margin:g}|cats:{cats}"
        f"|passes:{switches or '-'}{disabled}|cfg:{config_fingerprint(config)}"
    )


#: Config fields that do not decide the repaired text (scoring settings have their own
#: signature part; glossary paths are covered by the glossary content hash).
_NOT_REPAIR_SETTINGS = frozenset({"scoring", "score_results", "glossary_paths"})


def config_fingerprint(config: RepairConfig) -> str:
    """Short hash of every repair setting, so that any change shows in the signature."""
    import json

    data = {k: v for k, v in config.to_dict().items() if k not in _NOT_REPAIR_SETTINGS}
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:8]
