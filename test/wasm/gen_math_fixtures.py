#!/usr/bin/env python3
"""Generates float64 reference values for the float32 math library tests
(test/wasm/math.test.ts) for the functions JavaScript's Math lacks: erf, erfc, erf_inv,
lgamma, digamma.

Inputs are not stored: each file lists segments of float32 bit patterns
(start, count, stride), which the test regenerates. For every input the reference value
is stored as its float32 rounding `hi` plus the residual (ref - hi) in units of
ulp(hi) / 32768 as int16, i.e. 6 bytes per point and a reference accurate to ~3e-5 ulp.

File layout (little endian):
  "EJM1", u32 nseg, nseg x (u32 start, u32 count, u32 stride), f32 hi[N], i16 resid[N]

References: SciPy (scipy.special.erf/erfc/erfinv/gammaln/digamma) in float64; inside the
windows around the zeros of lgamma and digamma, mpmath at 40 digits.

Usage: python3 test/wasm/gen_math_fixtures.py   (needs numpy, scipy, mpmath)
"""
import os, struct
import numpy as np
import scipy.special as sp
import mpmath as mp

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "math_fixtures")
FMAX = float(np.finfo(np.float32).max)
mp.mp.dps = 40


def bits(x):
    return int(np.array([x], dtype=np.float32).view(np.uint32)[0])


def strided(lo, hi, n):
    """About n float32 between lo and hi (same sign), evenly spaced in bit-pattern space
    (the same rule as `strided` in math.test.ts)."""
    b0, b1 = bits(lo), bits(hi)
    s, e = min(b0, b1), max(b0, b1)
    stride = max(1, (e - s) // n)
    return (s, (e - s) // stride + 1, stride)


def sym(lo, hi, n):
    return [strided(lo, hi, n), strided(-lo, -hi, n)]


def window(center, half):
    """2*half+1 consecutive float32 around float32(center)."""
    return (bits(center) - half, 2 * half + 1, 1)


def inputs(segs):
    parts = [(np.uint32(s) + np.arange(c, dtype=np.uint64) * st).astype(np.uint32) for s, c, st in segs]
    return np.concatenate(parts).view(np.float32)


def ulp_of(h):
    a = np.abs(h.astype(np.float64))
    e = np.floor(np.log2(np.where(a > 0, a, 1.0)))
    u = np.exp2(e - 23)
    # log2 may be off by one next to powers of two: fix with exact comparisons
    u = np.where(np.exp2(e) > a, u / 2, u)
    u = np.where(np.exp2(e + 1) <= a, u * 2, u)
    return np.where(a < 2.0 ** -126, 2.0 ** -149, u)


def write(name, segs, ref):
    ref = np.asarray(ref, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        hi = ref.astype(np.float32)
        fin = np.isfinite(hi)
        res = np.where(fin, (ref - hi.astype(np.float64)) / ulp_of(np.where(fin, hi, 1)) * 32768.0, 0)
    res = np.clip(np.rint(res), -32768, 32767).astype(np.int16)
    with open(os.path.join(OUT, name + ".bin"), "wb") as fh:
        fh.write(b"EJM1" + struct.pack("<I", len(segs)))
        for s, c, st in segs:
            fh.write(struct.pack("<III", s, c, st))
        fh.write(hi.astype("<f4").tobytes())
        fh.write(res.astype("<i2").tobytes())
    print(f"{name}: {len(ref)} points, {os.path.getsize(os.path.join(OUT, name + '.bin'))} bytes")


def with_mp(segs_bulk, segs_win, f_scipy, f_mp):
    xb = inputs(segs_bulk).astype(np.float64)
    xw = inputs(segs_win).astype(np.float64)
    with np.errstate(all="ignore"):
        rb = f_scipy(xb)
    rw = np.array([float(f_mp(mp.mpf(float(v)))) for v in xw])
    return segs_bulk + segs_win, np.concatenate([rb, rw])


def lgamma_mp(x):
    if x <= 0 and x == mp.floor(x):
        return mp.inf
    return mp.re(mp.loggamma(x))


def digamma_mp(x):
    if x <= 0 and x == mp.floor(x):
        return mp.nan
    return mp.digamma(x)


def main():
    os.makedirs(OUT, exist_ok=True)
    segs = sym(1e-45, FMAX, 15000) + sym(1e-3, 4.5, 20000)
    write("erf", segs, sp.erf(inputs(segs).astype(np.float64)))

    segs = sym(1e-45, FMAX, 10000) + [strided(1e-3, 10.1, 40000), strided(-1e-3, -4.5, 15000)]
    write("erfc", segs, sp.erfc(inputs(segs).astype(np.float64)))

    below1 = bits(1.0) - 2000
    segs = sym(1e-45, 1.0, 20000) + sym(0.5, 1.0, 15000) + [(below1, 2000, 1), (below1 | 0x80000000, 2000, 1)]
    write("erf_inv", segs, sp.erfinv(inputs(segs).astype(np.float64)))

    lg_zeros = [-2.4570247382208006, -2.7476826467274122, -3.1435808883499803, -3.9552942848585975,
                -4.039361839740536, -4.991544640560048, -5.0082181683225935, -5.998607480080877,
                -6.001385294453155, -6.999801507890638, -7.000198333407325, -7.999975197095819]
    bulk = [strided(1e-45, FMAX, 15000), strided(1e-3, 12.0, 30000),
            strided(-1e-45, -8388608.0, 15000), strided(-1e-3, -12.0, 30000)]
    win = [window(1.0, 1000), window(2.0, 1000)] + [window(z, 500) for z in lg_zeros]
    segs, ref = with_mp(bulk, win, sp.gammaln, lgamma_mp)
    write("lgamma", segs, ref)

    dg_zeros = [-0.5040830082644554, -1.5734984731623904, -2.6107208684441447, -3.635293366436901,
                -4.653237761743142, -5.6671624415568855, -6.678418213073427, -7.687788325031626]
    win = [window(1.4616321449683622, 1000)] + [window(z, 500) for z in dg_zeros]
    segs, ref = with_mp(bulk, win, sp.digamma, digamma_mp)
    write("digamma", segs, ref)


if __name__ == "__main__":
    main()
