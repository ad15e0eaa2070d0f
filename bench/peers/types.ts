// What each benchmark peer provides: for a case it can run, a runner whose run() does the
// work once (awaiting completion for lazy libraries) and whose dispose() frees its inputs.
export interface Runner {
  run(): void | Promise<void>;
  dispose(): void;
  /** Training cases: the current training loss (for bench/check_training.ts; not timed). */
  loss?(): number | Promise<number>;
}

export interface Peer {
  name: string;
  /** Loads the library; returns false (with a reason) when unavailable. */
  setup(): Promise<true | string>;
  /** undefined when the peer cannot do this case. */
  prepare(caseId: string): Runner | undefined;
}

/** Deterministic pseudo-random float32 data in [0, 1), the same for every peer. */
export function randomData(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 8) / 16777216;
  }
  return out;
}
