"""Remote hit vs local disk hit vs cold compile, and a cluster cold start
with and without the remote tier. Not a test: figures for docs/cache.md.

Usage: bench.py LCS_COMPILE CORPUS_DIR WORK

Time is lcs-compile's own ("ms" of --stats: from after argument parsing to
exit), median of 7. Redis runs on loopback, started and stopped here.
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

compiler, corpus, work = sys.argv[1:4]
KERNELS = ["numba_uses_blockdim", "numba2_softplus_blockstride",
           "numba_block_reduce"]
REPS = 7
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
url = "redis://127.0.0.1:%d" % port
redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind",
                          "127.0.0.1", "--save", "", "--appendonly", "no",
                          "--dir", work, "--logfile",
                          os.path.join(work, "redis.log")])
time.sleep(0.3)
counter = 0


def run(kernel, cache_dir, remote, block=256):
    global counter
    counter += 1
    env = dict(os.environ)
    env.pop("LCS_REMOTE_CACHE", None)
    if remote:
        env["LCS_REMOTE_CACHE"] = url
    out = os.path.join(work, "out%d.ptx" % counter)
    r = subprocess.run([compiler, "--stats", "--emit=ptx",
                        "--block=%d" % block, "--cache-dir=" + cache_dir,
                        os.path.join(corpus, kernel + ".ll"), "-o", out],
                       env=env, capture_output=True, text=True, check=True)
    return json.loads(r.stderr.strip().splitlines()[-1])


def fresh():
    global counter
    counter += 1
    return os.path.join(work, "c%d" % counter)


try:
    print("| kernel | cold compile | local disk hit | remote hit |")
    print("|---|---:|---:|---:|")
    for k in KERNELS:
        cold = [run(k, fresh(), False)["ms"] for _ in range(REPS)]
        d = fresh()
        run(k, d, False)
        local = [run(k, d, False)["ms"] for _ in range(REPS)]
        run(k, fresh(), True)  # fills Redis
        remote = []
        for _ in range(REPS):
            line = run(k, fresh(), True)
            assert line["remote"] == "hit", line
            remote.append(line["ms"])
        c, l, r = (statistics.median(x) for x in (cold, local, remote))
        print("| %s | %.2f ms | %.2f ms (%.0fx) | %.2f ms (%.0fx) |"
              % (k, c, l, c / l, r, c / r))

    # Cold start: 4 nodes x 8 processes, 16 configurations, every process
    # asking for the same one at once; compile time summed over processes.
    for remote in (False, True):
        subprocess.run(["redis-cli", "-p", str(port), "flushall"],
                       capture_output=True)
        nodes = [fresh() for _ in range(4)]
        total = 0.0
        compiles = 0
        t0 = time.time()
        for cfg in range(16):
            procs = []
            for n in nodes:
                for _ in range(8):
                    env = dict(os.environ)
                    env.pop("LCS_REMOTE_CACHE", None)
                    if remote:
                        env["LCS_REMOTE_CACHE"] = url
                    procs.append(subprocess.Popen(
                        [compiler, "--stats", "--emit=ptx",
                         "--block=%d" % (32 * (cfg + 1)), "--cache-dir=" + n,
                         os.path.join(corpus, KERNELS[1] + ".ll"), "-o",
                         "/dev/null"], env=env, stderr=subprocess.PIPE,
                        text=True))
            for p in procs:
                _, err = p.communicate()
                line = json.loads(err.strip().splitlines()[-1])
                total += line["ms"]
                compiles += line["cache"] == "miss" and line["remote"] != "hit"
        print("cold start 4 x 8 x 16 (%s), %s: %d compiles, %.0f ms in "
              "lcs-compile summed over processes, %.1f s wall"
              % (KERNELS[1], "remote" if remote else "no remote", compiles,
                 total, time.time() - t0))
finally:
    redis.kill()
    redis.wait()
