#!/usr/bin/env python3
"""Fixtures for test/numpy/indexing.test.ts (ts/numpy/indexing.ts, indexer.ts).

Run: python3 test/numpy/gen_indexing.py   (NumPy only; writes test/numpy/fixtures/indexing.json)

Reads are NumPy's x[index]; updates are NumPy's x[index] = v (unique indices) and the
unbuffered ufunc.at forms (np.add.at, np.multiply.at, np.minimum.at, np.maximum.at), which
accumulate repeated indices as JAX's .at[].add/.multiply/.min/.max do. Only in-bounds indices
appear here; JAX's out-of-bounds rules (clamped reads, dropped updates, fill mode) are tested
in indexing.test.ts with values from JAX's documentation.

Index encoding (the JS forms): a string ("1:, None, ::-1"), a number, null, {"arr": array},
a nested list of numbers (an integer array), or a list of per-axis entries (numbers, strings,
null, {"arr"}, nested number lists). Each case: {"x", "index", "op", "v"?, "out"}.
"""
import json
import os

import numpy as np

from fixture_util import arr, enc

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "indexing.json")
rng = np.random.default_rng(11)


def numeric(v):
    """An array literal: all scalars, or all (equally nested) lists of numbers."""
    if not isinstance(v, list):
        return False
    if all(isinstance(e, (int, float, bool)) for e in v):
        return True
    return all(numeric(e) for e in v)


def item_py(s):
    s = s.strip()
    return eval(f"np.s_[{s}]", {"np": np, "None": None})


def entry_py(e):
    if isinstance(e, str):
        r = eval(f"np.s_[{e}]", {"np": np})
        return list(r) if isinstance(r, tuple) else [r]
    if e is None or isinstance(e, (int, bool)):
        return [e]
    if isinstance(e, dict):
        a = np.array(e["arr"]["a"]).reshape(e["arr"]["s"])
        return [a.astype(bool) if e["arr"]["d"] == "bool" else a]
    if isinstance(e, list):
        return [np.array(e, dtype=None if e else np.int64)]
    raise TypeError(e)


def to_py(spec):
    if isinstance(spec, str):
        if spec.strip() == "":
            return ()
        return eval(f"np.s_[{spec}]", {"np": np})
    if isinstance(spec, list):
        if numeric(spec):
            return np.array(spec, dtype=None if spec else np.int64)
        out = []
        for e in spec:
            out += entry_py(e)
        return tuple(out)
    return entry_py(spec)[0]


cases = []


def get(x, dtype, index):
    out = np.asarray(x)[to_py(index)]
    cases.append({"x": enc(x, dtype), "index": index, "op": "get", "out": enc(out, dtype)})


UFUNC = {"add": np.add, "multiply": np.multiply, "min": np.minimum, "max": np.maximum}


def upd(x, dtype, index, op, v, vdtype=None):
    y = np.array(x, copy=True)
    idx = to_py(index)
    if op == "set":
        y[idx] = v
    else:
        UFUNC[op].at(y, idx, v)
    vv = enc(v, vdtype or dtype) if isinstance(v, np.ndarray) else v
    cases.append({"x": enc(x, dtype), "index": index, "op": op, "v": vv, "out": enc(y, dtype)})


x = np.arange(24).reshape(2, 3, 4)
v10 = np.arange(10)
f = np.round(rng.standard_normal((4, 5)), 3)

# ---- basic indexing (static slices)
for s in ["0", "-1", "1, 2", "1, 2, 3", "-1, -1, -1", "...", ":", "::2", "::-1", "1:", ":, 1", "..., 1",
          "..., None", "None", "None, ..., None", ":, None, 0", "1, ::-1", "0, ::-2, 1:3", ":, -2:, ::3",
          "::-1, ::-1, ::-1", "0,", "", "..., ::-3", "1, ..., 2", ":, :, None, :", "-100:100", "1:1",
          ":, 2:0:-1", ":, 0:3:2, 3:0:-2", "None, 0, None, 1, None", "..., -1:, None"]:
    get(x, "int32", s)
for s in ["5:1:-1", "-3:", "::3", "8:2:-2", "-20::-1", "100::-1", "2:-2", "-1:-5:-1", "3:1", "::-4", "None, 2:7"]:
    get(v10, "int32", s)
get(f, "float32", "1:3, ::-2")
get(f, "float32", [":", 2])
get(f, "float32", [-1, "1:4"])
get(f, "float32", [None, 1, None])
get(f, "float32", ["...", None])
get(f, "float32", 3)

# ---- integer arrays (gather)
get(v10, "int32", [0, 2, 9])
get(v10, "int32", [[1, 2], [3, -1]])
get(v10, "int32", arr([5, -10, 7]))
get(v10, "int32", [])
get(x, "int32", [1, 0])
get(x, "int32", [[[0, 1, 0]], ":", 1])
get(x, "int32", [arr([1, 0, 1]), ":", arr([3, 2, 0])])
get(x, "int32", [":", arr([2, 0]), arr([1, 3])])
get(x, "int32", [arr([1, 0]), 1])
get(x, "int32", [1, ":", arr([0, 3])])
get(x, "int32", [arr([[0], [1]]), arr([0, 2, 1])])
get(x, "int32", [None, arr([1, 0])])
get(x, "int32", [arr([1, 0]), None])
get(x, "int32", ["...", arr([3, 1])])
get(x, "int32", [arr([1, 0]), "::2"])
get(x, "int32", [arr([1, 0]), "::-1", "1:3"])
get(x, "int32", [":", arr([[2, 1], [0, 0]]), "::-2"])
get(x, "int32", [arr([0, 1]), None, arr([2, 0]), 1])
get(x, "int32", [arr([-1, -2]), arr([-3, 2]), arr([-4, 3])])
get(x, "int32", [arr(1), "::-1"])
get(x, "int32", [arr(-1), 2, arr(0)])
get(x, "int32", [":", arr(2), "1:3"])
get(x, "int32", [0, [2, 0, 1]])
get(x, "int32", [arr([1, 0], "uint8"), arr([2, 2], "int8")])
get(f, "float32", [arr([3, 0, 3]), ":"])
get(f, "float32", [":", [4, 0]])
get(f, "float32", [[0, 1], [3, 3]])
get(f, "float32", [arr([0, 1]), arr([4, 3])])

# ---- boolean masks
get(x, "int32", arr(x % 3 == 0, "bool"))
get(x, "int32", arr([True, False], "bool"))
get(x, "int32", [":", arr([False, True, True], "bool")])
get(x, "int32", [arr([[True, False, True], [False, False, True]], "bool"), 0])
get(x, "int32", [1, arr([False, False, False], "bool")])
get(x, "int32", ["...", arr([True, False, False, True], "bool")])
get(x, "int32", [arr([True, True], "bool"), arr([1, 2]), ":"])
get(x, "int32", True)
get(x, "int32", "True, 1")
get(x, "int32", "False")
get(x, "int32", ["...", True])
get(v10, "int32", [True, False, True, False, True, False, True, False, True, True])
get(f, "float32", arr(f > 0, "bool"))

# ---- updates
upd(v10, "int32", "2:5", "set", 7)
upd(v10, "int32", "::-2", "set", np.arange(5) * 10)
upd(v10, "int32", [[1, 3, 5]], "set", np.array([-1, -2, -3]))
upd(v10, "int32", [[1, 3, 5]], "add", np.array([10, 20, 30]))
upd(v10, "int32", [[1, 1, 3, 1]], "add", 5)
upd(v10, "int32", [[1, 1, 3, 1]], "add", np.array([1, 2, 3, 4]))
upd(v10, "int32", [[0, 0, 9]], "multiply", np.array([2, 3, 4]))
upd(v10, "int32", [[4, 4, 2]], "min", np.array([3, 1, 5]))
upd(v10, "int32", [[4, 4, 2]], "max", np.array([3, 9, 1]))
upd(v10, "int32", [[-1, -3]], "add", 100)
upd(v10, "int32", "-1", "set", 42)
upd(x, "int32", "0", "set", 0)
upd(x, "int32", ":, 1", "set", np.array([[1, 2, 3, 4]]))
upd(x, "int32", "..., ::-1", "set", np.arange(4))
upd(x, "int32", "1, None, ::2, 1:3", "set", np.array([[9, 8]]))
upd(x, "int32", [arr([1, 0, 1]), ":", arr([3, 3, 3])], "add", np.array([[1], [2], [3]]))
upd(x, "int32", [":", arr([[2, 1], [0, 0]]), "::-2"], "add", 1)
upd(x, "int32", [arr([0, 0]), 1], "multiply", np.array([[2, 2, 2, 2], [3, 3, 3, 3]]))
upd(x, "int32", arr(x % 5 == 0, "bool"), "set", -1)
upd(x, "int32", [1, arr([True, False, True], "bool")], "add", np.array([100, 200, 300, 400]))
upd(x, "int32", [arr(1), "::-1"], "set", np.arange(12).reshape(3, 4) * -1)
upd(f, "float32", [arr([0, 3, 0]), "1:3"], "add", np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), "float32")
upd(f, "float32", [":", [0, 0, 2]], "min", np.array([-5.0, 0.0, 10.0]), "float32")
upd(f, "float32", [[1, 1], ":"], "max", np.array([[2.5] * 5, [-1.0] * 5]), "float32")
upd(f, "float32", "None, 1:3, None", "set", np.full((1, 2, 1, 5), 0.25), "float32")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as fh:
    json.dump({"cases": cases}, fh, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT} ({os.path.getsize(OUT)} bytes)")
