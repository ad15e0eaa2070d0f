#!/usr/bin/env python3
"""Fixtures for test/numpy/reductions*.test.ts (ts/numpy/reductions.ts, statistics.ts).

Run: python3 test/numpy/gen_reductions.py   (NumPy only; writes test/numpy/fixtures/)

References are NumPy computations in float64 (int64 for integers, wrapped to the result
dtype, as JAX's integer arithmetic wraps). Result dtypes follow JAX's rules
(jax/_src/numpy/reductions.py), written out below, since JAX itself is not installed on the
machines that generate fixtures. Where JAX differs from NumPy the reference implements JAX's
rule, with a comment:
  - nanargmax/nanargmin of an all-NaN slice give -1 (NumPy raises);
  - quantile 'nearest' takes the lower neighbour when the fraction is <= 0.5 (NumPy rounds
    half to even), and the virtual index q * (n - 1) is computed in float32 as JAX does;
  - cumsum of int8 stays int8 (NumPy promotes to int64), wrapping on overflow.

Encodings: an array is {"a": flat values, "s": shape, "d": dtype}; nan/inf as "nan"/"inf"/
"-inf". Each case: {"fn", "x", "q"?, "opts", "out" (array or list of arrays), "tol": [rtol, atol]}.
"""
import itertools
import json
import math
import os
import warnings

import numpy as np

from fixture_util import enc

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
rng = np.random.default_rng(20240611)

EPS = {"float32": 2.0 ** -24, "float16": 2.0 ** -11}  # unit roundoff


# ---- inputs ---------------------------------------------------------------------------------

def make(shape, dtype, kind="small", nans=0.0):
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        v = rng.random(n) < 0.5
    elif dtype in ("uint8",):
        v = rng.integers(0, 200, n)
    elif dtype.startswith("int") or dtype.startswith("uint"):
        v = rng.integers(-9, 10, n) if not dtype.startswith("uint") else rng.integers(0, 20, n)
    elif kind == "prod":
        v = rng.integers(4, 13, n) / 8.0  # 0.5 .. 1.5, exact in float16
    elif kind == "ties":
        v = rng.integers(-2, 3, n).astype(np.float64)
    elif kind == "random":
        v = rng.uniform(-3, 3, n).astype(np.float32 if dtype == "float32" else np.float16).astype(np.float64)
    else:
        v = rng.integers(-40, 41, n) / 8.0  # exact in float16 and float32
    v = np.asarray(v).reshape(shape)
    if nans and dtype.startswith("float"):
        v = v.astype(np.float64)
        v[rng.random(shape) < nans] = np.nan
    if dtype == "float16":
        v = v.astype(np.float16).astype(np.float64)
    elif dtype == "float32":
        v = v.astype(np.float32).astype(np.float64)
    return v


def is_float(d):
    return d.startswith("float")


def is_int(d):
    return d.startswith("int") or d.startswith("uint")


# ---- JAX's dtype rules ------------------------------------------------------------------------

def promote_int(d):  # _promote_integer_dtype
    if d == "bool":
        return "int32"
    if d.startswith("uint"):
        return "uint32"
    if d.startswith("int"):
        return "int32"
    return d


def to_inexact(d):
    return d if is_float(d) else "float32"


NP = {"float32": np.float32, "float16": np.float16, "int32": np.int32, "int8": np.int8, "int16": np.int16,
      "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "bool": np.bool_}


def cast_ref(r, d):
    """A float64/int64 reference as values of dtype d (integers wrap as in JAX)."""
    r = np.asarray(r)
    if d == "bool":
        return r.astype(bool)
    if is_int(d):
        return r.astype(np.int64).astype(NP[d])
    return r.astype(np.float64)


# ---- tolerances -------------------------------------------------------------------------------

def tol_sum(d, n, sabs):
    """Summation of n terms: |error| <= (ceil(log2 n) + 2) * u * sum|x| for blocked/pairwise
    accumulation (+ one rounding of float16 results, computed in float32)."""
    if not is_float(d):
        return [0, 0]
    u = EPS["float32"]
    atol = (math.ceil(math.log2(max(n, 2))) + 2) * u * sabs
    rtol = 2 * EPS["float16"] if d == "float16" else 0
    return [rtol, float(atol)]


def tol_rel(d, k):
    if not is_float(d):
        return [0, 0]
    return [k * EPS[d], 0]


# ---- cases --------------------------------------------------------------------------------------

cases = []
stats = []


def add(lst, fn, x, xd, out, tol, opts=None, q=None):
    c = {"fn": fn, "x": enc(x, xd), "opts": opts or {}, "out": out, "tol": tol}
    if q is not None:
        c["q"] = q
    lst.append(c)


def axis_tuple(axis, nd):
    if axis is None:
        return tuple(range(nd))
    if isinstance(axis, int):
        axis = [axis]
    return tuple(sorted(a % nd for a in axis))


def npaxis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def all_subsets(nd):
    out = [None]
    for k in range(0, nd + 1):
        for s in itertools.combinations(range(nd), k):
            out.append(list(s))
    return out


def reduced_count(shape, axis):
    return int(np.prod([shape[a] for a in axis_tuple(axis, len(shape))])) if shape else 1


# sum / prod ---------------------------------------------------------------------------------------

def sum_case(fn, x, xd, axis, keepdims=False, dtype=None, initial=None, where=None, lst=cases):
    opts = {"axis": axis}
    if keepdims:
        opts["keepdims"] = True
    if dtype:
        opts["dtype"] = dtype
    if initial is not None:
        opts["initial"] = initial
    if where is not None:
        opts["where"] = enc(where, "bool")
    rd = dtype or promote_int(xd)
    xv = x.astype(np.int64) if not is_float(xd) else x
    if rd == "bool":
        xv = x != 0
    w = where if where is not None else True
    kw = {"axis": npaxis(axis), "keepdims": keepdims, "where": w}
    if fn == "sum":
        r = np.sum(xv, **kw) if rd != "bool" else np.any(xv, **kw)
        if initial is not None:
            r = r + initial if rd != "bool" else np.logical_or(r, bool(initial))
        n = reduced_count(x.shape, axis)
        sabs = float(np.max(np.sum(np.abs(np.where(w, x, 0)), axis=npaxis(axis)), initial=0)) if x.size else 0
        tol = tol_sum(rd, n, sabs)
    else:
        r = np.prod(xv, **kw) if rd != "bool" else np.all(xv, **kw)
        if initial is not None:
            r = r * initial
        n = reduced_count(x.shape, axis)
        tol = tol_rel(rd, n + 3) if is_float(rd) else [0, 0]
        if rd == "float16":
            tol = [EPS["float32"] * (n + 3) + 2 * EPS["float16"], 0]
    add(cases if lst is cases else lst, fn, x, xd, enc(cast_ref(r, rd), rd), tol, opts)


for shape in [(), (5,), (3, 4), (0,), (2, 0, 3)]:
    for xd in ["float32", "int32", "uint8", "bool", "float16", "int8"]:
        x = make(shape, xd)
        for axis in [None, 0, -1] if shape else [None]:
            sum_case("sum", x, xd, axis)
        if len(shape) >= 2:
            sum_case("sum", x, xd, [0, 1], keepdims=True)
            sum_case("sum", x, xd, -2, keepdims=True)
        xp = make(shape, xd, "prod") if is_float(xd) else x
        for axis in [None, -1] if shape else [None]:
            sum_case("prod", xp, xd, axis)

for shape in [(2, 3, 4), (2, 3, 2, 3)]:
    for xd in ["float32", "int32"]:
        x = make(shape, xd)
        for axis in all_subsets(len(shape)):
            sum_case("sum", x, xd, axis, keepdims=(axis is not None and len(axis) % 2 == 1))
    xp = make((2, 3, 4), "float32", "prod")
    for axis in all_subsets(3):
        sum_case("prod", xp, "float32", axis)
    xi = make((2, 3, 2, 3), "int32")
    for axis in [None, [0, 2], [1, 3]]:
        sum_case("prod", xi, "int32", axis)  # int32 products wrap around

x = make((3, 4), "float32")
sum_case("sum", x, "float32", 1, dtype="float16")
sum_case("sum", make((3, 4), "int32"), "int32", 0, dtype="float32")
sum_case("sum", make((3, 4), "int32"), "int32", 1, dtype="bool")
sum_case("sum", make((3, 4), "int8"), "int8", 1, dtype="int8")
sum_case("sum", x, "float32", 0, initial=2.5)
sum_case("sum", make((3, 4), "int32"), "int32", None, initial=7)
sum_case("prod", make((3, 4), "float32", "prod"), "float32", 1, initial=2)
mask = rng.random((3, 4)) < 0.6
sum_case("sum", x, "float32", 1, where=mask)
sum_case("sum", x, "float32", None, where=mask[0])  # broadcast mask
sum_case("prod", make((3, 4), "int32"), "int32", 0, where=mask)
sum_case("sum", make((0, 3), "float32"), "float32", 0, initial=1.5)

# max / min ----------------------------------------------------------------------------------------

def max_case(fn, x, xd, axis, keepdims=False, initial=None, where=None):
    opts = {"axis": axis}
    if keepdims:
        opts["keepdims"] = True
    if initial is not None:
        opts["initial"] = initial
    if where is not None:
        opts["where"] = enc(where, "bool")
    f = {"max": np.max, "min": np.min, "amax": np.amax, "amin": np.amin}[fn]
    kw = {"axis": npaxis(axis), "keepdims": keepdims}
    if initial is not None:
        kw["initial"] = initial
    if where is not None:
        kw["where"] = where
    xv = x.astype(np.int64) if is_int(xd) else x
    r = f(xv, **kw)
    add(cases, fn, x, xd, enc(cast_ref(r, xd), xd), [0, 0], opts)


for shape in [(), (5,), (3, 4)]:
    for xd in ["float32", "int32", "uint8", "bool", "float16", "int8"]:
        x = make(shape, xd)
        for axis in [None, 0, -1] if shape else [None]:
            max_case("max", x, xd, axis)
            max_case("min", x, xd, axis)
max_case("amax", make((3, 4), "float32"), "float32", 1, keepdims=True)
max_case("amin", make((3, 4), "int32"), "int32", [0, 1], keepdims=True)
for shape in [(2, 3, 4), (2, 3, 2, 3)]:
    x = make(shape, "float32", "ties")
    for axis in all_subsets(len(shape)):
        max_case("max", x, "float32", axis)
    xi = make(shape, "int32")
    for axis in all_subsets(len(shape)):
        max_case("min", xi, "int32", axis, keepdims=True)
xn = make((4, 5), "float32", nans=0.2)
for axis in [None, 0, 1]:
    max_case("max", xn, "float32", axis)  # NaN propagates
    max_case("min", xn, "float32", axis)
max_case("max", make((0, 3), "float32"), "float32", 0, initial=-2.0)
max_case("min", make((0, 3), "int32"), "int32", None, initial=4)
max_case("max", make((3, 4), "int32"), "int32", 1, initial=3)
max_case("min", make((3, 4), "float32"), "float32", 0, initial=-1.5)
max_case("max", make((3, 4), "float32"), "float32", 1, initial=-100.0, where=mask)
max_case("min", make((3, 4), "uint8"), "uint8", 0, initial=250, where=mask)

# argmax / argmin ------------------------------------------------------------------------------------

def arg_case(fn, x, xd, axis, keepdims=False):
    opts = {"axis": axis}
    if keepdims:
        opts["keepdims"] = True
    r = (np.argmax if fn == "argmax" else np.argmin)(x, axis=axis, keepdims=keepdims)
    add(cases, fn, x, xd, enc(np.asarray(r).astype(np.int64), "int32"), [0, 0], opts)


for shape in [(), (7,), (3, 4), (2, 3, 4), (2, 3, 2, 3)]:
    for xd in ["float32", "int32", "uint8", "bool", "float16"]:
        if len(shape) >= 3 and xd not in ("float32", "int32"):
            continue
        x = make(shape, xd, "ties")
        axes = [None] + list(range(len(shape))) + ([-1] if shape else [])
        for axis in axes:
            for fn in ["argmax", "argmin"]:
                arg_case(fn, x, xd, axis, keepdims=(axis == -1))
xn = make((5, 6), "float32", "ties", nans=0.25)
xn[2, :] = np.nan
for axis in [None, 0, 1]:
    arg_case("argmax", xn, "float32", axis)
    arg_case("argmin", xn, "float32", axis)
arg_case("argmax", np.array([1.0, 3.0, 3.0, np.nan, np.nan]), "float32", None)
arg_case("argmin", np.array([-np.inf, 2.0, -np.inf]), "float32", 0)
arg_case("argmin", np.array([np.inf, np.nan, -np.inf]), "float32", 0)

# all / any / countNonzero / ptp ---------------------------------------------------------------------

for shape in [(), (5,), (3, 4), (2, 0, 3), (2, 3, 4)]:
    for xd in ["bool", "float32", "int32", "uint8"]:
        x = make(shape, xd, "ties")
        for axis in ([None, 0, -1, [0, -1]] if len(shape) >= 2 else [None, 0] if shape else [None]):
            for fn in ["all", "any"]:
                f = np.all if fn == "all" else np.any
                add(cases, fn, x, xd, enc(f(x, axis=npaxis(axis), keepdims=(axis == 0)), "bool"), [0, 0],
                    {"axis": axis, **({"keepdims": True} if axis == 0 else {})})
            r = np.count_nonzero(x, axis=npaxis(axis), keepdims=(axis == -1))
            add(cases, "countNonzero", x, xd, enc(np.asarray(r), "int32"), [0, 0],
                {"axis": axis, **({"keepdims": True} if axis == -1 else {})})
            if xd != "bool" and 0 not in shape:
                r = np.ptp(x.astype(np.int64) if is_int(xd) else x, axis=npaxis(axis))
                add(cases, "ptp", x, xd, enc(cast_ref(r, xd), xd), [0, 0], {"axis": axis})
x = make((3, 4), "float32", "ties")
add(cases, "all", x, "float32", enc(np.all(x, axis=1, where=mask), "bool"), [0, 0], {"axis": 1, "where": enc(mask, "bool")})
add(cases, "any", x, "float32", enc(np.any(x, axis=0, where=mask), "bool"), [0, 0], {"axis": 0, "where": enc(mask, "bool")})

# mean ---------------------------------------------------------------------------------------------

def mean_case(x, xd, axis, keepdims=False, where=None, dtype=None, lst=cases):
    opts = {"axis": axis}
    if keepdims:
        opts["keepdims"] = True
    if where is not None:
        opts["where"] = enc(where, "bool")
    if dtype:
        opts["dtype"] = dtype
    rd = dtype or to_inexact(xd)
    w = where if where is not None else True
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = np.mean(x.astype(np.float64), axis=npaxis(axis), keepdims=keepdims, where=w)
        sabs = np.sum(np.abs(x) * w, axis=npaxis(axis), keepdims=keepdims)
        cnt = np.sum(np.broadcast_to(w, x.shape), axis=npaxis(axis), keepdims=keepdims)
        mabs = float(np.nanmax(sabs / np.maximum(cnt, 1), initial=0))
    n = reduced_count(x.shape, axis)
    t = tol_sum(rd, n, mabs)
    t[0] = max(t[0], 2 * EPS["float32"])
    add(lst, "mean", x, xd, enc(r, rd), t, opts)


for shape in [(), (5,), (3, 4), (2, 3, 4), (0,), (2, 0)]:
    for xd in ["float32", "int32", "uint8", "bool", "float16", "int8"]:
        if len(shape) == 3 and xd not in ("float32", "int32"):
            continue
        x = make(shape, xd, "random" if xd == "float32" else "small")
        for axis in ([None, 0, -1] if shape else [None]) + ([[0, 2]] if len(shape) == 3 else []):
            mean_case(x, xd, axis, keepdims=(axis == -1))
x = make((3, 4), "float32", "random")
mean_case(x, "float32", 1, where=mask)
mean_case(x, "float32", None, where=mask, keepdims=True)
mean_case(make((3, 4), "int32"), "int32", 0, dtype="float16")

# cumulative ---------------------------------------------------------------------------------------

def cum_case(fn, x, xd, axis=None, dtype=None, include_initial=None):
    opts = {}
    if axis is not None or fn.startswith("cumulative"):
        opts["axis"] = axis
    if dtype:
        opts["dtype"] = dtype
    if include_initial:
        opts["includeInitial"] = True
    nan = fn.startswith("nan")
    kind = "sum" if "sum" in fn.lower() else "prod"
    a = x
    if axis is None or x.ndim == 0:
        a = x.reshape(-1)
        ax = 0
    else:
        ax = axis
    if nan and is_float(xd):
        a = np.where(np.isnan(a), 0 if kind == "sum" else 1, a)
    if dtype is None:
        promote = fn == "cumulativeSum" or xd == "bool"
        rd = promote_int(xd) if promote else xd
    else:
        rd = dtype
    if rd == "bool":
        v = np.cumsum(a != 0, axis=ax) if kind == "sum" else np.cumprod(a != 0, axis=ax)
        r = v != 0
    else:
        av = a.astype(np.int64) if not is_float(xd) else a.astype(np.float64)
        r = np.cumsum(av, axis=ax) if kind == "sum" else np.cumprod(av, axis=ax)
    if include_initial:
        shp = list(r.shape)
        shp[ax] = 1
        r = np.concatenate([np.full(shp, 0 if kind == "sum" else 1, dtype=r.dtype), r], axis=ax)
    r = cast_ref(r, rd)
    n = a.shape[ax] if a.ndim else 1
    if kind == "sum":
        sabs = float(np.max(np.sum(np.abs(np.nan_to_num(a)), axis=ax), initial=0)) if a.size else 0
        t = tol_sum(rd, n, sabs)
        if rd == "float16":
            # the routine rounds every step to float16 (XLA's scan rounds per step too)
            t = [0, n * EPS["float16"] * sabs]
    else:
        t = tol_rel(rd, n + 3) if is_float(rd) else [0, 0]
        if rd == "float16":
            t = [(n + 3) * EPS["float16"], 0]
    add(cases, fn, x, xd, enc(r, rd), t, opts)


for shape in [(), (6,), (3, 4), (2, 3, 4)]:
    for xd in ["float32", "int32", "bool", "int8", "uint8", "float16"]:
        x = make(shape, xd, "small")
        for axis in [None, 0, -1] if shape else [None]:
            cum_case("cumsum", x, xd, axis)
        xp = make(shape, xd, "prod") if is_float(xd) else make(shape, xd, "ties")
        for axis in [None, -1] if shape else [None]:
            cum_case("cumprod", xp, xd, axis)
x8 = np.array([100, 100, 100, -100, -100], dtype=np.float64)
cum_case("cumsum", x8, "int8", 0)  # int8 cumsum stays int8 and wraps (JAX; NumPy promotes)
cum_case("cumsum", make((3, 4), "int32"), "int32", 1, dtype="float32")
cum_case("cumsum", np.array([[-1, 1, 0, 2]], dtype=np.float64), "int32", 1, dtype="bool")
cum_case("cumprod", make((3, 4), "bool"), "bool", 0)
xn = make((3, 5), "float32", "prod", nans=0.3)
for fn in ["nancumsum", "nancumprod"]:
    for axis in [None, 0, 1]:
        cum_case(fn, xn, "float32", axis)
    cum_case(fn, make((3, 5), "int32", "ties"), "int32", 1)
for xd in ["int8", "uint8", "bool", "float32"]:
    cum_case("cumulativeSum", make((6,), xd), xd, None)
    cum_case("cumulativeProd", make((6,), xd, "ties") if not is_float(xd) else make((6,), xd, "prod"), xd, None)
cum_case("cumulativeSum", make((3, 4), "int32"), "int32", 1, include_initial=True)
cum_case("cumulativeSum", make((3, 4), "float32"), "float32", 0, include_initial=True)
cum_case("cumulativeProd", make((3, 4), "int32", "ties"), "int32", -1, include_initial=True)
cum_case("cumulativeSum", make((2, 3), "int8"), "int8", 1, dtype="float32")

# nan-reductions (in reductions.ts) ------------------------------------------------------------------

def nan_case(fn, x, xd, axis, keepdims=False, **extra):
    opts = {"axis": axis, **({"keepdims": True} if keepdims else {})}
    for k, v in extra.items():
        opts[k] = v
    kw = {"axis": npaxis(axis), "keepdims": keepdims}
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fn in ("nansum", "nanprod"):
                rd = promote_int(xd)
                xv = x.astype(np.int64) if not is_float(xd) else x
                r = (np.nansum if fn == "nansum" else np.nanprod)(xv, **kw)
                n = reduced_count(x.shape, axis)
                if fn == "nansum":
                    sabs = float(np.max(np.nansum(np.abs(x), axis=npaxis(axis)), initial=0))
                    t = tol_sum(rd, n, sabs)
                else:
                    t = tol_rel(rd, n + 3) if is_float(rd) else [0, 0]
            elif fn in ("nanmax", "nanmin"):
                rd = xd
                if "initial" in extra:
                    kw["initial"] = extra["initial"]
                r = (np.nanmax if fn == "nanmax" else np.nanmin)(x, **kw)
                t = [0, 0]
            elif fn == "nanmean":
                rd = to_inexact(xd)
                r = np.nanmean(x, **kw)
                n = reduced_count(x.shape, axis)
                t = tol_sum(rd, n, float(np.nanmax(np.abs(x), initial=0)))
                t[0] = max(t[0], 2 * EPS["float32"])
            else:  # nanargmax / nanargmin: JAX gives -1 for all-NaN slices (NumPy raises)
                f = np.argmax if fn == "nanargmax" else np.argmin
                fill = -np.inf if fn == "nanargmax" else np.inf
                filled = np.where(np.isnan(x), fill, x)
                r = f(filled, axis=axis, keepdims=keepdims)
                alln = np.all(np.isnan(x), axis=axis, keepdims=keepdims)
                r = np.where(alln, -1, r)
                rd = "int32"
                t = [0, 0]
    add(cases, fn, x, xd, enc(cast_ref(r, rd), rd), t, opts)


xn = make((4, 5), "float32", "ties", nans=0.3)
xn[1, :] = np.nan
for fn in ["nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanargmax", "nanargmin"]:
    for axis in [None, 0, 1]:
        nan_case(fn, xn, "float32", axis, keepdims=(axis == 1))
    nan_case(fn, make((3, 4), "int32", "ties"), "int32", 1)
    nan_case(fn, make((6,), "float16", "ties", nans=0.3), "float16", 0)
nan_case("nanmax", xn, "float32", 1, initial=-5.0)
nan_case("nanmin", xn, "float32", 1, initial=5.0)
nan_case("nanmax", np.full((2, 3), np.nan), "float32", None)

# ---- statistics (statistics.ts) ---------------------------------------------------------------------

def var_case(fn, x, xd, axis, ddof=0, keepdims=False, where=None, dtype=None):
    opts = {"axis": axis}
    if ddof:
        opts["ddof"] = ddof
    if keepdims:
        opts["keepdims"] = True
    if where is not None:
        opts["where"] = enc(where, "bool")
    if dtype:
        opts["dtype"] = dtype
    rd = dtype or to_inexact(xd)
    kw = {"axis": npaxis(axis), "keepdims": keepdims, "ddof": ddof}
    if where is not None:
        kw["where"] = where
    import warnings
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = {"var": np.var, "std": np.std, "nanvar": np.nanvar, "nanstd": np.nanstd}[fn]
        r = f(x.astype(np.float64), **kw)
        # JAX: NaN where count - ddof <= 0 (NumPy gives inf or NaN with a warning)
        if fn in ("var", "std"):
            cnt = np.sum(np.broadcast_to(where if where is not None else True, x.shape), axis=npaxis(axis), keepdims=keepdims)
        else:
            cnt = np.sum(~np.isnan(x), axis=npaxis(axis), keepdims=keepdims)
        r = np.where(cnt - ddof > 0, r, np.nan)
        scale = float(np.nanmax(np.abs(x), initial=0)) if x.size else 0
    # Two-pass variance in float32: the mean's error and the summation error are each
    # (log2 n + 2) u relative to the scale^2; std halves the relative error of var.
    n = reduced_count(x.shape, axis)
    u = EPS["float32"]
    k = 4 * (math.ceil(math.log2(max(n, 2))) + 2)
    if fn in ("var", "nanvar"):
        t = [k * u, k * u * scale * scale]
    else:
        t = [k * u, k * u * scale]
    if rd == "float16":
        t[0] += 2 * EPS["float16"]
    add(stats, fn, x, xd, enc(r, rd), t, opts)


for shape in [(), (5,), (3, 4), (2, 3, 4), (0,)]:
    for xd in ["float32", "int32", "bool", "float16", "uint8"]:
        if len(shape) == 3 and xd != "float32":
            continue
        x = make(shape, xd, "random" if xd == "float32" else "small")
        for axis in ([None, 0, -1] if shape else [None]) + ([[0, 2]] if len(shape) == 3 else []):
            for fn in ["var", "std"]:
                var_case(fn, x, xd, axis, keepdims=(axis == -1))
x = make((4, 5), "float32", "random")
for fn in ["var", "std"]:
    var_case(fn, x, "float32", 1, ddof=1)
    var_case(fn, x, "float32", 0, ddof=4)  # count - ddof = 0 -> NaN
    var_case(fn, x, "float32", None, ddof=1, where=(rng.random((4, 5)) < 0.5))
xn = make((4, 5), "float32", "random", nans=0.3)
xn[0, :] = np.nan
for fn in ["nanvar", "nanstd"]:
    for axis in [None, 0, 1]:
        var_case(fn, xn, "float32", axis, keepdims=(axis == 0))
    var_case(fn, xn, "float32", 1, ddof=1)
    var_case(fn, make((3, 4), "int32"), "int32", 0)

# average
def avg_case(x, xd, axis, weights=None, wd="float32", returned=False, keepdims=False):
    opts = {"axis": axis}
    if weights is not None:
        opts["weights"] = enc(weights, wd)
    if returned:
        opts["returned"] = True
    if keepdims:
        opts["keepdims"] = True
    rd = to_inexact(xd) if weights is None else ("float32" if not (xd == "float16" and wd == "float16") else "float16")
    r, s = np.average(x.astype(np.float64), axis=npaxis(axis), weights=weights, returned=True, keepdims=keepdims)
    s = np.broadcast_to(s, np.shape(r))
    n = reduced_count(x.shape, axis)
    # With positive weights sum|a w| / sum w <= max|a|: the summation bound relative to max|a|,
    # doubled for the two sums and the division.
    mabs = float(np.max(np.abs(x), initial=0))
    t = tol_sum(rd, n, 2 * mabs)
    t[0] = max(t[0], 4 * EPS["float32"])
    out = [enc(r, rd), enc(s, rd)] if returned else enc(r, rd)
    add(stats, "average", x, xd, out, t, opts)


x = make((3, 4), "float32", "random")
avg_case(x, "float32", None)
avg_case(x, "float32", 1, returned=True)
avg_case(make((3, 4), "int32"), "int32", 0, keepdims=True)
w = rng.integers(1, 5, (3, 4)).astype(np.float64)
avg_case(x, "float32", None, weights=w, returned=True)
avg_case(x, "float32", 0, weights=w, keepdims=True)
avg_case(x, "float32", 1, weights=w[0], returned=True)
x3 = make((2, 3, 4), "float32", "random")
avg_case(x3, "float32", [2, 0], weights=rng.integers(1, 5, (4, 2)).astype(np.float64))

# quantiles: JAX's algorithm (q * (n - 1) in float32), values in float64
def jax_quantile(x, q, axis, method, keepdims, squash):
    x = np.asarray(x, dtype=np.float64)
    q = np.asarray(q, dtype=np.float32)
    nd = x.ndim
    keep = None
    if axis is None:
        if keepdims:
            keep = [1] * nd
        a = x.reshape(-1)
        ax = 0
    elif isinstance(axis, list):
        axes = sorted(d % nd for d in axis)
        keep = [1 if i in axes else s for i, s in enumerate(x.shape)]
        kept = [i for i in range(nd) if i not in axes]
        a = np.transpose(x, kept + axes).reshape([x.shape[i] for i in kept] + [-1])
        ax = a.ndim - 1
    else:
        ax = axis % nd
        a = x
    if not squash:
        a = np.where(np.any(np.isnan(a), axis=ax, keepdims=True), np.nan, a)
    a = np.sort(a, axis=ax)  # NaNs last
    a = np.moveaxis(a, ax, -1)
    rest = a.shape[:-1]
    qs = q.reshape(-1)
    out = np.zeros((len(qs),) + rest)
    for qi, qv in enumerate(qs):
        for idx in np.ndindex(*rest) if rest else [()]:
            row = a[idx]
            n = row.shape[0]
            cnt = np.float32(np.sum(~np.isnan(row))) if squash else np.float32(n)
            if n == 0:
                out[(qi,) + idx] = np.nan
                continue
            qq = np.float32(qv) * np.float32(cnt - np.float32(1))
            lo = np.floor(qq)
            hi = np.ceil(qq)
            hw = np.float32(qq - lo)
            lw = np.float32(np.float32(1) - hw)
            top = np.float32(cnt - np.float32(1))
            lo = int(max(0, min(lo, top)))
            hi = int(max(0, min(hi, top)))
            lv, hv = row[lo], row[hi]
            if method == "linear":
                v = lv * float(lw) + hv * float(hw)
            elif method == "lower":
                v = lv
            elif method == "higher":
                v = hv
            elif method == "nearest":  # JAX: lower neighbour when the fraction is <= 0.5
                v = lv if hw <= 0.5 else hv
            else:
                v = (lv + hv) * 0.5
            out[(qi,) + idx] = v
    if q.ndim == 0:
        out = out[0]
    if keepdims:
        qshape = list(q.shape)
        if keep is not None:
            out = out.reshape(qshape + keep)
        else:
            out = np.expand_dims(out, q.ndim + ax)
    return out


def q_case(fn, x, xd, q, axis=None, method=None, keepdims=False):
    opts = {"axis": axis}
    if method:
        opts["method"] = method
    if keepdims:
        opts["keepdims"] = True
    squash = fn.startswith("nan")
    qv = np.asarray(q, dtype=np.float64)
    m = method or ("midpoint" if fn.endswith("median") else "linear")
    if fn.endswith("percentile"):
        qf = (np.asarray(q, dtype=np.float32) / np.float32(100)).astype(np.float32)
    elif fn.endswith("median"):
        qf = np.float32(0.5)
    else:
        qf = np.asarray(q, dtype=np.float32)
    r = jax_quantile(x, qf, axis, m, keepdims, squash)
    rd = to_inexact(xd)
    fin = np.abs(x[np.isfinite(x)])
    scale = float(np.max(fin, initial=0))
    t = [0, 0] if m in ("lower", "higher", "nearest") else [4 * EPS["float32"], 4 * EPS["float32"] * scale]
    if rd == "float16" and m not in ("lower", "higher", "nearest"):
        t = [2 * EPS["float16"], 2 * EPS["float16"] * scale]
    qenc = None if fn.endswith("median") else (float(q) if np.ndim(q) == 0 else enc(qv, "float32"))
    add(stats, fn, x, xd, enc(r, rd), t, opts, q=qenc)


for shape in [(7,), (3, 4), (2, 3, 4), (1,)]:
    for xd in ["float32", "int32", "float16", "uint8"]:
        if len(shape) == 3 and xd != "float32":
            continue
        x = make(shape, xd, "ties" if xd == "float32" else "small")
        for axis in ([None, 0, -1] if len(shape) > 1 else [None, 0]) + ([[0, 2]] if len(shape) == 3 else []):
            q_case("median", x, xd, 0.5, axis, keepdims=(axis == -1))
            q_case("quantile", x, xd, 0.3, axis)
        for m in ["linear", "lower", "higher", "midpoint", "nearest"]:
            q_case("quantile", x, xd, [0.0, 0.1, 0.25, 0.5, 0.7, 1.0], -1 if len(shape) > 1 else None, m)
            q_case("percentile", x, xd, [0.0, 12.5, 50.0, 90.0, 100.0], 0, m, keepdims=(len(shape) == 2))
q_case("quantile", np.arange(4.0), "float32", 0.5, None, "nearest")  # index 1.5 -> JAX picks 1, NumPy 2
q_case("quantile", np.arange(6.0), "float32", [0.1, 0.3, 0.5, 0.7, 0.9], None, "nearest")
q_case("quantile", make((3, 4), "float32", "random"), "float32", [0.25, 0.75], [0, 1], "linear", keepdims=True)
q_case("percentile", make((2, 3, 4), "float32", "random"), "float32", 37.0, [0, 2])
xn = make((4, 6), "float32", "ties", nans=0.3)
xn[2, :] = np.nan
for fn in ["median", "quantile", "percentile", "nanmedian", "nanquantile", "nanpercentile"]:
    q = 0.5 if "quantile" in fn else 50.0
    for axis in [None, 0, 1]:
        q_case(fn, xn, "float32", q, axis, keepdims=(axis == 1))
    if fn in ("nanquantile", "nanpercentile"):
        for m in ["linear", "lower", "higher", "midpoint", "nearest"]:
            q_case(fn, xn, "float32", [0.2, 0.5, 0.9] if fn == "nanquantile" else [20.0, 50.0, 90.0], 1, m)
q_case("median", np.array([3.0, np.inf, -np.inf, 1.0]), "float32", 0.5)
q_case("nanmedian", np.array([np.nan, 2.0, np.nan]), "float32", 0.5)


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"generator": "test/numpy/gen_reductions.py", "numpy": np.__version__, "cases": data}, f, separators=(",", ":"), allow_nan=False)
    print(f"{path}: {len(data)} cases, {os.path.getsize(path) // 1024} KB")


write("reductions.json", cases)
write("reductions_stats.json", stats)
