#!/usr/bin/env python3
"""Fixtures for test/numpy/manipulation.test.ts (ts/numpy/manipulation.ts, padding.ts).

Run: python3 test/numpy/gen_manipulation.py   (NumPy only; writes
test/numpy/fixtures/manipulation.json)

References are NumPy; the expected dtypes are JAX's (int32 for integer inputs, promotion with
JAX's lattice for concatenate, sums of narrow ints in int32). Encodings as in gen_creation.py:
{"arr": {"a", "s", "d"}} is an input array, {"opts": {...}} an options object.
"""
import json
import os

import numpy as np

from fixture_util import arr, enc

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "manipulation.json")
rng = np.random.default_rng(7)
EXACT = [0, 0]
F32 = [2e-6, 1e-6]


def opts(**kw):
    return {"opts": kw}


cases = []


def case(fn, args, out, dtype, tol=EXACT):
    if isinstance(out, (list, tuple)):
        ds = dtype if isinstance(dtype, list) else [dtype] * len(out)
        o = [enc(v, d) for v, d in zip(out, ds)]
    else:
        o = enc(out, dtype)
    cases.append({"fn": fn, "args": args, "out": o, "tol": tol})


a6 = np.arange(6)
a24 = np.arange(24).reshape(2, 3, 4)
m34 = np.arange(12).reshape(3, 4)
f23 = np.round(rng.standard_normal((2, 3)), 3)
I = lambda x: arr(x, "int32")
F = lambda x: arr(x, "float32")

# ---- reshape & co
case("reshape", [I(a6), [2, 3]], a6.reshape(2, 3), "int32")
case("reshape", [I(a6), [3, -1]], a6.reshape(3, -1), "int32")
case("reshape", [I(a6), -1], a6.reshape(-1), "int32")
case("reshape", [I(a24), [4, -1, 2]], a24.reshape(4, -1, 2), "int32")
case("reshape", [I(a24), [24]], a24.reshape(24), "int32")
case("reshape", [I([5]), []], np.array(5), "int32")
case("reshape", [I(a6), [1, 6, 1], "C"], a6.reshape(1, 6, 1), "int32")
case("ravel", [I(a24)], a24.ravel(), "int32")
case("transpose", [I(a24)], a24.transpose(), "int32")
case("transpose", [I(a24), [1, 0, 2]], a24.transpose(1, 0, 2), "int32")
case("transpose", [I(a24), [-1, 0, 1]], a24.transpose(2, 0, 1), "int32")
case("permuteDims", [I(a24), [2, 1, 0]], a24.transpose(2, 1, 0), "int32")
case("swapaxes", [I(a24), 0, 2], np.swapaxes(a24, 0, 2), "int32")
case("swapaxes", [I(a24), -1, 1], np.swapaxes(a24, -1, 1), "int32")
case("moveaxis", [I(a24), 0, -1], np.moveaxis(a24, 0, -1), "int32")
case("moveaxis", [I(a24), [0, 1], [-1, 0]], np.moveaxis(a24, [0, 1], [-1, 0]), "int32")
case("moveaxis", [I(a24), [2, 0], [0, 1]], np.moveaxis(a24, [2, 0], [0, 1]), "int32")
case("expandDims", [I(m34), 0], np.expand_dims(m34, 0), "int32")
case("expandDims", [I(m34), -1], np.expand_dims(m34, -1), "int32")
case("expandDims", [I(m34), [0, 2]], np.expand_dims(m34, (0, 2)), "int32")
case("expandDims", [I(m34), [-1, 0]], np.expand_dims(m34, (-1, 0)), "int32")
case("expandDims", [I(5), [0, 1]], np.expand_dims(5, (0, 1)), "int32")
s = np.arange(6).reshape(1, 2, 1, 3, 1)
case("squeeze", [I(s)], np.squeeze(s), "int32")
case("squeeze", [I(s), 2], np.squeeze(s, 2), "int32")
case("squeeze", [I(s), [0, -1]], np.squeeze(s, (0, -1)), "int32")
case("squeeze", [I([[7]])], np.squeeze([[7]]), "int32")
case("broadcastTo", [I([1, 2, 3]), [2, 3]], np.broadcast_to([1, 2, 3], (2, 3)), "int32")
case("broadcastTo", [F([[1.5], [2.5]]), [3, 2, 4]], np.broadcast_to([[1.5], [2.5]], (3, 2, 4)), "float32")
case("broadcastTo", [I(4), 3], np.broadcast_to(4, 3), "int32")
case("broadcastArrays", [I([[1], [2]]), F([0.5, 1.5, 2.5])], np.broadcast_arrays([[1], [2]], [0.5, 1.5, 2.5]), ["int32", "float32"])
case("atleast1d", [I(3)], np.atleast_1d(3), "int32")
case("atleast1d", [I(m34)], np.atleast_1d(m34), "int32")
case("atleast2d", [I(3)], np.atleast_2d(3), "int32")
case("atleast2d", [I([1, 2])], np.atleast_2d([1, 2]), "int32")
case("atleast3d", [I(3)], np.atleast_3d(3), "int32")
case("atleast3d", [I([1, 2])], np.atleast_3d([1, 2]), "int32")
case("atleast3d", [I(m34)], np.atleast_3d(m34), "int32")
case("atleast3d", [I(a24)], np.atleast_3d(a24), "int32")
case("atleast2d", [I(1), I([1, 2]), I(m34)], np.atleast_2d(1, [1, 2], m34), "int32")

# ---- joining
b23 = np.arange(6).reshape(2, 3)
case("concatenate", [[I(b23), I(b23 + 10)]], np.concatenate([b23, b23 + 10]), "int32")
case("concatenate", [[I(b23), I(b23[:, :2])], 1], np.concatenate([b23, b23[:, :2]], 1), "int32")
case("concatenate", [[I(b23), F(f23)], -1], np.concatenate([b23, f23], -1), "float32", F32)
case("concatenate", [[I(b23), I(m34)], None], np.concatenate([b23, m34], None), "int32")
case("concatenate", [[I(b23), I(b23)], opts(axis=0, dtype="float32")], np.concatenate([b23, b23]).astype(float), "float32")
case("concatenate", [[arr([True, False], "bool"), I([3])]], np.array([1, 0, 3]), "int32")
case("concatenate", [[arr([1, 2], "uint8"), arr([3], "int8")]], np.array([1, 2, 3]), "int16")
case("concatenate", [[I(b23)]], b23, "int32")
case("concat", [[I([1]), I([2, 3])]], np.array([1, 2, 3]), "int32")
case("stack", [[I([1, 2]), I([3, 4]), I([5, 6])]], np.stack([[1, 2], [3, 4], [5, 6]]), "int32")
case("stack", [[I(b23), I(b23 * 2)], 1], np.stack([b23, b23 * 2], 1), "int32")
case("stack", [[I(b23), I(b23 * 2)], -1], np.stack([b23, b23 * 2], -1), "int32")
case("stack", [[I(1), I(2)]], np.stack([1, 2]), "int32")
case("stack", [[I([1]), F([2.5])], opts(axis=1)], np.stack([[1], [2.5]], 1), "float32")
case("hstack", [[I([1, 2]), I([3])]], np.hstack([[1, 2], [3]]), "int32")
case("hstack", [[I(b23), I(b23)]], np.hstack([b23, b23]), "int32")
case("hstack", [[I(1), I(2)]], np.hstack([1, 2]), "int32")
case("vstack", [[I([1, 2]), I([3, 4])]], np.vstack([[1, 2], [3, 4]]), "int32")
case("vstack", [[I(b23), I([7, 8, 9])]], np.vstack([b23, [7, 8, 9]]), "int32")
case("rowStack", [[I([1, 2]), I([3, 4])]], np.vstack([[1, 2], [3, 4]]), "int32")
case("dstack", [[I([1, 2]), I([3, 4])]], np.dstack([[1, 2], [3, 4]]), "int32")
case("dstack", [[I(b23), I(b23)]], np.dstack([b23, b23]), "int32")
case("columnStack", [[I([1, 2]), I([3, 4])]], np.column_stack([[1, 2], [3, 4]]), "int32")
case("columnStack", [[I(b23.T), I([7, 8, 9])]], np.column_stack([b23.T, [7, 8, 9]]), "int32")
case("hstack", [I(b23)], np.hstack(list(b23)), "int32")
case("vstack", [I(b23)], np.vstack(list(b23)), "int32")

# ---- splitting
a9 = np.arange(9)
case("split", [I(a9), 3], np.split(a9, 3), "int32")
case("split", [I(a9), [2, 5]], np.split(a9, [2, 5]), "int32")
case("split", [I(a9), [2, 20]], np.split(a9, [2, 20]), "int32")
case("split", [I(a9), [-3]], np.split(a9, [-3]), "int32")
case("split", [I(m34), 2, 1], np.split(m34, 2, 1), "int32")
case("split", [I(m34), [1], 0], np.split(m34, [1], 0), "int32")
case("arraySplit", [I(a9), 4], np.array_split(a9, 4), "int32")
case("arraySplit", [I(np.arange(7)), 3], np.array_split(np.arange(7), 3), "int32")
case("arraySplit", [I(m34), 3, -1], np.array_split(m34, 3, -1), "int32")
case("arraySplit", [I(np.arange(2)), 4], np.array_split(np.arange(2), 4), "int32")
case("hsplit", [I(m34), 2], np.hsplit(m34, 2), "int32")
case("vsplit", [I(np.arange(8).reshape(4, 2)), [1, 3]], np.vsplit(np.arange(8).reshape(4, 2), [1, 3]), "int32")
case("dsplit", [I(a24.reshape(2, 2, 6)), 3], np.dsplit(a24.reshape(2, 2, 6), 3), "int32")

# ---- tile / repeat
case("tile", [I([1, 2, 3]), 2], np.tile([1, 2, 3], 2), "int32")
case("tile", [I([1, 2, 3]), [2, 2]], np.tile([1, 2, 3], (2, 2)), "int32")
case("tile", [I(b23), [2, 1, 3]], np.tile(b23, (2, 1, 3)), "int32")
case("tile", [I(b23), 2], np.tile(b23, 2), "int32")
case("tile", [I(b23), [0, 2]], np.tile(b23, (0, 2)), "int32")
case("tile", [I(7), [2, 3]], np.tile(7, (2, 3)), "int32")
case("repeat", [I([1, 2, 3]), 2], np.repeat([1, 2, 3], 2), "int32")
case("repeat", [I(b23), 2], np.repeat(b23, 2), "int32")
case("repeat", [I(b23), 2, 0], np.repeat(b23, 2, 0), "int32")
case("repeat", [I(b23), 3, -1], np.repeat(b23, 3, -1), "int32")
case("repeat", [I(b23), [1, 0, 2], 1], np.repeat(b23, [1, 0, 2], 1), "int32")
case("repeat", [I(b23), I([2, 1]), opts(axis=0)], np.repeat(b23, [2, 1], 0), "int32")
case("repeat", [I(b23), [3], 0], np.repeat(b23, [3], 0), "int32")
case("repeat", [I(b23), [1, 0, 2], opts(axis=1, totalRepeatLength=3)], np.repeat(b23, [1, 0, 2], 1), "int32")
case("repeat", [F([1.5, 2.5]), I([2, 3]), opts(axis=0, totalRepeatLength=5)], np.repeat([1.5, 2.5], [2, 3]), "float32")
case("repeat", [I(5), 3], np.repeat(5, 3), "int32")
case("repeat", [I(b23), 0, 1], np.repeat(b23, 0, 1), "int32")

# ---- flips and rotations
case("flip", [I(a24)], np.flip(a24), "int32")
case("flip", [I(a24), 1], np.flip(a24, 1), "int32")
case("flip", [I(a24), [0, -1]], np.flip(a24, (0, -1)), "int32")
case("fliplr", [I(m34)], np.fliplr(m34), "int32")
case("flipud", [I(m34)], np.flipud(m34), "int32")
case("roll", [I(a9), 2], np.roll(a9, 2), "int32")
case("roll", [I(a9), -4], np.roll(a9, -4), "int32")
case("roll", [I(a9), 20], np.roll(a9, 20), "int32")
case("roll", [I(m34), 1], np.roll(m34, 1), "int32")
case("roll", [I(m34), 1, 0], np.roll(m34, 1, 0), "int32")
case("roll", [I(m34), -1, 1], np.roll(m34, -1, 1), "int32")
case("roll", [I(m34), [1, 2], [0, 1]], np.roll(m34, (1, 2), (0, 1)), "int32")
case("roll", [I(m34), [1, 2], 1], np.roll(m34, (1, 2), 1), "int32")
case("roll", [I(m34), 5, [0, 1]], np.roll(m34, 5, (0, 1)), "int32")
case("roll", [I(m34), I(3), 1], np.roll(m34, 3, 1), "int32")
case("roll", [I(m34), I(-5), 1], np.roll(m34, -5, 1), "int32")
case("roll", [I(m34), I([1, -2]), [0, 1]], np.roll(m34, (1, -2), (0, 1)), "int32")
for k in (0, 1, 2, 3, 4, -1, 5):
    case("rot90", [I(m34), k], np.rot90(m34, k), "int32")
case("rot90", [I(a24), 1, [1, 2]], np.rot90(a24, 1, (1, 2)), "int32")
case("rot90", [I(a24), opts(k=3, axes=[2, 0])], np.rot90(a24, 3, (2, 0)), "int32")

# ---- triangles, diagonals, trace
case("tril", [I(m34)], np.tril(m34), "int32")
case("tril", [I(m34), 1], np.tril(m34, 1), "int32")
case("tril", [I(m34), -2], np.tril(m34, -2), "int32")
case("triu", [I(m34)], np.triu(m34), "int32")
case("triu", [I(m34), 2], np.triu(m34, 2), "int32")
case("triu", [F(a24.astype(float)), -1], np.triu(a24, -1), "float32")
case("tril", [arr(np.ones((2, 3), bool), "bool")], np.tril(np.ones((2, 3), bool)), "bool")
for off in (0, 1, 3, -1, -2, 5, -5):
    case("diagonal", [I(m34), off], np.diagonal(m34, off), "int32")
case("diagonal", [I(a24)], np.diagonal(a24), "int32")
case("diagonal", [I(a24), 1, 1, 2], np.diagonal(a24, 1, 1, 2), "int32")
case("diagonal", [I(a24), -1, 2, 0], np.diagonal(a24, -1, 2, 0), "int32")
case("diagonal", [I(a24), opts(offset=1, axis1=-1, axis2=-2)], np.diagonal(a24, 1, -1, -2), "int32")
case("trace", [I(m34)], np.trace(m34), "int32")
case("trace", [I(m34), 1], np.trace(m34, 1), "int32")
case("trace", [I(a24), 0, 1, 2], np.trace(a24, 0, 1, 2), "int32")
case("trace", [I(a24), opts(offset=-1, axis1=2, axis2=0)], np.trace(a24, -1, 2, 0), "int32")
case("trace", [arr(m34, "int8")], np.trace(m34), "int32")
case("trace", [arr(m34, "uint8")], np.trace(m34), "uint32")
case("trace", [arr(np.eye(3, dtype=bool), "bool")], np.array(3), "int32")
case("trace", [F(f23), 0, 0, 1, "float32"], np.trace(f23), "float32", F32)
case("trace", [I(m34), 10], np.trace(m34, 10), "int32")

# ---- pad
v = np.array([1.0, 2.0, 3.0, 4.0])
p23 = np.array([[1, 2, 3], [4, 5, 6]])
case("pad", [F(v), 2], np.pad(v, 2), "float32")
case("pad", [F(v), [1, 3]], np.pad(v, (1, 3)), "float32")
case("pad", [I(p23), [[1, 0], [2, 1]]], np.pad(p23, ((1, 0), (2, 1))), "int32")
case("pad", [I(p23), 1, "constant", opts(constantValues=9)], np.pad(p23, 1, constant_values=9), "int32")
case("pad", [I(p23), [[1, 1], [1, 2]], opts(mode="constant", constantValues=[[7, 8], [-1, -2]])],
     np.pad(p23, ((1, 1), (1, 2)), constant_values=((7, 8), (-1, -2))), "int32")
case("pad", [I(p23), 1, opts(constantValues=[5, 6])], np.pad(p23, 1, constant_values=(5, 6)), "int32")
case("pad", [I(p23), 1, opts(constantValues=2.7)], np.pad(p23, 1, constant_values=2), "int32")
for mode in ("edge", "wrap", "reflect", "symmetric"):
    case("pad", [F(v), [2, 3], mode], np.pad(v, (2, 3), mode), "float32")
    case("pad", [I(p23), [[1, 2], [4, 5]], mode], np.pad(p23, ((1, 2), (4, 5)), mode), "int32")
    case("pad", [F(v), [9, 7], mode], np.pad(v, (9, 7), mode), "float32")
for mode in ("reflect", "symmetric"):
    case("pad", [F(v), [5, 6], mode, opts(reflectType="odd")], np.pad(v, (5, 6), mode, reflect_type="odd"), "float32")
    case("pad", [I(p23), [[2, 1], [3, 4]], opts(mode=mode, reflectType="odd")],
         np.pad(p23, ((2, 1), (3, 4)), mode, reflect_type="odd"), "int32")
    case("pad", [F([5.0]), [2, 3], mode], np.pad([5.0], (2, 3), mode), "float32")
case("pad", [F(v), [3, 2], "linear_ramp"], np.pad(v, (3, 2), "linear_ramp"), "float32", F32)
case("pad", [F(v), [2, 4], "linear_ramp", opts(endValues=[10, -6])], np.pad(v, (2, 4), "linear_ramp", end_values=(10, -6)), "float32", F32)
case("pad", [F(p23.astype(float)), [[1, 2], [2, 1]], "linear_ramp", opts(endValues=[[0, 1], [2, 3]])],
     np.pad(p23.astype(float), ((1, 2), (2, 1)), "linear_ramp", end_values=((0, 1), (2, 3))), "float32", F32)
pm = np.array([[1.0, 8.0, 3.0], [4.0, 5.0, 9.0], [2.0, 0.5, 7.0]])
for mode in ("maximum", "minimum", "mean"):
    case("pad", [F(pm), [[1, 2], [2, 1]], mode], np.pad(pm, ((1, 2), (2, 1)), mode), "float32", F32)
    case("pad", [F(pm), 2, mode, opts(statLength=2)], np.pad(pm, 2, mode, stat_length=2), "float32", F32)
    case("pad", [F(pm), [1, 2], mode, opts(statLength=[[1, 2], [3, 1]])], np.pad(pm, (1, 2), mode, stat_length=((1, 2), (3, 1))), "float32", F32)
case("pad", [I([1, 2, 4, 8]), 2, "mean"], np.pad([1, 2, 4, 8], 2, "mean"), "int32")
case("pad", [I([1, 2, 3, 5]), [1, 1], "mean", opts(statLength=2)], np.pad([1, 2, 3, 5], 1, "mean", stat_length=2), "int32")
case("pad", [I(p23), 0, "reflect"], p23, "int32")
case("pad", [I(a24), [[0, 1], [1, 0], [2, 2]], "edge"], np.pad(a24, ((0, 1), (1, 0), (2, 2)), "edge"), "int32")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT} ({os.path.getsize(OUT)} bytes)")
