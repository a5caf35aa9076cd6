"""Settings come from VERIFIER_* variables and refuse unsafe combinations."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from verifier_service.config import Settings


def test_defaults_are_the_documented_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VERIFIER_HOST", "VERIFIER_PORT", "VERIFIER_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.max_batch_items == 10_000
    assert settings.math_default_timeout_s == 2.0


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_PORT", "9123")
    monkeypatch.setenv("VERIFIER_MATH_WORKERS", "3")
    settings = Settings()
    assert settings.port == 9123 and settings.math_workers == 3


def test_public_bind_needs_a_token_or_an_explicit_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_HOST", "0.0.0.0")
    monkeypatch.delenv("VERIFIER_API_TOKEN", raising=False)
    with pytest.raises(ValidationError, match="VERIFIER_API_TOKEN"):
        Settings()
    monkeypatch.setenv("VERIFIER_API_TOKEN", "t")
    assert Settings().host == "0.0.0.0"


def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_PORT", "not-a-port")
    with pytest.raises(ValidationError, match="port"):
        Settings()
