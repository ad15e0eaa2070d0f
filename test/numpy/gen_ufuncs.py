#!/usr/bin/env python3
"""Generates the NumPy reference fixtures of the ufunc tests (test/numpy/ufuncs*.test.ts).

    python3 test/numpy/gen_ufuncs.py      # writes test/numpy/fixtures/ufuncs_*.json

Needs only NumPy. Each case is one function over one dtype: inputs x (a column) and y (a row)
broadcast to a grid, so every binary case also tests broadcasting. References:
  * floats: NumPy in the operand dtype for correctly rounded operations (add, multiply, ...,
    float16 included: NumPy computes one float16 op in float32 and rounds, as the backend does);
    float64 of the (exactly representable) inputs for transcendental functions.
  * ints: Python integers wrapped to the dtype, with JAX's (XLA's) semantics written out below
    where JAX differs from NumPy or NumPy leaves it undefined: integer division by zero,
    shifts by >= the bit width or by negative amounts, integer power with exponents >= 64 or
    negative, INT_MIN // -1.
  * JAX's result dtypes (true_divide of ints is float32, floor_divide of bools int32, ...),
    written out in `out_dtype`, not NumPy's.
Values are JSON numbers; nan/inf/-inf are the strings "nan"/"inf"/"-inf".
"""
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")

FLOATS = ["float32", "float16"]
SIGNED = ["int32", "int8", "int16"]
UNSIGNED = ["uint32", "uint8", "uint16"]
INTS = SIGNED + UNSIGNED
ALL = FLOATS + INTS + ["bool"]

BITS = {"int8": 8, "int16": 16, "int32": 32, "uint8": 8, "uint16": 16, "uint32": 32, "bool": 1}

inf, nan = math.inf, math.nan

# Operand values per dtype: x (the column) and y (the row) of each binary grid.
XS = {
    "float32": [-inf, -7.5, -2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.0, 7.25, 1e30, inf, nan],
    "float16": [-inf, -7.5, -2.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.0, 7.25, 60000.0, inf, nan],
    "int32": [-2**31, -100, -7, -2, -1, 0, 1, 2, 3, 7, 100, 2**31 - 1],
    "int16": [-2**15, -100, -7, -2, -1, 0, 1, 2, 3, 7, 300, 2**15 - 1],
    "int8": [-128, -100, -7, -2, -1, 0, 1, 2, 3, 7, 100, 127],
    "uint32": [0, 1, 2, 3, 7, 100, 2**31, 2**32 - 1],
    "uint16": [0, 1, 2, 3, 7, 300, 2**15, 2**16 - 1],
    "uint8": [0, 1, 2, 3, 7, 100, 128, 255],
    "bool": [False, True],
}
YS = {
    "float32": [-inf, -2.0, -1.5, -0.0, 0.0, 0.5, 1.0, 2.5, 7.25, inf, nan],
    "float16": [-inf, -2.0, -1.5, -0.0, 0.0, 0.5, 1.0, 2.5, 7.25, inf, nan],
    "int32": [-2**31, -7, -2, -1, 0, 1, 2, 3, 2**31 - 1],
    "int16": [-2**15, -7, -2, -1, 0, 1, 2, 3, 2**15 - 1],
    "int8": [-128, -7, -2, -1, 0, 1, 2, 3, 127],
    "uint32": [0, 1, 2, 3, 7, 2**32 - 1],
    "uint16": [0, 1, 2, 3, 7, 2**16 - 1],
    "uint8": [0, 1, 2, 3, 7, 255],
    "bool": [False, True],
}
# Unary inputs.
UNARY = {
    "float32": [-inf, -1e4, -100.0, -10.0, -3.75, -2.5, -1.5, -1.0, -0.999, -0.5, -0.1, -1e-5, -0.0, 0.0,
                1e-5, 0.1, 0.5, 0.999, 1.0, 1.5, 2.5, 3.75, 10.0, 88.0, 100.0, 1e4, inf, nan],
    "float16": [-inf, -100.0, -10.0, -3.75, -2.5, -1.5, -1.0, -0.999, -0.5, -0.1, -0.0, 0.0, 0.001, 0.1, 0.5,
                0.999, 1.0, 1.5, 2.5, 3.75, 10.0, 100.0, 1000.0, inf, nan],
}
for d in INTS + ["bool"]:
    UNARY[d] = XS[d]


# ---- helpers ---------------------------------------------------------------------------

def wrap(v, dtype):
    """A Python int wrapped to an integer dtype (two's complement)."""
    if dtype == "bool":
        return bool(v)
    b = BITS[dtype]
    v &= (1 << b) - 1
    if dtype.startswith("int") and v >= 1 << (b - 1):
        v -= 1 << b
    return v


def enc(v):
    """One value for JSON."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    if f == 0:
        return -0.0 if math.copysign(1, f) < 0 else 0.0
    return float("%.9g" % f)  # round-trips float32 exactly; 5e-9 relative for float64 refs


def nested(a):
    a = np.asarray(a, dtype=object) if not isinstance(a, np.ndarray) else a
    if a.ndim == 0:
        return enc(a.item() if hasattr(a, "item") else a)
    return [nested(r) for r in a]


def arr(values, dtype, shape=None):
    if dtype == "bool":
        a = np.array(values, dtype=bool)
    else:
        a = np.array(values, dtype=dtype)
    return a.reshape(shape) if shape is not None else a


def spec(a, dtype):
    return {"dtype": dtype, "shape": list(a.shape), "data": nested(a.astype(object) if dtype != "bool" else a)}


def inexact(dtype):
    return dtype if dtype in FLOATS else "float32"


def numeric(dtype):
    return "int32" if dtype == "bool" else dtype


def grid(dtype):
    x = arr(XS[dtype], dtype, (len(XS[dtype]), 1))
    y = arr(YS[dtype], dtype, (len(YS[dtype]),))
    return x, y


def int_grid_apply(f, x, y, dtype):
    """Applies a Python-int function over the broadcast grid and wraps to dtype."""
    xb, yb = np.broadcast_arrays(x, y)
    out = np.empty(xb.shape, dtype=object)
    for idx in np.ndindex(xb.shape):
        out[idx] = wrap(f(int(xb[idx]), int(yb[idx])), dtype)
    return out


def sign(v):
    return (v > 0) - (v < 0)


# JAX/XLA integer semantics (lax.div truncates; x / 0 = -1; x % 0 = x).
def lax_div(x, y, dtype):
    if y == 0:
        return -1
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y > 0) else -q


def lax_rem(x, y, dtype):
    if y == 0:
        return x
    return x - y * lax_div(x, y, dtype)


def jax_floor_divide(x, y, dtype):
    q = wrap(lax_div(x, y, dtype), dtype)
    if dtype in UNSIGNED:
        return q
    if sign(x) != sign(y) and lax_rem(x, y, dtype) != 0:
        return q - 1
    return q


def jax_remainder(x, y, dtype):
    if y == 0:
        y = 1  # JAX replaces an integer divisor of 0 by 1
    m = wrap(lax_rem(x, y, dtype), dtype)
    if ((m < 0) != (y < 0)) and m != 0:
        return m + y
    return m


def jax_fmod(x, y, dtype):
    return lax_rem(x, 1 if y == 0 else y, dtype)


def jax_pow_int_int(x, y, dtype):
    """JAX's _pow_int_int: 6 rounds of binary exponentiation on the exponent's bits."""
    ubits = BITS[dtype]
    acc = 0 if (x == 0 and y != 0) else 1
    for _ in range(6):
        if y & 1:
            acc = wrap(acc * x, dtype)
        x = wrap(x * x, dtype)
        y = (y & ((1 << ubits) - 1)) >> 1  # shift_right_logical
    return acc


def xla_shl(x, y, dtype):
    b = BITS[dtype]
    s = y & ((1 << b) - 1)  # the amount as unsigned: negative amounts are huge
    return 0 if s >= b else x << s


def xla_shr(x, y, dtype):
    b = BITS[dtype]
    s = y & ((1 << b) - 1)
    if dtype in UNSIGNED:
        return 0 if s >= b else x >> s
    return x >> min(s, b - 1)  # arithmetic: sign fill


# ---- cases -----------------------------------------------------------------------------

def case(fn, args, out, dtype_out, rtol=0.0, atol=0.0, kwargs=None, note=None):
    c = {"fn": fn, "args": args, "out": spec(out, dtype_out) if not isinstance(out, list) else [spec(o, d) for o, d in zip(out, dtype_out)]}
    if rtol:
        c["rtol"] = rtol
    if atol:
        c["atol"] = atol
    if kwargs is not None:
        c["kwargs"] = kwargs
    if note:
        c["note"] = note
    return c


def np_float(fn, *xs, dtype):
    with np.errstate(all="ignore"):
        return fn(*xs).astype(dtype)


def binary_exact_float(npfn, dtype, x, y):
    """A correctly rounded NumPy op in the operand dtype."""
    with np.errstate(all="ignore"):
        return npfn(x, y).astype(dtype)


def gen_arith():
    cases = []
    for dt in ALL:
        x, y = grid(dt)
        args = [spec(x, dt), spec(y, dt)]
        isf = dt in FLOATS
        # add / multiply: logical or/and on bools.
        for fn, npfn, pyf in [("add", np.add, lambda a, b: a + b), ("multiply", np.multiply, lambda a, b: a * b)]:
            if isf:
                out = binary_exact_float(npfn, dt, x, y)
            elif dt == "bool":
                out = npfn(x, y)
            else:
                out = int_grid_apply(pyf, x, y, dt)
            cases.append(case(fn, args, out, dt))
        if dt != "bool":
            out = binary_exact_float(np.subtract, dt, x, y) if isf else int_grid_apply(lambda a, b: a - b, x, y, dt)
            cases.append(case("subtract", args, out, dt))
        # true division: ints and bools divide in float32 (JAX), after converting.
        fd = inexact(dt)
        xf, yf = x.astype(fd), y.astype(fd)
        for fn in ["divide", "trueDivide"]:
            cases.append(case(fn, args, binary_exact_float(np.true_divide, fd, xf, yf), fd))
        # floor division / remainders.
        nd = numeric(dt)
        if isf:
            cases.append(case("floorDivide", args, np_float(np.floor_divide, x, y, dtype=dt), dt))
            cases.append(case("remainder", args, np_float(np.remainder, x, y, dtype=dt), dt))
            cases.append(case("mod", args, np_float(np.remainder, x, y, dtype=dt), dt))
            cases.append(case("fmod", args, np_float(np.fmod, x, y, dtype=dt), dt))
            q, r = np_float(lambda a, b: np.divmod(a, b)[0], x, y, dtype=dt), np_float(lambda a, b: np.divmod(a, b)[1], x, y, dtype=dt)
            cases.append(case("divmod", args, [q, r], [dt, dt]))
        else:
            xi, yi = x.astype(object), y.astype(object)
            xi = np.vectorize(int, otypes=[object])(xi)
            yi = np.vectorize(int, otypes=[object])(yi)
            q = int_grid_apply(lambda a, b: jax_floor_divide(a, b, nd), xi, yi, nd)
            r = int_grid_apply(lambda a, b: jax_remainder(a, b, nd), xi, yi, nd)
            cases.append(case("floorDivide", args, q, nd, note="JAX: x // 0 is -2 (x != 0) or -1 for signed, max for unsigned; INT_MIN // -1 wraps"))
            cases.append(case("remainder", args, r, nd, note="JAX: integer x % 0 is 0"))
            cases.append(case("mod", args, r, nd))
            # JAX replaces a zero divisor only when the operands' common type is an integer
            # type, not for bools (then lax.rem(x, 0) = x).
            fmod_ref = (lambda a, b: jax_fmod(a, b, nd)) if dt != "bool" else (lambda a, b: lax_rem(a, b, nd))
            cases.append(case("fmod", args, int_grid_apply(fmod_ref, xi, yi, nd), nd))
            cases.append(case("divmod", args, [q, r], [nd, nd]))
        # maximum / minimum (NaN propagates), fmax / fmin (NaN ignored).
        for fn, npfn in [("maximum", np.maximum), ("minimum", np.minimum), ("fmax", np.fmax), ("fmin", np.fmin)]:
            cases.append(case(fn, args, npfn(x, y), dt))
        # power.
        if dt in INTS or dt == "bool":
            xs = XS[dt] if dt != "bool" else [False, True]
            px = arr(xs, dt, (len(xs), 1))
            ey = [0, 1, 2, 3, 5, 7, 31, 64, 65, -1, -2] if dt in SIGNED else [0, 1, 2, 3, 5, 7, 31, 64, 65]
            if dt == "bool":
                ey = [False, True]
            py = arr(ey, dt)
            out = int_grid_apply(lambda a, b: jax_pow_int_int(a, b, nd), np.vectorize(int, otypes=[object])(px.astype(object)),
                                 np.vectorize(int, otypes=[object])(py.astype(object)), nd)
            cases.append(case("power", [spec(px, dt), spec(py, dt)], out, nd,
                              note="JAX's _pow_int_int: exponent bits above the 6th ignored; negative exponents give JAX's values"))
        else:
            cases.append(case("power", args, np_float(np.power, x, y, dtype=dt), dt, rtol=2e-7 if dt == "float32" else 1e-3))
        cases.append(case("floatPower", args, np_float(np.power, xf.astype(np.float64), yf.astype(np.float64), dtype=fd),
                          fd, rtol=2e-7 if fd == "float32" else 1e-3))
        # unary arithmetic.
        u = arr(UNARY[dt], dt)
        uargs = [spec(u, dt)]
        if dt != "bool":
            if isf:
                cases.append(case("negative", uargs, -u, dt))
                cases.append(case("sign", uargs, np.sign(u), dt))
            else:
                cases.append(case("negative", uargs, np.array([wrap(-int(v), dt) for v in u], dtype=object), dt))
                cases.append(case("sign", uargs, np.array([sign(int(v)) for v in u], dtype=object), dt))
        absd = np.array([wrap(abs(int(v)), dt) for v in u], dtype=object) if dt in INTS else (np.abs(u) if isf else u)
        cases.append(case("abs", uargs, absd, dt))
        cases.append(case("absolute", uargs, absd, dt))
        cases.append(case("positive", uargs, u, dt))
        if isf:
            cases.append(case("square", uargs, np_float(np.square, u, dtype=dt), dt))
        else:
            cases.append(case("square", uargs, np.array([wrap(int(v) * int(v), nd) for v in u], dtype=object), nd))
        cases.append(case("reciprocal", uargs, np_float(lambda a: np.float32(1) / a if fd == "float32" else np.float16(1) / a, u.astype(fd), dtype=fd), fd))
        # clip(x, lo, hi) with scalar bounds (weak JS numbers keep the dtype).
        if dt != "bool":
            lo, hi = (-2.5, 3.0) if isf else ((1, 100) if dt in UNSIGNED else (-7, 100))
            cases.append(case("clip", uargs, np_float(np.clip, u, lo, hi, dtype=dt) if isf else np.clip(u, lo, hi), dt,
                              kwargs={"min": lo, "max": hi}))
    return cases


def gen_math():
    cases = []
    f64 = np.float64

    def unary_float(fn, npfn, dt, rtol32=1e-6, atol32=0.0, rtol16=2e-3, atol16=0.0):
        u = arr(UNARY[dt], dt)
        fd = inexact(dt)
        with np.errstate(all="ignore"):
            ref = npfn(u.astype(fd).astype(f64))
        if fn == "sinc":
            ref = np.where(np.isinf(u.astype(f64)), 0.0, ref)  # JAX: sinc(±inf) = 0 (NumPy: nan)
        if fd == "float16":
            ref = ref.astype(np.float16)
        return case(fn, [spec(u, dt)], ref, fd, rtol=rtol32 if fd == "float32" else rtol16,
                    atol=atol32 if fd == "float32" else atol16)

    # Transcendental functions: float64 references of the exact inputs; float32 within
    # 1e-6 relative (about 8 ulp) plus, where the result crosses 0, an absolute 1e-7 (one ulp
    # of values near 1); float16 within 2 ulp (2e-3).
    T = [
        ("exp", np.exp, {}), ("exp2", np.exp2, {}), ("expm1", np.expm1, {}),
        ("log", np.log, {}), ("log2", np.log2, {}), ("log10", np.log10, {}), ("log1p", np.log1p, {}),
        ("sqrt", np.sqrt, {}), ("cbrt", np.cbrt, {}),
        ("sin", np.sin, {"atol32": 1e-7, "atol16": 1e-3}), ("cos", np.cos, {"atol32": 1e-7, "atol16": 1e-3}),
        ("tan", np.tan, {"atol32": 1e-7, "atol16": 1e-3}),
        ("arcsin", np.arcsin, {}), ("arccos", np.arccos, {}), ("arctan", np.arctan, {}),
        ("sinh", np.sinh, {}), ("cosh", np.cosh, {}), ("tanh", np.tanh, {}),
        ("arcsinh", np.arcsinh, {}), ("arccosh", np.arccosh, {}), ("arctanh", np.arctanh, {}),
        ("deg2rad", np.deg2rad, {}), ("rad2deg", np.rad2deg, {}), ("radians", np.radians, {}), ("degrees", np.degrees, {}),
        ("sinc", np.sinc, {"atol32": 1e-7, "atol16": 1e-3}),
    ]
    for fn, npfn, tol in T:
        for dt in ALL:
            if dt in ("int16", "uint16") and fn not in ("exp", "sin", "sqrt"):
                continue  # ints all promote the same way; a few suffice
            cases.append(unary_float(fn, npfn, dt, **tol))
    # Rounding and classification: exact.
    for dt in ALL:
        u = arr(UNARY[dt], dt)
        a = [spec(u, dt)]
        isf = dt in FLOATS
        for fn, npfn in [("floor", np.floor), ("ceil", np.ceil), ("trunc", np.trunc), ("fix", np.fix)]:
            cases.append(case(fn, a, npfn(u) if isf else u, dt))
        cases.append(case("rint", a, np.rint(u) if isf else u.astype(np.float32), dt if isf else "float32"))
        if dt != "bool":
            cases.append(case("round", a, np.round(u) if isf else u, dt))
            cases.append(case("around", a, np.round(u) if isf else u, dt))
        for fn, npfn in [("isnan", np.isnan), ("isinf", np.isinf), ("isfinite", np.isfinite),
                         ("isposinf", np.isposinf), ("isneginf", np.isneginf), ("signbit", np.signbit)]:
            if isf:
                ref = npfn(u)
            elif fn == "isfinite":
                ref = np.ones(u.shape, bool)
            elif fn == "signbit" and dt != "bool":
                ref = u < 0  # JAX: x < 0 for integers
            else:
                ref = np.zeros(u.shape, bool)
            cases.append(case(fn, a, ref, "bool"))
        if isf:
            cases.append(case("nanToNum", a, np.nan_to_num(u), dt))
            cases.append(case("nanToNum", a, np.nan_to_num(u, nan=-1.0, posinf=9.0, neginf=-9.0), dt,
                              kwargs={"nan": -1.0, "posinf": 9.0, "neginf": -9.0}))
            m, e = np.frexp(u)
            cases.append(case("frexp", a, [m, e.astype(np.int32)], [dt, "int32"]))
        else:
            cases.append(case("nanToNum", a, u, dt))
    # round with decimals: JAX's formula round_half_even(x * 10^d) / 10^d in float32
    # (float16 computes in float32 and rounds once).
    rvals = [-2.675, -1.005, -0.125, -0.0, 0.005, 0.015, 0.125, 0.375, 1.005, 2.5, 2.675, 12345.678, 1e30, inf, nan]
    for dt in FLOATS:
        x = arr(rvals if dt == "float32" else [v for v in rvals if abs(v) < 6e4 or not math.isfinite(v)], dt)
        for d in [1, 2, -1, -2]:
            with np.errstate(all="ignore"):
                x32 = x.astype(np.float32)
                fac = np.float32(10.0 ** d)
                ref = (np.rint(x32 * fac) / fac).astype(dt)
            cases.append(case("round", [spec(x, dt)], ref, dt, kwargs={"decimals": d}, note="JAX's round formula"))
    # Binary float functions.
    B = [
        ("arctan2", np.arctan2, 1e-6, 1e-7), ("hypot", np.hypot, 1e-6, 0.0),
        ("logaddexp", np.logaddexp, 1e-6, 1e-7), ("logaddexp2", np.logaddexp2, 1e-6, 1e-7),
        ("copysign", np.copysign, 0.0, 0.0), ("heaviside", np.heaviside, 0.0, 0.0),
    ]
    for fn, npfn, rtol, atol in B:
        for dt in ALL:
            if dt in ("int16", "uint16", "uint32"):
                continue
            x, y = grid(dt)
            fd = inexact(dt)
            with np.errstate(all="ignore"):
                ref = npfn(x.astype(fd).astype(f64), y.astype(fd).astype(f64)).astype(fd)
            r16 = 2e-3 if rtol else 0.0
            cases.append(case(fn, [spec(x, dt), spec(y, dt)], ref, fd, rtol=rtol if fd == "float32" else r16,
                              atol=atol if fd == "float32" else (1e-3 if atol else 0.0)))
    # ldexp: exponents that keep the results normal (JAX's formula rounds 2^e separately).
    for dt in FLOATS:
        xs = [-inf, -3.0, -0.75, -0.0, 0.0, 0.1, 1.0, 1.5, 1000.0, inf, nan]
        es = [-20, -3, -1, 0, 1, 3, 10, 200] if dt == "float32" else [-10, -3, -1, 0, 1, 3, 5]
        for edt in ["int32", "int8"]:
            x = arr(xs, dt, (len(xs), 1))
            e = arr([v for v in es if -128 <= v <= 127], edt)
            with np.errstate(all="ignore"):
                ref = np.ldexp(x.astype(np.float64), e.astype(np.int64)).astype(dt)
            cases.append(case("ldexp", [spec(x, dt), spec(e, edt)], ref, dt))
    return cases


def gen_int():
    cases = []
    for dt in INTS + ["bool"]:
        x, y = grid(dt)
        args = [spec(x, dt), spec(y, dt)]
        for fn, npfn in [("bitwiseAnd", np.bitwise_and), ("bitwiseOr", np.bitwise_or), ("bitwiseXor", np.bitwise_xor)]:
            cases.append(case(fn, args, npfn(x, y), dt))
        u = arr(XS[dt], dt)
        for fn in ["bitwiseNot", "invert"]:
            cases.append(case(fn, [spec(u, dt)], np.invert(u), dt))
        nd = numeric(dt)
        # Shifts with amounts below, at and above the bit width, and negative ones.
        b = BITS[nd]
        amounts = [0, 1, 3, b - 1, b, b + 1, 40] + ([-1, -b] if nd in SIGNED else [])
        if dt == "bool":
            amounts = [False, True]
        sx = arr(XS[dt], dt, (len(XS[dt]), 1))
        sy = arr(amounts, dt if dt != "bool" else "bool")
        ix = np.vectorize(int, otypes=[object])(sx.astype(object))
        iy = np.vectorize(int, otypes=[object])(sy.astype(object))
        shl = int_grid_apply(lambda a, s: xla_shl(a, s, nd), ix, iy, nd)
        shr = int_grid_apply(lambda a, s: xla_shr(a, s, nd), ix, iy, nd)
        for fn in ["leftShift", "bitwiseLeftShift"]:
            cases.append(case(fn, [spec(sx, dt), spec(sy, dt)], shl, nd, note="XLA: shifts >= bits or < 0 give 0"))
        for fn in ["rightShift", "bitwiseRightShift"]:
            cases.append(case(fn, [spec(sx, dt), spec(sy, dt)], shr, nd, note="XLA: arithmetic shifts >= bits give the sign fill"))
        if dt == "bool":
            continue
        # gcd / lcm: INT_MIN is left out (JAX's while_loop does not terminate with it).
        gx = [v for v in XS[dt] if not (dt in SIGNED and v == -(2 ** (BITS[dt] - 1)))] + ([12, 18, 1071, 462] if BITS[dt] > 8 else [12, 18, 84, 36])
        gy = [v for v in YS[dt] if not (dt in SIGNED and v == -(2 ** (BITS[dt] - 1)))] + ([462, 24] if BITS[dt] > 8 else [84, 24])
        gxa = arr(gx, dt, (len(gx), 1))
        gya = arr(gy, dt)
        cases.append(case("gcd", [spec(gxa, dt), spec(gya, dt)], np.gcd(gxa, gya), dt))
        lx = [v for v in gx if abs(v) <= 1071]
        ly = [v for v in gy if abs(v) <= 462]
        lxa = arr(lx, dt, (len(lx), 1))
        lya = arr(ly, dt)
        ref = int_grid_apply(lambda a, c: (abs(a) * abs(c)) // math.gcd(a, c) if a and c else 0,
                             np.vectorize(int, otypes=[object])(lxa.astype(object)),
                             np.vectorize(int, otypes=[object])(lya.astype(object)), dt)
        cases.append(case("lcm", [spec(lxa, dt), spec(lya, dt)], ref, dt, note="lcm wraps like JAX's |x| * (|y| // gcd)"))
    # Large coprime pairs that need many Euclid steps (consecutive Fibonacci numbers).
    fib = [1, 1]
    while fib[-1] < 2**32:
        fib.append(fib[-1] + fib[-2])
    for dt in INTS:
        lim = 2 ** (BITS[dt] - (1 if dt in SIGNED else 0)) - 1
        fs = [f for f in fib if f <= lim]
        a, bb = fs[-1], fs[-2]
        x = arr([a, fs[-3], 60], dt)
        y = arr([bb, fs[-5], 42], dt)
        cases.append(case("gcd", [spec(x, dt), spec(y, dt)], np.gcd(x, y), dt, note="worst case of Euclid"))
    return cases


def gen_logic():
    cases = []
    for dt in ALL:
        x, y = grid(dt)
        args = [spec(x, dt), spec(y, dt)]
        for fn, npfn in [("equal", np.equal), ("notEqual", np.not_equal), ("less", np.less), ("lessEqual", np.less_equal),
                         ("greater", np.greater), ("greaterEqual", np.greater_equal),
                         ("logicalAnd", np.logical_and), ("logicalOr", np.logical_or), ("logicalXor", np.logical_xor)]:
            cases.append(case(fn, args, npfn(x, y), "bool"))
        u = arr(UNARY[dt], dt)
        cases.append(case("logicalNot", [spec(u, dt)], np.logical_not(u), "bool"))
        # where(cond, x, y) with cond from the grid.
        cond = (x > y) if dt != "bool" else (x != y)
        xb, yb = np.broadcast_arrays(x, y)
        cases.append(case("where", [spec(cond, "bool"), spec(x, dt), spec(y, dt)], np.where(cond, xb, yb), dt))
    # isclose in float32 (values away from the tolerance boundary).
    a = arr([0.0, 1.0, 1.0, 1.0, 1e-9, 1e-7, 100.0, 100.0, inf, inf, -inf, nan, nan, 1.0], "float32")
    b = arr([0.0, 1.0 + 2e-6, 1.0 + 2e-5, 1.0 - 2e-5, 0.0, 0.0, 100.001, 100.01, inf, -inf, -inf, nan, 1.0, inf], "float32")
    cases.append(case("isclose", [spec(a, "float32"), spec(b, "float32")], np.isclose(a, b), "bool"))
    cases.append(case("isclose", [spec(a, "float32"), spec(b, "float32")], np.isclose(a, b, equal_nan=True), "bool",
                      kwargs={"equalNan": True}))
    cases.append(case("isclose", [spec(a, "float32"), spec(b, "float32")], np.isclose(a, b, rtol=1e-3, atol=1e-6), "bool",
                      kwargs={"rtol": 1e-3, "atol": 1e-6}))
    ia = arr([0, 1, 100, -5, 2**31 - 1], "int32")
    ib = arr([0, 2, 100, -5, 2**31 - 2], "int32")
    # ints compare in float32 (JAX promotes to inexact): 2^31-1 and 2^31-2 both round to 2^31.
    cases.append(case("isclose", [spec(ia, "int32"), spec(ib, "int32")], np.array([True, False, True, True, True]), "bool",
                      note="JAX computes in float32"))
    return cases


def write(name, cases):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"generator": "test/numpy/gen_ufuncs.py", "numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
    print(f"{path}: {len(cases)} cases, {os.path.getsize(path) // 1024} KB")


if __name__ == "__main__":
    write("ufuncs_arith.json", gen_arith())
    write("ufuncs_math.json", gen_math())
    write("ufuncs_int.json", gen_int())
    write("ufuncs_logic.json", gen_logic())
