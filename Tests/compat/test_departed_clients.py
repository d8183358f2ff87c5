"""A client that goes away costs nothing more: in every dialect, streamed or not, its generation stops within
a token when it is running, and never starts when it is still queued. Proved on the RKLLM simulator (in a
runner process, the default) by the simulator's own event log and by how long the next request waits."""
import http.client
import json
import socket
import time

import pytest

from conftest import simulator_server, wait_until

MODEL = "qwen3-0.6b"
DECODE_US = 20000  # 20 ms a token: a 300-token answer takes 6 s


def body(path, content, tokens, stream):
    if path.startswith("/v1/chat"):
        return {"model": MODEL, "messages": [{"role": "user", "content": content}], "max_tokens": tokens,
                "stream": stream}
    if path.startswith("/v1/"):
        return {"model": MODEL, "prompt": content, "max_tokens": tokens, "stream": stream}
    if path == "/api/chat":
        return {"model": MODEL, "messages": [{"role": "user", "content": content}], "stream": stream,
                "options": {"num_predict": tokens}}
    return {"model": MODEL, "prompt": content, "stream": stream, "options": {"num_predict": tokens}}


ROUTES = ["/v1/chat/completions", "/v1/completions", "/api/chat", "/api/generate"]


class Client:
    """One request on its own connection, which the test can drop at any moment."""

    def __init__(self, server, path, content, tokens, stream):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        self.connection.request("POST", path, body=json.dumps(body(path, content, tokens, stream)),
                                headers={"Content-Type": "application/json"})
        self.socket = self.connection.sock
        self.response = None

    def first_line(self):
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        while True:
            line = self.response.readline()
            assert line, "the stream ended before any output"
            if line.strip():
                return line

    def read_all(self):
        if self.response is None:
            self.response = self.connection.getresponse()
        return self.response.read()

    def leave(self):
        self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()
        self.connection.close()


def runs(event_log):
    with open(event_log) as file:
        lines = file.read().splitlines()
    return [line for line in lines if line.startswith("run ")], [line for line in lines if line.startswith("finish ")]


def queue_ms_of_next_request(server):
    """How long a short request waits for the model right now."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("POST", "/v1/chat/completions", body=json.dumps(body("/v1/chat/completions", "next", 2, False)),
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 200, answer
    return answer["timings"]["queue_ms"]


@pytest.fixture(scope="module")
def sim():
    with simulator_server(environment={"RKLLM_SIM_DECODE_US_PER_TOKEN": str(DECODE_US)}) as (server, log):
        assert queue_ms_of_next_request(server) >= 0  # loads the model
        yield server, log


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
@pytest.mark.parametrize("path", ROUTES)
def test_a_running_generation_stops_when_its_client_leaves(sim, path, stream):
    server, log = sim
    started, finished = (len(entries) for entries in runs(log))
    client = Client(server, path, "Tell me a long story.", 300, stream)
    if stream:
        client.first_line()
    else:
        assert wait_until(lambda: len(runs(log)[0]) > started, timeout=5, interval=0.02), "the generation never started"
        time.sleep(0.2)
    client.leave()
    # Within a token or two the run is aborted, far short of its 300 tokens.
    assert wait_until(lambda: len(runs(log)[1]) > finished, timeout=2, interval=0.02), "the generation went on after its client left"
    last = runs(log)[1][-1]
    assert "aborted=1" in last, last
    generated = int(last.split("generate_tokens=")[1].split()[0])
    assert generated < 100, last
    assert queue_ms_of_next_request(server) < 1000


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
@pytest.mark.parametrize("path", ROUTES)
def test_a_queued_request_never_starts_when_its_client_leaves(sim, path, stream):
    server, log = sim
    started, _ = (len(entries) for entries in runs(log))
    ahead = Client(server, "/v1/chat/completions", "You go first.", 40, True)
    ahead.first_line()
    queued = Client(server, path, "I will not wait.", 300, stream)
    time.sleep(0.3)
    queued.leave()
    ahead.read_all()
    time.sleep(0.3)
    # Only the request ahead ran: the departed one never reached the runtime, not even its prefill.
    assert len(runs(log)[0]) == started + 1, runs(log)[0][started:]
    assert queue_ms_of_next_request(server) < 1000


SLOW_TEMPLATE = (
    "{% set ns = namespace(s='') %}{% if 'slow' in messages[-1]['content'] %}{% for i in range(100000) %}"
    "{% set ns.s = ns.s ~ 'xxxxxxxxxxxxxxxxxxxx' %}{% endfor %}{% endif %}{{ ns.s }}{{ messages[-1]['content'] }}")


def test_a_slow_template_render_stops_when_its_client_leaves():
    """Renders run on a few threads of their own; clients that leave free them at once, so the next chat
    (of any model) is rendered without waiting out the slow renders' time budget."""
    import os
    import tempfile

    from conftest import running_server

    model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-slow-template-")
    os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
    os.symlink(model, os.path.join(models_dir, "slow-template.gguf"))
    with open(os.path.join(models_dir, "slow-template.gguf.json"), "w") as file:
        json.dump({"chat_template": SLOW_TEMPLATE}, file)
    with running_server(models_dir, ["--context-length", "1024", "--isolation", "none"], {}) as server:
        def chat(model_name, content):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            connection.request("POST", "/v1/chat/completions", body=json.dumps(
                {"model": model_name, "messages": [{"role": "user", "content": content}], "max_tokens": 1}),
                headers={"Content-Type": "application/json"})
            return connection

        def timed_chat():
            started = time.monotonic()
            connection = chat("smollm2-135m-instruct", "hi")
            assert connection.getresponse().status == 200
            connection.close()
            return time.monotonic() - started

        connection = chat("slow-template", "hi")  # loaded, its template checked
        assert connection.getresponse().status == 200
        connection.close()
        alone = min(timed_chat() for _ in range(3))
        leaving = [chat("slow-template", "slow") for _ in range(6)]
        time.sleep(0.3)
        for connection in leaving:
            connection.sock.shutdown(socket.SHUT_RDWR)
            connection.close()
        # Six slow renders would hold the render threads for their 2 s budget each, several rounds of it.
        after = timed_chat()
        assert after < alone + 1.0, (after, alone)
