"""Everything code judging needs, built once per service: jail, languages, store, judge."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from verifier_service.code.judge import CodeJudge
from verifier_service.code.languages import LanguageRegistry, load_languages
from verifier_service.code.programs import ProgramStore
from verifier_service.code.raw_run import RawRunner
from verifier_service.code.toolchains import Toolchains
from verifier_service.config import Settings
from verifier_service.metrics import Metrics
from verifier_service.sandbox import Jail, SandboxUnavailableError

log = logging.getLogger(__name__)
HEADERS_JOIN_S = 10.0  # a header compile in flight fails once the jail closes


class CodeRuntime:
    """The judge, or the reason code items cannot be judged on this machine."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self._settings = settings
        self._metrics = metrics
        self.judge: CodeJudge | None = None
        self.runner: RawRunner | None = None  # single raw runs (POST /run_code)
        self.toolchains: Toolchains | None = None
        self.registry = LanguageRegistry({})
        self.store: ProgramStore | None = None
        self.unavailable_reason = "code judging has not started"
        self._own_root: Path | None = None
        self._headers_build: threading.Thread | None = None
        self._jail: Jail | None = None

    def start(self) -> None:
        settings = self._settings
        if not settings.code_enabled:
            self.unavailable_reason = "code judging is disabled (VERIFIER_CODE_ENABLED=false)"
            return
        registry = self.registry = LanguageRegistry(load_languages(settings.languages_file))
        root = settings.sandbox_dir
        if root is None:
            root = self._own_root = Path(tempfile.mkdtemp(prefix="verifier-sandbox-"))
            root.chmod(0o755)
        try:
            jail = self._jail = Jail.create(
                registry.toolchain_paths(),
                settings.code_parallelism,
                work_dir=root / "jail",
                warm_spares=settings.code_warm_jails,
                compile_parallelism=settings.code_compile_parallelism,
            )
        except SandboxUnavailableError as error:
            self.unavailable_reason = str(error)
            log.warning("code judging is unavailable: %s", error)
            return
        store = self.store = ProgramStore(
            root,
            jail,
            capacity=settings.code_program_cache,
            on_compile=lambda language, outcome: self._metrics.compiles.labels(
                language, outcome
            ).inc(),
        )
        self.toolchains = Toolchains(jail, registry)
        self.toolchains.start()
        self._headers_build = threading.Thread(
            target=store.build_precompiled_headers,
            args=(list(registry.languages.values()),),
            name="precompiled-headers",
            daemon=True,
        )
        self._headers_build.start()
        self.judge = CodeJudge(
            jail,
            registry,
            store=store,
            toolchains=self.toolchains,
            parallelism=settings.code_parallelism,
            metrics=self._metrics,
            convert_asserts=settings.code_assert_conversion,
        )
        self.runner = RawRunner(
            jail, registry, store=store, toolchains=self.toolchains, metrics=self._metrics
        )

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        if self.judge is not None:
            self.judge.close()
        if self._jail is not None:
            self._jail.close()
        if self._headers_build is not None:
            # A header still compiling must not write into the directory removed below.
            self._headers_build.join(timeout=HEADERS_JOIN_S)
        if self._own_root is not None:
            shutil.rmtree(self._own_root, ignore_errors=True)
