"""The official `openai` client against a server running simulated .rkllm models on the RKLLM simulator."""
import pathlib

import openai
import pytest

from conftest import simulator_server

ANSWER = "Grüße aus München — 𝄞 ✓"


@pytest.fixture(scope="module", params=["1.2", "1.3"])
def simulated(request):
    with simulator_server(request.param, environment={"RKLLM_SIM_DECODE_US_PER_TOKEN": "3000"}) as running:
        yield running


def client_for(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)


def test_streams_the_echoed_answer(simulated):
    server, _ = simulated
    stream = client_for(server).chat.completions.create(
        model="qwen3-0.6b",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": f"[[echo]]{ANSWER}[[/echo]]"}],
        stream=True,
    )
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == ANSWER


def test_a_client_that_disconnects_aborts_the_runtime(simulated):
    server, event_log = simulated
    client = client_for(server)
    stream = client.chat.completions.create(
        model="qwen3-0.6b", messages=[{"role": "user", "content": "Tell me everything."}], max_tokens=3000, stream=True
    )
    for index, _ in enumerate(stream):
        if index == 3:
            break
    stream.close()
    # The next answer comes right away: the abandoned generation was stopped, not finished.
    answer = client.chat.completions.create(
        model="qwen3-0.6b", messages=[{"role": "user", "content": "[[echo]]next[[/echo]]"}]
    )
    assert answer.choices[0].message.content == "next"
    events = pathlib.Path(event_log).read_text().splitlines()
    assert "abort" in events
    finishes = [line for line in events if line.startswith("finish")]
    assert int(finishes[-2].split("generate_tokens=")[1].split()[0]) < 100


def test_a_full_queue_answers_503_with_retry_after():
    import concurrent.futures

    extra = ["--max-queue", "2", "--model", "qwen3-0.6b"]
    with simulator_server(extra_args=extra, environment={"RKLLM_SIM_DECODE_US_PER_TOKEN": "5000"}) as (server, _):
        client = client_for(server)

        def ask(_):
            try:
                stream = client.chat.completions.create(
                    model="qwen3-0.6b", messages=[{"role": "user", "content": "Hi"}], max_tokens=20, stream=True
                )
                return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
            except openai.APIStatusError as error:
                return error

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(ask, range(8)))
        refused = [r for r in results if isinstance(r, openai.APIStatusError)]
        answered = [r for r in results if isinstance(r, str)]
        assert refused and answered
        assert all(r.status_code == 503 and r.response.headers.get("retry-after") for r in refused)
        assert all(len(a.split()) == 20 for a in answered)
