// devicePut: place an array on a device. With one device (the CPU) it returns the array.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { getBackend } from "./device.js";
import { fromBytes } from "./eager.js";

export function devicePut<T extends ArrayBase>(x: T, device?: string): T {
  if (!(x instanceof Array)) throw new TypeError("devicePut: expected a concrete array");
  x._check("devicePut");
  const target = getBackend(device);
  if (target === x._backend) return x;
  // Another device: copy through the host (the scheduler will do better later).
  const bytes = x._backend.readSync(x._storage.buffer, 0, x._storage.buffer.nbytes);
  return fromBytes(bytes, x.shape, x.dtype, x.weakType, target)._view(x.shape, x._strides, x._offset) as unknown as T;
}
