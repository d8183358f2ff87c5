"""Model lifecycle on real processes, on both engines: runner processes that crash, a bounded queue under
load, several models at once, unload and keep-alive, and a SIGTERM that drains."""
import http.client
import json
import os
import signal
import threading
import time

import pytest

from conftest import engine_server, model_names, wait_until

ENGINES = ["llama", "rkllm"]
LONG_PROMPT = "Write a very long story about a dragon who learns to bake bread. Make it at least 2000 words."


def request(server, method, path, body=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), (json.loads(payload) if payload else None)


def loaded(server):
    return {model["id"]: model for model in request(server, "GET", "/v1/models/loaded")[2]["data"]}


def chat(server, model, content="[[echo]]hello[[/echo]] Say hello.", max_tokens=8):
    return request(server, "POST", "/v1/chat/completions", {
        "model": model, "messages": [{"role": "user", "content": content}], "max_tokens": max_tokens,
        "temperature": 0})


class Stream:
    """A streamed chat completion read line by line on the caller's thread."""

    def __init__(self, server, model, max_tokens, content=LONG_PROMPT, timeout=120):
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        self.connection.request("POST", "/v1/chat/completions", body=json.dumps({
            "model": model, "messages": [{"role": "user", "content": content}], "max_tokens": max_tokens,
            "stream": True, "temperature": 0}), headers={"Content-Type": "application/json"})
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = dict(self.response.getheaders())
        self.events = []

    def next_event(self):
        while True:
            line = self.response.readline()
            if not line:
                return None
            line = line.decode().strip()
            if line.startswith("data: "):
                self.events.append(line[6:])
                return line[6:]

    def read_all(self):
        while self.next_event() is not None:
            pass
        self.connection.close()
        return self.events

    def content_chunks(self):
        return [event for event in self.events if event != "[DONE]" and json.loads(event).get("choices")]


def process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_runner_killed_mid_stream_fails_only_its_request(engine):
    with engine_server(engine) as server:
        model = model_names(engine)[0]
        stream = Stream(server, model, max_tokens=1500)
        assert stream.status == 200
        for _ in range(4):
            assert stream.next_event() is not None
        runner = loaded(server)[model]["runner_pid"]
        assert runner and runner != server.process.pid
        os.kill(runner, signal.SIGKILL)
        events = stream.read_all()
        assert "[DONE]" not in events
        error = json.loads(events[-1])["error"]
        assert "runner process was killed by signal 9" in error["message"]
        # The server is up, and the next request gets a new runner.
        status, _, body = chat(server, model)
        assert status == 200 and body["choices"][0]["message"]["content"]
        assert loaded(server)[model]["runner_pid"] not in (None, runner)
        assert server.process.poll() is None


def test_a_runtime_that_segfaults_answers_5xx_and_the_server_stays_up():
    with engine_server("rkllm", environment={"RKLLM_SIM_CRASH_AFTER_TOKENS": "0"}) as server:
        status, _, body = chat(server, "simmodel0")
        assert status >= 500
        assert "signal 11" in body["error"]["message"]
        assert server.process.poll() is None
        assert request(server, "GET", "/health")[0] == 200


@pytest.mark.parametrize("engine", ENGINES)
def test_32_concurrent_streams_with_a_queue_of_8_complete_or_get_a_quick_503(engine):
    with engine_server(engine, extra_args=["--max-queue", "8"]) as server:
        model = model_names(engine)[0]
        assert chat(server, model)[0] == 200
        baseline = rss_kb(server.process.pid)
        results = [None] * 32

        def ask(index):
            started = time.monotonic()
            stream = Stream(server, model, max_tokens=6, content=f"[[echo]]answer {index}[[/echo]] Count to 5.")
            if stream.status == 200:
                events = stream.read_all()
                results[index] = ("done" if events and events[-1] == "[DONE]" else "broken", time.monotonic() - started)
            else:
                stream.response.read()
                results[index] = (stream.status, time.monotonic() - started, stream.headers.get("Retry-After"))

        threads = [threading.Thread(target=ask, args=(index,)) for index in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads), "a request hung"
        done = [result for result in results if result[0] == "done"]
        refused = [result for result in results if result[0] == 503]
        assert len(done) + len(refused) == 32, results
        assert len(done) >= 9
        assert refused, "32 requests against a queue of 8 must be turned away in part"
        assert all(result[1] < 2.0 and result[2] for result in refused), refused
        time.sleep(1)
        assert rss_kb(server.process.pid) < baseline + 25_000


@pytest.mark.parametrize("engine", ENGINES)
def test_two_models_are_loaded_at_once_and_both_answer(engine):
    with engine_server(engine, copies=2) as server:
        first, second = model_names(engine, 2)
        assert chat(server, first)[0] == 200
        assert chat(server, second)[0] == 200
        models = loaded(server)
        assert set(models) == {first, second}
        assert models[first]["runner_pid"] != models[second]["runner_pid"]
        assert chat(server, first)[0] == 200


@pytest.mark.parametrize("engine", ENGINES)
def test_a_model_over_the_limit_evicts_the_least_recently_used(engine):
    with engine_server(engine, copies=3, extra_args=["--max-loaded-models", "2"]) as server:
        first, second, third = model_names(engine, 3)
        for model in (first, second, first, third):
            assert chat(server, model)[0] == 200
        assert set(loaded(server)) == {first, third}


@pytest.mark.parametrize("engine", ENGINES)
def test_unload_during_a_generation_waits_for_it(engine):
    with engine_server(engine) as server:
        model = model_names(engine)[0]
        stream = Stream(server, model, max_tokens=60, content="[[echo]]" + "word " * 60 + "[[/echo]]" + LONG_PROMPT)
        assert stream.next_event() is not None
        runner = loaded(server)[model]["runner_pid"]
        status, _, body = request(server, "POST", "/v1/models/unload", {"model": model})
        assert status == 200
        events = stream.read_all()
        assert events[-1] == "[DONE]"
        assert "error" not in "".join(events)
        assert wait_until(lambda: not loaded(server))
        assert wait_until(lambda: not process_exists(runner))


@pytest.mark.parametrize("engine", ENGINES)
def test_keep_alive_expiry_unloads_and_ends_the_runner(engine):
    with engine_server(engine) as server:
        model = model_names(engine)[0]
        status, _, _ = request(server, "POST", "/api/generate", {
            "model": model, "prompt": "[[echo]]hi[[/echo]]", "stream": False, "keep_alive": "1s",
            "options": {"num_predict": 4}})
        assert status == 200
        runner = loaded(server)[model]["runner_pid"]
        assert wait_until(lambda: not loaded(server), timeout=8)
        assert wait_until(lambda: not process_exists(runner))


@pytest.mark.parametrize("engine", ENGINES)
def test_sigterm_lets_a_running_generation_finish_and_exits_0(engine):
    with engine_server(engine, extra_args=["--drain-timeout", "20"]) as server:
        model = model_names(engine)[0]
        stream = Stream(server, model, max_tokens=40, content="[[echo]]" + "word " * 40 + "[[/echo]]" + LONG_PROMPT)
        assert stream.next_event() is not None
        runner = loaded(server)[model]["runner_pid"]
        server.process.send_signal(signal.SIGTERM)
        # New connections are refused while the running generation finishes.
        def refused():
            try:
                request(server, "GET", "/health", timeout=2)
            except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
                return True
            except TimeoutError:
                # Accepted in the instant the listener closed, and never served: not taken on either.
                return True
            return False
        assert wait_until(refused, timeout=5)
        events = stream.read_all()
        assert events[-1] == "[DONE]"
        assert server.process.wait(20) == 0
        assert not process_exists(runner)


@pytest.mark.parametrize("engine", ENGINES)
def test_sigterm_stops_generations_that_outlast_the_drain_and_exits_0(engine):
    with engine_server(engine, extra_args=["--drain-timeout", "1"]) as server:
        model = model_names(engine)[0]
        stream = Stream(server, model, max_tokens=1500)
        assert stream.next_event() is not None
        runner = loaded(server)[model]["runner_pid"]
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        events = stream.read_all()
        assert server.process.wait(20) == 0
        assert time.monotonic() - started < 8
        assert "[DONE]" not in events
        # The stream ends with an error event that says why, not cut off mid-answer.
        assert "shutting down" in json.loads(events[-1])["error"]["message"], events[-3:]
        assert not process_exists(runner)


def test_isolation_none_keeps_the_model_in_the_server():
    with engine_server("rkllm", extra_args=["--isolation", "none"]) as server:
        assert chat(server, "simmodel0")[0] == 200
        assert loaded(server)["simmodel0"]["runner_pid"] is None
