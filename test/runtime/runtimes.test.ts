// The published bundle in other JavaScript runtimes, each a real binary: Deno (V8, its own
// module loader and permission model) and Bun (JavaScriptCore, Safari's engine) from npm, and
// headless Chromium (Debian's, driven by playwright-core) loading it on a page with init().
// Each runs test/runtime/program/program.mjs; its numbers must equal what the same program
// gives here on the sources (floats to 1e-6: another engine may pick the other kernel build;
// integers and random bits exactly).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as edgejax from "../../ts/index.js";
// @ts-expect-error: a plain ES module shared with the other runtimes (no declarations)
import { runProgram } from "./program/program.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const program = join(root, "test/runtime/program/main.mjs");

const runtimes: [string, string[]][] = [
  ["deno", ["run", "--quiet", "--no-prompt", program]],
  ["bun", ["run", program]],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const expected = (): any => runProgram(edgejax);

const close = (got: number[], want: number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[i]))));
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectSameNumbers(r: any) {
  const want = expected();
  close(r.sinPlusCos, want.sinPlusCos);
  close([r.gradSinc], [want.gradSinc]);
  close(r.vmapGrad, want.vmapGrad);
  expect(r.matmul).toEqual(want.matmul); // small integers: exact in any summation order
  expect(r.sorted).toEqual(want.sorted);
  expect(r.bits).toEqual(want.bits);
  close(r.normal, want.normal);
}

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
    expectSameNumbers(r);
  });
});

const CHROMIUM = "/usr/bin/chromium";

describe("the bundle in headless Chromium", () => {
  it("loads with await init() on a page and computes what Node computes", async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (.ci/run installs Debian's chromium)`).toBe(true);
    const files: Record<string, [string, string]> = {
      "/": [join(root, "test/runtime/browser/index.html"), "text/html"],
      "/dist/edgejax.js": [join(root, "dist/edgejax.js"), "text/javascript"],
      "/program.mjs": [join(root, "test/runtime/program/program.mjs"), "text/javascript"],
    };
    const server = createServer((req, res) => {
      const f = files[req.url ?? ""];
      if (!f) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": f[1] }).end(readFileSync(f[0]));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (globalThis as { RESULTS?: unknown }).RESULTS !== undefined, undefined, { timeout: 60_000 });
      const r = await page.evaluate(() => (globalThis as { RESULTS?: unknown }).RESULTS);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const res = r as any;
      expect(res.error, res.error).toBeUndefined();
      expect(errors).toEqual([]);
      expectSameNumbers(res);
      close(res.data, [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});
