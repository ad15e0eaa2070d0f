// The CPU path with no run-time code generation: a small program inside workerd (npm
// `workerd`, Cloudflare's runtime), with the kernel module imported as a Wasm module.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("workerd (no run-time Wasm compilation)", () => {
  it("computes correct numbers with the precompiled kernel module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edgejax-workerd-"));
    await build({
      entryPoints: [join(root, "test/runtime/workerd/worker.ts")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile: join(dir, "worker.js"),
      external: ["./kernels.wasm"],
      logLevel: "error",
    });
    copyFileSync(join(root, "wasm/build/kernels.wasm"), join(dir, "kernels.wasm"));
    writeFileSync(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = ( services = [ (name = "main", worker = .w) ] );
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js"),
              (name = "kernels.wasm", wasm = embed "kernels.wasm") ],
  compatibilityDate = "2025-01-01",
);
`,
    );
    const run = spawnSync(join(root, "node_modules/.bin/workerd"), ["test", "config.capnp"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
    });
    const out = `${run.stdout}\n${run.stderr}`;
    expect(run.status, out).toBe(0);
    const line = out.split("\n").find((l) => l.startsWith("RESULTS "));
    expect(line, `workerd printed no results:\n${out}`).toBeDefined();
    const r = JSON.parse(line!.slice(8));
    expect(r.beforeInit).toMatch(/init\(\{ module/);
    const x = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5];
    const y = [1, 2, 3, 4, 5, 6, 7, 8];
    r.sinPlusCos.forEach((v: number, i: number) => expect(v).toBeCloseTo(Math.sin(x[i]) + Math.cos(y[i]), 6));
    expect(r.sum).toBe(36);
    expect(r.argmax).toBe(7);
    expect(r.sorted.slice(0, 4)).toEqual([-1, 0, 2, 3]);
    expect(Number.isNaN(r.sorted[4] ?? Number.NaN) || r.sorted[4] === null).toBe(true);
  });
});
