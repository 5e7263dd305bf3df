"""transformers backend: a masked language model scored by pseudo-log-likelihood.

``load_model("hf:NAME_OR_PATH")`` loads ``AutoTokenizer`` / ``AutoModelForMaskedLM``
(CamemBERT-style, sentencepiece tokenizer) with ``trust_remote_code=False`` and, unless the
user opts in (``allow_download=True`` or ``MTREPAIR_HF_ONLINE=1``), ``local_files_only=True``
so nothing is fetched. The device is CUDA when available, else CPU (``MTREPAIR_HF_DEVICE``
overrides, e.g. ``cpu``). Needs the ``hf`` extra: ``pip install 'mtrepair[hf]'``.

Pseudo-log-likelihood (Salazar et al. 2020): every subword position ``i`` of a text is
masked in turn and ``log P(token_i | text without token_i)`` is read from the model; the
sum over positions is the text's score (natural log). The masked copies of all texts of a
call are scored in batches of ``batch_size`` sequences.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Sequence

from .errors import ModelError, ModelNotFoundError
from .text import join_window

#: Masked copies scored per forward pass.
DEFAULT_BATCH_SIZE = 64
#: Longest text, in subword tokens, scored (longer texts are truncated).
MAX_TOKENS = 256


def _fingerprint(path: Path) -> str:
    """Content hash of a local model folder (config, tokenizer and weight files)."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.iterdir() if p.is_file()):
        h.update(f.name.encode())
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:12]


class MaskedLMModel:
    """A Hugging Face masked LM with the same scoring API as the n-gram model."""

    kind = "hf"

    def __init__(self, name_or_path: str, *, allow_download: bool = False,
                 device: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if not name_or_path:
            raise ModelNotFoundError("hf: needs a model name or folder, e.g. hf:/models/camembert-base")
        try:
            import torch
            from transformers import AutoModelForMaskedLM, AutoTokenizer
        except ImportError:
            raise ModelError(
                "the transformers backend needs torch: pip install 'mtrepair[hf]' (torch==2.13.0)"
            ) from None
        self._torch = torch
        self.name = name_or_path
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(
                name_or_path, local_files_only=not allow_download, trust_remote_code=False)
            self.model = AutoModelForMaskedLM.from_pretrained(
                name_or_path, local_files_only=not allow_download, trust_remote_code=False)
        except (OSError, ValueError) as exc:
            hint = ("download it once elsewhere and pass its folder as hf:/path/to/model, "
                    "or allow downloads with MTREPAIR_HF_ONLINE=1")
            raise ModelNotFoundError(
                f"Hugging Face model {name_or_path!r} not found locally ({type(exc).__name__}); {hint}"
            ) from None
        if self.tokenizer.mask_token_id is None:
            raise ModelError(f"{name_or_path}: tokenizer has no mask token; a masked LM is needed")
        device = device or os.environ.get("MTREPAIR_HF_DEVICE") or (
            "cuda" if torch.cuda.is_available() else "cpu")
        self.device = torch.device(device)
        self.model.to(self.device)
        self.model.eval()
        self.batch_size = batch_size
        path = Path(name_or_path)
        digest = _fingerprint(path) if path.is_dir() else hashlib.sha256(
            json.dumps(self.model.config.to_dict(), sort_keys=True, default=str).encode()).hexdigest()[:12]
        self.id = f"hf:{path.name or name_or_path}@{digest}"

    # ------------------------------------------------------------ scoring

    def _encode(self, text: str) -> list[int]:
        ids = self.tokenizer(text, add_special_tokens=True, truncation=True,
                             max_length=MAX_TOKENS)["input_ids"]
        return list(ids)

    def token_logprobs_many(self, texts: Sequence[str]) -> list[list[float]]:
        """PLL term of every non-special subword of each text."""
        torch = self._torch
        special = set(self.tokenizer.all_special_ids)
        mask_id = self.tokenizer.mask_token_id
        pad_id = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        encoded = [self._encode(t) for t in texts]
        jobs: list[tuple[int, int]] = []  # (text index, position)
        for ti, ids in enumerate(encoded):
            jobs.extend((ti, p) for p, tok in enumerate(ids) if tok not in special)
        out: list[list[float]] = [[] for _ in texts]
        with torch.inference_mode():
            for b in range(0, len(jobs), self.batch_size):
                chunk = jobs[b : b + self.batch_size]
                width = max(len(encoded[ti]) for ti, _ in chunk)
                inp = torch.full((len(chunk), width), pad_id, dtype=torch.long)
                att = torch.zeros((len(chunk), width), dtype=torch.long)
                for r, (ti, p) in enumerate(chunk):
                    ids = encoded[ti]
                    inp[r, : len(ids)] = torch.tensor(ids)
                    att[r, : len(ids)] = 1
                    inp[r, p] = mask_id
                logits = self.model(input_ids=inp.to(self.device),
                                    attention_mask=att.to(self.device)).logits
                rows = torch.arange(len(chunk))
                pos = torch.tensor([p for _, p in chunk])
                gold = torch.tensor([encoded[ti][p] for ti, p in chunk])
                lp = torch.log_softmax(logits[rows, pos].float(), dim=-1)[rows, gold.to(logits.device)]
                for (ti, _), v in zip(chunk, lp.cpu().tolist()):
                    out[ti].append(float(v))
        return out

    def logprob_many(self, texts: Sequence[str]):
        import numpy as np

        return np.array([sum(x) for x in self.token_logprobs_many(texts)], dtype=np.float64)

    def logprob(self, text: str) -> float:
        """Pseudo-log-likelihood of ``text`` (natural log)."""
        return float(self.logprob_many([text])[0])

    def perplexity(self, text: str) -> float:
        """``exp(-PLL / subword count)``; ``nan`` for a text without tokens."""
        terms = self.token_logprobs_many([text])[0]
        return math.exp(-sum(terms) / len(terms)) if terms else float("nan")

    def rank(self, left_context: str, candidates: Sequence[str], right_context: str = "") -> list[tuple[str, float]]:
        """Candidates with the PLL of ``left + candidate + right``, best first (stable)."""
        texts = [join_window(left_context, c, right_context) for c in candidates]
        scores = self.logprob_many(texts)
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
        return [(candidates[i], float(scores[i])) for i in order]

    def __repr__(self) -> str:
        return f"MaskedLMModel({self.id!r}, device={self.device})"
