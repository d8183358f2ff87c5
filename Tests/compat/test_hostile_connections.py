"""Clients that try to hold the server open, send broken HTTP or odd JSON, against the real binary."""
import http.client
import json
import os
import socket
import stat
import tempfile
import time

import pytest

from conftest import server_binary, simulator_server

TIMEOUTS = ["--header-timeout", "2", "--body-timeout", "2", "--idle-timeout", "2"]
SLOW_DECODE = {"RKLLM_SIM_DECODE_US_PER_TOKEN": "2500000"}


@pytest.fixture(scope="module")
def server():
    """A simulator server with 2 s timeouts that decodes one token every 2.5 s."""
    with simulator_server(extra_args=TIMEOUTS, environment=SLOW_DECODE) as (server, _):
        yield server


def connect(server, timeout=10):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def read_until_closed(sock):
    """Everything the server sends until it closes the connection."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def exchange(server, raw):
    """Sends raw bytes on a new connection; returns (status, headers, body) of the answer and the seconds it
    took the server to close the connection."""
    with connect(server) as sock:
        start = time.monotonic()
        sock.sendall(raw)
        data = read_until_closed(sock)
        return parse(data) + (time.monotonic() - start,)


def parse(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0] else 0
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def test_a_slowloris_head_is_cut_after_the_header_timeout(server):
    with connect(server) as sock:
        start = time.monotonic()
        closed_after = None
        for byte in b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed_after = time.monotonic() - start
                break
            sock.settimeout(0.5)
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            closed_after = time.monotonic() - start
            if data:
                assert parse(data)[0] == 408
            break
        assert closed_after is not None and 1.5 <= closed_after <= 4


def test_a_kept_alive_connection_is_closed_when_idle(server):
    with connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        start = time.monotonic()
        assert sock.recv(65536) == b""
        assert 1.5 <= time.monotonic() - start <= 4


def test_a_content_length_beyond_the_limit_is_413_at_once(server):
    status, headers, body, seconds = exchange(
        server,
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 100000000\r\n\r\n{",
    )
    assert status == 413 and headers["connection"] == "close"
    assert "larger" in json.loads(body)["error"]["message"]
    assert seconds < 1.5


def test_the_413_of_an_ollama_route_is_in_ollamas_shape(server):
    status, _, body, _ = exchange(
        server, b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n{"
    )
    assert status == 413 and isinstance(json.loads(body)["error"], str)


def test_a_body_that_stalls_is_408_after_the_body_timeout(server):
    status, headers, body, seconds = exchange(
        server,
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n{",
    )
    assert status == 408 and headers["connection"] == "close"
    assert "stalled" in json.loads(body)["error"]["message"]
    assert 1.5 <= seconds <= 4


def test_a_bad_chunk_size_line_is_400(server):
    status, headers, body, _ = exchange(
        server,
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    )
    assert status == 400 and headers["connection"] == "close"
    assert "chunk" in json.loads(body)["error"]["message"]


def test_a_bad_header_line_is_400(server):
    status, headers, _, _ = exchange(server, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n")
    assert status == 400 and headers["connection"] == "close"


@pytest.mark.parametrize(
    "method,path,allow",
    [("PUT", "/health", "GET, HEAD"), ("GET", "/v1/chat/completions", "POST"), ("GET", "/api/chat", "POST")],
)
def test_a_wrong_method_is_405_with_allow(server, method, path, allow):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    error = json.loads(response.read())["error"]
    assert response.status == 405 and response.getheader("Allow") == allow
    assert method in (error if path.startswith("/api") else error["message"])


@pytest.mark.parametrize("path", ["/health", "/v1/models", "/api/tags"])
def test_head_answers_wherever_get_does(server, path):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", path)
    get = connection.getresponse()
    get_body = get.read()
    connection.request("HEAD", path)
    head = connection.getresponse()
    assert head.status == 200 and head.read() == b""
    assert head.getheader("Content-Length") == str(len(get_body))
    assert head.getheader("Content-Type") == get.getheader("Content-Type")


def test_a_stream_with_pauses_longer_than_every_timeout_is_not_cut(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    body = {"model": "qwen3-0.6b", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3, "stream": True}
    connection.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    started = time.monotonic()
    lines = response.read().decode().splitlines()
    assert time.monotonic() - started > 4  # three tokens 2.5 s apart, each pause beyond the 2 s timeouts
    assert lines[-2:] == ["data: [DONE]", ""] or lines[-1] == "data: [DONE]"
    # The connection is still usable afterwards.
    connection.request("GET", "/health")
    assert connection.getresponse().status == 200


def test_a_non_streamed_answer_slower_than_every_timeout_arrives(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    body = {"model": "qwen3-0.6b", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2}
    connection.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["usage"]["completion_tokens"] == 2


def post_json(server, path, raw_body):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("POST", path, raw_body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, json.loads(response.read())["error"]


CHAT = b'{"model":"qwen3-0.6b","messages":[{"role":"user","content":"hi"}]'


@pytest.mark.parametrize("number", [b"1e308", b"1180591620717411303424"])
def test_a_number_out_of_range_names_its_field(server, number):
    status, error = post_json(server, "/v1/chat/completions", CHAT + b',"max_tokens":' + number + b"}")
    assert status == 400 and error["param"] == "max_tokens"
    assert "out of range" in error["message"] and "max_tokens" in error["message"]


def test_an_ollama_option_out_of_range_names_it(server):
    body = CHAT + b',"stream":false,"options":{"num_ctx":1180591620717411303424}}'
    status, error = post_json(server, "/api/chat", body)
    assert status == 400 and "num_ctx" in error and "out of range" in error


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/api/chat"])
def test_a_body_that_is_not_utf8_says_so(server, path):
    body = b'{"model":"qwen3-0.6b","messages":[{"role":"user","content":"h\xff\xfei"}]}'
    status, error = post_json(server, path, body)
    message = error if isinstance(error, str) else error["message"]
    assert status == 400 and "not UTF-8" in message


def test_broken_json_says_where(server):
    status, error = post_json(server, "/v1/chat/completions", b'{"model": "qwen3-0.6b", "messages": [}')
    assert status == 400 and "not valid JSON" in error["message"] and "byte" in error["message"]


def test_busy_connections_beyond_the_cap_get_503():
    with simulator_server(extra_args=["--max-connections", "2"], environment=SLOW_DECODE) as (server, _):
        body = json.dumps(
            {"model": "qwen3-0.6b", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3, "stream": True}
        )
        busy = []
        for _ in range(2):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
            busy.append(connection)
        time.sleep(0.5)
        status, headers, answer, _ = exchange(server, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert status == 503 and headers["connection"] == "close" and headers.get("retry-after")
        assert "busy" in json.loads(answer)["error"]["message"]
        for connection in busy:
            assert connection.getresponse().status == 200
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/health")
        assert connection.getresponse().status == 200


def test_200_idle_sockets_do_not_starve_a_server_limited_to_128_descriptors():
    # The server starts with RLIMIT_NOFILE 128 through a wrapper, so its default cap is 128 - 64 connections.
    wrapper_dir = tempfile.mkdtemp(prefix="rockchip-llama-ulimit-")
    wrapper = os.path.join(wrapper_dir, "rockchip-llama")
    with open(wrapper, "w") as file:
        file.write(f'#!/bin/sh\nulimit -n 128\nexec "{server_binary()}" "$@"\n')
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
    saved = os.environ.get("ROCKCHIP_LLAMA_BINARY")
    os.environ["ROCKCHIP_LLAMA_BINARY"] = wrapper
    try:
        with simulator_server() as (server, _):
            idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(200)]
            try:
                for _ in range(3):
                    start = time.monotonic()
                    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1)
                    connection.request("GET", "/health")
                    assert connection.getresponse().status == 200
                    assert time.monotonic() - start < 1
                    connection.close()
            finally:
                for sock in idle:
                    sock.close()
            time.sleep(0.2)
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1)
            connection.request("GET", "/health")
            assert connection.getresponse().status == 200
    finally:
        if saved is None:
            os.environ.pop("ROCKCHIP_LLAMA_BINARY", None)
        else:
            os.environ["ROCKCHIP_LLAMA_BINARY"] = saved
        os.remove(wrapper)
        os.rmdir(wrapper_dir)
