#!/usr/bin/env python3
"""Fixtures for test/numpy/sorting*.test.ts and test/lax/search.test.ts.

Writes test/numpy/fixtures/sorting.json. References come from NumPy where NumPy and JAX agree;
where JAX differs (descending sorts, top_k's total order, partition's layout, `size`/`fill_value`
padding, bincount's clipping, histogram's linspace edges) the expected values are computed
here from JAX's documented semantics (jax/_src/numpy/{sorting,setops,lax_numpy}.py), and the
case says so in its `note`.

Run: python3 test/numpy/gen_sorting.py   (NumPy >= 2.0)
"""
import json
import math
import os

import numpy as np

f32, i32, u8 = np.float32, np.int32, np.uint8
nan, inf = np.nan, np.inf

cases = []


def enc(x):
    x = np.asarray(x)
    d = {np.dtype(np.float64): "float32"}.get(x.dtype, str(x.dtype))
    vals = []
    for v in x.reshape(-1).tolist():
        if isinstance(v, float):
            if math.isnan(v):
                v = "nan"
            elif math.isinf(v):
                v = "inf" if v > 0 else "-inf"
        vals.append(v)
    return {"a": vals, "s": list(x.shape), "d": d}


def arr_or(v):
    if isinstance(v, list):
        return [arr_or(e) for e in v]
    return enc(v) if isinstance(v, np.ndarray) else v


def case(fn, args, out, opts=None, tol=(0, 0), note="", signed_zeros=False):
    outs = [enc(o) for o in out] if isinstance(out, (list, tuple)) else enc(out)
    c = {
        "fn": fn,
        "args": [arr_or(a) for a in args],
        "opts": {k: arr_or(v) for k, v in (opts or {}).items()},
        "out": outs,
        "tol": list(tol),
    }
    if note:
        c["note"] = note
    if signed_zeros:
        c["signedZeros"] = True
    cases.append(c)


# ---- inputs ---------------------------------------------------------------------------------
F = np.array([3.5, -0.0, nan, 1.0, 0.0, -inf, 1.0, inf, -2.5, nan, 0.0, 7.25, -0.0, 1.0], f32)
I = np.array([-3, 7, 0, 7, -3, 2, 2, 100, -50, 0, 7], i32)
U = np.array([200, 3, 3, 0, 255, 17, 3, 200], u8)
B = np.array([True, False, True, True, False, False], bool)
F2 = np.array([[1.5, -2.0, 0.0, 1.5, nan, 3.0],
               [0.5, 0.5, -0.0, 9.0, 2.0, -1.0],
               [1.5, -2.0, 4.0, 1.5, 2.0, -1.0],
               [-7.0, 0.5, 0.0, 1.5, 2.0, 3.0]], f32)
I2 = np.array([[3, 1, 2], [0, 5, 5], [3, 1, 2], [3, 0, 9], [0, 5, 5]], i32)


def stable_argsort(x, axis=-1):
    return np.argsort(x, axis=axis, kind="stable").astype(i32)


def desc_argsort_1d(x):
    """JAX's stable descending argsort: NaN first, ties keep the lower index first."""
    idx = list(range(len(x)))
    if x.dtype.kind == "f":
        key = lambda i: (0 if math.isnan(x[i]) else 1, -float(x[i]) if not math.isnan(x[i]) else 0, i)
    else:
        key = lambda i: (-int(x[i]), i)
    return np.array(sorted(idx, key=key), i32)


def total_key(v, dt):
    """IEEE total-order integer key (XLA's TopK comparator) of one value."""
    if dt.kind == "f":
        b = int(np.array([v], f32).view(i32)[0])
        return b if b >= 0 else b ^ 0x7FFFFFFF
    return int(v)


def topk_1d(x, k, largest=True):
    keys = [total_key(v, x.dtype) for v in x]
    order = sorted(range(len(x)), key=(lambda i: (-keys[i], i)) if largest else (lambda i: (keys[i], i)))[:k]
    return x[order], np.array(order, i32)


def along(fn, x, axis):
    """Applies a 1-D function returning arrays along `axis`."""
    xm = np.moveaxis(x, axis, -1)
    rows = [fn(r) for r in xm.reshape(-1, xm.shape[-1])]
    outs = []
    for j in range(len(rows[0])):
        o = np.stack([r[j] for r in rows]).reshape(*xm.shape[:-1], -1)
        outs.append(np.moveaxis(o, -1, axis))
    return outs


# ---- sort / argsort ---------------------------------------------------------------------------
for x in (F, I, U, B):
    case("sort", [x], np.sort(x, kind="stable"), signed_zeros=True)
    case("argsort", [x], stable_argsort(x))
for ax in (0, 1, -1):
    case("sort", [F2], np.sort(F2, axis=ax, kind="stable"), {"axis": ax}, signed_zeros=True)
    case("argsort", [F2], stable_argsort(F2, ax), {"axis": ax})
    case("sort", [I2], np.sort(I2, axis=ax, kind="stable"), {"axis": ax})
case("sort", [F2], np.sort(F2.ravel(), kind="stable"), {"axis": None}, signed_zeros=True)
case("argsort", [F2], stable_argsort(F2.ravel()), {"axis": None})
for x in (F, I, U):
    case("sort", [x], np.sort(x, kind="stable")[::-1], {"descending": True},
         note="JAX: descending = reverse of the stable ascending sort", signed_zeros=True)
    case("argsort", [x], desc_argsort_1d(x), {"descending": True},
         note="JAX: stable descending (ties: lower index first; NaNs first)")
case("argsort", [F2], along(lambda r: [desc_argsort_1d(r)], F2, 0)[0], {"axis": 0, "descending": True},
     note="JAX: stable descending")
R = np.array([2, 1, 2, 1, 2, 1, 1, 2, 2, 1], i32)
case("argsort", [R], stable_argsort(R), note="stability: equal keys keep their order")

# ---- lexsort ---------------------------------------------------------------------------------
k1 = np.array([4, 2, 3, 2, 5, 2, 3], i32)
k2 = np.array([2, 1, 1, 2, 2, 1, 1], i32)
k3 = np.array([0.5, nan, -0.0, 0.0, 1.0, -1.0, nan], f32)
case("lexsort", [[k1]], np.lexsort([k1]).astype(i32))
case("lexsort", [[k1, k2]], np.lexsort([k1, k2]).astype(i32))
case("lexsort", [[k3, k2, k1]], np.lexsort([k3, k2, k1]).astype(i32))
case("lexsort", [[k1, k3]], np.lexsort([k1, k3]).astype(i32))
L1 = np.array([[2, 4, 2, 3], [3, 1, 2, 2]], i32)
L2 = np.array([[1, 2, 1, 3], [2, 1, 2, 1]], i32)
case("lexsort", [[L1, L2]], np.lexsort([L1, L2]).astype(i32))
case("lexsort", [[L1, L2]], np.lexsort([L1, L2], axis=0).astype(i32), {"axis": 0})

# ---- partition / argpartition (JAX's layout) ----------------------------------------------------
def jax_partition_1d(x, kth):
    s = np.sort(x, kind="stable")
    return [np.concatenate([s[:kth + 1], s[kth + 1:][::-1]])]


def jax_argpartition_1d(x, kth):
    a = stable_argsort(x)
    return [np.concatenate([a[:kth + 1], np.sort(a[kth + 1:])]).astype(i32)]


P = np.array([6, 8, 4, 3, 1, 9, 7, 5, 2, 3], i32)
case("partition", [P, 4], jax_partition_1d(P, 4)[0], note="JAX docs example")
case("argpartition", [P, 4], jax_argpartition_1d(P, 4)[0], note="JAX docs example")
case("partition", [I, -2], jax_partition_1d(I, len(I) - 2)[0])
case("argpartition", [I, 0], jax_argpartition_1d(I, 0)[0])
Fn = np.array([3.5, nan, 1.0, -inf, 2.0, 1.0, inf, -2.5], f32)
case("partition", [Fn, 3], jax_partition_1d(Fn, 3)[0])
case("argpartition", [Fn, 3], jax_argpartition_1d(Fn, 3)[0])
case("partition", [I2, 1], along(lambda r: jax_partition_1d(r, 1), I2, 0)[0], {"axis": 0})
case("argpartition", [I2, 1], along(lambda r: jax_argpartition_1d(r, 1), I2, 0)[0], {"axis": 0})
case("argpartition", [I2, 2], along(lambda r: jax_argpartition_1d(r, 2), I2, 1)[0], {"axis": -1})

# ---- top_k (lax.top_k and jnp.top_k) ------------------------------------------------------------
Ft = np.array([3.5, -0.0, nan, 1.0, 0.0, -inf, 1.0, inf, -2.5, 0.0, 7.25, -0.0], f32)
for x, k in ((Ft, 6), (Ft, 12), (I, 4), (U, 3), (B, 2), (F, 0)):
    v, i = topk_1d(x, k)
    case("lax.topK", [x, k], [v, i], note="XLA TopK: total order (NaN > inf, +0 > -0), ties lower index first",
         signed_zeros=True)
    v, i = topk_1d(x, k, largest=False)
    case("topK", [x, k], [v, i], {"mode": "smallest"}, signed_zeros=True)
for ax in (-1, 0):
    case("lax.topK", [F2, 2], along(lambda r: topk_1d(r, 2), F2, ax), {"axis": ax}, signed_zeros=True)
    case("topK", [I2, 2], along(lambda r: topk_1d(r, 2), I2, ax), {"axis": ax})

# ---- searchsorted / digitize ---------------------------------------------------------------------
Fs = np.sort(F, kind="stable")
Q = np.array([nan, -0.0, 0.0, 1.0, 100.0, -inf, inf, 3.5, -3.0, 0.5], f32)
Is = np.sort(I, kind="stable")
Qi = np.array([[-100, -3, 0], [7, 8, 1000]], i32)
for side in ("left", "right"):
    case("searchsorted", [Fs, Q], np.searchsorted(Fs, Q, side).astype(i32), {"side": side})
    case("searchsorted", [Is, Qi], np.searchsorted(Is, Qi, side).astype(i32), {"side": side})
    case("searchsorted", [np.sort(U), np.array([0, 3, 4, 255], u8)],
         np.searchsorted(np.sort(U), np.array([0, 3, 4, 255], u8), side).astype(i32), {"side": side})
    case("searchsorted", [np.sort(B), np.array([False, True])],
         np.searchsorted(np.sort(B), np.array([False, True]), side).astype(i32), {"side": side})
    case("searchsorted", [I, Qi], np.searchsorted(I, Qi, side, sorter=stable_argsort(I)).astype(i32),
         {"side": side, "sorter": stable_argsort(I)})
    case("searchsorted", [Is, np.array([1.5, -3.0, 6.5], f32)],
         np.searchsorted(Is.astype(f32), np.array([1.5, -3.0, 6.5], f32), side).astype(i32), {"side": side},
         note="int32 a and float32 v promote to float32")
case("searchsorted", [np.zeros(0, f32), np.array([1.0, nan], f32)], np.zeros(2, i32))

Xd = np.array([1.0, 2.0, 2.5, 1.5, 3.0, 3.5, -1.0, nan, 0.0], f32)
bins_up = np.array([1.0, 2.0, 3.0], f32)
bins_down = np.array([3.0, 2.0, 1.0], f32)
for right in (False, True):
    case("digitize", [Xd, bins_up], np.digitize(Xd, bins_up, right).astype(i32), {"right": right})
    case("digitize", [Xd, bins_down], np.digitize(Xd, bins_down, right).astype(i32), {"right": right})
    case("digitize", [I, np.array([-3, 0, 7], i32)], np.digitize(I, np.array([-3, 0, 7]), right).astype(i32),
         {"right": right})
case("digitize", [Xd, np.zeros(0, f32)], np.zeros(Xd.shape, i32))

# ---- interp --------------------------------------------------------------------------------------
xp = np.array([0.0, 1.0, 2.5, 4.0, 4.0, 6.0], f32)
fp = np.array([1.0, 3.0, -2.0, 0.5, 2.0, 8.0], f32)
xq = np.array([-1.0, 0.0, 0.25, 1.0, 2.0, 3.9, 4.0, 5.0, 6.0, 7.5], f32)
xq_nodup = xq  # NumPy and JAX agree away from the duplicated xp = 4.0


def jax_interp(x, xp, fp, left=None, right=None):
    """JAX's _interp in float64 (it runs in float32; tests allow a few ulp)."""
    x, xp, fp = (np.asarray(a, np.float64) for a in (x, xp, fp))
    i = np.clip(np.searchsorted(xp, x, side="right"), 1, len(xp) - 1)
    df = fp[i] - fp[i - 1]
    dx = xp[i] - xp[i - 1]
    delta = x - xp[i - 1]
    dx0 = np.abs(dx) <= 2.0 ** -46
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(dx0, fp[i - 1], fp[i - 1] + (delta / np.where(dx0, 1, dx)) * df)
    f = np.where(x < xp[0], fp[0] if left is None else left, f)
    f = np.where(x > xp[-1], fp[-1] if right is None else right, f)
    return f


case("interp", [xq, xp[[0, 1, 2, 3, 5]], fp[[0, 1, 2, 3, 5]]],
     np.interp(xq, xp[[0, 1, 2, 3, 5]], fp[[0, 1, 2, 3, 5]]).astype(f32), tol=(2e-6, 1e-6))
case("interp", [xq, xp, fp], jax_interp(xq, xp, fp).astype(f32), tol=(2e-6, 1e-6),
     note="duplicated xp: JAX's formula (np.interp picks the other side at the duplicate)")
case("interp", [xq, xp[[0, 1, 2, 3, 5]], fp[[0, 1, 2, 3, 5]]],
     np.interp(xq, xp[[0, 1, 2, 3, 5]], fp[[0, 1, 2, 3, 5]], left=-10, right=99.5).astype(f32),
     {"left": -10, "right": 99.5}, tol=(2e-6, 1e-6))
xpp = np.array([190.0, -190.0, 350.0, -350.0], f32)
fpp = np.array([5.0, 10.0, 3.0, 4.0], f32)
xqp = np.array([-180.0, -170.0, -185.0, 185.0, -10.0, -5.0, 0.0, 365.0, 10.0], f32)
case("interp", [xqp, xpp, fpp], np.interp(xqp.astype(np.float64), xpp.astype(np.float64), fpp.astype(np.float64),
                                          period=360).astype(f32),
     {"period": 360}, tol=(1e-5, 1e-5), note="NumPy docs' periodic example")
ix = np.array([0, 2, 5, 7], i32)
case("interp", [ix, np.array([0, 4, 8], i32), np.array([0.0, 1.0, -1.0], f32)],
     np.interp(ix, [0, 4, 8], [0.0, 1.0, -1.0]).astype(f32), tol=(2e-6, 1e-6), note="ints promote to float32")

# ---- unique and friends --------------------------------------------------------------------------
def np_unique(x, axis=None, equal_nan=True):
    v, idx, inv, cnt = np.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=axis,
                                 equal_nan=equal_nan)
    inv = inv.reshape(x.shape) if axis is None else inv.reshape(-1)
    return v, idx.astype(i32), inv.astype(i32), cnt.astype(i32)


def jax_unique_sized(x, size, fill=None, equal_nan=True):
    """JAX's padding with `size`: values fill (default the minimum), index perm[0], counts 0."""
    v, idx, inv, cnt = np_unique(x, equal_nan=equal_nan)
    pad = size - len(v)
    if pad <= 0:
        return v[:size], idx[:size], inv, cnt[:size]
    fv = v[0] if fill is None else np.array(fill).astype(v.dtype)
    return (np.concatenate([v, np.full(pad, fv, v.dtype)]), np.concatenate([idx, np.full(pad, idx[0], i32)]),
            inv, np.concatenate([cnt, np.zeros(pad, i32)]))


ALL = {"returnIndex": True, "returnInverse": True, "returnCounts": True}
for x in (F, I, U, B, F2, I2):
    v, idx, inv, cnt = np_unique(x)
    case("unique", [x], v)
    case("unique", [x], [v, idx, inv, cnt], ALL)
    case("unique", [x], [v, cnt], {"returnCounts": True})
    case("unique", [x], [v, inv], {"returnInverse": True})
for x, ax in ((I2, 0), (I2, 1), (F2[:, :3], 0), (np.array([[1, 0, 1], [1, 0, 1]], u8), 1)):
    v, idx, inv, cnt = np_unique(x, axis=ax)
    case("unique", [x], [v, idx, inv, cnt], {**ALL, "axis": ax})
v, idx, inv, cnt = np_unique(F, equal_nan=False)
case("unique", [F], [v, idx, inv, cnt], {**ALL, "equalNan": False})
case("uniqueValues", [F], v, note="array API: NaNs are not merged")
case("uniqueCounts", [F], [v, cnt])
case("uniqueInverse", [F], [v, inv])
case("uniqueAll", [F], [v, idx, inv, cnt])
for size, fill in ((12, None), (12, -1.0), (3, None), (7, 42.0)):
    out = jax_unique_sized(F, size, fill)
    opts = {**ALL, "size": size}
    if fill is not None:
        opts["fillValue"] = fill
    case("unique", [F], list(out), opts, note="JAX size/fill_value padding")
for size, fill in ((9, None), (9, 5), (2, None)):
    out = jax_unique_sized(I, size, fill)
    opts = {**ALL, "size": size}
    if fill is not None:
        opts["fillValue"] = fill
    case("unique", [I], list(out), opts, note="JAX size/fill_value padding")
out = jax_unique_sized(U, 6, None, equal_nan=False)
case("uniqueAll", [U], list(out), {"size": 6}, note="JAX size padding")
case("unique", [np.zeros(0, f32)], np.zeros(0, f32))
case("unique", [np.zeros(0, f32)], np.full(3, 7.0, f32), {"size": 3, "fillValue": 7.0})

# ---- isin ------------------------------------------------------------------------------------------
T = np.array([nan, 0.0, 1.0, 100.0], f32)
case("isin", [F, T], np.isin(F, T), note="NaN is never found; -0.0 == 0.0")
case("isin", [F, T], np.isin(F, T, invert=True), {"invert": True})
case("isin", [F, T], np.isin(F, T), {"method": "binary_search"})
case("isin", [F, T], np.isin(F, T, invert=True), {"method": "sort", "invert": True})
case("isin", [I2, np.array([3, 5, -1], i32)], np.isin(I2, [3, 5, -1]))
case("isin", [U, np.array([3, 255], u8)], np.isin(U, np.array([3, 255], u8)))
case("isin", [B, np.array([True])], np.isin(B, [True]))
case("isin", [F, np.zeros(0, f32)], np.zeros(F.shape, bool))
rng = np.random.default_rng(7)
big_e = rng.integers(0, 3000, 1500).astype(i32)
big_t = rng.integers(0, 3000, 900).astype(i32)
case("isin", [big_e, big_t], np.isin(big_e, big_t), note="large: the binary-search path of 'auto'")

# ---- intersect1d, union1d, setdiff1d, setxor1d -------------------------------------------------------
A1 = np.array([1, 3, 4, 3, -2, 9, 1, 0], i32)
A2 = np.array([3, 1, 2, 1, 7, 0, 0], i32)
Fa = np.array([1.0, nan, -0.0, 2.5, 1.0, 4.0], f32)
Fb = np.array([nan, 0.0, 4.0, 1.0, 8.0], f32)


def pad_to(x, size, fill):
    x = np.asarray(x)
    return x[:size] if len(x) >= size else np.concatenate([x, np.full(size - len(x), fill, x.dtype)])


for a, b in ((A1, A2), (Fa, Fb), (A1, np.array([100, 200], i32))):
    v, i1, i2 = np.intersect1d(a, b, return_indices=True)
    case("intersect1d", [a, b], v)
    case("intersect1d", [a, b], [v, i1.astype(i32), i2.astype(i32)], {"returnIndices": True})
    dflt = v.min() if len(v) else 0
    for size, fill in ((6, None), (6, -5), (1, None)):
        opts = {"returnIndices": True, "size": size}
        if fill is not None:
            opts["fillValue"] = fill
        case("intersect1d", [a, b], [pad_to(v, size, dflt if fill is None else fill),
                                     pad_to(i1.astype(i32), size, len(a)), pad_to(i2.astype(i32), size, len(b))],
             opts, note="JAX size padding: min result (or 0) / fill; indices padded with the lengths")
U1 = np.array([5, 1, 3], i32)
U2 = np.array([3, 7, 1, 0], i32)
v, i1, i2 = np.intersect1d(U1, U2, assume_unique=True, return_indices=True)
case("intersect1d", [U1, U2], [v, i1.astype(i32), i2.astype(i32)], {"assumeUnique": True, "returnIndices": True})
for a, b in ((A1, A2), (Fa, Fb)):
    u = np.union1d(a, b)
    case("union1d", [a, b], u)
    case("union1d", [a, b], pad_to(u, len(u) + 3, u[0]), {"size": len(u) + 3}, note="JAX: unique's padding")
    d = np.setdiff1d(a, b)
    case("setdiff1d", [a, b], d)
    case("setdiff1d", [a, b], pad_to(d, 6, 0), {"size": 6}, note="JAX: pads with fill_value = 0")
    case("setdiff1d", [a, b], pad_to(d, 6, 9), {"size": 6, "fillValue": 9})
    x = np.setxor1d(a, b)
    case("setxor1d", [a, b], x)
    case("setxor1d", [a, b], pad_to(x, len(x) + 2, x.min()), {"size": len(x) + 2},
         note="JAX: pads with the min (NaN if a NaN is among the results)")
case("setdiff1d", [np.array([5, 1, 3, 8], i32), np.array([3, 9], i32)], np.array([5, 1, 8], i32),
     {"assumeUnique": True}, note="assume_unique keeps ar1's order")
case("setxor1d", [U1, U2], np.setxor1d(U1, U2, assume_unique=True), {"assumeUnique": True})

# ---- bincount / histogram ---------------------------------------------------------------------------
X = np.array([0, 1, 1, 3, 2, 1, 7], i32)
W = np.array([0.5, 1.0, 2.0, -1.0, 0.25, 1.5, 3.0], f32)
case("bincount", [X], np.bincount(X).astype(i32))
case("bincount", [X, W], np.bincount(X, W).astype(f32), tol=(1e-6, 0))
case("bincount", [X, None, 10], np.bincount(X, minlength=10).astype(i32))
case("bincount", [X.astype(u8)], np.bincount(X).astype(i32))
case("bincount", [np.array([True, False, True])], np.array([1, 2], i32))
Xn = np.array([-2, 0, 1, 5, 9, 3], i32)
case("bincount", [Xn], np.array([2, 1, 0, 1, 0, 1, 0, 0, 0, 1], i32), {"length": None},
     note="JAX: negatives count in bin 0")
case("bincount", [Xn], np.array([2, 1, 0, 1, 0], i32), {"length": 5}, note="JAX: values >= length dropped")
case("bincount", [Xn, np.array([1, 2, 3, 4, 5, 6], i32)], np.array([3, 3, 0, 6, 0], i32), {"length": 5},
     note="JAX: integer weights keep their dtype")


def jax_edges(a, bins, rng=None):
    a = np.asarray(a, f32)
    lo, hi = (a.min(), a.max()) if rng is None else (f32(rng[0]), f32(rng[1]))
    if hi - lo == 0:
        lo, hi = f32(lo - f32(0.5)), f32(hi + f32(0.5))
    step = np.arange(bins, dtype=f32) / f32(bins)
    inner = lo * (f32(1) - step) + hi * step
    return np.concatenate([inner, [hi]]).astype(f32)


def jax_hist(a, edges, w=None, density=False):
    a = np.asarray(a, f32).ravel()
    w = np.ones_like(a) if w is None else np.asarray(w, f32).ravel()
    idx = np.searchsorted(edges, a, "right")
    idx = np.where(a == edges[-1], len(edges) - 1, idx)
    keep = idx < len(edges)
    c = np.bincount(idx[keep], w[keep], minlength=len(edges))[1:len(edges)]
    if density:
        c = c / np.diff(edges.astype(np.float64)) / c.sum()
    return c.astype(f32)


H = np.round(np.random.default_rng(3).normal(0, 2, 60), 2).astype(f32)
Hw = np.random.default_rng(4).uniform(0, 1, 60).astype(f32)
e = jax_edges(H, 10)
assert np.array_equal(jax_hist(H, e), np.histogram(H, e)[0]), "histogram semantics"
case("histogram", [H], [jax_hist(H, e), e], tol=(1e-6, 0), note="edges: JAX's float32 linspace formula")
e = jax_edges(H, 4, (-3, 3))
case("histogram", [H, 4], [jax_hist(H, e), e], {"range": [-3, 3]})
case("histogram", [H, 4], [jax_hist(H, e, Hw), e], {"range": [-3, 3], "weights": Hw}, tol=(1e-6, 1e-6))
case("histogram", [H, 4], [jax_hist(H, e, density=True), e], {"range": [-3, 3], "density": True}, tol=(1e-6, 1e-7))
E = np.array([-5.0, -1.0, 0.0, 0.5, 4.0], f32)
case("histogram", [H, E], [jax_hist(H, E), E], tol=(0, 0))
case("histogram", [H, E], [jax_hist(H, E, Hw, density=True), E], {"weights": Hw, "density": True}, tol=(1e-6, 1e-7))
Hi = np.array([1, 2, 2, 3, 3, 3, 9], i32)
e = jax_edges(Hi, 4)
case("histogram", [Hi, 4], [jax_hist(Hi, e), e], note="int data: float32 counts and edges")
e = jax_edges(np.array([2.0, 2.0], f32), 2)
case("histogram", [np.array([2.0, 2.0], f32), 2], [jax_hist([2.0, 2.0], e), e], note="zero-width range widens by 0.5")
case("histogramBinEdges", [H, 5], jax_edges(H, 5))
case("histogramBinEdges", [H, 3], jax_edges(H, 3, (0, 1)), {"range": [0, 1]})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "sorting.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"cases": cases}, f, separators=(",", ":"))
print(f"{len(cases)} cases -> {out} ({os.path.getsize(out)} bytes)")
