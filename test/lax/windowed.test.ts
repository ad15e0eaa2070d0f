// ts/lax/windowed.ts: lax.reduceWindow (max / min / sum / prod pooling) against NumPy
// references (test/numpy/gen_contractions.py -> fixtures/contractions_window.json): 1-D to 4-D
// (NHWC pooling as stax's MaxPool / SumPool / AvgPool), strides, SAME / SAME_LOWER / VALID /
// explicit (also negative) padding — padding takes the reduction's identity, so max pads with
// -inf —, base and window dilation, dtypes (int8 sums wrap), size-0 results; errors.
//
// Tolerance: max/min select an input (exact); float sums/products within (K + 2) * 2^-24 *
// sum|terms| (K = window size; any summation order, Higham 3.1), float16 one more 2^-11
// rounding; ints exact.
import { describe, expect, it } from "vitest";
import { Array, lax, numpy as np } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { decode, type Enc, expectRef, needsX64, type Ref, withX64 } from "../numpy/contractions_fixture_util.js";

type Op = "sum" | "max" | "min" | "prod";

interface Case extends Ref {
  x: Enc;
  op: Op;
  window: number[];
  strides: number[];
  padding: string | [number, number][];
  pads: [number, number][];
  baseDilation: number[] | null;
  windowDilation: number[] | null;
}

interface AvgCase extends Ref {
  x: Enc;
  window: number[];
  strides: number[];
  padding: string;
}

const fx = fixture<{ cases: Case[]; avgpool: AvgCase[] }>("numpy/fixtures/contractions_window.json");

const name = (c: Case) =>
  `${c.op} ${c.x.d}${JSON.stringify(c.x.s)} w=${JSON.stringify(c.window)} s=${JSON.stringify(c.strides)} p=${JSON.stringify(c.padding)}` +
  `${c.baseDilation ? ` bd=${JSON.stringify(c.baseDilation)}` : ""}${c.windowDilation ? ` wd=${JSON.stringify(c.windowDilation)}` : ""}`;

const run = (c: Case, padding: string | [number, number][] = c.padding) =>
  lax.reduceWindow(decode(c.x), c.op, c.window, c.strides, padding, {
    baseDilation: c.baseDilation ?? undefined,
    windowDilation: c.windowDilation ?? undefined,
  }) as Array;

const f32 = (v: unknown) => np.array(v as never, "float32");

describe.each(backends)("lax.reduceWindow on %s", (backend) => {
  useBackend(backend);

  it.each(fx.cases.map((c) => [name(c), c] as const))("%s", (label, c) => {
    withX64(needsX64(c.x), () => {
      expectRef(run(c), c, label);
      // The string padding resolves to JAX's padtype_to_pads (from the undilated shape).
      if (typeof c.padding === "string") expectRef(run(c, c.pads), c, `${label} (explicit pads)`);
    });
  });

  it.each(fx.avgpool.map((c) => [`${JSON.stringify(c.x.s)} w=${JSON.stringify(c.window)} ${c.padding}`, c] as const))(
    "average pooling (stax.AvgPool: window sum / count of non-padding elements) %s",
    (label, c) => {
      const x = decode(c.x);
      const sums = lax.reduceWindow(x, "sum", c.window, c.strides, c.padding);
      const counts = lax.reduceWindow(np.onesLike(x), "sum", c.window, c.strides, c.padding);
      expectRef(np.divide(sums, counts) as Array, c, label);
    },
  );

  it("max with SAME padding never sees the padding (it is -inf), sum sees zeros", () => {
    const x = f32([[-1, -2, -3], [-4, -5, -6]]);
    expectArray(lax.reduceWindow(x, "max", [2, 2], [1, 1], "SAME") as Array, [[-1, -2, -3], [-4, -5, -6]]);
    expectArray(lax.reduceWindow(x, "min", [2, 2], [1, 1], "SAME") as Array, [[-5, -6, -6], [-5, -6, -6]]);
    expectArray(lax.reduceWindow(x, "sum", [2, 2], [1, 1], "SAME") as Array, [[-12, -16, -9], [-9, -11, -6]]);
    const i = np.array([-128, -100, -5], "int8");
    expectArray(lax.reduceWindow(i, "max", [3], [1], "SAME") as Array, [-100, -5, -5], { dtype: "int8" });
    expectArray(lax.reduceWindow(np.array([250, 1, 7], "uint8"), "min", [2], [1], "SAME") as Array, [1, 1, 7], { dtype: "uint8" });
  });

  it("JAX's form: initValue and computation (lax.add / mul / max / min)", () => {
    // The docstring example of jax.lax.reduce_window: windowed products over pairs.
    const x = np.arange(10).astype("float32");
    expectArray(lax.reduceWindow(x, 1, lax.mul, [2]) as Array, [0, 2, 6, 12, 20, 30, 42, 56, 72]);
    const y = f32([[-1, -2, -3], [-4, -5, -6]]);
    const same = (init: number | Array, comp: (a: Array, b: Array) => Array) =>
      lax.reduceWindow(y, init, comp as never, [2, 2], [1, 1], "SAME") as Array;
    expectArray(same(-Infinity, lax.max as never), [[-1, -2, -3], [-4, -5, -6]]);
    expectArray(same(np.array(-Infinity, "float32"), lax.max as never), [[-1, -2, -3], [-4, -5, -6]]);
    expectArray(same(0, lax.add as never), [[-12, -16, -9], [-9, -11, -6]]);
    // A non-identity init pads and starts every window (XLA's ReduceWindow):
    // max with init 0 clips at 0; sum with init 1 adds 1 per window and 1 per padded element.
    expectArray(same(0, lax.max as never), [[0, 0, 0], [0, 0, 0]]);
    expectArray(lax.reduceWindow(f32([1, 2, 3]), 1, lax.add as never, [2], [1], "SAME") as Array, [4, 6, 5]);
    expectArray(lax.reduceWindow(f32([1, 2, 3]), 10, lax.min as never, [2], [2]) as Array, [1]);
    // Dilations positionally, as JAX's base_dilation / window_dilation.
    expectArray(lax.reduceWindow(f32([1, 2, 3, 4, 5]), 0, lax.add as never, [2], [1], "VALID", [1], [2]) as Array, [4, 6, 8]);
    expect(() => lax.reduceWindow(y, 0, ((a: Array) => a) as never, [2, 2])).toThrow(/lax.reduce_window: the computation must be lax.add, lax.mul, lax.max or lax.min/);
    expect(() => lax.reduceWindow(y, np.ones([2]), lax.add as never, [2, 2])).toThrow(/initValue must be a scalar.*\[2\]/);
  });

  it("NaN propagates through max and sum windows", () => {
    const x = f32([1, NaN, 3, 4]);
    expectArray(lax.reduceWindow(x, "max", [2], [1]) as Array, [NaN, NaN, 4]);
    expectArray(lax.reduceWindow(x, "sum", [2], [2]) as Array, [NaN, 7]);
  });

  it("bool sums are logical or, products logical and (XLA's add / mul on pred)", () => {
    const b = np.array([true, false, false, true]);
    expectArray(lax.reduceWindow(b, "sum", [2], [1]) as Array, [true, false, true], { dtype: "bool" });
    expectArray(lax.reduceWindow(b, "prod", [2], [1], "SAME") as Array, [false, false, false, true], { dtype: "bool" });
  });

  it("base dilation with SAME padding: pads from the undilated shape, as JAX", () => {
    // JAX: padtype_to_pads([3], [2], [2], SAME) = [(0, 1)]; on the dilated [1, 0, 2, 0, 3] + 1 pad.
    const got = lax.reduceWindow(f32([1, 2, 3]), "sum", [2], [2], "SAME", { baseDilation: [2] }) as Array;
    expectArray(got, [1, 2, 3]);
  });

  it("operands through views (transposed, strided, broadcast)", () => {
    const x = np.arange(20).astype("float32").reshape([4, 5]);
    const t = lax.transpose(x, [1, 0]) as Array;
    expectArray(lax.reduceWindow(t, "max", [2, 2], [2, 2]) as Array, [[6, 16], [8, 18]]);
    const s = x.get("::2, ::-1") as Array; // [[4,3,2,1,0],[14,13,12,11,10]]
    expectArray(lax.reduceWindow(s, "sum", [2, 2], [1, 2]) as Array, [[34, 26]]);
    const bc = np.broadcastTo(f32([1, 2, 3]), [2, 3]);
    expectArray(lax.reduceWindow(bc, "sum", [2, 2], [1, 1], "VALID") as Array, [[6, 10]]);
  });

  it("size-0 operands and windows larger than the input", () => {
    expect(lax.reduceWindow(np.ones([4]), "max", [6], [1]).shape).toEqual([0]);
    expectArray(lax.reduceWindow(np.ones([0]), "sum", [1], [1], [[1, 1]]) as Array, [0, 0]);
    expectArray(lax.reduceWindow(np.ones([0], "int8"), "max", [1], [1], [[1, 0]]) as Array, [-128], { dtype: "int8" });
    expect(lax.reduceWindow(np.ones([0, 3]), "sum", [1, 2], [1, 1]).shape).toEqual([0, 2]);
  });

  it("errors", () => {
    const x = np.ones([4, 4]);
    expect(() => lax.reduceWindow(x, "mean" as Op, [2, 2])).toThrow(/lax.reduce_window: op must be "sum", "max", "min" or "prod".*got "mean"/);
    expect(() => lax.reduceWindow(x, "max", [2])).toThrow(/lax.reduce_window: window_dimensions needs 2 entries for an operand of shape \[4, 4\], got \[2\]/);
    expect(() => lax.reduceWindow(x, "max", [2, 2], [1])).toThrow(/window_strides needs 2 entries/);
    expect(() => lax.reduceWindow(x, "max", [2, 0], [1, 1])).toThrow(/window_dimensions must be 2 positive integers.*\[2,0\]/);
    expect(() => lax.reduceWindow(x, "max", [2, 2], [1, 1], "FULL")).toThrow(/lax.reduce_window: unknown padding "FULL"/);
    expect(() => lax.reduceWindow(x, "max", [2, 2], [1, 1], [[0, 0]])).toThrow(/lax.reduce_window: padding must be "SAME", "VALID" or 2 \(lo, hi\) pairs/);
    expect(() => lax.reduceWindow(x, "max", [2, 2], [1, 1], "VALID", { windowDilation: [1, 0] })).toThrow(/window_dilation must be 2 positive integers/);
  });
});
