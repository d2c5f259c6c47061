import numpy as np
import pytest

from translator.engines.sampling import choose_token, token_logprob


def _logits(seed: int = 0, size: int = 1000) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 3, size).astype(np.float32)


def _choose(logits: np.ndarray, **options: float) -> tuple[int, float, tuple[int, ...]]:
    params = {"temperature": 0.0, "top_p": 1.0, "top_k": 0, **options}
    choice = choose_token(
        logits,
        temperature=float(params["temperature"]),
        top_p=float(params["top_p"]),
        top_k=int(params["top_k"]),
        rng=np.random.default_rng(int(options.get("seed", 7))),
        n_top=5,
    )
    return choice.token_id, choice.logprob, choice.top_ids


def test_greedy_takes_the_argmax_with_exact_logprob() -> None:
    logits = _logits()
    choice = choose_token(
        logits, temperature=0, top_p=1, top_k=0, rng=np.random.default_rng(), n_top=5
    )
    reference = logits.astype(np.float64) - np.log(np.exp(logits.astype(np.float64)).sum())
    assert choice.token_id == int(np.argmax(logits))
    assert choice.logprob == pytest.approx(reference.max(), abs=1e-9)
    assert list(choice.top_ids) == list(np.argsort(-logits)[:5])
    assert list(choice.top_logprobs) == sorted(choice.top_logprobs, reverse=True)
    assert choice.top_logprobs == pytest.approx(tuple(np.sort(reference)[::-1][:5]), abs=1e-9)


def test_sampling_is_reproducible_with_a_seed_and_varies_without() -> None:
    logits = _logits(1)
    draws = [_choose(logits, temperature=1.5, seed=3)[0] for _ in range(3)]
    assert len(set(draws)) == 1
    rng = np.random.default_rng(11)
    varied = {
        choose_token(logits, temperature=5.0, top_p=1, top_k=0, rng=rng, n_top=5).token_id
        for _ in range(30)
    }
    assert len(varied) > 1


def test_top_k_one_and_tiny_top_p_are_greedy() -> None:
    logits = _logits(2)
    greedy = int(np.argmax(logits))
    assert _choose(logits, temperature=1.0, top_k=1)[0] == greedy
    assert _choose(logits, temperature=1.0, top_p=1e-6)[0] == greedy


def test_sampled_token_outside_top_reports_its_own_logprob() -> None:
    logits = np.zeros(50, dtype=np.float32)
    logits[:5] = 10.0
    choice = choose_token(
        logits, temperature=1.0, top_p=1.0, top_k=0, rng=np.random.default_rng(0), n_top=5
    )
    assert choice.token_id in choice.top_ids
    assert choice.logprob <= 0


def test_a_given_tokens_logprob_is_the_one_choosing_it_reports() -> None:
    logits = np.array([2.0, -1.0, 0.5, 3.0], dtype=np.float32)
    chosen = choose_token(
        logits, temperature=0.0, top_p=1.0, top_k=0, rng=np.random.default_rng(0), n_top=4
    )
    assert token_logprob(logits, chosen.token_id) == pytest.approx(chosen.logprob)
    assert token_logprob(logits, 1) == pytest.approx(-1.0 - np.log(np.exp(logits).sum()))
