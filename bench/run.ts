// npm run bench: edgejax against TensorFlow.js (wasm), jax-js (wasm) and NumPy, side by side
// in one run. Each case: warm-up runs, then rounds that interleave the JS peers, medians.
// Writes bench/results/latest.json and latest.md, and the table into README.md.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { CASES, type Case } from "./cases.js";
import { edgejax } from "./peers/edgejax.js";
import { jaxjs } from "./peers/jaxjs.js";
import { tfjs } from "./peers/tfjs.js";
import type { Peer } from "./peers/types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const only = process.argv.slice(2);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const cases = only.length ? CASES.filter((c) => only.some((o) => c.id.startsWith(o))) : CASES;
  const peers: Peer[] = [];
  const notes: string[] = [];
  for (const p of [edgejax, tfjs, jaxjs]) {
    const ok = await p.setup();
    if (ok === true) peers.push(p);
    else notes.push(`${p.name}: ${ok}`);
  }
  const times: Record<string, Record<string, number[]>> = {};
  for (const c of cases) {
    times[c.id] = {};
    const runners = peers.map((p) => [p, p.prepare(c.id)] as const).filter(([, r]) => r);
    for (const [, r] of runners) for (let i = 0; i < 2; i++) await r!.run();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [p, r] of runners) {
        const t0 = performance.now();
        await r!.run();
        (times[c.id][p.name] ??= []).push(performance.now() - t0);
      }
    }
    for (const [, r] of runners) r!.dispose();
    const line = runners.map(([p]) => `${p.name} ${c.figure(median(times[c.id][p.name])).toFixed(2)}`).join(", ");
    console.log(`${c.label}: ${line} (${c.unit})`);
  }
  // NumPy in a separate process (same session), one BLAS thread.
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const py = spawnSync("python3", [join(root, "bench/numpy_peer.py"), String(ROUNDS)], { env, encoding: "utf8", maxBuffer: 1 << 24 });
  let numpyVersion = "";
  if (py.status === 0) {
    const r = JSON.parse(py.stdout);
    numpyVersion = r._version;
    for (const c of cases) if (r[c.id]) times[c.id].NumPy = r[c.id];
  } else notes.push(`NumPy: unavailable (${(py.stderr || "python3 not found").trim().split("\n").pop()})`);

  const peerNames = [...peers.map((p) => p.name), ...(numpyVersion ? ["NumPy"] : [])];
  const figures: Record<string, Record<string, number>> = {};
  for (const c of cases) {
    figures[c.id] = {};
    for (const [name, ts] of Object.entries(times[c.id])) figures[c.id][name] = c.figure(median(ts));
  }
  const ratio = (c: Case, peer: string) => {
    const e = figures[c.id].edgejax;
    const o = figures[c.id][peer];
    if (e === undefined || o === undefined) return "";
    return c.higherIsBetter ? (e / o).toFixed(2) : (o / e).toFixed(2);
  };
  const others = peerNames.filter((n) => n !== "edgejax");
  let md = `| case | unit | ${peerNames.join(" | ")} | ${others.map((o) => `speed-up vs ${o}`).join(" | ")} |\n`;
  md += `|---|---|${peerNames.map(() => "---:").join("|")}|${others.map(() => "---:").join("|")}|\n`;
  for (const c of cases) {
    const cells = peerNames.map((n) => (figures[c.id][n] === undefined ? "—" : figures[c.id][n].toFixed(c.unit === "GFLOP/s" ? 1 : 2)));
    md += `| ${c.label} | ${c.unit} | ${cells.join(" | ")} | ${others.map((o) => ratio(c, o) || "—").join(" | ")} |\n`;
  }
  const machine = `${os.cpus()[0]?.model ?? "cpu"} (${os.cpus().length} cores), Node ${process.version}`;
  md += `\nMedians of ${ROUNDS} interleaved rounds after warm-up, one thread where the peer allows it (tfjs threads = 1, NumPy with one BLAS thread; jax-js as it ships). ${machine}${numpyVersion ? `, NumPy ${numpyVersion}` : ""}. Speed-up > 1 means edgejax is faster.\n`;
  if (notes.length) md += `\n${notes.map((n) => `- ${n}`).join("\n")}\n`;
  console.log(`\n${md}`);

  const outDir = join(root, "bench/results");
  writeFileSync(join(outDir, "latest.json"), JSON.stringify({ date: new Date().toISOString(), machine, rounds: ROUNDS, times, figures }, null, 2));
  writeFileSync(join(outDir, "latest.md"), md);
  if (!only.length) {
    const readmePath = join(root, "README.md");
    const readme = readFileSync(readmePath, "utf8");
    const start = "<!-- bench:start -->";
    const end = "<!-- bench:end -->";
    if (readme.includes(start) && readme.includes(end)) {
      writeFileSync(readmePath, readme.slice(0, readme.indexOf(start) + start.length) + "\n" + md + readme.slice(readme.indexOf(end)));
    }
  }
}

await main();
