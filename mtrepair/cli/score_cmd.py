"""``mtrepair score``: reference metrics (sacrebleu) and the reference-free quality report."""

from __future__ import annotations

import argparse
import json
import sys

from ..io import InputError, same_file, write_text_atomic
from .common import add_config_options, config_from_args, glossary_problems


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        help="score French quality (with a reference: BLEU, chrF2, chrF2++, TER; without: quality index)",
        description=(
            "Score HYP: reference metrics through sacrebleu when --reference is given, and a "
            "reference-free quality report (language purity, artifacts, fluency, mechanics, 0-100 index, "
            "keep/review/drop verdict) for each document. Inputs: two files, two folders of same-named "
            "files, or one JSONL file with the texts in fields."
        ),
    )
    p.add_argument("hyp", metavar="HYP", help="text to score (file, folder, or .jsonl; '-' = standard input)")
    p.add_argument("--reference", "-r", metavar="REF", help="trusted translation or human-edited version (file or folder)")
    p.add_argument("--original", metavar="ORIG",
                   help="the unrepaired text (file or folder): scored too, with the difference and a paired bootstrap test")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: aligned tables; json: machine-readable (stable field names)")
    p.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    p.add_argument("--segment", choices=("line", "document"), default="line",
                   help="reference-metric segments: each non-blank line (default; counts must match) or each document")
    p.add_argument("--jsonl", action="store_true", help="read HYP as JSONL even without the .jsonl suffix")
    p.add_argument("--hyp-field", default="text", metavar="NAME", help="JSONL field of the text to score (default: text)")
    p.add_argument("--ref-field", default="reference", metavar="NAME", help="JSONL field of the reference (default: reference)")
    p.add_argument("--orig-field", default="original", metavar="NAME", help="JSONL field of the original (default: original)")
    p.add_argument("--no-quality", action="store_true", help="reference metrics only (skip the reference-free report)")
    p.add_argument("--no-segments", action="store_true", help="text format: do not print the per-segment table")
    p.add_argument("--encoding-errors", choices=["strict", "replace"], default="strict",
                   help="what to do with bytes that are not valid UTF-8 (default: strict = stop with an error)")
    add_config_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..repairer import Repairer
    from ..scoring.align import AlignmentError, align_segments
    from ..scoring.inputs import read_inputs
    from ..scoring.quality import quality_report
    from ..scoring.reference import reference_scores
    from ..scoring.report import score_payload, score_text
    from ..scoring.signature import score_signature

    if args.output and args.output != "-":
        for path in (args.hyp, args.reference, args.original):
            if path and path != "-" and same_file(path, args.output):
                raise InputError(f"{args.output}: -o would overwrite an input; choose another file")
    config = config_from_args(args)
    jsonl = True if (args.jsonl or args.hyp_field != "text") else None
    docs = read_inputs(
        args.hyp, args.reference, args.original, jsonl=jsonl, hyp_field=args.hyp_field,
        ref_field=args.ref_field, orig_field=args.orig_field, encoding_errors=args.encoding_errors,
    )
    with_ref = all(d.ref is not None for d in docs)
    ref_scores = None
    if with_ref:
        segs = []
        try:
            for d in docs:
                segs.extend(align_segments(d.hyp, d.ref or "", d.orig, doc=d.name, unit=args.segment))
        except AlignmentError as exc:
            raise InputError(str(exc)) from None
        if not segs:
            raise InputError(f"{args.hyp}: nothing to score (no non-blank line)")
        ref_scores = reference_scores(segs, config.scoring, unit=args.segment)
    elif args.original is not None or any(d.orig is not None for d in docs):
        if args.no_quality:
            raise InputError("--original without a reference is only used by the quality report; drop --no-quality")

    repairer = Repairer(config)
    problems = glossary_problems(repairer)  # the quality report uses the glossary: never silent
    reports = []
    model_id = "none"
    for d in docs:
        if args.no_quality:
            reports.append((d.name, None))
            continue
        q = quality_report(d.hyp, config, repairer=repairer)
        if d.orig is not None:
            from dataclasses import replace

            q = replace(q, before=quality_report(d.orig, config, repairer=repairer))
        model_id = q.fluency.model
        reports.append((d.name, q))
    if args.no_quality:
        try:
            model_id = str(getattr(repairer.model, "id", "none")) if config.model != "none" else "none"
        except Exception:  # noqa: BLE001 - the model is not needed for reference metrics
            model_id = "none"
    signature = score_signature(config, repairer.glossary, model_id)
    if args.format == "json":
        out = json.dumps(score_payload(reports, ref_scores, signature), ensure_ascii=False, indent=2) + "\n"
    else:
        out = score_text(reports, ref_scores, signature, per_segment=not args.no_segments)
    if args.output and args.output != "-":
        write_text_atomic(args.output, out)
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return 1 if problems else 0
