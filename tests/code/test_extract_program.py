"""Finding the program in a model output."""

from __future__ import annotations

from verifier_service.code.extract import extract_program, fenced_blocks

FENCE = "```"
PYTHON = frozenset({"python", "py", "python3"})


def test_last_fenced_block_wins() -> None:
    response = (
        f"First:\n{FENCE}python\nprint(1)\n{FENCE}\nBetter:\n{FENCE}python\nprint(2)\n{FENCE}\n"
    )
    block = extract_program(response, PYTHON)
    assert block is not None and block.code == "print(2)\n" and block.tag == "python"


def test_blocks_tagged_with_another_language_do_not_count() -> None:
    response = f"{FENCE}python\nprint(1)\n{FENCE}\nOutput:\n{FENCE}text\n1\n{FENCE}\n"
    block = extract_program(response, PYTHON)
    assert block is not None and block.code == "print(1)\n"
    assert extract_program(f"{FENCE}cpp\nint main(){{}}\n{FENCE}", PYTHON) is None


def test_untagged_block_counts_for_any_language() -> None:
    block = extract_program(f"{FENCE}\nprint(3)\n{FENCE}", PYTHON)
    assert block is not None and block.code == "print(3)\n"


def test_no_fence_means_the_whole_response() -> None:
    block = extract_program("print(4)\n", PYTHON)
    assert block is not None and block.code == "print(4)\n"


def test_nothing_is_no_code() -> None:
    assert extract_program("", PYTHON) is None
    assert extract_program("   \n", PYTHON) is None
    assert extract_program(f"{FENCE}python\n\n{FENCE}", PYTHON) is None


def test_unclosed_thinking_has_no_program_and_thinking_does_not_count() -> None:
    assert extract_program(f"<think>{FENCE}python\nprint(1)\n{FENCE}", PYTHON) is None
    response = f"<think>{FENCE}python\nprint(1)\n{FENCE}</think>{FENCE}python\nprint(2)\n{FENCE}"
    block = extract_program(response, PYTHON)
    assert block is not None and block.code == "print(2)\n"


def test_an_unclosed_last_fence_runs_to_the_end() -> None:
    block = extract_program(f"{FENCE}python\nprint(5)\nprint(6)", PYTHON)
    assert block is not None and block.code == "print(5)\nprint(6)\n"


def test_tilde_fences_longer_fences_and_info_strings() -> None:
    blocks = fenced_blocks(f"~~~py\na\n~~~\n````python title=x\n{FENCE}\nnested\n{FENCE}\n````\n")
    assert [(b.tag, b.code) for b in blocks] == [
        ("py", "a\n"),
        ("python", f"{FENCE}\nnested\n{FENCE}\n"),
    ]


def test_huge_responses_scan_in_linear_time() -> None:
    response = (f"{FENCE}python\nx = 1\n" * 20_000) + "tail"
    block = extract_program(response, PYTHON)
    assert block is not None
