// lax.foriLoop: a counted loop. With static bounds (JS numbers or concrete arrays) it is a
// scan over the iteration count, so reverse-mode differentiation works; with traced bounds
// it is a whileLoop, as in JAX.
import { ArrayBase } from "../../array/base.js";
import { Tracer } from "../../core/trace.js";
import { bind1 } from "../../core/trace.js";
import { arg } from "../../numpy/convert.js";
import { add_p, lt_p } from "../elementwise.js";
import { convert, full } from "../rule_util.js";
import { scan } from "./scan.js";
import { whileLoop } from "./while.js";

type Bound = ArrayBase | number;

/**
 * lax.foriLoop(lower, upper, body, init, {unroll}): val = body(i, val) for i in
 * [lower, upper). unroll applies to static bounds (the scan form).
 */
export function foriLoop(lower: Bound, upper: Bound, body: (i: ArrayBase, val: any) => any, init: unknown, opts: { unroll?: number | boolean } = {}): any {
  const fn = "lax.foriLoop";
  if (typeof body !== "function") throw new TypeError(`${fn}: body must be a function, got ${body === null ? "null" : typeof body}`);
  let lo = arg(fn, lower);
  let hi = arg(fn, upper);
  for (const b of [lo, hi]) {
    if (b.shape.length !== 0 || !(b.dtype.startsWith("int") || b.dtype.startsWith("uint"))) {
      throw new TypeError(`${fn}: lower and upper must be integer scalars, got ${b.dtype}[${b.shape}]`);
    }
  }
  // Both bounds get one dtype: that of an array bound (JS numbers are weak int32).
  const dtype = !lo.weakType ? lo.dtype : hi.dtype;
  const weak = lo.weakType && hi.weakType;
  lo = convert(lo, dtype, weak);
  hi = convert(hi, dtype, weak);
  const one = full([], 1, dtype, weak);
  const next = (i: ArrayBase) => bind1(add_p, [i, one], {});
  if (!(lo instanceof Tracer) && !(hi instanceof Tracer)) {
    const length = Math.max(0, Number(hi.item()) - Number(lo.item()));
    const [[, out]] = scan((c: [ArrayBase, unknown]) => [[next(c[0]), body(c[0], c[1])], null], [lo, init], null, { length, unroll: opts.unroll });
    return out;
  }
  const [, , out] = whileLoop(
    (c: [ArrayBase, ArrayBase, unknown]) => bind1(lt_p, [c[0], c[1]], {}),
    (c: [ArrayBase, ArrayBase, unknown]) => [next(c[0]), c[1], body(c[0], c[2])],
    [lo, hi, init],
  );
  return out;
}
