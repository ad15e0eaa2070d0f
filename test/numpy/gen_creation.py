#!/usr/bin/env python3
"""Fixtures for test/numpy/creation.test.ts (ts/numpy/creation.ts).

Run: python3 test/numpy/gen_creation.py   (NumPy only; writes test/numpy/fixtures/creation.json)

References are NumPy in float64 / int64; the expected dtype of each case is JAX's (written out
by hand, since JAX is not installed where fixtures are generated): ints give int32, floats
float32, float16 requests stay float16, tri's default is float32.

Encodings: an array is {"a": flat values, "s": shape, "d": dtype}; nan/inf as "nan"/"inf"/
"-inf". Arguments: {"arr": array} is an input array, {"opts": {...}} an options object, other
JSON values are passed as they are. Each case: {"fn", "args", "out" (array or list of arrays),
"tol": [rtol, atol]}.
"""
import json
import os

import numpy as np

from fixture_util import arr, enc

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "creation.json")

F32 = [2e-6, 1e-7]      # float32 results computed with a few roundings (JAX's formulas)
EXACT = [0, 0]


cases = []


def case(fn, args, out, dtype, tol=EXACT):
    if isinstance(out, (list, tuple)):
        o = [enc(v, d) for v, d in zip(out, dtype if isinstance(dtype, list) else [dtype] * len(out))]
    else:
        o = enc(out, dtype)
    cases.append({"fn": fn, "args": args, "out": o, "tol": tol})


# ---- constant arrays
case("zeros", [5], np.zeros(5), "float32")
case("zeros", [[2, 3], "int32"], np.zeros((2, 3)), "int32")
case("zeros", [[2, 0]], np.zeros((2, 0)), "float32")
case("zeros", [[], "bool"], np.zeros((), bool), "bool")
case("ones", [[2, 2]], np.ones((2, 2)), "float32")
case("ones", [3, {"opts": {"dtype": "uint8"}}], np.ones(3), "uint8")
case("ones", [[2, 1, 2], "float16"], np.ones((2, 1, 2)), "float16")
case("empty", [[2]], np.zeros(2), "float32")
case("full", [[2, 3], 7], np.full((2, 3), 7), "int32")
case("full", [[2], 1.5], np.full(2, 1.5), "float32")
case("full", [[2], True], np.full(2, True), "bool")
case("full", [[2, 2], 3, "float32"], np.full((2, 2), 3.0), "float32")
case("full", [[2, 3], arr([1, 2, 3], "int32")], np.full((2, 3), [1, 2, 3]), "int32")
case("full", [[3, 2], arr([[1.5], [2.5], [3.5]], "float32"), "int32"], np.full((3, 2), [[1], [2], [3]]), "int32")
case("full", [4, -2.5, "int8"], np.full(4, -2), "int8")
case("zerosLike", [arr([[1, 2], [3, 4]], "int32")], np.zeros((2, 2)), "int32")
case("onesLike", [arr([1.5, 2], "float32"), {"opts": {"dtype": "int16", "shape": [3]}}], np.ones(3), "int16")
case("onesLike", [arr([True, False], "bool")], np.ones(2, bool), "bool")
case("emptyLike", [arr([1, 2, 3], "uint8")], np.zeros(3), "uint8")
case("fullLike", [arr([1.5, 2, 3], "float32"), 2.5], np.full(3, 2.5), "float32")
case("fullLike", [arr([1, 2, 3], "int32"), 2.7], np.full(3, 2), "int32")
case("fullLike", [arr([1, 2], "int32"), arr([5, 6], "int32"), {"opts": {"shape": [3, 2]}}], np.full((3, 2), [5, 6]), "int32")

# ---- arange (JAX: start + step * iota in float32 for float results)
case("arange", [5], np.arange(5), "int32")
case("arange", [1, 5], np.arange(1, 5), "int32")
case("arange", [0, 1, 0.1], np.arange(0, 1, 0.1), "float32", F32)
case("arange", [10, 0, -3], np.arange(10, 0, -3), "int32")
case("arange", [5, "float32"], np.arange(5.0), "float32")
case("arange", [0.5, 3], np.arange(0.5, 3), "float32")
case("arange", [-3, 3, 1.5], np.arange(-3, 3, 1.5), "float32")
case("arange", [0], np.arange(0), "int32")
case("arange", [5, 1], np.arange(5, 1), "int32")
case("arange", [2, 10, 3, "float32"], np.arange(2, 10, 3.0), "float32")
case("arange", [1, 2, 0.3], np.arange(1, 2, 0.3), "float32", F32)
case("arange", [10, 1, -1], np.arange(10, 1, -1), "int32")
case("arange", [-2.5], np.arange(-2.5), "float32")
case("arange", [3.2], np.arange(3.2), "float32")
case("arange", [0, 5, {"opts": {"dtype": "uint8"}}], np.arange(5), "uint8")
case("arange", [1, -1, -0.25], np.arange(1, -1, -0.25), "float32", F32)

# ---- linspace / logspace / geomspace
case("linspace", [0, 1, 5], np.linspace(0, 1, 5), "float32", F32)
case("linspace", [0, 1], np.linspace(0, 1), "float32", F32)
case("linspace", [0, 1, 5, {"opts": {"endpoint": False}}], np.linspace(0, 1, 5, endpoint=False), "float32", F32)
case("linspace", [0, 1, 5, False], np.linspace(0, 1, 5, endpoint=False), "float32", F32)
case("linspace", [2, 3, 1], np.linspace(2, 3, 1), "float32")
case("linspace", [2, 3, 0], np.linspace(2, 3, 0), "float32")
case("linspace", [-1, 1, 7], np.linspace(-1, 1, 7), "float32", F32)
case("linspace", [1, -3, 9], np.linspace(1, -3, 9), "float32", F32)
case("linspace", [0, 10, 4, {"opts": {"dtype": "int32"}}], np.linspace(0, 10, 4, dtype=int), "int32")
case("linspace", [-5, 5, 6, "int32"], np.linspace(-5, 5, 6, dtype=int), "int32")
s, step = np.linspace(0, 2, 5, retstep=True)
case("linspace", [0, 2, 5, {"opts": {"retstep": True}}], [s, step], ["float32", "float32"], F32)
s, step = np.linspace(1, 2, 4, endpoint=False, retstep=True)
case("linspace", [1, 2, 4, {"opts": {"retstep": True, "endpoint": False}}], [s, step], ["float32", "float32"], F32)
a0, a1 = np.array([0.0, 1.0]), np.array([10.0, 21.0])
case("linspace", [arr(a0, "float32"), arr(a1, "float32"), 3], np.linspace(a0, a1, 3), "float32", F32)
case("linspace", [arr(a0, "float32"), arr(a1, "float32"), 3, {"opts": {"axis": -1}}], np.linspace(a0, a1, 3, axis=-1), "float32", F32)
case("linspace", [arr([[0.0], [1.0]], "float32"), 4, 3, {"opts": {"axis": 1}}], np.linspace([[0.0], [1.0]], 4, 3, axis=1), "float32", F32)
case("logspace", [0, 2, 3], np.logspace(0, 2, 3), "float32", [1e-5, 0])
case("logspace", [0, 3, 4, {"opts": {"base": 2}}], np.logspace(0, 3, 4, base=2), "float32", [1e-5, 0])
case("logspace", [1, 2, 5, {"opts": {"endpoint": False}}], np.logspace(1, 2, 5, endpoint=False), "float32", [1e-5, 0])
case("logspace", [-1, 1, 5], np.logspace(-1, 1, 5), "float32", [1e-5, 0])
case("geomspace", [1, 1000, 4], np.geomspace(1, 1000, 4), "float32", [2e-5, 0])
case("geomspace", [-1, -1000, 4], np.geomspace(-1, -1000, 4), "float32", [2e-5, 0])
case("geomspace", [2, 32, 4, {"opts": {"endpoint": False}}], np.geomspace(2, 32, 4, endpoint=False), "float32", [2e-5, 0])
case("geomspace", [0.5, 8, 5], np.geomspace(0.5, 8, 5), "float32", [2e-5, 0])

# ---- matrices
case("eye", [3], np.eye(3), "float32")
case("eye", [3, 4], np.eye(3, 4), "float32")
case("eye", [3, 4, 1], np.eye(3, 4, 1), "float32")
case("eye", [4, 3, -2], np.eye(4, 3, -2), "float32")
case("eye", [3, 3, 5], np.eye(3, 3, 5), "float32")
case("eye", [3, {"opts": {"dtype": "int32"}}], np.eye(3), "int32")
case("eye", [2, None, 0, "bool"], np.eye(2, dtype=bool), "bool")
case("eye", [2, {"opts": {"M": 3, "k": -1}}], np.eye(2, 3, -1), "float32")
case("eye", [0], np.eye(0), "float32")
case("identity", [3], np.identity(3), "float32")
case("identity", [2, "int32"], np.identity(2), "int32")
case("tri", [3], np.tri(3), "float32")
case("tri", [3, 4, 1], np.tri(3, 4, 1), "float32")
case("tri", [4, 3, -1, "int32"], np.tri(4, 3, -1), "int32")
case("tri", [2, {"opts": {"k": 1, "dtype": "bool"}}], np.tri(2, k=1, dtype=bool), "bool")
v = np.array([1, 2, 3])
m = np.arange(12).reshape(3, 4)
case("diag", [arr(v, "int32")], np.diag(v), "int32")
case("diag", [arr(v, "int32"), 2], np.diag(v, 2), "int32")
case("diag", [arr([1.5, -2.0], "float32"), -1], np.diag([1.5, -2.0], -1), "float32")
case("diag", [arr(m, "int32")], np.diag(m), "int32")
case("diag", [arr(m, "int32"), 1], np.diag(m, 1), "int32")
case("diag", [arr(m, "int32"), -2], np.diag(m, -2), "int32")
case("diag", [arr(m, "int32"), 5], np.diag(m, 5), "int32")
case("diagflat", [arr([[1, 2], [3, 4]], "int32"), 1], np.diagflat([[1, 2], [3, 4]], 1), "int32")
case("diagflat", [arr([1.0, 2.0], "float32"), -2], np.diagflat([1.0, 2.0], -2), "float32")

# ---- grids
x, y, z = np.array([1, 2, 3]), np.array([10.0, 20.0]), np.array([7, 8, 9, 10])
case("meshgrid", [arr(x, "int32"), arr(y, "float32")], np.meshgrid(x, y), ["int32", "float32"])
case("meshgrid", [arr(x, "int32"), arr(y, "float32"), {"opts": {"indexing": "ij"}}], np.meshgrid(x, y, indexing="ij"), ["int32", "float32"])
case("meshgrid", [arr(x, "int32"), arr(y, "float32"), arr(z, "int32")], np.meshgrid(x, y, z), ["int32", "float32", "int32"])
case("meshgrid", [arr(x, "int32"), arr(y, "float32"), arr(z, "int32"), {"opts": {"sparse": True}}],
     np.meshgrid(x, y, z, sparse=True), ["int32", "float32", "int32"])
case("meshgrid", [arr(x, "int32"), arr(z, "int32"), {"opts": {"sparse": True, "indexing": "ij"}}],
     np.meshgrid(x, z, sparse=True, indexing="ij"), "int32")
case("meshgrid", [arr(x, "int32")], np.meshgrid(x), "int32")
case("indices", [[2, 3]], np.indices((2, 3)), "int32")
case("indices", [[2, 3], {"opts": {"sparse": True}}], list(np.indices((2, 3), sparse=True)), "int32")
case("indices", [[3], "float32"], np.indices((3,), dtype=float), "float32")
case("indices", [[]], np.indices(()), "int32")
case("copy", [arr([[1, 2], [3, 4]], "uint16")], np.array([[1, 2], [3, 4]]), "uint16")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT} ({os.path.getsize(OUT)} bytes)")
