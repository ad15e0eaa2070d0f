// Bad input gets a clear error naming the function, the shapes/dtypes and the fix; never a
// wrong result or a crash of the Wasm instance. Allocation failure leaves arrays intact.
import { describe, expect, it } from "vitest";
import { lax, memoryStats, numpy as np } from "../ts/index.js";
import { backends, useBackend } from "./helpers.js";

describe.each(backends)("bad input on %s", (backend) => {
  useBackend(backend);
  const a = () => np.ones([2, 3]);
  const b = () => np.ones([4, 5]);

  it("mismatched shapes name the function and both shapes", () => {
    expect(() => np.add(a(), b())).toThrow(/add.*\[2, 3\].*\[4, 5\]/s);
    expect(() => np.matmul(a(), b())).toThrow(/matmul.*3.*4/s);
    expect(() => np.reshape(a(), [4, 4])).toThrow(/reshape.*\[2, 3\].*\[4, 4\]/s);
    expect(() => np.concatenate([a(), b()])).toThrow(/concatenate/);
    expect(() => lax.add(a(), b())).toThrow(/lax\.add.*equal shapes/);
  });

  it("bad axes", () => {
    expect(() => np.sum(a(), 2)).toThrow(/sum.*axis 2.*out of bounds.*dimension 2/s);
    expect(() => np.sum(a(), -3)).toThrow(/out of bounds/);
    expect(() => np.argmax(a(), 5)).toThrow(/argmax.*axis/s);
    expect(() => np.sum(a(), 0.5)).toThrow(/axis/);
    expect(() => np.transpose(a(), [0, 0])).toThrow(/transpose/);
  });

  it("bad dtypes", () => {
    expect(() => np.zeros([2], "float128")).toThrow(/unknown dtype "float128"/);
    expect(() => np.array([1, 2], "complex64")).toThrow(/unknown dtype/);
    expect(() => lax.sin(np.array([1, 2], "int32"))).toThrow(/lax\.sin.*floating.*int32/);
    expect(() => np.bitwiseAnd(np.ones([2]), np.ones([2]))).toThrow(/bitwise/i);
  });

  it("non-numeric and ragged data in np.array", () => {
    expect(() => np.array([1, "a" as unknown as number])).toThrow(/array.*non-numeric.*\[1\].*string/s);
    expect(() => np.array([[1, 2], [3]])).toThrow(/ragged.*\[1\].*length 1.*length 2/s);
    expect(() => np.array({} as never)).toThrow(/cannot convert/);
    expect(() => np.sum([1, 2] as never)).toThrow(/lists.*np\.array/);
  });

  it("out-of-range static arguments", () => {
    expect(() => np.zeros([-1])).toThrow(/zeros/);
    expect(() => lax.slice(a(), [0, 0], [3, 3])).toThrow(/lax\.slice.*\[2, 3\]/);
    expect(() => np.linspace(0, 1, -2)).toThrow(/linspace/);
    expect(() => lax.sort(a(), { numKeys: 3 })).toThrow(/numKeys/);
  });

  it("a disposed array is a clear error in every use", () => {
    const x = a();
    x.dispose();
    expect(() => np.sin(x)).toThrow(/disposed/);
    expect(() => x.add(1)).toThrow(/disposed/);
    expect(() => x.tolist()).toThrow(/disposed/);
  });

  it("allocation failure is a RangeError and leaves existing arrays intact", () => {
    const keep = np.arange(10);
    // np.zeros is a broadcast view (no memory); adding materializes 8 GB, past Wasm32.
    const big = np.zeros([2 ** 31], "float32");
    const before = memoryStats();
    expect(() => np.add(big, big)).toThrow(/out of memory.*cannot grow/s);
    expect(keep.tolist()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(memoryStats().liveArrays).toBe(before.liveArrays);
    expect(memoryStats().bytesInUse).toBe(before.bytesInUse);
    big.dispose();
    // The instance still works.
    expect(np.add(keep, 1).tolist()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    keep.dispose();
  });
});
