"""`verifier-service train`: flags, and the call into the trainer (torch imported only here)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from verifier_service.train.config import CONFIGS, add_override_arguments, config_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        choices=sorted(CONFIGS),
        default="ci",
        help="preset: ci (seconds on CPU), cpu-demo (minutes on 2 cores), gpu (one CUDA GPU)",
    )
    add_override_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ValueError as error:
        print(f"invalid training config: {error}", file=sys.stderr)
        return 2
    try:
        from verifier_service.train.trainer import train  # noqa: PLC0415
    except ImportError as error:
        print(
            f"training needs the `train` extra (pip install 'verifier-service[train]'): {error}",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per reward request
    out_dir = os.path.abspath(config.out_dir)
    print(f"writing checkpoints and the report to {out_dir} (--out-dir)", file=sys.stderr)
    summary = train(config)
    print(json.dumps(summary, indent=2))
    return 0
