"""NumPy peer for `npm run bench`: runs the cases NumPy can do and prints one JSON object
{case_id: [times in ms per run]}. Same data generator and warm-up policy as the JS peers;
bench/run.ts starts it with OPENBLAS_NUM_THREADS=1 (one thread, like the others)."""
import json
import sys
import time

import numpy as np


def random_data(n, seed=1):
    # xorshift32 as in bench/peers/types.ts, vectorized in chunks for speed.
    out = np.empty(n, dtype=np.float32)
    s = seed & 0xFFFFFFFF or 1
    for i in range(n):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        out[i] = (s >> 8) / 16777216.0
        if i == 4095:
            break
    if n > 4096:  # the exact sequence matters little for timing: tile the first block
        out = np.resize(out[:4096], n)
    return out


def arr(shape, seed):
    return random_data(int(np.prod(shape)), seed).reshape(shape)


ADD_OPS = 1000


def cases():
    for n in (256, 512, 1024):
        a, b = arr((n, n), 1), arr((n, n), 2)
        yield f"matmul-{n}", (lambda a=a, b=b: a @ b)
    x, y = arr((5000, 5000), 3), arr((5000,), 4)
    yield "sincos-5000", lambda: np.sin(x) + np.cos(y)
    # NumPy has no jit: the same computation is the reference for the jitted case.
    yield "jit-sincos-5000", lambda: np.sin(x) + np.cos(y)
    s = arr((100,), 5)

    def adds():
        for _ in range(ADD_OPS):
            np.add(s, s)

    yield "add-100", adds
    big = arr((4096, 4096), 6)
    yield "sum-axis0-4096", lambda: big.sum(axis=0)
    yield "sum-axis1-4096", lambda: big.sum(axis=1)
    # A fresh generator each run, like a fixed key in the JS peers (creating it costs microseconds).
    yield "random-normal-10m", lambda: np.random.default_rng(0).standard_normal(10_000_000, dtype=np.float32)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    result = {}
    for cid, fn in cases():
        for _ in range(2):
            fn()
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        result[cid] = times
    result["_version"] = np.__version__
    print(json.dumps(result))


main()
