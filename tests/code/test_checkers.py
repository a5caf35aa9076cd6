"""stdio output comparisons: case matters, a prefix never passes, NaN never equals."""

from __future__ import annotations

from verifier_service.code import checkers


def test_tokens_ignore_whitespace_but_not_case_or_missing_tokens() -> None:
    assert checkers.tokens(b"1 2\n3\n", b"1  2 3")
    assert not checkers.tokens(b"Yes\n", b"yes\n")
    assert not checkers.tokens(b"1 2 3\n", b"1 2\n")  # a prefix of the expected output
    assert not checkers.tokens(b"1 2\n", b"1 2 3\n")


def test_exact_and_lines() -> None:
    assert checkers.exact(b"a\n", b"a\n")
    assert not checkers.exact(b"a\n", b"a")
    assert checkers.lines(b"a\nb\n", b"a  \nb\n\n\n")
    assert not checkers.lines(b"a b\n", b"a  b\n")
    assert not checkers.lines(b"a\nb\n", b"a\n")


def test_unordered_lines() -> None:
    assert checkers.unordered_lines(b"1\n2\n3\n", b"3\n1\n2\n")
    assert not checkers.unordered_lines(b"1\n2\n2\n", b"1\n2\n")


def test_floats_within_tolerance_and_never_nan() -> None:
    assert checkers.floats(b"0.3333333\n", b"0.33333334\n")
    assert not checkers.floats(b"0.5\n", b"0.51\n")
    assert checkers.floats(b"0.5\n", b"0.51\n", abs_tol=0.02)
    assert checkers.floats(b"1000\n", b"1001\n", abs_tol=0, rel_tol=1e-2)
    assert not checkers.floats(b"nan\n", b"nan\n")
    assert checkers.floats(b"inf\n", b"inf\n")
    assert not checkers.floats(b"word 1.0\n", b"Word 1.0\n")
    assert not checkers.floats(b"1 2\n", b"1\n")
