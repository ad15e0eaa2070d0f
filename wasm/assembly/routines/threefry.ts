// Threefry-2x32 with 20 rounds (Salmon et al. 2011), the block function under JAX's PRNG
// (jax.random's threefry2x32 primitive): for each i < n, (y0[i], y1[i]) = the block of key
// (k0[i], k1[i]) and counter (x0[i], x1[i]). Each operand is either n uint32 values (stride 1)
// or one value used for every i (stride 0). Four blocks per SIMD step, all in registers. The
// 20 rounds are written out (SIMD body and scalar tail alike) so every rotation is by a
// constant: V8 then emits immediate shifts.

// @ts-ignore: decorator
@inline
function rotl4(v: v128, r: i32): v128 {
  return v128.or(i32x4.shl(v, r), i32x4.shr_u(v, 32 - r));
}

// @ts-ignore: decorator
@inline
function lanes(p: usize, stride: i32, i: i32): v128 {
  return stride ? v128.load(p + (<usize>i << 2)) : i32x4.splat(load<i32>(p));
}

// @ts-ignore: decorator
@inline
function one(p: usize, stride: i32, i: i32): u32 {
  return load<u32>(p + (stride ? <usize>i << 2 : 0));
}

export function rtnThreefry2x32(
  n: i32, pk0: usize, sk0: i32, pk1: usize, sk1: i32, px0: usize, sx0: i32, px1: usize, sx1: i32, py0: usize, py1: usize,
): void {
  const parity = i32x4.splat(0x1bd11bda);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const k0 = lanes(pk0, sk0, i), k1 = lanes(pk1, sk1, i);
    const k2 = v128.xor(v128.xor(k0, k1), parity);
    let a = i32x4.add(lanes(px0, sx0, i), k0);
    let b = i32x4.add(lanes(px1, sx1, i), k1);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 13), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 15), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 26), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 6), a);
    a = i32x4.add(a, k1); b = i32x4.add(b, i32x4.add(k2, i32x4.splat(1)));
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 17), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 29), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 16), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 24), a);
    a = i32x4.add(a, k2); b = i32x4.add(b, i32x4.add(k0, i32x4.splat(2)));
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 13), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 15), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 26), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 6), a);
    a = i32x4.add(a, k0); b = i32x4.add(b, i32x4.add(k1, i32x4.splat(3)));
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 17), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 29), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 16), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 24), a);
    a = i32x4.add(a, k1); b = i32x4.add(b, i32x4.add(k2, i32x4.splat(4)));
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 13), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 15), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 26), a);
    a = i32x4.add(a, b); b = v128.xor(rotl4(b, 6), a);
    a = i32x4.add(a, k2); b = i32x4.add(b, i32x4.add(k0, i32x4.splat(5)));
    v128.store(py0 + (<usize>i << 2), a);
    v128.store(py1 + (<usize>i << 2), b);
  }
  for (; i < n; i++) {
    const k0 = one(pk0, sk0, i), k1 = one(pk1, sk1, i);
    const k2 = k0 ^ k1 ^ 0x1bd11bda;
    let a = one(px0, sx0, i) + k0;
    let b = one(px1, sx1, i) + k1;
    a += b; b = rotl<u32>(b, 13) ^ a;
    a += b; b = rotl<u32>(b, 15) ^ a;
    a += b; b = rotl<u32>(b, 26) ^ a;
    a += b; b = rotl<u32>(b, 6) ^ a;
    a += k1; b += k2 + 1;
    a += b; b = rotl<u32>(b, 17) ^ a;
    a += b; b = rotl<u32>(b, 29) ^ a;
    a += b; b = rotl<u32>(b, 16) ^ a;
    a += b; b = rotl<u32>(b, 24) ^ a;
    a += k2; b += k0 + 2;
    a += b; b = rotl<u32>(b, 13) ^ a;
    a += b; b = rotl<u32>(b, 15) ^ a;
    a += b; b = rotl<u32>(b, 26) ^ a;
    a += b; b = rotl<u32>(b, 6) ^ a;
    a += k0; b += k1 + 3;
    a += b; b = rotl<u32>(b, 17) ^ a;
    a += b; b = rotl<u32>(b, 29) ^ a;
    a += b; b = rotl<u32>(b, 16) ^ a;
    a += b; b = rotl<u32>(b, 24) ^ a;
    a += k1; b += k2 + 4;
    a += b; b = rotl<u32>(b, 13) ^ a;
    a += b; b = rotl<u32>(b, 15) ^ a;
    a += b; b = rotl<u32>(b, 26) ^ a;
    a += b; b = rotl<u32>(b, 6) ^ a;
    a += k2; b += k0 + 5;
    store<u32>(py0 + (<usize>i << 2), a);
    store<u32>(py1 + (<usize>i << 2), b);
  }
}
