"""What every task reads from a model output before looking for its answer."""

from __future__ import annotations

import re

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
# End-of-turn, end-of-text and padding tokens that trainers leave in decoded text when they
# decode with special tokens kept (Qwen/ChatML, Llama 2 and 3, Mistral, Gemma, Phi, DeepSeek).
SPECIAL_TOKENS = (
    "<|im_end|>",
    "<|endoftext|>",
    "<|end_of_text|>",
    "<|eot_id|>",
    "<|eom_id|>",
    "<|end|>",
    "<|pad|>",
    "<end_of_turn>",
    "<eos>",
    "<pad>",
    "</s>",
    "<\uff5cend\u2581of\u2581sentence\uff5c>",
)
MAX_TRAILING_TOKENS = 64  # more than this at the end is not a decoded answer
# A next turn's header left after the answer: `<|im_start|>user`, `<|start_header_id|>user`.
_NEXT_TURN = re.compile(r"(?:<\|im_start\|>|<\|start_header_id\|>)[a-z]*(?:<\|end_header_id\|>)?")


def strip_special_tokens(response: str) -> str:
    """The response without the special tokens (and the next turn's header) at its end; a
    response that ends with none is returned unchanged (trailing newlines included)."""
    end = _content_end(response, len(response))
    for _ in range(MAX_TRAILING_TOKENS):
        token = next((t for t in SPECIAL_TOKENS if response.endswith(t, 0, end)), None)
        if token is not None:
            end = _content_end(response, end - len(token))
            continue
        headers = [m.start() for m in _NEXT_TURN.finditer(response, max(0, end - 64), end)]
        closing = [start for start in headers if _NEXT_TURN.fullmatch(response, start, end)]
        if not closing:
            break
        end = _content_end(response, closing[0])
    return response if end == _content_end(response, len(response)) else response[:end]


def _content_end(text: str, end: int) -> int:
    """`end` moved back over whitespace."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def final_section(response: str) -> str | None:
    """The part of a response that may hold its answer; None when thinking never ended."""
    response = strip_special_tokens(response)
    close = response.rfind(THINK_CLOSE)
    if close >= 0:
        return response[close + len(THINK_CLOSE) :]
    if THINK_OPEN in response:
        return None
    return response
