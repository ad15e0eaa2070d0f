// Deterministic release of arrays: tidy(fn), keep(x), memoryStats().
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { liveArrayCount, popScope, pushScope, untrack, type MemoryStats } from "./buffer.js";
import { defaultBackend } from "./device.js";

function collectArrays(x: unknown, out: Set<Array>, seen = new Set<unknown>()): void {
  if (x instanceof Array) out.add(x);
  else if (x && typeof x === "object" && !seen.has(x)) {
    seen.add(x);
    for (const v of globalThis.Array.isArray(x) ? x : Object.values(x)) collectArrays(v, out, seen);
  }
}

/**
 * Runs fn and disposes every array created inside it, except the arrays in its result
 * (any nesting of lists and objects) and those passed to keep(). Use it around synchronous
 * loop bodies: finalizers cannot run until the JS stack empties.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError("tidy: expected a function");
  return scoped(fn, false);
}

/**
 * Runs a transformation's eager work, disposing the arrays it made internally (see
 * ts/runtime/buffer.ts Scope.internalOnly) except those in its result.
 */
export function freeInternal<T>(fn: () => T): T {
  return scoped(fn, true);
}

function scoped<T>(fn: () => T, internalOnly: boolean): T {
  pushScope(internalOnly);
  let result: T | undefined;
  const keepSet = new Set<Array>();
  try {
    result = fn();
    if (result instanceof Promise) {
      throw new TypeError("tidy: fn returned a Promise; tidy works on synchronous code only (await outside it)");
    }
    collectArrays(result, keepSet);
  } finally {
    popScope(keepSet as Set<never>);
  }
  return result as T;
}

/** Keeps x alive past the enclosing tidy(). */
export function keep<T extends ArrayBase>(x: T): T {
  if (x instanceof Array) untrack(x);
  return x;
}

/** Live arrays, bytes in use and pooled on the default device. */
export function memoryStats(): MemoryStats {
  return { liveArrays: liveArrayCount(), ...defaultBackend().memoryInfo() };
}
