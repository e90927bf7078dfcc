"""lcs.Runtime(remote_cache=...): the shared cache tier on Redis.

Two runtimes with separate disk caches stand for two nodes; a
redis-server of the test's own runs on a free loopback port. Without
redis-server on PATH these tests fail, as the C++ ones do: the test
command's machine has it (scripts/setup.sh installs it).
"""

import os
import shutil
import socket
import subprocess
import time

import pytest

import lcs

IR = b'''target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @KERNEL(ptr %p, i32 %n, float %f, i64 %q, double %d, i8 %b) {
  ret void
}
'''
PARAMS = {"k": ["ptr", "i32", "float", "i64", "double", "i8"]}
ARGS = (0, 1, 1.0, 1, 1.0, 0)


def _command(port, *args):
    """One Redis command over RESP; the reply line (enough here)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        msg = f"*{len(args)}\r\n".encode()
        for a in args:
            a = a.encode()
            msg += b"$%d\r\n%s\r\n" % (len(a), a)
        s.sendall(msg)
        return s.recv(65536).split(b"\r\n")


@pytest.fixture
def redis_port(tmp_path):
    server = shutil.which("redis-server")
    if not server:
        pytest.fail("redis-server not found on PATH: the remote cache tests "
                    "need a real Redis (scripts/setup.sh installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path),
         "--logfile", str(tmp_path / "redis.log")])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if _command(port, "PING")[0] == b"+PONG":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.02)
        yield port
    finally:
        proc.kill()
        proc.wait()


def _entries(port):
    reply = _command(port, "KEYS", "lcs:v2:e:*")
    return int(reply[0][1:])  # "*N": the array's length


@pytest.mark.driver
def test_a_second_node_is_served_by_the_first_through_redis(redis_port,
                                                            tmp_path):
    url = f"redis://127.0.0.1:{redis_port}"
    calls = []

    def gen(name):
        calls.append(name)
        lcs.mark_launch_config_sensitive("block.x")
        return IR.replace(b"KERNEL", name.encode())

    for node in ("a", "b"):
        rt = lcs.Runtime(cache_dir=str(tmp_path / node), remote_cache=url)
        k = rt.program_from_generator("test-remote", gen, PARAMS).kernel("k")
        k[1, 32](*ARGS)
        # Destroying the runtime flushes its pending stores to Redis.
        del k, rt
        assert _entries(redis_port) >= 1
    # Node b neither called the generator nor compiled: Redis served it.
    assert calls == ["k"]


@pytest.mark.driver
def test_no_remote_and_an_unreachable_one_never_fail(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there now
    for i, remote in enumerate(("", f"redis://127.0.0.1:{port}")):
        rt = lcs.Runtime(cache_dir=str(tmp_path / str(i)),
                         remote_cache=remote)
        k = rt.program(IR.replace(b"KERNEL", b"k")).kernel("k")
        k[1, 32](*ARGS)


@pytest.mark.driver
def test_a_bad_remote_is_a_clear_error_without_the_password():
    with pytest.raises(ValueError, match="TLS") as e:
        lcs.Runtime(cache_dir="", remote_cache="rediss://u:hunter2@h:6379")
    assert "hunter2" not in str(e.value)
    with pytest.raises(ValueError, match="host:port"):
        lcs.Runtime(cache_dir="", remote_cache="redis://nohost")
    with pytest.raises(TypeError, match="remote_cache"):
        lcs.Runtime(cache_dir="", remote_cache=6379)
