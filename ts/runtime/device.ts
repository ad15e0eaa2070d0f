// The device registry: backends register themselves; the scheduler (later) picks per kernel.
import type { Backend } from "./backend.js";

const backends = new Map<string, () => Backend>();
const instances = new Map<string, Backend>();
let defaultName = "cpu";

/** Registers a backend factory (called lazily, on first use). */
export function registerBackend(name: string, make: () => Backend): void {
  backends.set(name, make);
}

export function getBackend(name: string = defaultName): Backend {
  let b = instances.get(name);
  if (!b) {
    const make = backends.get(name);
    if (!make) {
      throw new Error(
        `edgejax: no device ${JSON.stringify(name)}; available: ${[...backends.keys()].join(", ") || "none"}`,
      );
    }
    b = make();
    instances.set(name, b);
  }
  return b;
}

export function defaultBackend(): Backend {
  return getBackend(defaultName);
}

export function setDefaultDevice(name: string): void {
  if (!backends.has(name)) {
    throw new Error(`setDefaultDevice: no device ${JSON.stringify(name)}; available: ${[...backends.keys()].join(", ")}`);
  }
  defaultName = name;
}

/** Names of registered devices. */
export function devices(): string[] {
  return [...backends.keys()];
}
