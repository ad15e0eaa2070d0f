// The concrete Array: an immutable value on a device. It is a strided view (shape, strides,
// offset) of reference-counted storage, so reshape/transpose/slice/broadcast are O(1).
import { ArrayBase, type NestedList } from "./base.js";
import { DTYPE_BYTES, f16BitsToF32, typedArrayFor, type DType, type TypedArray } from "./dtype.js";
import { contiguousStrides, isRowMajorStrides, sizeOf } from "./shape.js";
import { finalizer, release, retain, Storage, trackInScope, untrack } from "../runtime/buffer.js";
import type { Backend } from "../runtime/backend.js";

/** Runs an identity kernel to make a contiguous copy; set by ts/runtime/eager.ts. */
export const arrayHooks: { materialize?: (x: Array) => Array } = {};

export type { NestedList };

export class Array extends ArrayBase {
  readonly shape: number[];
  readonly dtype: DType;
  readonly weakType: boolean;
  /** @internal */ readonly _storage: Storage;
  /** @internal element strides */ readonly _strides: number[];
  /** @internal element offset */ readonly _offset: number;
  private _disposed = false;

  /** @internal Use np.array / np.asarray to make arrays. */
  constructor(storage: Storage, shape: number[], strides: number[], offset: number, dtype: DType, weakType = false) {
    super();
    this.shape = shape;
    this.dtype = dtype;
    this.weakType = weakType;
    this._storage = storage;
    this._strides = strides;
    this._offset = offset;
    retain(storage);
    finalizer?.register(this, storage, this);
    trackInScope(this);
  }

  /** @internal A contiguous array over fresh storage. */
  static _contiguous(storage: Storage, shape: number[], dtype: DType, weakType = false): Array {
    return new Array(storage, shape, contiguousStrides(shape), 0, dtype, weakType);
  }

  /** @internal Another view of the same storage. */
  _view(shape: number[], strides: number[], offset: number, dtype = this.dtype, weakType = this.weakType): Array {
    return new Array(this._storage, shape, strides, offset, dtype, weakType);
  }

  get device(): string {
    return this._storage.backend.name;
  }
  /** @internal */
  get _backend(): Backend {
    return this._storage.backend;
  }
  get disposed(): boolean {
    return this._disposed;
  }

  /** @internal Throws if disposed; `fn` names the caller in the message. */
  _check(fn: string): this {
    if (this._disposed) {
      throw new Error(
        `${fn}: the array (shape [${this.shape}], ${this.dtype}) was disposed or donated; ` +
          "keep a reference you still need outside tidy(), or don't dispose/donate it",
      );
    }
    return this;
  }

  /** @internal True when the view is the row-major layout of a block of its storage. */
  _isContiguous(): boolean {
    return isRowMajorStrides(this.shape, this._strides);
  }

  /** Frees the storage now (if no other view shares it). Safe to call twice. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    finalizer?.unregister(this);
    untrack(this);
    release(this._storage);
  }

  private _bytes(): { bytes: Uint8Array; count: number } {
    this._check("dataSync");
    const count = sizeOf(this.shape);
    const src = this._isContiguous() ? this : arrayHooks.materialize!(this);
    try {
      const bpe = DTYPE_BYTES[this.dtype];
      const bytes = count === 0 ? new Uint8Array(0) : src._backend.readSync(src._storage.buffer, src._offset * bpe, count * bpe);
      return { bytes, count };
    } finally {
      if (src !== this) src.dispose();
    }
  }

  private static _typed(dtype: DType, bytes: Uint8Array, count: number): TypedArray {
    if (dtype === "float16") {
      const h = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = f16BitsToF32(h[i]);
      return out;
    }
    const T = typedArrayFor(dtype);
    return new T(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
  }

  /**
   * The values as a new typed array in row-major order (float16 reads as Float32Array,
   * bool as Uint8Array of 0/1). Throws on devices without synchronous readback.
   */
  dataSync(): TypedArray {
    if (!this._backend.syncReadback) {
      throw new Error(
        `dataSync: the array lives on ${this.device}, which cannot be read synchronously; use \`await x.data()\``,
      );
    }
    const { bytes, count } = this._bytes();
    return Array._typed(this.dtype, bytes, count);
  }

  /** The values as a new typed array; works on every device. */
  async data(): Promise<TypedArray> {
    this._check("data");
    const src = this._isContiguous() ? this : arrayHooks.materialize!(this);
    try {
      const bpe = DTYPE_BYTES[this.dtype];
      const count = sizeOf(this.shape);
      const bytes = await src._backend.read(src._storage.buffer, src._offset * bpe, count * bpe);
      return Array._typed(this.dtype, bytes, count);
    } finally {
      if (src !== this) src.dispose();
    }
  }

  /** Nested JS arrays (booleans for bool arrays); a scalar for a 0-d array. */
  tolist(): NestedList {
    const flat = this.dataSync();
    const isBool = this.dtype === "bool";
    const conv = (v: number): number | boolean => (isBool ? v !== 0 : v);
    const build = (dim: number, start: number): NestedList => {
      if (dim === this.shape.length) return conv(flat[start]);
      const n = this.shape[dim];
      const step = sizeOf(this.shape.slice(dim + 1));
      const out: NestedList[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, start + i * step));
      return out;
    };
    return build(0, 0);
  }

  /** The one value of a size-1 array. */
  item(): number | boolean {
    if (this.size !== 1) {
      throw new TypeError(`item: the array has ${this.size} elements (shape [${this.shape}]); only size-1 arrays convert to a scalar`);
    }
    const v = this.dataSync()[0];
    return this.dtype === "bool" ? v !== 0 : v;
  }

  override toString(): string {
    if (this._disposed) return `Array(<disposed>, shape=[${this.shape}], dtype=${this.dtype})`;
    const body = this.size <= 1000 ? JSON.stringify(this.tolist()) : `<${this.size} values>`;
    return `Array(${body}, dtype=${this.dtype}${this.weakType ? ", weak_type=True" : ""})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** JS coercion (`if (x > 0)`) is a concrete read of a size-1 array. */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    return Number(this.item());
  }
}
