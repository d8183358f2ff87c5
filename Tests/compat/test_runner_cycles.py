"""Runner processes come and go without leaving anything behind in the server: after 200 load/unload cycles,
and after runners killed from outside, its open descriptors and threads are back to where they started; and a
runner does not outlive its server."""
import http.client
import json
import os
import signal
import time

from conftest import simulator_server

MODEL = "qwen3-0.6b"


def post(server, path, payload):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("POST", path, body=json.dumps(payload), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read() or b"null")
    connection.close()
    assert response.status == 200, answer
    return answer


def loaded(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/v1/models/loaded")
    answer = json.loads(connection.getresponse().read())
    connection.close()
    return answer["data"]


def counts(pid):
    return len(os.listdir(f"/proc/{pid}/fd")), len(os.listdir(f"/proc/{pid}/task"))


def settled(pid, baseline, timeout=10.0):
    """The server's counts once they are no higher than `baseline` (idle pool threads take a moment to end)."""
    deadline = time.monotonic() + timeout
    while True:
        now = counts(pid)
        if (now[0] <= baseline[0] and now[1] <= baseline[1]) or time.monotonic() > deadline:
            return now
        time.sleep(0.1)


def cycle(server, index=0):
    """One runner's life: load and unload through the management routes, or, every fourth cycle, a generation
    with keep_alive 0 (the runner starts for the request and is unloaded when it ends)."""
    if index % 4 == 3:
        answer = post(server, "/api/generate", {"model": MODEL, "prompt": "hi", "stream": False, "keep_alive": 0,
                                                "options": {"num_predict": 2}})
        assert answer["done"], answer
        return
    post(server, "/v1/models/load", {"model": MODEL})
    post(server, "/v1/models/unload", {"model": MODEL})


def test_descriptors_and_threads_return_after_200_runner_cycles():
    with simulator_server() as (server, _):
        pid = server.process.pid
        for index in range(4):
            cycle(server, index)
        time.sleep(0.5)
        baseline = counts(pid)
        started = time.monotonic()
        for index in range(200):
            cycle(server, index)
            assert time.monotonic() - started < 120, f"200 cycles take too long (at cycle {index})"
        descriptors, threads = settled(pid, baseline)
        assert descriptors <= baseline[0], (descriptors, baseline)
        assert threads <= baseline[1], (threads, baseline)


def test_descriptors_return_after_runners_are_killed():
    with simulator_server() as (server, _):
        pid = server.process.pid
        cycle(server)
        time.sleep(0.5)
        baseline = counts(pid)
        for _ in range(20):
            post(server, "/v1/models/load", {"model": MODEL})
            runner = loaded(server)[0]["runner_pid"]
            os.kill(runner, signal.SIGKILL)
            time.sleep(0.1)
            post(server, "/v1/models/unload", {"model": MODEL})
        descriptors, threads = settled(pid, baseline)
        assert descriptors <= baseline[0], (descriptors, baseline)
        assert threads <= baseline[1], (threads, baseline)


def test_a_runner_ends_when_its_server_is_killed():
    with simulator_server() as (server, _):
        post(server, "/v1/models/load", {"model": MODEL})
        runner = loaded(server)[0]["runner_pid"]
        server.process.kill()
        server.process.wait()
        deadline = time.monotonic() + 5
        while alive(runner) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(runner), "the runner outlived its server"


def alive(pid):
    """Whether `pid` runs (a zombie, whose parent is gone and not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
