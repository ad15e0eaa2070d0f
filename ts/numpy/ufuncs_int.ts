// jax.numpy bitwise and integer ufuncs: bitwise and/or/xor/not, shifts, gcd, lcm.
// Integers wrap around (two's complement) as in JAX. Shifts by amounts outside
// [0, bits) give XLA's results (0, or the sign fill for arithmetic right shifts), which
// JAX documents and NumPy leaves to the C compiler.
import type { ArrayBase } from "../array/base.js";
import { bitWidth, type DType } from "../array/dtype.js";
import { absolute, floorDivide } from "./ufuncs.js";
import { constLike, isUnsigned, lax, prep, requireKinds, scoped, type X } from "./ufuncs_util.js";

const intHint = "bitwise operations need integer or bool inputs; convert floats with astype";

function bitwise(name: string, op: (a: ArrayBase, b: ArrayBase) => ArrayBase): (x: X, y: X) => ArrayBase {
  return (x: X, y: X) =>
    scoped(() => {
      const [a, b] = prep(name, [x, y]);
      requireKinds(name, a.dtype, ["int", "bool"], intHint);
      return op(a, b);
    });
}

/** Bitwise and (logical and on bools). */
export const bitwiseAnd = bitwise("bitwiseAnd", lax.and);
/** Bitwise or (logical or on bools). */
export const bitwiseOr = bitwise("bitwiseOr", lax.or);
/** Bitwise xor (logical xor on bools). */
export const bitwiseXor = bitwise("bitwiseXor", lax.xor);

function notFn(name: string): (x: X) => ArrayBase {
  return (x: X) =>
    scoped(() => {
      const [a] = prep(name, [x]);
      requireKinds(name, a.dtype, ["int", "bool"], intHint);
      return lax.not(a);
    });
}

/** Bitwise not (~x; logical not on bools). */
export const bitwiseNot = notFn("bitwiseNot");
/** Alias of bitwiseNot. */
export const invert = notFn("invert");
/** Alias of bitwiseNot (Array API name). */
export const bitwiseInvert = notFn("bitwiseInvert");

function shiftArgs(name: string, x: X, y: X): ArrayBase[] {
  const args = prep(name, [x, y], "numeric");
  requireKinds(name, args[0].dtype, ["int"], "shifts need integer inputs");
  return args;
}

/** x << y (0 once y >= the bit width, or y < 0, as XLA). Bools become int32. */
export function leftShift(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = shiftArgs("leftShift", x, y);
    return lax.shl(a, b);
  });
}

/** Alias of leftShift. */
export function bitwiseLeftShift(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = shiftArgs("bitwiseLeftShift", x, y);
    return lax.shl(a, b);
  });
}

/** x >> y: logical for unsigned, arithmetic for signed (sign fill once y >= the bit width). */
export function rightShift(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = shiftArgs("rightShift", x, y);
    return isUnsigned(a.dtype) ? lax.shrLogical(a, b) : lax.shrArith(a, b);
  });
}

/** Alias of rightShift. */
export function bitwiseRightShift(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = shiftArgs("bitwiseRightShift", x, y);
    return isUnsigned(a.dtype) ? lax.shrLogical(a, b) : lax.shrArith(a, b);
  });
}

// ---- gcd, lcm -------------------------------------------------------------------------

/**
 * Enough Euclid steps for every pair of `dtype` values: Lamé's bound (a pair needing n
 * division steps has its larger element >= F(n+2)), plus one step for the initial ordering
 * and one spare.
 */
function euclidSteps(dtype: DType): number {
  const max = 2 ** bitWidth(dtype) - 1;
  let [f1, f2, n] = [1, 1, 0]; // F(n+1), F(n+2)
  while (f2 <= max) {
    [f1, f2] = [f2, f1 + f2];
    n++;
  }
  return n + 2;
}

/**
 * gcd of |a| and |b| by Euclid's algorithm, unrolled to a fixed number of select steps (JAX
 * runs the same body in a while_loop until every remainder is 0; the steps after that are
 * identities, so the results agree). Operands: promoted integer arrays of one shape.
 */
function gcdImpl(a: ArrayBase, b: ArrayBase): ArrayBase {
  let x1 = absolute(a);
  let x2 = absolute(b);
  const zero = constLike(x2, 0);
  const steps = euclidSteps(a.dtype);
  for (let i = 0; i < steps; i++) {
    const nz = lax.ne(x2, zero);
    const n1 = lax.select(nz, x2, x1);
    const n2 = lax.select(nz, lax.rem(x1, x2), zero);
    const swap = lax.lt(n1, n2);
    x1 = lax.select(swap, n2, n1);
    x2 = lax.select(swap, n1, n2);
  }
  return x1;
}

function intArgs(name: string, x: X, y: X): ArrayBase[] {
  const args = prep(name, [x, y]);
  requireKinds(name, args[0].dtype, ["int"], `${name} is defined for integers only`);
  return args;
}

/** Greatest common divisor of |x| and |y| (gcd(0, 0) = 0). */
export function gcd(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = intArgs("gcd", x, y);
    return gcdImpl(a, b);
  });
}

/** Least common multiple of |x| and |y| (0 if either is 0). */
export function lcm(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a0, b0] = intArgs("lcm", x, y);
    const a = absolute(a0);
    const b = absolute(b0);
    const d = gcdImpl(a, b);
    const zero = constLike(d, 0);
    return lax.select(lax.eq(d, zero), zero, lax.mul(a, floorDivide(b, d)));
  });
}
