"""A cold start of a simulated cluster against one real Redis.

Usage: cluster.py LCS_COMPILE LCS_CACHE INPUT WORK [CONFIGURATIONS]

Phase 1: NODES nodes (separate local cache directories) x PROCS processes
each compile CONFIGURATIONS variants through lcs-compile, every process
asking for the same variant at the same moment. Every process succeeds,
every output is byte-identical to an uncached compile, and the variants are
compiled CONFIGURATIONS times in total, plus at most one more per lease
timeout reported (lcs-cache remote stats).

Phase 2: Redis is killed in the middle of a run and restarted: no compile
fails, every output is still identical, and remote hits resume after the
restart.

Phase 3 (cubins; skipped, said so, without nvJitLink in CUDA_HOME or
/usr/local/cuda): three nodes compile --emit=cubin with the toolkit where it
is; the fourth has CUDA_HOME pointing to a copy of its libnvJitLink and
libdevice at another path with another mtime. Cubin keys carry the
assembler's version and content digest, not its path or mtime, so the
fourth node is served every variant from Redis, byte for byte.

Starts its own redis-server on a free loopback port and stops it. Exits 1
with a message if redis-server is missing (scripts/setup.sh installs it).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

NODES, PROCS = 4, 8

compiler, lcs_cache, source, work = sys.argv[1:5]
configs = int(sys.argv[5]) if len(sys.argv) > 5 else 64
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

server = shutil.which("redis-server")
if not server:
    print("FAIL: redis-server not found on PATH; the remote cache tests need "
          "a real Redis (scripts/setup.sh installs redis-server)")
    sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


port = free_port()
url = "redis://127.0.0.1:%d" % port
redis = None


def start_redis():
    global redis
    redis = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", work, "--logfile",
         os.path.join(work, "redis.log")])
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            return
        except OSError:
            time.sleep(0.01)
    raise SystemExit("FAIL: redis-server did not start")


def stop_redis():
    if redis and redis.poll() is None:
        redis.kill()
        redis.wait()


def block(k):
    return "--block=%d" % (16 * (k + 1))


def compile_cmd(k, cache_dir, out, emit="ptx"):
    cmd = [compiler, "--stats", "--emit=" + emit, block(k), source, "-o", out]
    return cmd + (["--cache-dir=" + cache_dir] if cache_dir else ["--no-cache"])


def run_round(k, phase, env):
    """All NODES x PROCS processes compile configuration k at once."""
    running = []
    for n in range(NODES):
        for p in range(PROCS):
            out = os.path.join(work, "%s_n%d_p%d_%d.ptx" % (phase, n, p, k))
            cache = os.path.join(work, phase, "node%d" % n)
            running.append((out, subprocess.Popen(
                compile_cmd(k, cache, out), env=env, stderr=subprocess.PIPE,
                text=True)))
    results = []
    for out, proc in running:
        _, err = proc.communicate(timeout=300)
        if proc.returncode != 0:
            results.append(("failed", err.strip(), out))
            continue
        line = json.loads(err.strip().splitlines()[-1])
        results.append((line["cache"], line["remote"], out))
    return results


def remote_stats():
    env = dict(os.environ, LCS_REMOTE_CACHE=url)
    r = subprocess.run([lcs_cache, "--json", "remote", "stats"], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("FAIL: lcs-cache remote stats: " + r.stderr)
    return json.loads(r.stdout)


ok = True
try:
    start_redis()
    reference = {}
    for k in range(configs):
        out = os.path.join(work, "ref_%d.ptx" % k)
        subprocess.run(compile_cmd(k, None, out), check=True,
                       stderr=subprocess.DEVNULL)
        reference[k] = open(out, "rb").read()

    env = dict(os.environ, LCS_REMOTE_CACHE=url)
    env.pop("LCS_REMOTE_CACHE_MODE", None)
    t0 = time.time()
    failed = compiles = differ = 0
    for k in range(configs):
        for cache, remote, out in run_round(k, "cold", env):
            if cache == "failed":
                failed += 1
                print("FAILED:", remote)
                continue
            # Compiled here: neither the local cache nor Redis had it.
            compiles += cache == "miss" and remote != "hit"
            differ += open(out, "rb").read() != reference[k]
    stats = remote_stats()
    lease_timeouts = stats["lease_timeouts"]
    print("phase 1: %d nodes x %d processes x %d configurations in %.1f s"
          % (NODES, PROCS, configs, time.time() - t0))
    print("processes failed:", failed)
    print("outputs differing from an uncached compile:", differ)
    print("compiles: %d (configurations %d, lease timeouts %d, lease waits %d)"
          % (compiles, configs, lease_timeouts, stats["lease_waits"]))
    print("remote: hits %d stores %d refusals %d errors %d"
          % (stats["hits"], stats["stores"], stats["refusals"],
             stats["errors"]))
    # Lease timeouts of sensitivity records can be among those reported,
    # so each allows one compile more at most.
    if failed or differ or not (configs <= compiles
                                <= configs + lease_timeouts):
        ok = False

    # Phase 2: kill Redis after round 2, restart it after round 4.
    rounds = min(configs, 8)
    failed = differ = 0
    after_restart = []
    for k in range(rounds):
        if k == 2:
            stop_redis()
        if k == 5:
            start_redis()
        for cache, remote, out in run_round(k, "kill", env):
            if cache == "failed":
                failed += 1
                print("FAILED:", remote)
                continue
            differ += open(out, "rb").read() != reference[k]
            if k >= 5:
                after_restart.append(remote)
    resumed = after_restart.count("hit")
    print("phase 2: Redis killed at round 2 of %d, restarted at round 5"
          % rounds)
    print("processes failed:", failed)
    print("outputs differing from an uncached compile:", differ)
    print("remote hits after the restart:", resumed)
    if failed or differ or not resumed:
        ok = False

    # Phase 3: the same toolkit at another path with another mtime.
    cuda = os.environ.get("CUDA_HOME") or "/usr/local/cuda"
    jitlink = os.path.join(cuda, "lib64", "libnvJitLink.so.13")
    libdevice = os.path.join(cuda, "nvvm", "libdevice", "libdevice.10.bc")
    if not (os.path.exists(jitlink) and os.path.exists(libdevice)):
        print("phase 3: skipped: no %s or %s" % (jitlink, libdevice))
    else:
        copy = os.path.join(work, "cuda-copy")
        for f, sub in ((jitlink, "lib64"), (libdevice, "nvvm/libdevice")):
            os.makedirs(os.path.join(copy, sub), exist_ok=True)
            dst = os.path.join(copy, sub, os.path.basename(f))
            shutil.copyfile(f, dst)  # a new file: another inode and mtime
            os.utime(dst, (1e9, 1e9))
        os.symlink("libnvJitLink.so.13",
                   os.path.join(copy, "lib64", "libnvJitLink.so"))
        if redis.poll() is not None:  # phase 2 ended before its restart
            start_redis()
        here = dict(env, CUDA_HOME=cuda)
        there = dict(env, CUDA_HOME=copy)
        rounds = min(configs, 4)
        failed = differ = served = 0
        for k in range(rounds):
            outs = []
            for n in range(NODES):
                out = os.path.join(work, "cubin_n%d_%d.cubin" % (n, k))
                r = subprocess.run(
                    compile_cmd(k, os.path.join(work, "cubin", "node%d" % n),
                                out, "cubin"),
                    env=there if n == NODES - 1 else here,
                    stderr=subprocess.PIPE, text=True)
                if r.returncode != 0:
                    failed += 1
                    print("FAILED:", r.stderr.strip())
                    continue
                line = json.loads(r.stderr.strip().splitlines()[-1])
                if n == NODES - 1:
                    served += line["remote"] == "hit"
                outs.append(open(out, "rb").read())
            differ += len(set(outs)) > 1
        print("phase 3: node %d with a copy of nvJitLink and libdevice "
              "(another path and mtime)" % (NODES - 1))
        print("processes failed:", failed)
        print("configurations whose cubins differ between nodes:", differ)
        print("remote hits on that node: %d of %d" % (served, rounds))
        if failed or differ or served != rounds:
            ok = False
finally:
    stop_redis()

print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
