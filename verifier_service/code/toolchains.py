"""Which declared languages have a working toolchain, and its version, asked inside the jail."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from verifier_service.code.languages import Language, LanguageRegistry
from verifier_service.sandbox import Jail, RunLimits

PROBE_LIMITS = RunLimits(time_s=10, memory_mb=2048, max_processes=256)
PROBE_PARALLELISM = 4


class Toolchains:
    """Versions found by running each language's `version` command once, in the background.

    A judge asking about one language waits for that language's probe only, not for all.
    """

    def __init__(self, jail: Jail, registry: LanguageRegistry) -> None:
        self._jail = jail
        self._registry = registry
        self._versions: dict[str, str] = {}
        self._probed = {name: threading.Event() for name in registry.languages}
        self._thread = threading.Thread(target=self._probe_all, name="toolchains", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def versions(self, wait_s: float = 120.0) -> dict[str, str]:
        """Language name -> version line, for every language whose toolchain answered."""
        deadline = time.monotonic() + wait_s
        for probed in self._probed.values():
            probed.wait(max(0.0, deadline - time.monotonic()))
        return dict(self._versions)

    def available(self, language: Language, wait_s: float = 120.0) -> bool:
        probed = self._probed.get(language.name)
        if probed is not None:
            probed.wait(wait_s)
        return language.name in self._versions

    def _probe_all(self) -> None:
        try:
            languages = list(self._registry.languages.values())
            with ThreadPoolExecutor(PROBE_PARALLELISM) as pool:
                list(pool.map(self._probe_one, languages))
        finally:
            for probed in self._probed.values():
                probed.set()

    def _probe_one(self, language: Language) -> None:
        try:
            version = self._probe(language)
            if version is not None:
                self._versions[language.name] = version
        finally:
            self._probed[language.name].set()

    def _probe(self, language: Language) -> str | None:
        result = self._jail.run(
            list(language.version), limits=PROBE_LIMITS, environment=dict(language.env)
        )
        if result.exit_code != 0 or result.jail_log:
            return None
        text = (result.stdout + b"\n" + result.stderr).decode("utf-8", "replace")
        return next((line.strip() for line in text.splitlines() if line.strip()), "unknown")
