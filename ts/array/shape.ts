// Shapes, broadcasting and axis normalization (NumPy's rules), with errors that name the caller.

export type Shape = readonly number[];

/** [start, start + 1, ..., start + n - 1]: axis lists and permutations. */
export const range = (n: number, start = 0): number[] => Array.from({ length: Math.max(0, n) }, (_, i) => i + start);

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeEq(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const fmtShape = (s: Shape): string => `[${s.join(", ")}]`;

/** Row-major (C order) element strides of a contiguous array. */
export function contiguousStrides(shape: Shape): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

/** NumPy broadcasting of several shapes; throws naming the function and the shapes. */
export function broadcastShapes(fn: string, ...shapes: Shape[]): number[] {
  if (shapes.length === 1) return shapes[0].slice();
  if (shapes.length === 2 && shapeEq(shapes[0], shapes[1])) return shapes[0].slice();
  const nd = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else {
        throw new TypeError(
          `${fn}: shapes ${shapes.map(fmtShape).join(", ")} cannot be broadcast together ` +
            `(axis ${j - nd} has sizes ${out[j]} and ${d}); reshape or expand_dims one operand`,
        );
      }
    }
  }
  return out;
}

/** A possibly negative axis -> [0, ndim). */
export function normalizeAxis(fn: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis)) {
    throw new TypeError(`${fn}: axis must be an integer, got ${String(axis)}`);
  }
  if (axis < -ndim || axis >= ndim) {
    throw new RangeError(
      `${fn}: axis ${axis} is out of bounds for an array of dimension ${ndim} ` +
        `(valid: ${-ndim} to ${ndim - 1})`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** axis (null/undefined = all, number or list) -> sorted distinct non-negative axes. */
export function normalizeAxes(fn: string, axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  if (!Array.isArray(list)) throw new TypeError(`${fn}: axis must be a number, a list of numbers or null`);
  const out = list.map((a) => normalizeAxis(fn, a, ndim));
  if (new Set(out).size !== out.length) {
    throw new Error(`${fn}: repeated axis in ${JSON.stringify(list)}`);
  }
  return out.sort((a, b) => a - b);
}

export function checkShape(fn: string, shape: unknown): number[] {
  const s = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(
      `${fn}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  return s.slice();
}

/** True when strides address a block of elements in row-major order (size-1 axes ignored). */
export function isRowMajorStrides(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

/**
 * Strides viewing a layout (shape, strides) as `newShape` of the same size without copying,
 * or undefined when a copy is needed. Used by eager reshape and by jit's view folding.
 */
export function reshapeViewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | undefined {
  // Empty arrays have no elements to address (and the group matching below needs sizes > 0).
  if (sizeOf(shape) === 0 || isRowMajorStrides(shape, strides)) return contiguousStrides(newShape);
  // Match groups of old axes to groups of new axes with equal products; each old group must
  // be contiguous within itself.
  const old = shape.map((d, i) => [d, strides[i]]).filter(([d]) => d !== 1);
  const out = new Array<number>(newShape.length).fill(0);
  let oi = 0;
  let ni = 0;
  while (ni < newShape.length) {
    if (newShape[ni] === 1) {
      out[ni++] = 0;
      continue;
    }
    if (oi >= old.length) return undefined;
    let po = old[oi][0];
    let pn = newShape[ni];
    const o0 = oi;
    const n0 = ni;
    while (po !== pn) {
      if (po < pn) po *= old[++oi][0];
      else pn *= newShape[++ni];
    }
    for (let k = o0; k < oi; k++) if (old[k][1] !== old[k + 1][0] * old[k + 1][1]) return undefined;
    let st = old[oi][1];
    for (let k = ni; k >= n0; k--) {
      out[k] = st;
      st *= newShape[k];
    }
    oi++;
    ni++;
  }
  return out;
}
