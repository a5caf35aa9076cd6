"""`verifier-service serve`, `verifier-service verify FILE.jsonl` and `verifier-service train`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from pydantic import TypeAdapter, ValidationError

from verifier_service import __version__
from verifier_service.config import Settings
from verifier_service.schemas.requests import Item

ITEM = TypeAdapter(Item)
DEFAULT_CHUNK = 1024


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings(**_overrides(args))
    except ValidationError as error:
        parser.exit(2, f"invalid settings: {error}\n")
    if args.command == "serve":
        from verifier_service.server import serve

        serve(settings)
        return 0
    if args.command == "worker":
        return run_worker(settings)
    if args.command == "train":
        from verifier_service.train.cli import run as run_train

        return run_train(args)
    return verify_file(args.file, settings, args.chunk)


def run_worker(settings: Settings) -> int:
    if not settings.redis_url:
        print("a worker needs --redis-url or VERIFIER_REDIS_URL", file=sys.stderr)
        return 2
    from verifier_service.queue.worker import Worker
    from verifier_service.server import configure_logging

    configure_logging(settings)
    return Worker(settings).run()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verifier-service", description="Reward and verification service for RL."
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="run the HTTP API (embedded; with --redis-url, in front of a queue)"
    )
    serve.add_argument("--host", help="bind address (VERIFIER_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (VERIFIER_PORT, default 8000)")
    worker = commands.add_parser("worker", help="score chunks from the Redis queue")
    for command in (serve, worker):
        command.add_argument(
            "--redis-url",
            help="Redis for queue mode (VERIFIER_REDIS_URL), e.g. redis://host:6379/0",
        )
    for command in (
        serve,
        worker,
        verify := commands.add_parser(
            "verify", help="score a JSON-lines file of items and print one result per line"
        ),
    ):
        command.add_argument(
            "--math-workers", type=int, help="math worker processes (VERIFIER_MATH_WORKERS)"
        )
    verify.add_argument(
        "file", help="JSON lines, one item per line (as in /v1/verify); - for stdin"
    )
    verify.add_argument(
        "--chunk", type=int, default=DEFAULT_CHUNK, help="items scored together (default 1024)"
    )
    from verifier_service.train.cli import add_arguments as add_train_arguments

    add_train_arguments(
        commands.add_parser(
            "train", help="GRPO on arithmetic word problems, rewarded by the service (extra: train)"
        )
    )
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    names = {
        "host": "host",
        "port": "port",
        "math_workers": "math_workers",
        "redis_url": "redis_url",
    }
    return {key: getattr(args, name) for name, key in names.items() if getattr(args, name, None)}


def verify_file(path: str, settings: Settings, chunk: int) -> int:
    """Score every line; a line that is not a valid item gets an error line, never a crash."""
    from verifier_service.service import Service

    try:
        stream: IO[str] = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        print(f"cannot read {path}: {error.strerror}", file=sys.stderr)
        return 2
    service = Service(settings)
    service.start()
    try:
        with stream:
            for batch in _chunks(_read_items(stream), chunk):
                _score_and_print(service, batch)
    finally:
        service.close()
    return 0


def _read_items(stream: IO[str]) -> Iterator[tuple[int, Item | str]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            yield number, ITEM.validate_python(json.loads(line))
        except (ValueError, ValidationError) as error:
            yield number, f"line {number}: {_first_error(error)}"


def _first_error(error: ValueError | ValidationError) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(map(str, first['loc'])) or 'item'}: {first['msg']}"
    return f"not JSON ({error})"


def _chunks(
    entries: Iterator[tuple[int, Item | str]], size: int
) -> Iterator[list[tuple[int, Item | str]]]:
    batch: list[tuple[int, Item | str]] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _score_and_print(service: Any, batch: list[tuple[int, Item | str]]) -> None:
    items = [entry for _, entry in batch if not isinstance(entry, str)]
    results = iter(service.score(items))
    for number, entry in batch:
        if isinstance(entry, str):
            print(json.dumps({"line": number, "error": entry}))
        else:
            print(next(results).model_dump_json())
    sys.stdout.flush()
