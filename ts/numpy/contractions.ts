// Contractions: dot, matmul, vdot, inner, outer, tensordot, einsum (with a greedy
// contraction-order optimizer), kron, cross, convolve, correlate. All lower to
// lax.dot_general / conv_general_dilated and view ops, so they trace and differentiate.
import type { ArrayBase } from "../array/base.js";
import { broadcastShapes, fmtShape, normalizeAxis, range, sizeOf } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import { checkPreferredDot, dotGeneral } from "../lax/dot.js";
import { convGeneralDilated } from "../lax/conv.js";
import { and_p, mul_p, sub_p } from "../lax/elementwise.js";
import { reduce_or_p, reduce_sum_p } from "../lax/reduce.js";
import { broadcast_in_dim_p, concatenate_p, reshape_p, rev_p, slice_p, transpose_p } from "../lax/structural.js";
import { convertTo, promoteArgs, promoteArgsInexact, prepareArgs } from "./promote.js";
import { bitWidth, canonicalDtype, type DType } from "../array/dtype.js";

type X = ArrayBase | number | boolean;
const reshape = (x: ArrayBase, s: number[]) => (x.shape.join() === s.join() ? x : bind1(reshape_p, [x], { newSizes: s }));
const transpose = (x: ArrayBase, p: number[]) => (p.every((a, i) => a === i) ? x : bind1(transpose_p, [x], { permutation: p }));
const broadcastTo = (x: ArrayBase, shape: number[]) => {
  if (x.shape.join() === shape.join()) return x;
  const lead = shape.length - x.shape.length;
  return bind1(broadcast_in_dim_p, [x], { shape, broadcastDimensions: x.shape.map((_, i) => i + lead) });
};
/** jnp.multiply: a logical and on bools (lax.mul rejects them), else lax.mul. */
const multiply = (fn: string, a: X, b: X) => {
  const [x, y] = prepareArgs(fn, [a, b]);
  return bind1(x.dtype === "bool" ? and_p : mul_p, [x, y], {});
};

/** Options of the dot-like functions (JAX's keyword arguments; precision is not modelled). */
export interface DotOptions {
  preferredElementType?: DType | string | null;
}

function checkOptions(fn: string, opts: object | undefined, allowed: string[]): void {
  if (opts === undefined || opts === null) return;
  if (typeof opts !== "object") throw new TypeError(`${fn}: options must be an object like { ${allowed.join(", ")} }, got ${JSON.stringify(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new TypeError(`${fn}: unknown option ${JSON.stringify(k)} (expected ${allowed.join(", ")})`);
  }
}

/**
 * Promotes the operands (jnp's result_type) and applies preferred_element_type as JAX does:
 * the products accumulate in the preferred dtype and the result has it (not weak). Operands
 * are converted up front when that widens them (exact: XLA converts them the same way);
 * a narrower float preference rounds the result instead. The check is dot_general's.
 */
function prepareDot(fn: string, xs: X[], opts: DotOptions | undefined): { args: ArrayBase[]; finish: (r: ArrayBase) => ArrayBase } {
  checkOptions(fn, opts, ["preferredElementType"]);
  let args = promoteArgs(fn, xs);
  if (!opts?.preferredElementType) return { args, finish: (r) => r };
  const pref = canonicalDtype(opts.preferredElementType, fn);
  const result = args[0].dtype;
  checkPreferredDot(fn, result, pref);
  if (bitWidth(pref) >= bitWidth(result)) {
    args = args.map((a) => convertTo(a, pref, false));
    return { args, finish: (r) => r };
  }
  return { args, finish: (r) => convertTo(r, pref, false) };
}

/** np.dot: 0-d operands multiply; otherwise a's last axis with b's second-to-last (or only) axis. */
export function dot(a: X, b: X, opts?: DotOptions): ArrayBase {
  const { args: [x, y], finish } = prepareDot("dot", [a, b], opts);
  if (x.ndim === 0 || y.ndim === 0) return finish(multiply("dot", x, y));
  const rc = y.ndim === 1 ? 0 : y.ndim - 2;
  if (x.shape[x.ndim - 1] !== y.shape[rc]) {
    throw new TypeError(
      `dot: shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} are not aligned: ${x.shape[x.ndim - 1]} (axis ${x.ndim - 1}) != ${y.shape[rc]} (axis ${rc})`,
    );
  }
  return finish(dotGeneral(x, y, [[[x.ndim - 1], [rc]], [[], []]]));
}

/** np.matmul (the @ operator): batch dims broadcast; 1-D operands are promoted and squeezed. */
export function matmul(a: X, b: X, opts?: DotOptions): ArrayBase {
  const prep = prepareDot("matmul", [a, b], opts);
  let [x, y] = prep.args;
  const [a0, b0] = [x, y];
  if (x.ndim === 0 || y.ndim === 0) {
    throw new TypeError(`matmul: operands must be at least 1-D, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}; use multiply for scalars`);
  }
  const xv = x.ndim === 1;
  const yv = y.ndim === 1;
  if (xv) x = reshape(x, [1, x.shape[0]]);
  if (yv) y = reshape(y, [y.shape[0], 1]);
  const k1 = x.shape[x.ndim - 1];
  const k2 = y.shape[y.ndim - 2];
  if (k1 !== k2) {
    throw new TypeError(
      `matmul: the contracting dimensions differ: ${fmtShape(a0.shape)} @ ${fmtShape(b0.shape)} (${k1} != ${k2}); ` +
        `the last axis of the first operand must match the ${yv ? "only" : "second-to-last"} axis of the second`,
    );
  }
  const xb = x.shape.slice(0, -2);
  const yb = y.shape.slice(0, -2);
  const nbMax = Math.max(xb.length, yb.length);
  for (let i = 1; i <= nbMax; i++) {
    const p = xb[xb.length - i] ?? 1;
    const q = yb[yb.length - i] ?? 1;
    if (p !== q && p !== 1 && q !== 1) {
      throw new TypeError(
        `matmul: the batch dimensions of shapes ${fmtShape(a0.shape)} and ${fmtShape(b0.shape)} cannot be broadcast together ` +
          `(${fmtShape(xb)} vs ${fmtShape(yb)}: sizes ${p} and ${q}); batch sizes must match or be 1`,
      );
    }
  }
  const batch = broadcastShapes("matmul", xb, yb);
  x = broadcastTo(x, [...batch, ...x.shape.slice(-2)]);
  y = broadcastTo(y, [...batch, ...y.shape.slice(-2)]);
  const nb = batch.length;
  let out = dotGeneral(x, y, [[[nb + 1], [nb]], [range(nb), range(nb)]]);
  if (xv || yv) {
    const shape = out.shape.slice();
    if (yv) shape.splice(shape.length - 1, 1);
    if (xv) shape.splice(shape.length - (yv ? 1 : 2), 1);
    out = reshape(out, shape);
  }
  return prep.finish(out);
}

/** np.vdot: the dot product of the flattened operands. */
export function vdot(a: X, b: X, opts?: DotOptions): ArrayBase {
  const { args: [x, y], finish } = prepareDot("vdot", [a, b], opts);
  if (x.size !== y.size) throw new TypeError(`vdot: operands must have the same size, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  return finish(dotGeneral(reshape(x, [x.size]), reshape(y, [y.size]), [[[0], [0]], [[], []]]));
}

/** np.inner: contraction over the last axes. */
export function inner(a: X, b: X, opts?: DotOptions): ArrayBase {
  const { args: [x, y], finish } = prepareDot("inner", [a, b], opts);
  if (x.ndim === 0 || y.ndim === 0) return finish(multiply("inner", x, y));
  if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1]) {
    throw new TypeError(`inner: the last dimensions differ: ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  return finish(dotGeneral(x, y, [[[x.ndim - 1], [y.ndim - 1]], [[], []]]));
}

/** np.outer: a.ravel()[:, None] * b.ravel()[None, :]. */
export function outer(a: X, b: X): ArrayBase {
  const [x, y] = promoteArgs("outer", [a, b]);
  return multiply("outer", reshape(x, [x.size, 1]), reshape(y, [1, y.size]));
}

/** np.tensordot(a, b, axes): axes = N (last N of a with first N of b) or [axesA, axesB]. */
export function tensordot(a: X, b: X, axes: number | [number | number[], number | number[]] = 2, opts?: DotOptions): ArrayBase {
  const { args: [x, y], finish } = prepareDot("tensordot", [a, b], opts);
  let ax: number[];
  let bx: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
      throw new RangeError(`tensordot: axes=${axes} is invalid for shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
    }
    ax = range(axes, x.ndim - axes);
    bx = range(axes);
  } else {
    ax = (typeof axes[0] === "number" ? [axes[0]] : axes[0]).map((d) => normalizeAxis("tensordot", d, x.ndim));
    bx = (typeof axes[1] === "number" ? [axes[1]] : axes[1]).map((d) => normalizeAxis("tensordot", d, y.ndim));
  }
  if (ax.length !== bx.length || ax.some((d, i) => x.shape[d] !== y.shape[bx[i]])) {
    throw new TypeError(`tensordot: axes ${JSON.stringify([ax, bx])} do not match shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  return finish(dotGeneral(x, y, [[ax, bx], [[], []]]));
}

// ---- einsum ------------------------------------------------------------------------------

interface Term {
  x: ArrayBase;
  idx: string[];
}

function parseEinsum(spec: string, shapes: number[][]): { inputs: string[][]; output: string[] } {
  const fn = "einsum";
  const s = spec.replace(/\s+/g, "");
  const arrows = s.split("->");
  if (arrows.length > 2) throw new TypeError(`${fn}: subscripts "${spec}" contain more than one "->"`);
  const [lhs, rhs] = arrows.length === 2 ? arrows : [s, undefined];
  const parts = lhs.split(",");
  for (const p of [...parts, rhs ?? ""]) {
    if (p.split("...").length > 2 || p.replace("...", "").includes(".")) {
      throw new TypeError(`${fn}: invalid subscripts "${spec}": each term may contain one ellipsis "..." and no other "."`);
    }
  }
  if (parts.length !== shapes.length) {
    throw new TypeError(`${fn}: the subscripts "${spec}" name ${parts.length} operands but ${shapes.length} were given`);
  }
  // Ellipsis: replaced by generated index letters (upper-case private names).
  let ellRank = 0;
  parts.forEach((p, i) => {
    if (p.includes("...")) ellRank = Math.max(ellRank, shapes[i].length - (p.length - 3));
  });
  const ell = range(ellRank).map((i) => `#${i}`);
  const toIdx = (p: string, rank: number, i: number): string[] => {
    const out: string[] = [];
    if (p.includes("...")) {
      const [pre, post] = p.split("...");
      const n = rank - pre.length - post.length;
      if (n < 0) throw new TypeError(`${fn}: operand ${i} of shape ${fmtShape(shapes[i])} has fewer dims than "${p}"`);
      out.push(...pre.split(""), ...ell.slice(ellRank - n), ...post.split(""));
    } else out.push(...p.split(""));
    for (const c of out) if (!c.startsWith("#") && !/^[a-zA-Z]$/.test(c)) throw new TypeError(`${fn}: invalid subscript character ${JSON.stringify(c)} in "${spec}"`);
    if (out.length !== rank) {
      throw new TypeError(`${fn}: operand ${i} has shape ${fmtShape(shapes[i])} (rank ${rank}) but subscripts "${p}" name ${out.length} dims`);
    }
    return out;
  };
  const inputs = parts.map((p, i) => toIdx(p, shapes[i].length, i));
  let output: string[];
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const t of inputs) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...ell, ...[...counts.keys()].filter((c) => !c.startsWith("#") && counts.get(c) === 1).sort()];
  } else {
    output = rhs.includes("...") ? [...rhs.split("...")[0].split(""), ...ell, ...rhs.split("...")[1].split("")] : rhs.split("");
    output = output.filter((c) => c !== "");
    const all = new Set(inputs.flat());
    for (const c of output) if (!all.has(c)) throw new TypeError(`${fn}: output subscript ${c} does not appear in the inputs of "${spec}"`);
    if (new Set(output).size !== output.length) throw new TypeError(`${fn}: repeated output subscript in "${spec}"`);
  }
  return { inputs, output };
}

/** Takes the diagonal over repeated indices and sums indices no one else needs. */
function simplifyTerm(t: Term, needed: Set<string>): Term {
  let { x, idx } = t;
  for (;;) {
    const dup = idx.findIndex((c, i) => idx.indexOf(c) !== i);
    if (dup < 0) break;
    const first = idx.indexOf(idx[dup]);
    const n = x.shape[first];
    const rest = range(idx.length).filter((i) => i !== first && i !== dup);
    x = transpose(x, [...rest, first, dup]);
    x = reshape(x, [...rest.map((i) => x.shape[rest.indexOf(i)]), n * n]);
    const lead = x.shape.slice(0, -1);
    x = bind1(slice_p, [x], { startIndices: [...lead.map(() => 0), 0], limitIndices: [...lead, n * n], strides: [...lead.map(() => 1), n + 1] });
    idx = [...rest.map((i) => idx[i]), idx[first]];
  }
  const sumAxes = idx.map((c, i) => (needed.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (sumAxes.length) {
    // JAX sums bools with a logical or (lax.reduce with bitwise_or), keeping bool.
    x = bind1(x.dtype === "bool" ? reduce_or_p : reduce_sum_p, [x], { axes: sumAxes });
    idx = idx.filter((c) => needed.has(c));
  }
  return { x, idx };
}

function contractPair(a: Term, b: Term, keep: Set<string>): Term {
  const batch = a.idx.filter((c) => b.idx.includes(c) && keep.has(c));
  const contract = a.idx.filter((c) => b.idx.includes(c) && !keep.has(c));
  const out = dotGeneral(a.x, b.x, [
    [contract.map((c) => a.idx.indexOf(c)), contract.map((c) => b.idx.indexOf(c))],
    [batch.map((c) => a.idx.indexOf(c)), batch.map((c) => b.idx.indexOf(c))],
  ]);
  const free = (t: Term, o: Term) => t.idx.filter((c) => !o.idx.includes(c));
  return { x: out, idx: [...batch, ...free(a, b), ...free(b, a)] };
}

/**
 * np.einsum(subscripts, ...operands, {optimize}). Pairwise contractions through dot_general
 * in a greedy order (the pair whose result is smallest first, as opt_einsum's "greedy");
 * `optimize: false` contracts left to right.
 */
export function einsum(subscripts: string, ...rest: (X | EinsumOptions)[]): ArrayBase {
  const last = rest[rest.length - 1];
  const opts = last && typeof last === "object" && !("shape" in last) ? (rest.pop() as EinsumOptions) : {};
  checkOptions("einsum", opts, ["optimize", "preferredElementType"]);
  if (typeof subscripts !== "string") throw new TypeError("einsum: the first argument must be a subscripts string like \"ij,jk->ik\"");
  if (rest.length === 0) throw new TypeError(`einsum: no operands given for "${subscripts}"`);
  const prep = prepareDot("einsum", rest as X[], { preferredElementType: opts.preferredElementType });
  const ops = prep.args;
  const { inputs, output } = parseEinsum(subscripts, ops.map((o) => o.shape));
  const sizes = new Map<string, number>();
  inputs.forEach((idx, i) =>
    idx.forEach((c, j) => {
      const n = ops[i].shape[j];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1) {
        throw new TypeError(`einsum: index ${c.startsWith("#") ? "..." : c} has sizes ${prev} and ${n} in "${subscripts}"`);
      }
      if (prev === undefined || prev === 1) sizes.set(c, n);
    }),
  );
  const outSet = new Set(output);
  const neededBy = (terms: Term[], skip: Term[]) => {
    const s = new Set(outSet);
    for (const t of terms) if (!skip.includes(t)) for (const c of t.idx) s.add(c);
    return s;
  };
  // Size-1 broadcast dims (ellipsis broadcasting) are expanded to the full size.
  let terms: Term[] = ops.map((x, i) => {
    const full = inputs[i].map((c) => sizes.get(c)!);
    const y = x.shape.join() === full.join() ? x : bind1(broadcast_in_dim_p, [x], { shape: full, broadcastDimensions: range(full.length) });
    return { x: y, idx: inputs[i] };
  });
  terms = terms.map((t) => simplifyTerm(t, neededBy(terms, [t])));
  const greedy = opts.optimize !== false;
  while (terms.length > 1) {
    let bi = 0;
    let bj = 1;
    if (greedy) {
      let best = Infinity;
      for (let i = 0; i < terms.length; i++) {
        for (let j = i + 1; j < terms.length; j++) {
          const keep = neededBy(terms, [terms[i], terms[j]]);
          const res = new Set([...terms[i].idx, ...terms[j].idx].filter((c) => keep.has(c)));
          const cost = sizeOf([...res].map((c) => sizes.get(c)!));
          if (cost < best) [best, bi, bj] = [cost, i, j];
        }
      }
    }
    const keep = neededBy(terms, [terms[bi], terms[bj]]);
    const merged = simplifyTerm(contractPair(terms[bi], terms[bj], keep), keep);
    terms = [...terms.filter((_, k) => k !== bi && k !== bj), merged];
  }
  const t = simplifyTerm(terms[0], outSet);
  return prep.finish(transpose(t.x, output.map((c) => t.idx.indexOf(c))));
}

export interface EinsumOptions {
  /** false: contract left to right; anything else (true, "greedy", "auto", ...): greedy order. */
  optimize?: boolean | string;
  preferredElementType?: DType | string | null;
}

/** np.kron: the Kronecker product. */
export function kron(a: X, b: X): ArrayBase {
  let [x, y] = promoteArgs("kron", [a, b]);
  const nd = Math.max(x.ndim, y.ndim);
  x = reshape(x, [...new globalThis.Array(nd - x.ndim).fill(1), ...x.shape]);
  y = reshape(y, [...new globalThis.Array(nd - y.ndim).fill(1), ...y.shape]);
  const xe = reshape(x, x.shape.flatMap((d) => [d, 1]));
  const ye = reshape(y, y.shape.flatMap((d) => [1, d]));
  return reshape(multiply("kron", xe, ye), x.shape.map((d, i) => d * y.shape[i]));
}

/** np.cross for 2- and 3-vectors along axisa/axisb (default -1), result along axisc. */
export function cross(a: X, b: X, opts: { axisa?: number; axisb?: number; axisc?: number; axis?: number } = {}): ArrayBase {
  checkOptions("cross", opts, ["axisa", "axisb", "axisc", "axis"]);
  let [x, y] = promoteArgs("cross", [a, b]);
  if (x.dtype === "bool") {
    throw new TypeError("cross: boolean operands are not supported (the products are subtracted, as in JAX); convert them with astype(\"int32\")");
  }
  const axisa = normalizeAxis("cross", opts.axis ?? opts.axisa ?? -1, x.ndim);
  const axisb = normalizeAxis("cross", opts.axis ?? opts.axisb ?? -1, y.ndim);
  const moveLast = (t: ArrayBase, ax: number) => transpose(t, [...range(t.ndim).filter((i) => i !== ax), ax]);
  x = moveLast(x, axisa);
  y = moveLast(y, axisb);
  const nx = x.shape[x.ndim - 1];
  const ny = y.shape[y.ndim - 1];
  if (![2, 3].includes(nx) || ![2, 3].includes(ny)) {
    throw new TypeError(`cross: vectors must have 2 or 3 components along the axis, got ${nx} and ${ny}`);
  }
  const comp = (t: ArrayBase, i: number, n: number) => {
    if (i >= n) return null;
    const s = t.shape;
    const v = bind1(slice_p, [t], { startIndices: [...s.slice(0, -1).map(() => 0), i], limitIndices: [...s.slice(0, -1), i + 1], strides: null });
    return reshape(v, s.slice(0, -1));
  };
  const [x0, x1, x2] = [0, 1, 2].map((i) => comp(x, i, nx));
  const [y0, y1, y2] = [0, 1, 2].map((i) => comp(y, i, ny));
  const m = (p: ArrayBase | null, q: ArrayBase | null) => (p && q ? multiply("cross", p, q) : null);
  const d = (p: ArrayBase | null, q: ArrayBase | null): ArrayBase => {
    if (p && q) {
      const [u, v] = prepareArgs("cross", [p, q]);
      return bind1(sub_p, [u, v], {});
    }
    if (p) return p;
    return bind1(sub_p, prepareArgs("cross", [0, q!]), {});
  };
  const cz = d(m(x0, y1), m(x1, y0));
  if (nx === 2 && ny === 2) return cz;
  const cx = d(m(x1, y2), m(x2, y1));
  const cy = d(m(x2, y0), m(x0, y2));
  const parts = prepareArgs("cross", [cx, cy, cz]).map((p) => reshape(p, [...p.shape, 1]));
  const stacked = bind1(concatenate_p, parts, { dimension: parts[0].ndim - 1 });
  const axisc = normalizeAxis("cross", opts.axis ?? opts.axisc ?? -1, stacked.ndim);
  const nd = stacked.ndim;
  const perm = range(nd - 1);
  perm.splice(axisc, 0, nd - 1);
  return transpose(stacked, perm);
}

type ConvMode = "full" | "same" | "valid";
interface Conv1dOptions {
  mode?: ConvMode;
  preferredElementType?: DType | string | null;
}

function conv1d(fn: string, a: X, v: X, mode: string, flip: boolean, preferred: DType | string | null | undefined): ArrayBase {
  // JAX (lax_numpy._conv): promote to an inexact dtype (ints give float32, as NumPy's default
  // for convolutions) unless preferred_element_type is given; then only promote.
  let [x, y] = preferred ? promoteArgs(fn, [a, v]) : promoteArgsInexact(fn, [a, v]);
  if (x.ndim !== 1 || y.ndim !== 1) throw new TypeError(`${fn}: takes 1-D arrays, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  if (x.size === 0 || y.size === 0) throw new TypeError(`${fn}: inputs cannot be empty, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  // The longer operand slides: NumPy swaps them, and correlate then reverses its output
  // (correlate(a, v) == correlate(v, a)[::-1]); convolve is symmetric.
  let reverseOut = false;
  if (y.size > x.size) {
    [x, y] = [y, x];
    if (!flip) reverseOut = true;
  }
  if (flip) y = bind1(rev_p, [y], { dimensions: [0] });
  const m = y.shape[0];
  const pads: Record<string, [number, number]> = {
    valid: [0, 0],
    same: [Math.floor(m / 2), m - Math.floor(m / 2) - 1],
    full: [m - 1, m - 1],
  };
  if (!Object.hasOwn(pads, mode)) throw new TypeError(`${fn}: mode must be "full", "same" or "valid", got ${JSON.stringify(mode)}`);
  const out = convGeneralDilated(reshape(x, [1, 1, x.size]), reshape(y, [1, 1, m]), [1], [pads[mode]], {
    preferredElementType: preferred ?? null,
  });
  const res = reshape(out, [out.shape[2]]);
  return reverseOut ? bind1(rev_p, [res], { dimensions: [0] }) : res;
}

function conv1dArgs(fn: string, mode: ConvMode | Conv1dOptions | undefined, opts: Conv1dOptions, dflt: ConvMode): [string, DType | string | null | undefined] {
  const o = typeof mode === "object" && mode !== null ? mode : { ...opts, mode: mode ?? opts.mode };
  checkOptions(fn, o, ["mode", "preferredElementType"]);
  return [o.mode ?? dflt, o.preferredElementType];
}

/** np.convolve(a, v, mode = "full", {preferredElementType}); also convolve(a, v, {mode, ...}). */
export function convolve(a: X, v: X, mode?: ConvMode | Conv1dOptions, opts: Conv1dOptions = {}): ArrayBase {
  const [m, p] = conv1dArgs("convolve", mode, opts, "full");
  return conv1d("convolve", a, v, m, true, p);
}

/** np.correlate(a, v, mode = "valid", {preferredElementType}); also correlate(a, v, {mode, ...}). */
export function correlate(a: X, v: X, mode?: ConvMode | Conv1dOptions, opts: Conv1dOptions = {}): ArrayBase {
  const [m, p] = conv1dArgs("correlate", mode, opts, "valid");
  return conv1d("correlate", a, v, m, false, p);
}
