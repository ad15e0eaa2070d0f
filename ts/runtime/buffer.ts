// Reference-counted storage shared by arrays (views share it), tidy scopes, and the
// FinalizationRegistry net for arrays the user forgot.
//
// Rule (README): finalizers run only when the JS stack empties, never inside a synchronous
// loop. Async code that awaits between steps stays bounded through them; synchronous loops
// must use tidy(), dispose() or `using`.
import type { Backend, DeviceBuffer, MemoryInfo } from "./backend.js";

export class Storage {
  refs = 0;
  /**
   * For large buffers, an untouched ArrayBuffer as large as the device buffer: it makes the
   * engine count the device memory as external memory, so garbage collection (and with it
   * the finalizers) runs before a few forgotten 100 MB arrays exhaust the heap. Only above
   * 32 MiB, where the allocator maps fresh zero pages (no memset, nothing paged in): below,
   * the zeroing cost a large fraction of a fast kernel, and JS allocation alone triggers
   * collections often enough.
   */
  private readonly pressure?: ArrayBuffer;
  constructor(readonly buffer: DeviceBuffer) {
    if (finalizer && buffer.nbytes >= PRESSURE_MIN_BYTES) this.pressure = new ArrayBuffer(buffer.nbytes);
  }
  get backend(): Backend {
    return this.buffer.backend;
  }
}

let liveArrays = 0;

export function retain(s: Storage): void {
  s.refs++;
  liveArrays++;
}

export function release(s: Storage): void {
  liveArrays--;
  if (--s.refs === 0) s.buffer.backend.free(s.buffer);
}

const PRESSURE_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Frees the storage of arrays that were garbage-collected without dispose(). Runtimes
 * without FinalizationRegistry (workerd) rely on tidy()/dispose() alone.
 */
export const finalizer: FinalizationRegistry<Storage> | undefined =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry<Storage>((s) => release(s)) : undefined;

// tidy scopes: arrays created inside are disposed at the end unless returned or kept.
interface Disposable {
  dispose(): void;
  readonly disposed: boolean;
}
interface Scope {
  arrays: Set<Disposable>;
  /**
   * A transformation's scope (ts/transforms/common.ts freeIntermediates): it takes only the
   * arrays the transformation makes itself (internalDepth > 0: its own code, and every
   * primitive a trace processes); arrays the transformed function makes from concrete values
   * (asUser) go to the scope below, so a value it creates and stores aside (a lazily made
   * constant) is not freed under it.
   */
  internalOnly: boolean;
}
const scopes: Scope[] = [];
let internalDepth = 0;

export function trackInScope(x: Disposable): void {
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (!scopes[i].internalOnly || internalDepth > 0) {
      scopes[i].arrays.add(x);
      return;
    }
  }
}

/** Runs fn as the internal work of a transformation (see Scope.internalOnly). */
export function asInternal<T>(fn: () => T): T {
  internalDepth++;
  try {
    return fn();
  } finally {
    internalDepth--;
  }
}

/** Runs the user's function from inside a transformation: its own arrays are the user's. */
export function asUser<T>(fn: () => T): T {
  const saved = internalDepth;
  internalDepth = 0;
  try {
    return fn();
  } finally {
    internalDepth = saved;
  }
}

/** Removes x from the innermost scope that holds it (it survives the tidy). */
export function untrack(x: Disposable): void {
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].arrays.delete(x)) return;
}

export function pushScope(internalOnly = false): void {
  scopes.push({ arrays: new Set(), internalOnly });
}

/** Ends a scope, disposing everything in it except `keep`; kept arrays move to the parent. */
export function popScope(keep: Set<Disposable>): void {
  const scope = scopes.pop()!;
  for (const x of scope.arrays) {
    if (keep.has(x)) {
      if (scopes.length) scopes[scopes.length - 1].arrays.add(x);
    } else if (!x.disposed) x.dispose();
  }
}

/**
 * Ends a scope without disposing anything: its arrays pass on to the enclosing scopes, as
 * a transformation's own when `internal` (except those in `user`), else by the usual rule.
 */
export function handOnScope(user: Set<Disposable>, internal: boolean): void {
  const scope = scopes.pop()!;
  for (const x of scope.arrays) {
    if (internal && !user.has(x)) {
      if (scopes.length) scopes[scopes.length - 1].arrays.add(x);
    } else trackInScope(x);
  }
}

export interface MemoryStats extends MemoryInfo {
  /** Arrays created and neither disposed nor finalized. */
  liveArrays: number;
}

export function liveArrayCount(): number {
  return liveArrays;
}
