"""The official `openai` client against a server running simulated .rkllm models on the RKLLM simulator."""
import os
import pathlib
import shutil
import tempfile

import openai
import pytest

from conftest import Server

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL_FILE = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
ANSWER = "Grüße aus München — 𝄞 ✓"


@pytest.fixture(scope="module", params=["1.2", "1.3"])
def simulated(request):
    layout = request.param
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-sim-")
    model = {"target_platform": "rk3588", "max_context_limit": 4096, "model_dtype": "w8a8"}
    pathlib.Path(models_dir, MODEL_FILE).write_bytes(b"RKLLMSIM1" + __import__("json").dumps(model).encode())
    event_log = os.path.join(models_dir, "events.log")
    environment = {
        "RKLLM_SIM_EVENT_LOG": event_log,
        "RKLLM_SIM_PREFILL_US_PER_TOKEN": "100",
        "RKLLM_SIM_DECODE_US_PER_TOKEN": "3000",
    }
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    library = ROOT / ".build" / "rkllm-sim" / layout / "librkllmrt.so"
    binary = os.environ.get("ROCKCHIP_LLAMA_BINARY") or str(ROOT / ".build" / "debug" / "rockchip-llama")
    server = Server(binary, models_dir, ["--rkllm-lib", str(library)])
    yield server, event_log
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    shutil.rmtree(models_dir, ignore_errors=True)


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
    import json as json_module

    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-queue-")
    model = {"target_platform": "rk3588", "max_context_limit": 4096, "model_dtype": "w8a8"}
    pathlib.Path(models_dir, MODEL_FILE).write_bytes(b"RKLLMSIM1" + json_module.dumps(model).encode())
    saved = os.environ.get("RKLLM_SIM_DECODE_US_PER_TOKEN")
    os.environ["RKLLM_SIM_DECODE_US_PER_TOKEN"] = "5000"
    library = ROOT / ".build" / "rkllm-sim" / "1.3" / "librkllmrt.so"
    binary = os.environ.get("ROCKCHIP_LLAMA_BINARY") or str(ROOT / ".build" / "debug" / "rockchip-llama")
    server = Server(binary, models_dir, ["--rkllm-lib", str(library), "--max-queue", "2", "--model", "qwen3-0.6b"])
    try:
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
    finally:
        server.stop()
        if saved is None:
            os.environ.pop("RKLLM_SIM_DECODE_US_PER_TOKEN", None)
        else:
            os.environ["RKLLM_SIM_DECODE_US_PER_TOKEN"] = saved
        shutil.rmtree(models_dir, ignore_errors=True)
