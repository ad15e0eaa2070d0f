// Checks that each peer's program in the training cases really trains: the full-batch loss
// after some steps must be below the loss after the first step (a wrong gradient or a wrong
// update rarely lowers it). Usage: npx tsx bench/check_training.ts [case ...]
import { edgejax } from "./peers/edgejax.js";
import { jaxjs } from "./peers/jaxjs.js";
import { tfjs } from "./peers/tfjs.js";

const STEPS = 30;
const ids = process.argv.slice(2).length ? process.argv.slice(2) : ["iris-train-step", "digits-cnn-step"];
let failed = false;
for (const peer of [edgejax, tfjs, jaxjs]) {
  const ok = await peer.setup();
  if (ok !== true) {
    console.log(`${peer.name}: ${ok}`);
    continue;
  }
  for (const id of ids) {
    const r = peer.prepare(id);
    if (!r?.loss) {
      console.log(`${peer.name} ${id}: no runner with a loss`);
      continue;
    }
    await r.run();
    const first = await r.loss();
    for (let i = 1; i < STEPS; i++) await r.run();
    const last = await r.loss();
    const pass = Number.isFinite(last) && last < first;
    failed ||= !pass;
    console.log(`${pass ? "ok  " : "FAIL"} ${peer.name} ${id}: loss ${first.toFixed(4)} after 1 step, ${last.toFixed(4)} after ${STEPS}`);
    r.dispose();
  }
}
process.exitCode = failed ? 1 : 0;
