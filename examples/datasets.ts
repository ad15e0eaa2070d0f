// The demo's data sets, shipped in examples/data (scikit-learn's copies, with their
// descriptions): Iris (150 x 4, 3 classes) and the 8x8 handwritten digits (1797 x 64, 10 classes).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "data");

export interface Dataset {
  x: Float32Array;
  y: Int32Array;
  n: number;
  features: number;
  classes: number;
}

function parseCsv(text: string, skipHeader: boolean, classes: number): Dataset {
  const rows = text.trim().split("\n").slice(skipHeader ? 1 : 0).map((l) => l.split(",").map(Number));
  const features = rows[0].length - 1;
  const x = new Float32Array(rows.length * features);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(r.slice(0, features), i * features);
    y[i] = r[features];
  });
  return { x, y, n: rows.length, features, classes };
}

export const loadIris = (): Dataset => parseCsv(readFileSync(join(here, "iris.csv"), "utf8"), true, 3);
export const loadDigits = (): Dataset => parseCsv(gunzipSync(readFileSync(join(here, "digits.csv.gz"))).toString("utf8"), false, 10);

/** A seeded shuffle split into train and test parts (fraction `testFrac` held out). */
export function trainTestSplit(d: Dataset, testFrac: number, seed: number): [Dataset, Dataset] {
  const idx = Array.from({ length: d.n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = d.n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nTest = Math.round(d.n * testFrac);
  const pick = (ids: number[]): Dataset => {
    const x = new Float32Array(ids.length * d.features);
    const y = new Int32Array(ids.length);
    ids.forEach((id, i) => {
      x.set(d.x.subarray(id * d.features, (id + 1) * d.features), i * d.features);
      y[i] = d.y[id];
    });
    return { x, y, n: ids.length, features: d.features, classes: d.classes };
  };
  return [pick(idx.slice(nTest)), pick(idx.slice(0, nTest))];
}

/** Per-feature standardization with the training set's mean and deviation. */
export function standardize(train: Dataset, test: Dataset): void {
  for (let f = 0; f < train.features; f++) {
    let mean = 0;
    for (let i = 0; i < train.n; i++) mean += train.x[i * train.features + f];
    mean /= train.n;
    let v = 0;
    for (let i = 0; i < train.n; i++) v += (train.x[i * train.features + f] - mean) ** 2;
    const sd = Math.sqrt(v / train.n) || 1;
    for (const d of [train, test]) for (let i = 0; i < d.n; i++) d.x[i * d.features + f] = (d.x[i * d.features + f] - mean) / sd;
  }
}
