// npm run bench: edgejax against TensorFlow.js (wasm), jax-js (wasm) and NumPy, side by side
// in one run. Each case runs in a fresh process: warm-up, then rounds that interleave the JS
// peers, medians.
// Writes bench/results/latest.json and latest.md, and the table into README.md.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Child mode: measure one case with every JS peer, print {peer: times} as JSON. */
async function measureCase(id: string, peerNames: string[]): Promise<void> {
  const result: Record<string, number[] | string> = {};
  const runners: [string, NonNullable<ReturnType<Peer["prepare"]>>][] = [];
  for (const p of [edgejax, tfjs, jaxjs].filter((q) => peerNames.includes(q.name))) {
    const ok = await p.setup();
    if (ok !== true) {
      result[p.name] = ok;
      continue;
    }
    const r = p.prepare(id);
    if (r) runners.push([p.name, r]);
  }
  // Warm-up: at least 2 runs and 0.5 s per peer, so the engine has optimized the hot paths.
  for (const [, r] of runners) {
    const t0 = performance.now();
    for (let i = 0; i < 2 || performance.now() - t0 < 500; i++) await r.run();
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, r] of runners) {
      const t0 = performance.now();
      await r.run();
      ((result[name] ??= []) as number[]).push(performance.now() - t0);
    }
  }
  for (const [, r] of runners) r.dispose();
  process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
}

/** Runs one case in a fresh process (so one case's heap and tiering don't color the next). */
function runChild(node: string, id: string, peerNames: string[]): Record<string, number[] | string> {
  const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
  const r = spawnSync(node, [tsx, join(root, "bench/run.ts"), "--case", id, "--peers", peerNames.join(",")], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("BENCH "));
  if (!line) throw new Error(`bench case ${id} failed under ${node}:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice(6));
}

async function main(): Promise<void> {
  const cases = only.length ? CASES.filter((c) => only.some((o) => c.id.startsWith(o))) : CASES;
  const jsPeers = [edgejax.name, tfjs.name, jaxjs.name];
  const notes: string[] = [];
  const times: Record<string, Record<string, number[]>> = {};
  // Node 24 (relaxed SIMD) for edgejax too, where scripts/node24.mjs installed it.
  const node24 = join(root, ".cache/node24/node_modules/node/bin/node");
  const haveNode24 = existsSync(node24);
  for (const c of cases) {
    times[c.id] = {};
    const res = runChild(process.execPath, c.id, jsPeers);
    for (const [name, v] of Object.entries(res)) {
      if (typeof v === "string") notes.push(`${name}: ${v}`);
      else times[c.id][name] = v;
    }
    if (haveNode24) {
      const r24 = runChild(node24, c.id, [edgejax.name]);
      if (Array.isArray(r24.edgejax)) times[c.id]["edgejax (Node 24)"] = r24.edgejax;
    }
    const line = Object.entries(times[c.id]).map(([p, ts]) => `${p} ${c.figure(median(ts)).toFixed(2)}`).join(", ");
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

  const peerNames = [edgejax.name, ...(haveNode24 ? ["edgejax (Node 24)"] : []), tfjs.name, jaxjs.name, ...(numpyVersion ? ["NumPy"] : [])].filter(
    (n) => cases.some((c) => times[c.id][n]),
  );
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
  const others = peerNames.filter((n) => !n.startsWith("edgejax"));
  let md = `| case | unit | ${peerNames.join(" | ")} | ${others.map((o) => `speed-up vs ${o}`).join(" | ")} |\n`;
  md += `|---|---|${peerNames.map(() => "---:").join("|")}|${others.map(() => "---:").join("|")}|\n`;
  for (const c of cases) {
    const cells = peerNames.map((n) => (figures[c.id][n] === undefined ? "—" : figures[c.id][n].toFixed(c.unit === "GFLOP/s" ? 1 : 2)));
    md += `| ${c.label} | ${c.unit} | ${cells.join(" | ")} | ${others.map((o) => ratio(c, o) || "—").join(" | ")} |\n`;
  }
  const machine = `${os.cpus()[0]?.model ?? "cpu"} (${os.cpus().length} cores), Node ${process.version}`;
  md += `\nMedians of ${ROUNDS} interleaved rounds after warm-up (≥ 2 runs and 0.5 s per peer), each case in a fresh process; one thread where the peer allows it (tfjs threads = 1, NumPy with one BLAS thread; jax-js as it ships). ${machine}${numpyVersion ? `, NumPy ${numpyVersion}` : ""}. Speed-ups compare edgejax on Node 20 (plain SIMD); "edgejax (Node 24)" is the relaxed-SIMD build. Speed-up > 1 means edgejax is faster.\n`;
  for (const c of cases) if (c.note) notes.push(c.note);
  if (notes.length) md += `\n${[...new Set(notes)].map((n) => `- ${n}`).join("\n")}\n`;
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

const caseArg = process.argv.indexOf("--case");
if (caseArg >= 0) {
  const peersArg = process.argv.indexOf("--peers");
  await measureCase(process.argv[caseArg + 1], peersArg >= 0 ? process.argv[peersArg + 1].split(",") : []);
} else await main();
