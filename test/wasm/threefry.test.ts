// The Threefry-2x32 routine (wasm/assembly/routines/threefry.ts) against a plain JS reference
// and Salmon et al.'s known answers, bit for bit, in both builds: SIMD body and scalar tail,
// per-element and broadcast (stride 0) operands.
import { describe, expect, it } from "vitest";
import { threefry2x32 } from "../../wasm/routines.js";
import { loadBuilds, rng } from "./helpers.js";

const ROT = [[13, 15, 26, 6], [17, 29, 16, 24]];
const rotl = (v: number, r: number) => ((v << r) | (v >>> (32 - r))) >>> 0;

function reference(k0: number, k1: number, x0: number, x1: number): [number, number] {
  const ks = [k0, k1, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  let a = (x0 + ks[0]) >>> 0;
  let b = (x1 + ks[1]) >>> 0;
  for (let i = 0; i < 5; i++) {
    for (const r of ROT[i % 2]) {
      a = (a + b) >>> 0;
      b = (rotl(b, r) ^ a) >>> 0;
    }
    a = (a + ks[(i + 1) % 3]) >>> 0;
    b = (b + ks[(i + 2) % 3] + i + 1) >>> 0;
  }
  return [a, b];
}

describe.each(loadBuilds())("threefry2x32 (%s build)", (_name, inst) => {
  it.skipIf(!inst)("matches the known answers", () => {
    const cases = [
      [0, 0, 0, 0, 0x6b200159, 0x99ba4efe],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
      [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
    ];
    const p = inst!.heap.alloc(6 * 4 * cases.length);
    const u = inst!.heap.views().i32; // uint32 words written through int32 wrap alike
    cases.forEach((c, j) => c.forEach((v, i) => (u[(p >> 2) + i * cases.length + j] = v)));
    const at = (i: number) => p + 4 * i * cases.length;
    threefry2x32(inst!, {
      n: cases.length,
      k0: { ptr: at(0), stride: 1 }, k1: { ptr: at(1), stride: 1 },
      x0: { ptr: at(2), stride: 1 }, x1: { ptr: at(3), stride: 1 },
      y0: at(4), y1: at(5),
    });
    const v = new Uint32Array(inst!.heap.views().i32.buffer);
    cases.forEach((c, j) => {
      expect(v[(at(4) >> 2) + j]).toBe(c[4]);
      expect(v[(at(5) >> 2) + j]).toBe(c[5]);
    });
    inst!.heap.free(p);
  });

  it.skipIf(!inst)("matches the JS reference for every length and stride pattern", () => {
    const r = rng(7);
    const word = () => Math.floor(r() * 2 ** 32) >>> 0;
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 31, 64, 1001]) {
      for (let pattern = 0; pattern < 16; pattern++) {
        const strides = [0, 1, 2, 3].map((b) => ((pattern >> b) & 1) as 0 | 1);
        const ops = strides.map((s) => Array.from({ length: s ? n : 1 }, word));
        const ptrs = ops.map((o) => inst!.heap.alloc(4 * o.length));
        const y0 = inst!.heap.alloc(4 * n), y1 = inst!.heap.alloc(4 * n);
        ops.forEach((o, i) => inst!.heap.views().i32.set(o, ptrs[i] >> 2));
        threefry2x32(inst!, {
          n,
          k0: { ptr: ptrs[0], stride: strides[0] }, k1: { ptr: ptrs[1], stride: strides[1] },
          x0: { ptr: ptrs[2], stride: strides[2] }, x1: { ptr: ptrs[3], stride: strides[3] },
          y0, y1,
        });
        const v = new Uint32Array(inst!.heap.views().i32.buffer);
        for (let i = 0; i < n; i++) {
          const [a, b] = reference(...(ops.map((o, j) => o[strides[j] ? i : 0]) as [number, number, number, number]));
          if (v[(y0 >> 2) + i] !== a || v[(y1 >> 2) + i] !== b) {
            expect([v[(y0 >> 2) + i], v[(y1 >> 2) + i]], `n=${n} strides=${strides} i=${i}`).toEqual([a, b]);
          }
        }
        for (const q of [...ptrs, y0, y1]) inst!.heap.free(q);
      }
    }
  });

  it.skipIf(!inst)("rejects bad arguments with the routine's name", () => {
    const ok = { ptr: 8, stride: 1 as const };
    expect(() => threefry2x32(inst!, { n: 1.5, k0: ok, k1: ok, x0: ok, x1: ok, y0: 8, y1: 8 })).toThrow(/threefry2x32/);
    expect(() => threefry2x32(inst!, { n: 1, k0: { ptr: 8, stride: 2 as 1 }, k1: ok, x0: ok, x1: ok, y0: 8, y1: 8 })).toThrow(/stride/);
  });
});
