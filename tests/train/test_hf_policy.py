"""HFPolicy (`--model PATH`) on tiny Hugging Face causal LMs made locally (tests/train/tiny_hf.py).

Two architectures: Llama (rotary positions; its tokenizer has a padding token and prepends <s>)
and GPT-2 (learned absolute positions, so left padding changes its logits unless the positions
count real tokens only; its tokenizer has no padding token and adds nothing, as GPT-2's).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import RunningServer

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

import torch.nn.functional as F  # noqa: E402

from tests.train.tiny_hf import Arch, favour_eos, make_tiny_hf_model  # noqa: E402
from verifier_service.cli import _parser  # noqa: E402
from verifier_service.train.config import config_from_args  # noqa: E402
from verifier_service.train.grpo import token_logprobs  # noqa: E402
from verifier_service.train.model import CHARS, HFPolicy  # noqa: E402
from verifier_service.train.sequences import (  # noqa: E402
    completion_mask,
    decode_completion,
    join,
    pad_left,
)
from verifier_service.train.tasks import make_problems  # noqa: E402
from verifier_service.train.trainer import train  # noqa: E402

CPU = torch.device("cpu")
ARCHS: tuple[Arch, ...] = ("llama", "gpt2")


@pytest.fixture(scope="module", params=ARCHS)
def model_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    arch: Arch = request.param
    directory = tmp_path_factory.mktemp(f"tiny-{arch}")
    return make_tiny_hf_model(directory, arch, with_pad=arch == "llama")


@pytest.fixture
def policy(model_dir: Path) -> HFPolicy:
    return HFPolicy(str(model_dir), CPU)


def prompts(policy: HFPolicy, count: int) -> tuple[Any, Any]:
    """Left-padded prompts of different lengths (add, mul and div questions)."""
    problems = make_problems(5, count, ("add", "mul", "div"), 2)
    rows = [policy.encode_prompt(p.prompt) for p in problems]
    assert len({len(row) for row in rows}) > 1
    return pad_left(rows, policy.pad_id, CPU)


def test_loads_the_local_model_and_its_tokenizer(policy: HFPolicy, model_dir: Path) -> None:
    config = json.loads((model_dir / "config.json").read_text())
    tokenizer = policy.tokenizer
    assert policy.eos_id == tokenizer.eos_token_id
    if config["model_type"] == "llama":
        assert policy.pad_id == tokenizer.pad_token_id != policy.eos_id
        assert policy.encode_prompt("A:")[0] == tokenizer.bos_token_id
    else:  # no padding token: pad with end of text
        assert tokenizer.pad_token_id is None and policy.pad_id == policy.eos_id
    assert all(p.dtype == torch.float32 for p in policy.model.parameters())

    problem = make_problems(3, 1, ("add",), 3)[0]
    assert policy.decode(policy.encode_prompt(problem.prompt)) == problem.prompt
    target = policy.encode_target(problem.solution())
    assert target[-1] == policy.eos_id and policy.eos_id not in target[:-1]
    assert policy.decode(target) == problem.solution()

    # dropout is off (GPT-2's config asks for 0.1): train mode gives the eval-mode logits
    tokens, attention = prompts(policy, 3)
    policy.model.eval()
    with torch.no_grad():
        evaluated = policy.logits(tokens, attention)
        policy.model.train()
        trained = policy.logits(tokens, attention)
    assert torch.equal(evaluated, trained)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="not a directory"):
        HFPolicy(str(tmp_path / "missing"), CPU)


def test_left_padding_does_not_change_a_sequences_logits(policy: HFPolicy) -> None:
    tokens, attention = prompts(policy, 4)
    # completions of different lengths, right-padded after their end (as the trainer joins them)
    lengths = [3, 7, 1, 5]
    completion = torch.randint(4, 40, (4, 7))
    completion_attention = (torch.arange(7)[None, :] < torch.tensor(lengths)[:, None]).long()
    completion = completion.masked_fill(completion_attention == 0, policy.pad_id)
    tokens, attention, _ = join(tokens, attention, completion, completion_attention)
    policy.model.eval()
    with torch.no_grad():
        batch = policy.logits(tokens, attention)
        unpositioned = policy.model(input_ids=tokens, attention_mask=attention).logits
    assert torch.isfinite(batch).all()  # padding positions too: masked losses would be NaN
    shifted = 0.0
    for row in range(len(tokens)):
        real = attention[row].bool()
        with torch.no_grad():
            alone = policy.logits(tokens[row : row + 1, real], attention[row : row + 1, real])
        torch.testing.assert_close(batch[row, real], alone[0], atol=1e-5, rtol=1e-4)
        shifted = max(shifted, float((unpositioned[row, real] - alone[0]).abs().max()))
    if policy.model.config.model_type == "gpt2":
        # absolute positions: without position ids the padded rows would be shifted
        assert shifted > 1e-3


def test_generate_pads_after_the_first_end_of_text(policy: HFPolicy) -> None:
    favour_eos(policy.model, policy.eos_id, 3.0)
    tokens, attention = prompts(policy, 8)
    max_new = 24
    torch.manual_seed(0)
    out = policy.generate(tokens, attention, max_new, temperature=1.0, greedy=False)
    assert out.shape == (8, max_new) and out.dtype == torch.long
    ended = 0
    for row in out.tolist():
        if policy.eos_id in row:
            end = row.index(policy.eos_id)
            assert row[end + 1 :] == [policy.pad_id] * (max_new - end - 1)
            ended += 1
    assert ended >= 4  # most rows end within max_new (P(eos) is about 1/5 per token)
    mask = completion_mask(out, policy.stop_ids)
    assert (mask.sum(dim=1) < max_new).sum() >= 4


def test_a_checkpoints_end_of_turn_token_also_ends_a_completion(tmp_path: Path) -> None:
    """A chat checkpoint's generation config names its end-of-turn token beside end of text."""
    plain = make_tiny_hf_model(tmp_path / "plain", "llama")
    assert HFPolicy(str(plain), CPU).stop_ids == (HFPolicy(str(plain), CPU).eos_id,)
    end_of_turn = 4 + CHARS.index("=")  # a character of the tokenizer's, as a stand-in
    directory = make_tiny_hf_model(
        tmp_path / "chat", "llama", generation_defaults={"eos_token_id": [2, end_of_turn]}
    )
    policy = HFPolicy(str(directory), CPU)
    assert policy.decode([end_of_turn]) == "="
    assert policy.stop_ids == (policy.eos_id, end_of_turn)
    favour_eos(policy.model, end_of_turn, 4.0)
    tokens, attention = prompts(policy, 8)
    torch.manual_seed(0)
    out = policy.generate(tokens, attention, 24, temperature=1.0, greedy=False)
    mask = completion_mask(out, policy.stop_ids)
    ended = 0
    for row, row_mask in zip(out.tolist(), mask.tolist(), strict=True):
        if end_of_turn in row and policy.eos_id not in row[: row.index(end_of_turn)]:
            end = row.index(end_of_turn)
            assert row[end + 1 :] == [policy.pad_id] * (24 - end - 1), row
            assert row_mask == [1] * (end + 1) + [0] * (24 - end - 1)
            assert "=" not in policy.decode(decode_completion(row, policy.stop_ids))
            ended += 1
    assert ended >= 4


def test_greedy_generation_is_deterministic(policy: HFPolicy) -> None:
    tokens, attention = prompts(policy, 4)
    torch.manual_seed(1)
    first = policy.generate(tokens, attention, 16, temperature=1.0, greedy=True)
    torch.manual_seed(2)
    second = policy.generate(tokens, attention, 16, temperature=0.5, greedy=True)
    assert first.shape == (4, 16) and torch.equal(first, second)
    # greedy means the argmax of the policy's own logits at every generated position
    joined, joined_attention, _ = join(
        tokens, attention, first, completion_mask(first, policy.stop_ids)
    )
    with torch.no_grad():
        logits = policy.logits(joined, joined_attention)
    width = tokens.shape[1]
    predicted = logits[:, width - 1 : width - 1 + 16].argmax(dim=-1)
    mask = completion_mask(first, policy.stop_ids).bool()
    assert torch.equal(predicted[mask], first[mask])


def test_logprobs_match_the_sampling_distribution(
    policy: HFPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_logprobs_match_sampling(policy, monkeypatch)


def test_checkpoint_dtype_and_generation_defaults_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bf16 checkpoint loads in float32; its sampling defaults do not change the sampling."""
    defaults = {
        "do_sample": True,
        "temperature": 0.3,
        "top_k": 5,
        "top_p": 0.5,
        "repetition_penalty": 1.3,
        "min_new_tokens": 4,
    }
    directory = make_tiny_hf_model(
        tmp_path, "llama", dtype=torch.bfloat16, generation_defaults=defaults
    )
    assert json.loads((directory / "generation_config.json").read_text())["top_k"] == 5
    policy = HFPolicy(str(directory), CPU)
    assert all(p.dtype == torch.float32 for p in policy.model.parameters())
    assert_logprobs_match_sampling(policy, monkeypatch)


def assert_logprobs_match_sampling(policy: HFPolicy, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `token_logprobs(policy.logits(...))` gives is what `generate` sampled from.

    The distributions `generate` sampled from are its processed scores (after temperature and
    any warper), requested through its public `output_scores` option.
    """
    favour_eos(policy.model, policy.eos_id, 2.0)
    scores: list[Any] = []
    original = policy.model.generate

    def generate_with_scores(**kwargs: Any) -> Any:
        generation_config = kwargs["generation_config"]
        generation_config.output_scores = True
        generation_config.return_dict_in_generate = True
        result = original(**kwargs)
        scores.extend(result.scores)
        return result.sequences

    monkeypatch.setattr(policy.model, "generate", generate_with_scores)
    temperature, max_new = 0.7, 12
    tokens, attention = prompts(policy, 6)
    torch.manual_seed(3)
    completions = policy.generate(tokens, attention, max_new, temperature, greedy=False)
    mask = completion_mask(completions, policy.stop_ids)
    assert 0 < len(scores) <= max_new and int(mask.sum()) > 0

    joined, joined_attention, loss_mask = join(tokens, attention, completions, mask)
    policy.model.eval()
    with torch.no_grad():
        logits = policy.logits(joined, joined_attention)
    logprobs = token_logprobs(logits, joined, temperature)
    width = tokens.shape[1]
    for step, step_scores in enumerate(scores):
        live = mask[:, step].bool()
        sampled = F.log_softmax(step_scores.float(), dim=-1)
        expected = F.log_softmax(logits[:, width - 1 + step].float() / temperature, dim=-1)
        # the whole distribution, not only the sampled token's probability
        torch.testing.assert_close(sampled[live], expected[live], atol=1e-4, rtol=1e-4)
        token = completions[:, step]
        chosen = sampled.gather(1, token[:, None]).squeeze(1)
        torch.testing.assert_close(
            chosen[live], logprobs[live, width - 1 + step], atol=1e-4, rtol=1e-4
        )
    # the loss mask covers exactly the sampled tokens up to and including the end of text
    assert torch.equal(loss_mask[:, width - 1 :], mask)


def test_bf16_autocast_on_cpu(policy: HFPolicy) -> None:
    tokens, attention = prompts(policy, 3)
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        out = policy.generate(tokens, attention, 8, temperature=1.0, greedy=False)
        logits = policy.logits(tokens, attention)
    assert out.shape == (3, 8) and logits.dtype == torch.bfloat16
    logprobs = token_logprobs(logits, tokens)
    assert logprobs.dtype == torch.float32 and torch.isfinite(logprobs).all()


def test_ci_config_trains_a_local_hf_model_end_to_end(
    server: RunningServer, client: httpx.Client, model_dir: Path, tmp_path: Path
) -> None:
    """`verifier-service train --config ci --model DIR`, shortened, against a real server."""
    run = tmp_path / "run"
    command = ["train", "--config", "ci", "--model", str(model_dir), "--out-dir", str(run)]
    command += ["--service-url", server.base_url, "--no-progress", "--steps", "2"]
    command += ["--sft-steps", "4", "--sft-batch", "8", "--eval-size", "4"]
    command += ["--prompts-per-step", "2", "--chunk-prompts", "1", "--max-new-tokens", "12"]
    args = _parser().parse_args(command)
    config = config_from_args(args)
    assert config.model_path == str(model_dir)
    summary = train(config)

    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [record["step"] for record in records] == [1, 2]
    for record in records:
        assert record["samples"] == config.prompts_per_step * config.samples_per_prompt
        assert record["unscored"] == 0
        assert all(math.isfinite(record[key]) for key in ("loss", "policy_loss", "kl"))
        assert 0 < record["completion_tokens_mean"] <= config.max_new_tokens
    assert math.isfinite(summary["sft_loss"]) and summary["eval_size"] == 4
    final = torch.load(run / "checkpoints" / "final.pt", weights_only=True)
    reloaded = HFPolicy(str(model_dir), CPU)
    assert final["model"].keys() == reloaded.model.state_dict().keys()
    reloaded.model.load_state_dict(final["model"])
