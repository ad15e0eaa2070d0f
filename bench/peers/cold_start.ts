// The cold-start case: a new Node process that imports the library, runs one small op
// (add of 100 elements) and reads the result, timed as a whole from outside (process start
// included, as a serverless function pays it). Each peer gives the script it would run.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Runner } from "./types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

export const COLD_START_SCRIPTS: Record<string, string> = {
  // The published entry point (package.json exports), built by `npm run build`.
  edgejax: `const np = (await import(${JSON.stringify(pathToFileURL(join(root, "dist/edgejax.js")).href)})).numpy;
    const x = np.ones([100]); np.add(x, x).dataSync();`,
  "tfjs-wasm": `const tf = await import("@tensorflow/tfjs-core"); const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setThreadsCount(1); await tf.setBackend("wasm"); await tf.ready();
    const x = tf.ones([100]); tf.add(x, x).dataSync();`,
  "jax-js": `const jx = await import("@jax-js/jax"); await jx.init("wasm"); jx.defaultDevice("wasm");
    const x = jx.numpy.ones([100]); await jx.numpy.add(x.ref, x).data();`,
};

export function coldStartRunner(peer: string): Runner {
  const script = COLD_START_SCRIPTS[peer];
  return {
    run() {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`cold start of ${peer} failed: ${r.stderr}`);
    },
    dispose() {},
  };
}
