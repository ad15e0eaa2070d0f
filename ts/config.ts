// Global flags, named as JAX names them: config.update("jax_enable_x64", true).

export interface Flags {
  /** float64 on the CPU (int64 is not supported: integers stay 32-bit; see docs/decisions.md). */
  jax_enable_x64: boolean;
  /** JAX >= 0.5 default: partitionable threefry counters. */
  jax_threefry_partitionable: boolean;
  /** Run jit-decorated functions eagerly (debugging). */
  jax_disable_jit: boolean;
}

const flags: Flags = {
  jax_enable_x64: false,
  jax_threefry_partitionable: true,
  jax_disable_jit: false,
};

export const config = {
  update<K extends keyof Flags>(name: K, value: Flags[K]): void {
    if (!(name in flags)) {
      throw new Error(
        `config.update: unknown flag ${JSON.stringify(name)}; known flags: ${Object.keys(flags).join(", ")}`,
      );
    }
    if (typeof value !== "boolean") {
      throw new TypeError(`config.update: flag ${name} takes a boolean, got ${typeof value}`);
    }
    flags[name] = value;
  },
  read<K extends keyof Flags>(name: K): Flags[K] {
    return flags[name];
  },
  get x64(): boolean {
    return flags.jax_enable_x64;
  },
};
