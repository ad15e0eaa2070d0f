#!/usr/bin/env python3
"""Fits the polynomial coefficients used by wasm/assembly/math.ts and writes
wasm/assembly/math_tables.ts.

float32 kernels: weighted minimax fits (Lawson's iteratively reweighted least squares
on a Chebyshev grid, float64), coefficients rounded to float32.
float64 kernels (used inside erf/erfc/erf_inv/lgamma/digamma/pow): Chebyshev
interpolation computed with mpmath at 50 digits, converted to monomials.
Exact series (Taylor, Stirling, Bernoulli) are generated from their closed forms.

Usage: python3 test/wasm/math_fixtures/fit_coeffs.py   (needs numpy and mpmath)
"""
import math, os, struct
import numpy as np
import mpmath as mp

mp.mp.dps = 50
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def lawson(g, lo, hi, n, w, npts=3000, iters=80, shift=0.0):
    """Coefficients c of sum c_j (z - shift)^j minimizing max |w(z) (g(z) - poly)| on [lo, hi]."""
    t = np.cos(np.pi * (np.arange(npts) + 0.5) / npts)
    z = np.sort((lo + hi) / 2 + (hi - lo) / 2 * t)
    gz = np.array([g(v) for v in z]); wz = np.array([w(v) for v in z])
    A = np.stack([(z - shift) ** p for p in range(n)], axis=1) * wz[:, None]
    b = gz * wz
    lw = np.ones(npts) / npts
    best = None
    for _ in range(iters):
        sw = np.sqrt(lw)
        c, *_ = np.linalg.lstsq(A * sw[:, None], b * sw, rcond=None)
        err = np.abs(A @ c - b)
        if best is None or err.max() < best[1]:
            best = (c, err.max())
        lw = lw * err; lw /= lw.sum()
    return best


def f32(v):
    return float(np.float32(v))


def cheb_fit(g, a, b, N):
    """Chebyshev interpolant of degree N on [a,b], as monomial coefficients in t = x - (a+b)/2."""
    a, b = mp.mpf(a), mp.mpf(b)
    c = (a + b) / 2; h = (b - a) / 2
    nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / (N + 1)) for k in range(N + 1)]
    vals = [g(c + h * u) for u in nodes]
    A = mp.matrix([[u ** j for j in range(N + 1)] for u in nodes])
    co = mp.lu_solve(A, mp.matrix(vals))
    coefs = [float(co[j] / h ** j) for j in range(N + 1)]
    # measured relative error of the float64-rounded polynomial
    m = 0
    for i in range(401):
        x = a + (b - a) * mp.mpf(i) / 400
        p = mp.mpf(0)
        for cj in reversed(coefs):
            p = p * (x - c) + mp.mpf(cj)
        v = g(x)
        m = max(m, abs((p - v) / v))
    return coefs, float(c), float(m)


out = []
notes = []


def emit_f32(name, vals, note):
    out.append(f"// {note}\nexport const {name} = memory.data<f32>([{', '.join(repr(f32(v)) for v in vals)}]);")


def emit_f64(name, vals, note):
    out.append(f"// {note}\nexport const {name} = memory.data<f64>([{', '.join(repr(float(v)) for v in vals)}]);")


def fit32(name, g, lo, hi, n, w, what, shift=0.0, c0_minus_one=False):
    c, m = lawson(g, lo, hi, n, w, shift=shift)
    if c0_minus_one:
        c[0] -= 1
    emit_f32(name, c, f"{what}; fit error 2^{math.log2(m):.1f}")


pi4 = math.pi / 4
L2 = math.log(2)
fit32("SIN_P", lambda z: (math.sin(math.sqrt(z)) - math.sqrt(z)) / z ** 1.5 if z > 1e-8 else -1 / 6 + z / 120,
      1e-10, pi4 ** 2, 3, lambda z: z / (math.sin(math.sqrt(z)) / math.sqrt(z)), "sin r = r + r^3 P(r^2), |r| <= pi/4")
fit32("COS_P", lambda z: (math.cos(math.sqrt(z)) - 1 + z / 2) / z ** 2 if z > 1e-6 else 1 / 24 - z / 720,
      1e-10, pi4 ** 2, 3, lambda z: z * z / math.cos(math.sqrt(z)), "cos r = 1 - r^2/2 + r^4 P(r^2), |r| <= pi/4")
fit32("TAN_P", lambda z: (math.tan(math.sqrt(z)) - math.sqrt(z)) / z ** 1.5 if z > 1e-8 else 1 / 3 + 2 * z / 15,
      1e-10, pi4 ** 2, 7, lambda z: z / (math.tan(math.sqrt(z)) / math.sqrt(z)), "tan r = r + r^3 P(r^2), |r| <= pi/4")
fit32("ATAN_P", lambda z: (math.atan(math.sqrt(z)) - math.sqrt(z)) / z ** 1.5 if z > 1e-8 else -1 / 3 + z / 5,
      1e-10, 1.0, 9, lambda z: z / (math.atan(math.sqrt(z)) / math.sqrt(z)), "atan t = t + t^3 P(t^2), 0 <= t <= 1")
fit32("ASIN_P", lambda z: (math.asin(math.sqrt(z)) - math.sqrt(z)) / z ** 1.5 if z > 1e-8 else 1 / 6 + 3 * z / 40,
      1e-10, 0.25, 6, lambda z: z / (math.asin(math.sqrt(z)) / math.sqrt(z)), "asin w = w + w^3 P(w^2), 0 <= w <= 1/2")
fit32("EXP_P", lambda r: (math.expm1(r) - r) / r ** 2 if abs(r) > 1e-5 else 0.5 + r / 6 + r * r / 24,
      -L2 / 2, L2 / 2, 5, lambda r: r * r / math.exp(r), "e^r = 1 + r + r^2 P(r), |r| <= ln2/2")
fit32("EXPM1_P", lambda r: (math.expm1(r) - r) / r ** 2 if abs(r) > 1e-5 else 0.5 + r / 6 + r * r / 24,
      -L2 / 2, L2 / 2, 6, lambda r: r * r / abs(math.expm1(r)) if abs(r) > 1e-9 else abs(r),
      "e^r - 1 = r + r^2 P(r), |r| <= ln2/2 (relative to e^r - 1)")
lo, hi = math.sqrt(0.5) - 1, math.sqrt(2) - 1
fit32("LOG_P", lambda f: (math.log1p(f) - f + f * f / 2) / f ** 3 if abs(f) > 1e-4 else 1 / 3 - f / 4 + f * f / 5,
      lo - 1e-6, hi + 1e-6, 9, lambda f: abs(f ** 3 / math.log1p(f)) if abs(f) > 1e-12 else f * f,
      "log(1+f) = f - f^2/2 + f^3 P(f), sqrt(1/2)-1 <= f <= sqrt(2)-1")
fit32("TANH_P", lambda z: (math.tanh(math.sqrt(z)) - math.sqrt(z)) / z ** 1.5 if z > 1e-8 else -1 / 3 + 2 * z / 15,
      1e-10, 0.625 ** 2, 6, lambda z: z / (math.tanh(math.sqrt(z)) / math.sqrt(z)), "tanh x = x + x^3 P(x^2), |x| <= 0.625")
fit32("SINH_P", lambda z: (math.sinh(math.sqrt(z)) - math.sqrt(z)) / z ** 1.5 if z > 1e-8 else 1 / 6 + z / 120,
      1e-10, 1.0, 4, lambda z: z / (math.sinh(math.sqrt(z)) / math.sqrt(z)), "sinh x = x + x^3 P(x^2), |x| <= 1")
import scipy.special as sps
fit32("ERF_P", lambda z: sps.erf(math.sqrt(z)) / math.sqrt(z) if z > 1e-12 else 2 / math.sqrt(math.pi),
      0, 0.875 ** 2, 7, lambda z: 1.0 / (sps.erf(math.sqrt(z)) / math.sqrt(z)) if z > 1e-12 else math.sqrt(math.pi) / 2,
      "erf a = a + a P(a^2), 0 <= a <= 0.875 (P = erf(a)/a - 1)", c0_minus_one=True)
fit32("ERF_R", lambda a: math.log(sps.erfcx(a)), 0.875, 4.0, 8, lambda a: sps.erfc(a),
      "erfc a = exp(-a^2 + P(a - 2.4375)), 0.875 <= a <= 4 (absolute error of erfc)", shift=2.4375)
fit32("CBRT_P", lambda x: x ** (1 / 3), 1, 2, 3, lambda x: x ** (-1 / 3), "cbrt seed on [1,2] (relative)")

# pi/2 in four parts: 11 + 11 + 11 significant bits, then the float32 remainder.
def split_bits(v, bits):
    e = mp.floor(mp.log(abs(v), 2))
    q = mp.mpf(2) ** (e - bits + 1)
    return mp.nint(v / q) * q
pio2 = mp.pi / 2
c1 = split_bits(pio2, 11); c2 = split_bits(pio2 - c1, 11); c3 = split_bits(pio2 - c1 - c2, 11)
c4 = split_bits(pio2 - c1 - c2 - c3, 11); c5 = f32(pio2 - c1 - c2 - c3 - c4)
emit_f32("PIO2_PARTS", [c1, c2, c3, c4, c5], "pi/2 = C1 + ... + C5 (11, 11, 11, 11, 24 significant bits)")

# 2/pi bits for Payne-Hanek, preceded by two zero words (so windows may start before the point).
with mp.workdps(150):
    frac = 2 / mp.pi
words = [0, 0]
for _ in range(10):
    with mp.workdps(150):
        frac *= 2 ** 32
        w = int(mp.floor(frac)); frac -= w
    words.append(w)
out.append("// bits of 2/pi after the binary point, 32 per word, after two zero words\n"
           "export const TWO_OVER_PI_BITS = memory.data<u32>([" + ", ".join(hex(w) for w in words) + "]);")

# float64 exact series
emit_f64("EXPD_P", [1 / mp.factorial(k) for k in range(2, 14)], "e^r = 1 + r + r^2 sum_k r^k/(k+2)!, |r| <= ln2/2 (Taylor)")
emit_f64("LOGD_P", [mp.mpf(2) / (2 * k + 3) for k in range(0, 11)], "log(m) = 2s + s^3 sum 2 s^(2k)/(2k+3), s=(m-1)/(m+1) (Taylor)")
emit_f64("SIND_P", [(-1) ** k / mp.factorial(2 * k + 3) for k in range(0, 8)], "sin r = r + r^3 sum (-1)^k r^2k/(2k+3)! (Taylor)")
emit_f64("COSD_P", [(-1) ** k / mp.factorial(2 * k + 4) for k in range(0, 8)], "cos r = 1 - r^2/2 + r^4 sum (-1)^k r^2k/(2k+4)! (Taylor)")
emit_f64("SINPI_P", [(-1) ** k * mp.pi ** (2 * k + 1) / mp.factorial(2 * k + 1) for k in range(0, 14)],
         "sin(pi r) = r sum (-1)^k pi^(2k+1) r^2k/(2k+1)!, |r| <= 1/2 (Taylor)")
emit_f64("COSPI_P", [(-1) ** k * mp.pi ** (2 * k) / mp.factorial(2 * k) for k in range(0, 14)],
         "cos(pi r) = sum (-1)^k pi^(2k) r^2k/(2k)!, |r| <= 1/2 (Taylor)")
B = [mp.bernoulli(2 * k) for k in range(1, 9)]
emit_f64("STIRLING_P", [B[k - 1] / (2 * k * (2 * k - 1)) for k in range(1, 8)],
         "lgamma(v) = (v-1/2)log v - v + log(2pi)/2 + sum B_2k/(2k(2k-1) v^(2k-1)), v >= 10")
emit_f64("PSI_ASYM_P", [B[k - 1] / (2 * k) for k in range(1, 8)],
         "digamma(v) = log v - 1/(2v) - sum B_2k/(2k v^2k), v >= 10")
emit_f64("ERF_SMALL_P", [2 / mp.sqrt(mp.pi) * (-1) ** k / (mp.factorial(k) * (2 * k + 1)) for k in range(0, 12)],
         "erf x = x sum_k c_k x^2k, |x| < 1/2 (Taylor)")

# float64 Chebyshev fits
EG = mp.euler
def R(v):
    if abs(v - 1) < mp.mpf('1e-40'): return EG
    if abs(v - 2) < mp.mpf('1e-40'): return 1 - EG
    return mp.loggamma(v) / ((v - 1) * (v - 2))
co, c, m = cheb_fit(R, 1, 2.5, 16)
emit_f64("LGAMMA_R", co, f"lgamma(v) = (v-1)(v-2) R(v - {c}), 1 <= v <= 2.5; rel. error {m:.2g}")
x0 = mp.findroot(mp.digamma, mp.mpf('1.46'))
def Q(v):
    if abs(v - x0) < mp.mpf('1e-40'): return mp.psi(1, x0)
    return mp.digamma(v) / (v - x0)
co, c, m = cheb_fit(Q, 1, 2.5, 20)
x0hi = float(x0); x0lo = float(x0 - mp.mpf(x0hi))
emit_f64("DIGAMMA_Q", co, f"digamma(v) = (v - x0) Q(v - {c}), 1 <= v <= 2.5; rel. error {m:.2g}")
emit_f64("DIGAMMA_X0", [x0hi, x0lo], "positive zero of digamma, hi + lo")
k = mp.mpf('0.5')
a0, a1 = mp.mpf('0.5'), mp.mpf('10.1')
g = lambda u: mp.erfc((1 / u - 1) / k) * mp.exp(((1 / u - 1) / k) ** 2)
co, c, m = cheb_fit(g, 1 / (1 + k * a1), 1 / (1 + k * a0), 12)
emit_f64("ERFCX_P", co, f"erfc(a) e^(a^2) = P(u - {c}), u = 1/(1 + a/2), 0.5 <= a <= 10.1; rel. error {m:.2g}")
def einv1(w):
    y = mp.sqrt(-mp.expm1(-w))
    return mp.sqrt(mp.pi) / 2 if y == 0 else mp.erfinv(y) / y
co, c, m = cheb_fit(einv1, mp.mpf('1e-40'), 5, 12)
emit_f64("ERFINV_P1", co, f"erfinv(y) = y P(w - {c}), w = -log(1-y^2) < 5; rel. error {m:.2g}")
def einv2(s):
    return einv1(s * s)
co, c, m = cheb_fit(einv2, mp.sqrt(5), mp.sqrt(mp.mpf('16.7')), 12)
emit_f64("ERFINV_P2", co, f"erfinv(y) = y P(sqrt(w) - {c}), 5 <= w <= 16.7; rel. error {m:.2g}")

hdr = ("// Generated by test/wasm/math_fixtures/fit_coeffs.py. Do not edit.\n"
       "// Polynomial coefficients and constants of the float32 SIMD math library (math.ts),\n"
       "// stored in linear memory so that kernels load them with v128.load32_splat / load64_splat.\n\n")
with open(os.path.join(ROOT, "wasm", "assembly", "math_tables.ts"), "w") as fh:
    fh.write(hdr + "\n".join(out) + "\n")
print("wrote wasm/assembly/math_tables.ts")
