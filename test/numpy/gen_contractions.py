#!/usr/bin/env python3
"""Fixtures for the contraction, convolution and windowed-reduction tests:

  test/numpy/contractions.test.ts  <- fixtures/contractions.json        (np.dot, matmul, vdot,
                                       inner, outer, tensordot, einsum, kron, cross, convolve,
                                       correlate)
  test/lax/dot.test.ts             <- fixtures/contractions_dot.json    (lax.dot_general)
  test/lax/conv.test.ts            <- fixtures/contractions_conv.json   (lax.conv_general_dilated)
  test/lax/windowed.test.ts        <- fixtures/contractions_window.json (lax.reduce_window)

Run: python3 test/numpy/gen_contractions.py   (NumPy + SciPy; writes test/numpy/fixtures/)

References are computed in float64 (int64 for integer results, then wrapped to the result
dtype: JAX's integer arithmetic wraps, and products/sums modulo 2^bits do not depend on when
the wrapping happens). Inputs are generated already representable in their dtype, so the only
errors in the tested results are the implementation's own roundings.

Result dtypes are JAX's (JAX is not installed here): written out in `jax_result_type` below
from jax/_src/dtypes.py's lattice (x32 mode); where JAX differs from NumPy it is said:
  - np.convolve / np.correlate of integers give float32 in JAX (promote_dtypes_inexact);
    NumPy keeps int64;
  - int32 with float32 gives float32 in JAX (float64 in NumPy);
  - dot/einsum of int8 stays int8 and wraps (NumPy too, but in int8 arithmetic).

The convolution reference is a direct float64 implementation of XLA's ConvGeneralDilated
(lhs dilation, padding incl. negative, rhs dilation, strides, feature and batch groups),
checked here against scipy.signal.correlate on the cases SciPy can express. The reduce_window
reference pads with the reduction's identity (also the base-dilation holes) and reduces each
strided, dilated window with NumPy.

Encodings: an array is {"a": flat values, "s": shape, "d": dtype}; nan/inf as "nan"/"inf"/
"-inf". Float cases carry an error bound: "absref" (the same computation on |inputs|, i.e. the
sum of |terms| of every output element) and "eb": [a, r], and the test checks
|got - ref| <= a * absref + r * |ref| (see the comments of `bound`).
"""
import json
import os

import numpy as np
import scipy.signal

from fixture_util import enc

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
rng = np.random.default_rng(20240920)

# Unit roundoff of each floating dtype's arithmetic. float16 results are computed in float32
# and rounded once to float16 (as XLA on CPU does), so they get u(float32) per operation plus
# one float16 rounding.
U = {"float32": 2.0 ** -24, "float64": 2.0 ** -53, "float16": 2.0 ** -24}
U_OUT = {"float32": 0.0, "float64": 0.0, "float16": 2.0 ** -11}
FLOATS = ("float16", "float32", "float64")
INTS = ("int8", "int16", "int32", "uint8", "uint16", "uint32")


def bound(dtype, terms):
    """[a, r] for a result of `dtype` whose elements are sums of `terms` products each.

    Any summation order of n products is within gamma_n * sum|terms| of the exact value,
    gamma_n = n*u/(1-n*u) ~ n*u (Higham, Accuracy and Stability, 3.1); products of m
    factors add (m-1) roundings per term, covered by the +2 below. The float16 result is one
    more rounding of the float32 value: r = 2^-11 relative to |ref| (plus the accumulated
    error, which is small against it). Blocked GEMMs are far more accurate than this worst
    case, so the bound is loose but never flaky.
    """
    if dtype not in FLOATS:
        return [0, 0]
    return [(terms + 2) * U[dtype], U_OUT[dtype] * 1.0000001]


# ---- inputs -----------------------------------------------------------------------------------

NP = {"bool": np.bool_, "int8": np.int8, "int16": np.int16, "int32": np.int32, "uint8": np.uint8,
      "uint16": np.uint16, "uint32": np.uint32, "float16": np.float16, "float32": np.float32,
      "float64": np.float64}


def make(shape, dtype):
    """Inputs representable in `dtype`; integer ranges wide enough that int8/uint8 wrap."""
    n = int(np.prod(shape)) if len(shape) else 1
    if dtype == "bool":
        v = rng.random(n) < 0.4
    elif dtype == "int8":
        v = rng.integers(-128, 128, n)
    elif dtype == "uint8":
        v = rng.integers(0, 256, n)
    elif dtype in INTS:
        v = rng.integers(-60, 61, n) if dtype.startswith("int") else rng.integers(0, 100, n)
    elif dtype == "float16":
        v = rng.uniform(-4, 4, n).astype(np.float16)
    else:
        v = rng.standard_normal(n)
    return np.asarray(v).astype(NP[dtype]).reshape(shape)


# JAX's result_type (x32, no weak types) for the pairs used below (jax/_src/dtypes.py).
_JRT = {
    frozenset(["int8", "float32"]): "float32",
    frozenset(["int32", "float32"]): "float32",
    frozenset(["uint8", "int8"]): "int16",
    frozenset(["bool", "int32"]): "int32",
    frozenset(["bool", "float32"]): "float32",
    frozenset(["int32", "float16"]): "float16",
    frozenset(["uint8", "float16"]): "float16",
    frozenset(["uint32", "int32"]): "int32",
    frozenset(["float16", "float32"]): "float32",
    frozenset(["int8", "int32"]): "int32",
}


def jax_result_type(*dts):
    s = set(dts)
    if len(s) == 1:
        return dts[0]
    r = dts[0]
    for d in dts[1:]:
        if r != d:
            r = _JRT[frozenset([r, d])]
    return r


def exact(x):
    """float64 for floats, int64 for ints and bools (exact arithmetic for our sizes)."""
    x = np.asarray(x)
    if x.dtype.kind in "biu":
        return x.astype(np.int64)
    return x.astype(np.float64)


def to_dtype(v, dtype):
    v = np.asarray(v)
    if dtype == "bool":
        return v != 0
    if dtype in INTS:
        return v.astype(np.int64).astype(NP[dtype])  # wraps (two's complement)
    return v.astype(np.float64)


def result(fn, args, dtype, terms, absfn=None):
    """{out, absref?, eb?} for fn applied to the exact values of args.

    absref is fn on |args| (for sums of products that is the sum of |terms|); functions with
    subtractions pass `absfn` computing the sum of |terms| themselves.
    """
    ref = fn(*[exact(a) for a in args])
    out = {"out": enc(to_dtype(ref, dtype), dtype if dtype not in FLOATS else dtype)}
    if dtype in FLOATS:
        # float16 reference: the exact value; the test allows one float16 rounding.
        out["out"] = enc(np.asarray(ref, np.float64), dtype)
        absargs = [np.abs(exact(a)).astype(np.float64) for a in args]
        out["absref"] = enc(np.abs(np.asarray((absfn or fn)(*absargs))), "float64")
        out["eb"] = bound(dtype, terms)
    return out


# ---- numpy-level contractions ---------------------------------------------------------------

def np_cases():
    cases = []

    def add(fn, args, dtypes, ref, terms, extra=None, rdtype=None, absfn=None):
        xs = [make(s, d) if not isinstance(s, np.ndarray) else s for s, d in zip(args, dtypes)]
        rd = rdtype or jax_result_type(*dtypes)
        c = {"fn": fn, "args": [enc(x, d) for x, d in zip(xs, dtypes)]}
        if extra:
            c.update(extra)
        c.update(result(ref, xs, rd, terms, absfn))
        cases.append(c)

    # np.dot: 0-d, 1-d, 2-d, N-d (a's last axis with b's second-to-last).
    for sa, sb in [((), (3,)), ((4,), ()), ((5,), (5,)), ((3, 4), (4,)), ((4,), (4, 3)),
                   ((3, 4), (4, 5)), ((2, 3, 4), (4,)), ((2, 3, 4), (4, 5)), ((2, 3, 4), (5, 4, 2)),
                   ((1, 7), (7, 1)), ((3, 0), (0, 2)), ((0, 3), (3, 2))]:
        k = sa[-1] if sa else 1
        add("dot", [sa, sb], ["float32", "float32"], lambda a, b: np.dot(a, b), k)
    for dt in ["int32", "int8", "uint8", "bool", "float16", "int16", "uint32"]:
        add("dot", [(3, 6), (6, 2)], [dt, dt], lambda a, b: np.dot(a, b), 6)
        add("dot", [(9,), (9,)], [dt, dt], lambda a, b: np.dot(a, b), 9)
    for da, db in [("int8", "float32"), ("int32", "float32"), ("uint8", "int8"), ("bool", "int32"),
                   ("int32", "float16"), ("uint32", "int32"), ("float16", "float32")]:
        add("dot", [(2, 5), (5, 3)], [da, db], lambda a, b: np.dot(a, b), 5)
    # float64 (the test enables x64 for these).
    add("dot", [(4, 6), (6, 3)], ["float64", "float64"], lambda a, b: np.dot(a, b), 6)

    # np.matmul: broadcasting batch dims, 1-d promotion on either side.
    for sa, sb in [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 3)), ((2, 3, 4), (4, 5)),
                   ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)),
                   ((2, 3, 4), (4,)), ((1, 3, 4), (2, 4, 1)), ((2, 0, 3), (3, 4)),
                   ((2, 3, 0), (0, 4))]:
        add("matmul", [sa, sb], ["float32", "float32"], lambda a, b: np.matmul(a, b), sa[-1])
    for dt in ["int8", "bool", "uint8", "float16"]:
        add("matmul", [(2, 3, 4), (2, 4, 2)], [dt, dt], lambda a, b: np.matmul(a, b), 4)
    add("matmul", [(3, 2, 4), (4, 3)], ["float64", "float64"], lambda a, b: np.matmul(a, b), 4)
    add("matmul", [(2, 3, 4), (4, 2)], ["int8", "float32"], lambda a, b: np.matmul(a, b), 4)

    # vdot, inner, outer.
    add("vdot", [(2, 3), (3, 2)], ["float32", "float32"], lambda a, b: np.vdot(a, b), 6)
    add("vdot", [(10,), (2, 5)], ["int8", "int8"], lambda a, b: np.vdot(a, b), 10)
    for sa, sb in [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((2, 2, 3), (4, 3)), ((), (2, 3))]:
        add("inner", [sa, sb], ["float32", "float32"], lambda a, b: np.inner(a, b), sa[-1] if sa else 1)
    add("inner", [(2, 5), (3, 5)], ["bool", "bool"], lambda a, b: np.inner(a, b), 5)
    for sa, sb in [((3,), (4,)), ((2, 3), (2,)), ((), (3,))]:
        add("outer", [sa, sb], ["float32", "float32"], lambda a, b: np.outer(a, b), 1)
    add("outer", [(3,), (4,)], ["int8", "uint8"], lambda a, b: np.outer(a, b), 1)

    # tensordot: an int (last N of a with first N of b) or a pair of axis lists.
    for sa, sb, axes in [((2, 3, 4), (3, 4, 5), 2), ((2, 3), (4, 5), 0), ((2, 3, 4), (4, 5), 1),
                         ((3, 4, 5), (5, 4, 3), [[0, 2], [2, 0]]), ((3, 4, 5), (4, 6), [1, 0]),
                         ((3, 4, 5), (6, 4), [[-2], [-1]])]:
        def td(a, b, axes=axes):
            return np.tensordot(a, b, axes)
        ax = axes if isinstance(axes, int) else axes
        terms = int(np.prod([sa[i] for i in (range(len(sa) - axes, len(sa)) if isinstance(axes, int)
                                             else np.atleast_1d(axes[0]))]))
        add("tensordot", [sa, sb], ["float32", "float32"], td, max(terms, 1), {"axes": ax})
    add("tensordot", [(2, 3, 4), (3, 4, 2)], ["int8", "int8"], lambda a, b: np.tensordot(a, b, 2), 12,
        {"axes": 2})

    # einsum: explicit and implicit outputs, ellipses, traces and diagonals, size-1 broadcasting,
    # many-operand chains (the test runs each with the greedy order and with optimize: false).
    E = [
        ("ij,jk->ik", [(3, 4), (4, 5)]),
        ("ij,jk", [(3, 4), (4, 5)]),
        ("ij->ji", [(3, 4)]),
        ("ij", [(3, 4)]),
        ("ji", [(3, 4)]),
        ("ij->", [(3, 4)]),
        ("ij->j", [(3, 4)]),
        ("ii", [(4, 4)]),
        ("ii->i", [(4, 4)]),
        ("iji->ij", [(3, 2, 3)]),
        ("iij->j", [(3, 3, 2)]),
        ("i,i", [(5,), (5,)]),
        ("i,i->i", [(5,), (5,)]),
        ("i,j", [(3,), (4,)]),
        ("i,j->ji", [(3,), (4,)]),
        (",i->i", [(), (3,)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
        ("bij,bjk->bki", [(2, 3, 4), (2, 4, 5)]),
        ("bij,jk->bk", [(2, 3, 4), (4, 5)]),
        ("ijk,kji->", [(2, 3, 4), (4, 3, 2)]),
        ("ij,kl->ijkl", [(2, 3), (2, 2)]),
        ("ij,ij->", [(3, 4), (3, 4)]),
        ("ij,ij->ij", [(3, 4), (1, 4)]),
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
        ("ij,jk,kl,lm->mi", [(2, 3), (3, 4), (4, 2), (2, 3)]),
        ("ab,bc,cd,de,ea->", [(2, 3), (3, 2), (2, 4), (4, 2), (2, 2)]),
        ("i,ij,jk,k->", [(3,), (3, 4), (4, 2), (2,)]),
        ("ij,j,jk->ik", [(3, 4), (4,), (4, 2)]),
        ("ii,ij->j", [(3, 3), (3, 2)]),
        ("ik,k,kj->ij", [(2, 3), (3,), (3, 2)]),
        ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 5)]),
        ("...ij,...jk", [(2, 3, 4), (2, 4, 2)]),
        ("i...,i...->...", [(3, 1), (3, 4)]),
        ("...i,...i", [(2, 3), (3,)]),
        ("...", [(2, 3)]),
        ("i...->...", [(3, 2, 2)]),
        ("...ii->...i", [(2, 3, 3)]),
        ("a...b,b...c->ac...", [(2, 3, 4), (4, 3, 2)]),
        ("aB,Bc->ca", [(2, 3), (3, 2)]),
        ("Ba", [(2, 3)]),
        ("ij,jk->ik", [(3, 0), (0, 2)]),
        ("ij,jk->ik", [(0, 3), (3, 2)]),
    ]
    for spec, shapes in E:
        dts = ["float32"] * len(shapes)
        terms = einsum_terms(spec, shapes)
        add("einsum", shapes, dts, lambda *xs, spec=spec: np.einsum(spec, *xs), terms, {"spec": spec})
    for spec, shapes, dts in [
        ("ij,jk->ik", [(3, 4), (4, 2)], ["int8", "int8"]),
        ("ij->", [(3, 4)], ["int8"]),
        ("ii", [(4, 4)], ["int8"]),
        ("ij,jk->ik", [(3, 4), (4, 2)], ["bool", "bool"]),
        ("ii", [(3, 3)], ["bool"]),
        ("ij->i", [(3, 4)], ["bool"]),
        ("ij,jk->ik", [(3, 4), (4, 2)], ["uint8", "uint8"]),
        ("ij,jk->ik", [(3, 4), (4, 2)], ["float16", "float16"]),
        ("ij,jk->ik", [(3, 4), (4, 2)], ["int8", "float32"]),
        ("ij,j->i", [(3, 4), (4,)], ["int32", "int8"]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)], ["float64", "float64"]),
    ]:
        terms = einsum_terms(spec, shapes)
        rd = jax_result_type(*dts)
        if dts == ["bool"] * len(dts):
            # JAX sums bools with logical or and contracts them with dot_general on bools.
            def bref(*xs, spec=spec):
                return np.einsum(spec, *xs) != 0
            add("einsum", shapes, dts, bref, terms, {"spec": spec}, rdtype="bool")
        else:
            add("einsum", shapes, dts, lambda *xs, spec=spec: np.einsum(spec, *xs), terms, {"spec": spec}, rdtype=rd)

    # kron, cross.
    for sa, sb, dts in [((2, 2), (3,), ["float32"] * 2), ((3,), (2,), ["int32"] * 2),
                        ((2, 1, 3), (2, 2), ["float32"] * 2), ((), (2, 2), ["float32"] * 2),
                        ((2, 3), (2, 2), ["int8", "int8"])]:
        add("kron", [sa, sb], dts, lambda a, b: np.kron(a, b), 1)
    for sa, sb, opts in [((3,), (3,), {}), ((4, 3), (4, 3), {}), ((2,), (2,), {}), ((3,), (2,), {}),
                         ((2, 2), (2, 3), {}), ((3, 4), (3, 4), {"axis": 0}),
                         ((3, 4), (4, 3), {"axisa": 0, "axisb": 1}),
                         ((4, 3), (4, 3), {"axisc": 0}), ((2, 3, 2), (3,), {"axisa": 1})]:
        def cr(a, b, o=opts):
            return np.cross(a, b, **o)

        def cr_abs(a, b, o=opts):
            return cross_abs(a, b, **o)
        add("cross", [sa, sb], ["float32", "float32"], cr, 2, {"opts": opts}, absfn=cr_abs)
    add("cross", [(3,), (3,)], ["int32", "int32"], lambda a, b: np.cross(a, b), 2, {"opts": {}})

    # convolve / correlate in each mode, also with len(v) > len(a) (NumPy swaps the operands;
    # correlate then reverses the output) and equal lengths, even and odd lengths.
    for la, lv in [(7, 3), (6, 4), (3, 7), (4, 6), (5, 5), (1, 4), (4, 1), (2, 3), (8, 2)]:
        for mode in ["full", "same", "valid"]:
            for fn, f in [("convolve", np.convolve), ("correlate", np.correlate)]:
                add(fn, [(la,), (lv,)], ["float32", "float32"], lambda a, b, f=f, m=mode: f(a, b, m),
                    min(la, lv), {"mode": mode})
    # JAX promotes integer inputs to float (promote_dtypes_inexact); NumPy keeps ints.
    add("convolve", [(5,), (3,)], ["int32", "int32"], lambda a, b: np.convolve(a, b), 3, {"mode": "full"},
        rdtype="float32")
    add("correlate", [(3,), (5,)], ["int8", "int8"], lambda a, b: np.correlate(a, b, "same"), 3,
        {"mode": "same"}, rdtype="float32")
    add("correlate", [(6,), (4,)], ["float16", "float16"], lambda a, b: np.correlate(a, b, "full"), 4,
        {"mode": "full"})
    return cases


def cross_abs(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Per component of np.cross(a, b): |first product| + |second product| (a, b >= 0 here)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = np.moveaxis(a, axisa, -1), np.moveaxis(b, axisb, -1)
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a[..., 0] * b[..., 1] + a[..., 1] * b[..., 0]
    a = np.concatenate([a, np.zeros(a.shape[:-1] + (3 - a.shape[-1],))], -1)
    b = np.concatenate([b, np.zeros(b.shape[:-1] + (3 - b.shape[-1],))], -1)
    a, b = np.broadcast_arrays(a, b)
    c = np.stack([a[..., 1] * b[..., 2] + a[..., 2] * b[..., 1],
                  a[..., 2] * b[..., 0] + a[..., 0] * b[..., 2],
                  a[..., 0] * b[..., 1] + a[..., 1] * b[..., 0]], -1)
    return np.moveaxis(c, -1, axisc)


def einsum_terms(spec, shapes):
    """Number of products summed into each output element (the summed indices' sizes)."""
    if "..." in spec:
        return 64  # small shapes only: a generous bound
    lhs = spec.split("->")[0]
    sizes = {}
    for p, s in zip(lhs.split(","), shapes):
        for c, n in zip(p, s):
            sizes[c] = max(sizes.get(c, 1), n)
    if "->" in spec:
        out = spec.split("->")[1]
    else:
        letters = lhs.replace(",", "")
        out = "".join(c for c in sorted(set(letters)) if letters.count(c) == 1)
    return int(np.prod([n for c, n in sizes.items() if c not in out])) if sizes else 1


# ---- lax.dot_general ----------------------------------------------------------------------

def dot_general_ref(a, b, dn):
    (lc, rc), (lb, rb) = dn
    lf = [i for i in range(a.ndim) if i not in lc and i not in lb]
    rf = [i for i in range(b.ndim) if i not in rc and i not in rb]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    la = [None] * a.ndim
    ra = [None] * b.ndim
    for i, j in zip(lb, rb):
        la[i] = ra[j] = next(letters)
    for i, j in zip(lc, rc):
        la[i] = ra[j] = next(letters)
    for i in lf:
        la[i] = next(letters)
    for j in rf:
        ra[j] = next(letters)
    out = [la[i] for i in lb] + [la[i] for i in lf] + [ra[j] for j in rf]
    return np.einsum(f"{''.join(la)},{''.join(ra)}->{''.join(out)}", a, b)


def apply_view(x, v):
    """The view ops the test applies to an operand before dot_general (mirrored in TS)."""
    if v is None:
        return x
    kind = v[0]
    if kind == "transpose":
        return np.transpose(x, v[1])
    if kind == "slice":
        start, limit, strides = v[1], v[2], v[3]
        return x[tuple(slice(s, l, st) for s, l, st in zip(start, limit, strides))]
    if kind == "broadcast":  # broadcast_in_dim(x, shape, dims)
        shape, dims = v[1], v[2]
        expanded = np.reshape(x, [x.shape[dims.index(i)] if i in dims else 1 for i in range(len(shape))])
        return np.broadcast_to(expanded, shape)
    if kind == "rev":
        return np.flip(x, v[1])
    raise ValueError(kind)


def dot_cases():
    cases = []
    D = [
        # (lhs shape, rhs shape, dn, lhs view, rhs view)
        ((3, 4), (4, 5), [[[1], [0]], [[], []]], None, None),
        ((4, 3), (4, 5), [[[0], [0]], [[], []]], None, None),
        ((3, 4), (5, 4), [[[1], [1]], [[], []]], None, None),
        ((2, 3, 4), (2, 4, 5), [[[2], [1]], [[0], [0]]], None, None),
        ((3, 2, 4), (4, 5, 2), [[[2], [0]], [[1], [2]]], None, None),
        ((2, 3, 4, 5), (4, 5, 6), [[[2, 3], [0, 1]], [[], []]], None, None),
        ((2, 3, 4, 5), (5, 2, 4, 3), [[[3, 2], [0, 2]], [[0], [1]]], None, None),
        ((2, 3, 2, 4), (2, 4, 2, 3), [[[3], [1]], [[0, 2], [2, 0]]], None, None),
        ((5,), (5,), [[[0], [0]], [[], []]], None, None),
        ((3,), (4,), [[[], []], [[], []]], None, None),
        ((2, 3), (2, 4), [[[], []], [[0], [0]]], None, None),
        ((1, 1), (1, 1), [[[1], [0]], [[], []]], None, None),
        ((7, 33), (33, 9), [[[1], [0]], [[], []]], None, None),
        ((3, 0), (0, 4), [[[1], [0]], [[], []]], None, None),
        ((0, 3), (3, 4), [[[1], [0]], [[], []]], None, None),
        ((2, 0, 3), (2, 3, 4), [[[2], [1]], [[0], [0]]], None, None),
        # views: transposed, strided, reversed, broadcast (stride 0) operands.
        ((4, 3), (5, 4), [[[1], [0]], [[], []]], ["transpose", [1, 0]], ["transpose", [1, 0]]),
        ((6, 8), (8, 5), [[[1], [0]], [[], []]], ["slice", [0, 1], [6, 8], [2, 2]], ["slice", [1, 0], [8, 5], [2, 1]]),
        ((3, 4), (4, 5), [[[1], [0]], [[], []]], ["rev", [0, 1]], ["rev", [1]]),
        ((4,), (4, 5), [[[1], [0]], [[], []]], ["broadcast", [3, 4], [1]], None),
        ((3, 5), (5,), [[[1], [1]], [[], []]], None, ["broadcast", [4, 5], [1]]),
        ((3,), (4, 5), [[[1], [1]], [[], []]], ["broadcast", [3, 4], [0]], ["transpose", [1, 0]]),
        ((2, 3, 4), (2, 4, 3), [[[2], [1]], [[0], [0]]], ["transpose", [0, 1, 2]], ["slice", [0, 0, 0], [2, 4, 3], [1, 1, 1]]),
        ((4, 2, 3), (2, 4, 5), [[[2], [1]], [[0], [0]]], ["transpose", [1, 2, 0]], None),
        ((), (2, 3, 4), [[[2], [1]], [[0], [0]]], ["broadcast", [2, 5, 3], []], None),
    ]
    for sa, sb, dn, va, vb in D:
        a, b = make(sa, "float32"), make(sb, "float32")
        a2, b2 = apply_view(a, va), apply_view(b, vb)
        k = int(np.prod([a2.shape[i] for i in dn[0][0]])) if dn[0][0] else 1
        c = {"lhs": enc(a, "float32"), "rhs": enc(b, "float32"), "dn": dn, "lview": va, "rview": vb}
        c.update(result(lambda x, y, dn=dn: dot_general_ref(x, y, dn), [a2, b2], "float32", k))
        cases.append(c)
    # dtypes, also mixed (JAX's dot_general takes the "higher precision" operand type) and
    # preferred_element_type.
    for da, db, pref, out in [
        ("int8", "int8", None, "int8"), ("uint8", "uint8", None, "uint8"), ("bool", "bool", None, "bool"),
        ("int32", "int32", None, "int32"), ("float16", "float16", None, "float16"),
        ("int16", "int16", None, "int16"), ("uint32", "uint32", None, "uint32"),
        ("int8", "int8", "int32", "int32"), ("int8", "int8", "float32", "float32"),
        ("float16", "float16", "float32", "float32"), ("uint8", "uint8", "uint32", "uint32"),
        ("int8", "float32", None, "float32"), ("float16", "float32", None, "float32"),
        ("int8", "int32", None, "int32"), ("uint8", "int8", None, "int8"), ("bool", "int8", None, "int8"),
        ("float64", "float64", None, "float64"), ("float32", "float32", "float64", "float64"),
    ]:
        dn = [[[2], [0]], [[0], [2]]]
        a, b = make((2, 3, 5), da), make((5, 4, 2), db)
        c = {"lhs": enc(a, da), "rhs": enc(b, db), "dn": dn, "lview": None, "rview": None, "pref": pref}
        if out == "bool":
            c.update(result(lambda x, y: dot_general_ref(x, y, dn) != 0, [a, b], "bool", 5))
        else:
            c.update(result(lambda x, y: dot_general_ref(x, y, dn), [a, b], out, 5))
        cases.append(c)
    return cases


# ---- lax.conv_general_dilated ----------------------------------------------------------------

def conv_perms(dn, nd):
    """JAX's conv_general_permutations (spatial dims of lhs/out ordered as in rhs)."""
    if dn is None:
        r = list(range(nd))
        return r, r, r
    lhs, rhs, out = dn

    def perm(spec, pair, is_rhs):
        sp = [i for i, c in enumerate(spec) if c not in pair]
        if not is_rhs:
            sp = sorted(sp, key=lambda i: rhs.index(spec[i]))
        return [spec.index(pair[0]), spec.index(pair[1])] + sp
    return perm(lhs, "NC", False), perm(rhs, "OI", True), perm(out, "NC", False)


def same_pads(in_shape, window, strides, lower=False):
    """JAX's padtype_to_pads for SAME / SAME_LOWER."""
    pads = []
    for n, w, s in zip(in_shape, window, strides):
        out = -(-n // s)
        total = max(0, (out - 1) * s + w - n)
        lo, hi = total // 2, total - total // 2
        pads.append([hi, lo] if lower else [lo, hi])
    return pads


def pad_neg(x, axis, lo, hi, value=0):
    """Pads (or, for negative amounts, crops) x along axis."""
    if lo < 0:
        x = np.take(x, range(-lo, x.shape[axis]), axis=axis)
        lo = 0
    if hi < 0:
        x = np.take(x, range(0, x.shape[axis] + hi), axis=axis)
        hi = 0
    widths = [(0, 0)] * x.ndim
    widths[axis] = (lo, hi)
    return np.pad(x, widths, constant_values=value)


def dilate(x, axis, d, fill=0):
    if d == 1 or x.shape[axis] == 0:
        return x
    shape = list(x.shape)
    shape[axis] = (shape[axis] - 1) * d + 1
    y = np.full(shape, fill, dtype=x.dtype)
    idx = [slice(None)] * x.ndim
    idx[axis] = slice(None, None, d)
    y[tuple(idx)] = x
    return y


def conv_canonical(lhs, rhs, strides, pads, ld, rd, fg, bg):
    """XLA ConvGeneralDilated on canonical [N, C, sp...] x [O, I, sp...] -> [N/bg, O, sp'...]."""
    nsp = lhs.ndim - 2
    x = lhs
    for d in range(nsp):
        x = dilate(x, 2 + d, ld[d])
        x = pad_neg(x, 2 + d, pads[d][0], pads[d][1])
    k = rhs
    for d in range(nsp):
        k = dilate(k, 2 + d, rd[d])
    N, C = lhs.shape[:2]
    O, I = rhs.shape[:2]
    kw = k.shape[2:]
    outsp = [max(0, (x.shape[2 + d] - kw[d]) // strides[d] + 1) if x.shape[2 + d] >= kw[d] else 0
             for d in range(nsp)]
    out = np.zeros([N // bg, O] + outsp, dtype=np.result_type(x, k))
    if min(outsp + [N // bg, O]) == 0:
        return out
    win = np.lib.stride_tricks.sliding_window_view(x, kw, axis=tuple(range(2, 2 + nsp)))
    win = win[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in strides)]
    win = win[(slice(None), slice(None)) + tuple(slice(0, n) for n in outsp)]
    G = fg * bg
    Og = O // G
    nb = N // bg
    sp = "".join("pqrs"[:nsp])
    kk = "".join("wxyz"[:nsp])
    for g in range(G):
        c0 = g * I if fg > 1 else 0
        n0 = g * nb if bg > 1 else 0
        xs = win[n0:n0 + nb, c0:c0 + I]
        ks = k[g * Og:(g + 1) * Og]
        out[:, g * Og:(g + 1) * Og] = np.einsum(f"nc{sp}{kk},oc{kk}->no{sp}", xs, ks)
    return out


def conv_ref(lhs, rhs, strides, padding, ld, rd, dn, fg, bg):
    nd = lhs.ndim
    lp, rp, op = conv_perms(dn, nd)
    cl, cr = np.transpose(lhs, lp), np.transpose(rhs, rp)
    if isinstance(padding, str):
        win = [(n - 1) * d + 1 for n, d in zip(cr.shape[2:], rd)]
        pads = [[0, 0]] * (nd - 2) if padding == "VALID" else same_pads(cl.shape[2:], win, strides, padding == "SAME_LOWER")
    else:
        pads = padding
    out = conv_canonical(cl, cr, strides, pads, ld, rd, fg, bg)
    return np.transpose(out, np.argsort(op))


def check_conv_ref_against_scipy():
    """The reference agrees with scipy.signal.correlate where SciPy can express the case."""
    for shape, kshape in [((9,), (3,)), ((7, 8), (3, 2)), ((5, 6, 4), (2, 3, 2))]:
        x, k = rng.standard_normal(shape), rng.standard_normal(kshape)
        nsp = len(shape)
        ones = [1] * nsp
        for mode, pads in [("valid", [[0, 0]] * nsp), ("full", [[n - 1, n - 1] for n in kshape])]:
            ours = conv_canonical(x[None, None], k[None, None], ones, pads, ones, ones, 1, 1)[0, 0]
            ref = scipy.signal.correlate(x, k, mode=mode, method="direct")
            assert np.allclose(ours, ref, rtol=1e-12, atol=1e-12), (shape, kshape, mode)
        # strides and rhs dilation: subsample / dilate by hand, then SciPy.
        kd = k
        for d in range(nsp):
            kd = dilate(kd, d, 2)
        ours = conv_canonical(x[None, None], k[None, None], [2] * nsp, [[0, 0]] * nsp, ones, [2] * nsp, 1, 1)[0, 0]
        full = scipy.signal.correlate(x, kd, mode="valid", method="direct") if all(
            a >= b for a, b in zip(x.shape, kd.shape)) else None
        if full is not None:
            assert np.allclose(ours, full[tuple(slice(None, None, 2) for _ in range(nsp))], rtol=1e-12, atol=1e-12)
    # Groups: a feature-grouped conv is G independent convs; a batch-grouped conv sums nothing
    # across groups either.
    x, k = rng.standard_normal((2, 4, 6)), rng.standard_normal((6, 2, 3))
    g2 = conv_canonical(x, k, [1], [[0, 0]], [1], [1], 2, 1)
    for g in range(2):
        part = conv_canonical(x[:, 2 * g:2 * g + 2], k[3 * g:3 * g + 3], [1], [[0, 0]], [1], [1], 1, 1)
        assert np.allclose(g2[:, 3 * g:3 * g + 3], part)
    x, k = rng.standard_normal((4, 3, 6)), rng.standard_normal((4, 3, 3))
    b2 = conv_canonical(x, k, [1], [[0, 0]], [1], [1], 1, 2)
    for g in range(2):
        part = conv_canonical(x[2 * g:2 * g + 2], k[2 * g:2 * g + 2], [1], [[0, 0]], [1], [1], 1, 1)
        assert np.allclose(b2[:, 2 * g:2 * g + 2], part)


def conv_cases():
    cases = []
    C = [
        # lhs shape, rhs shape, strides, padding, lhs_dil, rhs_dil, dn, fg, bg, dtype
        ((1, 1, 9), (1, 1, 3), [1], "VALID", None, None, None, 1, 1, "float32"),
        ((2, 3, 10), (4, 3, 3), [2], "SAME", None, None, None, 1, 1, "float32"),
        ((2, 3, 10), (4, 3, 4), [3], "SAME_LOWER", None, None, None, 1, 1, "float32"),
        ((2, 3, 10), (4, 3, 3), [1], [[2, 1]], None, [2], None, 1, 1, "float32"),
        ((1, 2, 7), (3, 2, 3), [1], [[-1, 2]], [2], None, None, 1, 1, "float32"),
        ((1, 2, 5), (2, 2, 3), [2], [[2, 2]], [3], [2], None, 1, 1, "float32"),
        # JAX's stax test: NHWC [2,10,11,1] x HWIO [2,3,1,3], strides (2,1).
        ((2, 10, 11, 1), (2, 3, 1, 3), [2, 1], "VALID", None, None, ["NHWC", "HWIO", "NHWC"], 1, 1, "float32"),
        ((2, 10, 11, 1), (2, 3, 1, 3), [2, 1], "SAME", None, None, ["NHWC", "HWIO", "NHWC"], 1, 1, "float32"),
        ((2, 3, 6, 7), (4, 3, 3, 2), [1, 2], "SAME", None, [2, 1], None, 1, 1, "float32"),
        ((1, 5, 6, 2), (3, 3, 2, 4), [1, 1], [[1, 0], [0, 2]], None, None, ["NHWC", "HWIO", "NCHW"], 1, 1, "float32"),
        ((5, 6, 2, 2), (4, 3, 3, 2), [2, 1], "SAME", None, None, ["HWCN", "OHWI", "NWHC"], 1, 1, "float32"),
        ((2, 4, 5, 5), (6, 2, 3, 3), [1, 1], "SAME", None, None, None, 2, 1, "float32"),
        ((1, 6, 6, 4), (3, 3, 1, 8), [1, 1], "SAME", None, None, ["NHWC", "HWIO", "NHWC"], 4, 1, "float32"),
        ((2, 5, 5, 3), (3, 3, 1, 3), [2, 2], "VALID", None, [1, 2], ["NHWC", "HWIO", "NHWC"], 3, 1, "float32"),
        ((4, 3, 6), (4, 3, 3), [1], "VALID", None, None, None, 1, 2, "float32"),
        ((6, 2, 5, 4), (6, 2, 2, 2), [1, 1], [[0, 1], [1, 0]], None, None, None, 1, 3, "float32"),
        ((1, 2, 4, 5, 3), (3, 2, 2, 3, 2), [1, 2, 1], "SAME", None, None, None, 1, 1, "float32"),
        ((1, 4, 5, 3, 2), (2, 3, 2, 2, 3), [1, 1, 2], "VALID", None, [1, 1, 2], ["NDHWC", "DHWIO", "NDHWC"], 1, 1, "float32"),
        ((1, 2, 6), (2, 2, 3), [1], "VALID", None, None, None, 1, 1, "int32"),
        ((1, 2, 6), (2, 2, 3), [1], [[1, 1]], None, None, None, 1, 1, "int8"),
        ((1, 2, 6), (2, 2, 3), [1], "SAME", None, None, None, 1, 1, "uint8"),
        ((1, 2, 6, 5), (2, 2, 3, 3), [1, 1], "SAME", None, None, None, 1, 1, "float16"),
        ((2, 3, 6, 5), (2, 3, 3, 2), [2, 1], "SAME", None, [1, 2], None, 1, 1, "float64"),
        ((1, 3, 4), (2, 3, 5), [1], "VALID", None, None, None, 1, 1, "float32"),  # window > input: size 0
        ((0, 3, 4), (2, 3, 2), [1], "VALID", None, None, None, 1, 1, "float32"),
        ((2, 3, 4, 4), (2, 3, 1, 1), [1, 1], "VALID", None, None, None, 1, 1, "float32"),  # 1x1 GEMM path
        ((2, 4, 4, 3), (1, 1, 3, 5), [1, 1], "VALID", None, None, ["NHWC", "HWIO", "NHWC"], 1, 1, "float32"),
    ]
    for sl, sr, strides, padding, ld, rd, dn, fg, bg, dt in C:
        nsp = len(sl) - 2
        ld1 = ld or [1] * nsp
        rd1 = rd or [1] * nsp
        a, b = make(sl, dt), make(sr, dt)
        K = int(np.prod(sr)) // max(1, (sr[conv_perms(dn, len(sl))[1][0]]))
        c = {"lhs": enc(a, dt), "rhs": enc(b, dt), "strides": strides, "padding": padding,
             "lhsDilation": ld, "rhsDilation": rd, "dn": dn, "fg": fg, "bg": bg}
        c.update(result(lambda x, y, a_=(strides, padding, ld1, rd1, dn, fg, bg): conv_ref(x, y, *a_), [a, b], dt, K))
        cases.append(c)
    return cases


# ---- lax.reduce_window ----------------------------------------------------------------------

def identity(op, dtype):
    if op == "sum":
        return 0
    if op == "prod":
        return 1
    if dtype in FLOATS:
        return -np.inf if op == "max" else np.inf
    if dtype == "bool":
        return 0 if op == "max" else 1
    info = np.iinfo(NP[dtype])
    return info.min if op == "max" else info.max


def reduce_window_ref(x, op, window, strides, padding, base_dil, win_dil, dtype):
    nd = x.ndim
    strides = strides or [1] * nd
    base_dil = base_dil or [1] * nd
    win_dil = win_dil or [1] * nd
    if isinstance(padding, str):
        wd = [(w - 1) * d + 1 for w, d in zip(window, win_dil)]
        # JAX computes string padding from the operand's shape before base dilation
        # (jax/_src/lax/windowed_reductions.py, _reduce_window).
        pads = [[0, 0]] * nd if padding == "VALID" else same_pads(x.shape, wd, strides, padding == "SAME_LOWER")
    else:
        pads = padding
    init = identity(op, dtype)
    y = exact(x).astype(np.float64) if dtype in FLOATS else exact(x)
    for d in range(nd):
        y = dilate(y, d, base_dil[d], fill=init)
        y = pad_neg(y, d, pads[d][0], pads[d][1], value=init)
    wd = [(w - 1) * d + 1 for w, d in zip(window, win_dil)]
    outsp = [(y.shape[d] - wd[d]) // strides[d] + 1 if y.shape[d] >= wd[d] else 0 for d in range(nd)]
    if min(outsp) == 0:
        return np.zeros(outsp, y.dtype), pads
    win = np.lib.stride_tricks.sliding_window_view(y, wd)
    win = win[tuple(slice(None, None, s) for s in strides)][tuple(slice(0, n) for n in outsp)]
    win = win[(Ellipsis,) + tuple(slice(None, None, d) for d in win_dil)]
    axes = tuple(range(nd, 2 * nd))
    f = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min}[op]
    return f(win, axis=axes), pads


def window_cases():
    cases = []
    W = [
        # shape, op, window, strides, padding, base_dil, win_dil, dtype
        ((8,), "max", [3], [1], "VALID", None, None, "float32"),
        ((8,), "max", [3], [2], "SAME", None, None, "float32"),
        ((7,), "min", [2], [2], "SAME", None, None, "float32"),
        ((7,), "sum", [4], [3], "SAME_LOWER", None, None, "float32"),
        ((6,), "sum", [3], [1], [[2, 1]], None, None, "float32"),
        ((6,), "prod", [2], [1], "VALID", None, None, "float32"),
        ((5,), "sum", [2], [1], "SAME", [2], None, "float32"),
        ((5,), "max", [2], [2], "SAME", [3], None, "float32"),
        ((9,), "max", [3], [1], "VALID", None, [2], "float32"),
        ((9,), "sum", [2], [2], "SAME", None, [3], "float32"),
        ((6,), "sum", [3], [1], [[-1, 2]], None, None, "float32"),
        # 2-D pooling, NHWC 4-D pooling (stax's MaxPool/SumPool/AvgPool), 3-D.
        ((5, 6), "max", [2, 2], [2, 2], "VALID", None, None, "float32"),
        ((5, 6), "max", [3, 2], [2, 1], "SAME", None, None, "float32"),
        ((5, 6), "sum", [3, 3], [1, 1], "SAME", None, None, "float32"),
        ((2, 7, 6, 3), "max", [1, 3, 3, 1], [1, 2, 2, 1], "SAME", None, None, "float32"),
        ((2, 7, 6, 3), "sum", [1, 3, 3, 1], [1, 2, 2, 1], "SAME", None, None, "float32"),
        ((2, 6, 6, 2), "sum", [1, 2, 2, 1], [1, 2, 2, 1], "VALID", None, None, "float32"),
        ((3, 4, 5), "min", [2, 2, 2], [1, 2, 1], [[0, 1], [1, 1], [0, 0]], [1, 2, 1], [1, 1, 2], "float32"),
        # dtypes
        ((7,), "max", [3], [1], "SAME", None, None, "int32"),
        ((7,), "sum", [3], [1], "VALID", None, None, "int8"),
        ((7,), "max", [3], [1], "SAME", None, None, "int8"),
        ((7,), "min", [3], [2], "SAME", None, None, "uint8"),
        ((7,), "sum", [3], [1], "SAME", None, None, "uint8"),
        ((5, 4), "max", [2, 2], [1, 1], "SAME", None, None, "float16"),
        ((5, 4), "sum", [2, 3], [1, 1], "SAME", None, None, "float16"),
        ((6, 5), "sum", [3, 2], [2, 1], "SAME", None, None, "float64"),
        ((6,), "max", [2], [1], "SAME", None, None, "bool"),
        ((6,), "min", [2], [1], "SAME", None, None, "bool"),
        ((4,), "max", [6], [1], "VALID", None, None, "float32"),  # window > input: size 0
        ((0, 3), "sum", [1, 2], [1, 1], "VALID", None, None, "float32"),
    ]
    for shape, op, window, strides, padding, bd, wd, dt in W:
        x = make(shape, dt)
        if dt in FLOATS and op == "prod":
            x = (rng.uniform(0.5, 2, shape)).astype(NP[dt])
        ref, pads = reduce_window_ref(x, op, window, strides, padding, bd, wd, dt)
        c = {"x": enc(x, dt), "op": op, "window": window, "strides": strides, "padding": padding,
             "pads": pads, "baseDilation": bd, "windowDilation": wd}
        if dt in FLOATS:
            c["out"] = enc(ref, dt)
            if op in ("sum", "prod"):
                absref, _ = reduce_window_ref(np.abs(exact(x)), op, window, strides, padding, bd, wd, "float64")
                c["absref"] = enc(absref, "float64")
                c["eb"] = bound(dt, int(np.prod(window)))
            else:
                c["eb"] = [0, 0]  # max/min select an input: exact
        else:
            c["out"] = enc(to_dtype(ref, dt), dt)
        cases.append(c)
    # Average pooling (stax.AvgPool): the window sum divided by the number of non-padding
    # elements in the window (the sum of a ones array over the same windows).
    avg = []
    for shape, window, strides, padding in [((2, 6, 7, 3), [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
                                            ((2, 6, 7, 3), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
                                            ((9,), [4], [2], "SAME")]:
        x = make(shape, "float32")
        s, _ = reduce_window_ref(x, "sum", window, strides, padding, None, None, "float32")
        n, _ = reduce_window_ref(np.ones(shape), "sum", window, strides, padding, None, None, "float64")
        a, _ = reduce_window_ref(np.abs(x), "sum", window, strides, padding, None, None, "float64")
        avg.append({"x": enc(x, "float32"), "window": window, "strides": strides, "padding": padding,
                    "out": enc(s / n, "float32"), "absref": enc(a / n, "float64"),
                    "eb": [(int(np.prod(window)) + 3) * U["float32"], 0]})
    return cases, avg


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path) // 1024} KB)")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    check_conv_ref_against_scipy()
    write("contractions.json", {"cases": np_cases()})
    write("contractions_dot.json", {"cases": dot_cases()})
    write("contractions_conv.json", {"cases": conv_cases()})
    wc, avg = window_cases()
    write("contractions_window.json", {"cases": wc, "avgpool": avg})
