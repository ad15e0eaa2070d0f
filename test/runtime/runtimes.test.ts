// The published bundle in other JavaScript runtimes, each a real binary from npm: Deno (V8,
// its own module loader and permission model) and Bun (JavaScriptCore, Safari's engine). Each runs test/runtime/program/program.mjs; its numbers must
// equal what the same program computes here (floats to 1e-6: another engine may pick the
// other kernel build; integers and random bits exactly).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { grad, jit, numpy as np, random, vmap, type Array } from "../../ts/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const program = join(root, "test/runtime/program/program.mjs");

const runtimes: [string, string[]][] = [
  ["deno", ["run", "--quiet", "--no-prompt", program]],
  ["bun", ["run", program]],
];

function expected() {
  const x = np.array([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], "float32");
  const y = np.arange(1, 9).astype("float32");
  const sinc = (v: Array) => np.divide(np.sin(v), v);
  const m = np.reshape(np.arange(12).astype("float32"), [3, 4]);
  return {
    sinPlusCos: (jit((a: Array, b: Array) => np.add(np.sin(a), np.cos(b)))(x, y) as Array).tolist() as number[],
    gradSinc: (grad(sinc)(2.0) as Array).item() as number,
    vmapGrad: (vmap(grad(sinc))(np.array([1, 2, 3], "float32")) as Array).tolist() as number[],
    matmul: (np.matmul(m, np.transpose(m)) as Array).tolist() as number[][],
    sorted: (np.sort(np.array([3, -1, 2, 0], "float32")) as Array).tolist(),
    bits: (random.bits(random.key(0), [4]) as Array).tolist(),
    normal: (random.normal(random.key(1), [3]) as Array).tolist() as number[],
  };
}

const close = (got: number[], want: number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[i]))));
};

describe.each(runtimes)("the bundle in %s", (name, args) => {
  it("computes what Node computes", () => {
    const bin = join(root, "node_modules/.bin", name);
    expect(existsSync(bin), `${bin} (npm ci installs it)`).toBe(true);
    const run = spawnSync(bin, args, { cwd: root, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.status, out).toBe(0);
    const line = out.split("\n").find((l) => l.startsWith("RESULTS "));
    expect(line, `${name} printed no results:\n${out}`).toBeDefined();
    const r = JSON.parse(line!.slice(8));
    expect(r.runtime).toBe(name);
    const want = expected();
    close(r.sinPlusCos, want.sinPlusCos);
    close([r.gradSinc], [want.gradSinc]);
    close(r.vmapGrad, want.vmapGrad);
    expect(r.matmul).toEqual(want.matmul); // small integers: exact in any summation order
    expect(r.sorted).toEqual(want.sorted);
    expect(r.bits).toEqual(want.bits);
    close(r.normal, want.normal);
  });
});
