// stax init runs its samplers inside tidy() (to release split keys and temporaries), and
// random's samplers run through cached jits. The same key must give the same params however
// many arrays are allocated and released in between — in particular when the samplers were
// first traced inside that tidy (a fresh module: this file runs in its own worker).
import { describe, expect, it } from "vitest";
import { Array, numpy as np, random, stax, tree } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

const values = (p: stax.Params) => tree.leaves(p).map((l) => globalThis.Array.from((l as Array).dataSync() as Float32Array));

describe.each(backends)("stax init is reproducible (%s)", (backend) => {
  useBackend(backend);

  it("the same key gives the same params after unrelated allocations", () => {
    const [init] = stax.serial(stax.Conv(2, [2, 2]), stax.Flatten, stax.Dense(3));
    const first = values(init(random.PRNGKey(3), [-1, 4, 4, 1])[1]);
    const junk: Array[] = [];
    for (let i = 0; i < 64; i++) junk.push(np.full([4, 3], i, "float32") as Array, np.full([2], 7 + i, "uint32") as Array, np.full([2, 2, 1, 2], i, "float32") as Array);
    const second = values(init(random.PRNGKey(3), [-1, 4, 4, 1])[1]);
    expect(second).toEqual(first);
    junk.forEach((j) => j.dispose());
  });
});
