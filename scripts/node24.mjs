// Runs a command under Node 24 (relaxed SIMD on), installing Node 24 from npm into
// .cache/node24 on first use. Node 20, the machine's, lacks relaxed SIMD, so the kernel
// suite runs under both: `node scripts/node24.mjs node_modules/vitest/vitest.mjs run test/wasm`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, ".cache", "node24");
const bin = join(dir, "node_modules", "node", "bin", "node");

if (!existsSync(bin)) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
  console.log("installing Node 24 from npm into .cache/node24 ...");
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "node@24"], { cwd: dir, stdio: "inherit" });
}
const r = spawnSync(bin, process.argv.slice(2), { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
