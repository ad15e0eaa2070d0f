// What this CPU can do with 128-bit SIMD on one core, natively: the ceiling for any Wasm SIMD
// GEMM (Wasm SIMD has only 128-bit vectors; plain SIMD has no FMA).
//   gcc -O2 -mavx2 -mfma bench/native/simd_peak.c -o /tmp/simd_peak && /tmp/simd_peak
// Prints the clock (from a chain of dependent integer adds, one per cycle), the throughput of
// independent 128-bit FMAs (two pipes: 16 flop/cycle; separate mul + add also peak at 16, two
// multiply and two add pipes), and the 4×8 mul+add and 6×8 FMA GEMM micro-kernels of
// wasm/assembly/gemm_kernels.ts written in C, run on L1-resident panels: the best any single-
// threaded Wasm SIMD GEMM on this core can hope for.
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double clock_ghz(void) {
  long n = 400000000, x = 0;
  double t = now();
  for (long i = 0; i < n; i++)
    __asm__ volatile("add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n" : "+r"(x));
  return 8.0 * n / (now() - t) / 1e9;
}

// 12 chains of FMA (latency 4, two pipes: 8 would suffice), 8 flops each.
static double fma_gflops(void) {
  static const float cm[4] = {0.9999999f, 0.9999999f, 0.9999999f, 0.9999999f}, ca[4] = {1e-8f, 1e-8f, 1e-8f, 1e-8f};
  __m128 m = _mm_loadu_ps(cm), a = _mm_loadu_ps(ca);
  __m128 x0 = _mm_set1_ps(1), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0, x8 = x0, x9 = x0, x10 = x0, x11 = x0;
  long n = 100000000;
  double t = now();
  for (long k = 0; k < n; k++) {
    __asm__ volatile(
        "vfmadd132ps %[m],%[a],%[x0]\n vfmadd132ps %[m],%[a],%[x1]\n vfmadd132ps %[m],%[a],%[x2]\n vfmadd132ps %[m],%[a],%[x3]\n"
        "vfmadd132ps %[m],%[a],%[x4]\n vfmadd132ps %[m],%[a],%[x5]\n vfmadd132ps %[m],%[a],%[x6]\n vfmadd132ps %[m],%[a],%[x7]\n"
        "vfmadd132ps %[m],%[a],%[x8]\n vfmadd132ps %[m],%[a],%[x9]\n vfmadd132ps %[m],%[a],%[x10]\n vfmadd132ps %[m],%[a],%[x11]\n"
        : [x0] "+x"(x0), [x1] "+x"(x1), [x2] "+x"(x2), [x3] "+x"(x3), [x4] "+x"(x4), [x5] "+x"(x5), [x6] "+x"(x6), [x7] "+x"(x7),
          [x8] "+x"(x8), [x9] "+x"(x9), [x10] "+x"(x10), [x11] "+x"(x11)
        : [m] "x"(m), [a] "x"(a));
  }
  t = now() - t;
  volatile float sink = _mm_cvtss_f32(_mm_add_ps(_mm_add_ps(x0, x11), x5));
  (void)sink;
  return 12.0 * 8 * n / t / 1e9;
}

__attribute__((noinline)) static void kernel4x8(int kc, const float* ap, const float* bp, float* c) {
  __m128 c00 = _mm_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++) {
    __m128 b0 = _mm_load_ps(bp), b1 = _mm_load_ps(bp + 4), a;
    a = _mm_broadcast_ss(ap); c00 = _mm_add_ps(c00, _mm_mul_ps(a, b0)); c01 = _mm_add_ps(c01, _mm_mul_ps(a, b1));
    a = _mm_broadcast_ss(ap + 1); c10 = _mm_add_ps(c10, _mm_mul_ps(a, b0)); c11 = _mm_add_ps(c11, _mm_mul_ps(a, b1));
    a = _mm_broadcast_ss(ap + 2); c20 = _mm_add_ps(c20, _mm_mul_ps(a, b0)); c21 = _mm_add_ps(c21, _mm_mul_ps(a, b1));
    a = _mm_broadcast_ss(ap + 3); c30 = _mm_add_ps(c30, _mm_mul_ps(a, b0)); c31 = _mm_add_ps(c31, _mm_mul_ps(a, b1));
    ap += 4;
    bp += 8;
  }
  __m128 out[8] = {c00, c01, c10, c11, c20, c21, c30, c31};
  for (int i = 0; i < 8; i++) _mm_storeu_ps(c + 4 * i, out[i]);
}

__attribute__((noinline)) static void kernel6x8fma(int kc, const float* ap, const float* bp, float* c) {
  __m128 c00 = _mm_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m128 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < kc; k++) {
    __m128 b0 = _mm_load_ps(bp), b1 = _mm_load_ps(bp + 4), a;
    a = _mm_broadcast_ss(ap); c00 = _mm_fmadd_ps(a, b0, c00); c01 = _mm_fmadd_ps(a, b1, c01);
    a = _mm_broadcast_ss(ap + 1); c10 = _mm_fmadd_ps(a, b0, c10); c11 = _mm_fmadd_ps(a, b1, c11);
    a = _mm_broadcast_ss(ap + 2); c20 = _mm_fmadd_ps(a, b0, c20); c21 = _mm_fmadd_ps(a, b1, c21);
    a = _mm_broadcast_ss(ap + 3); c30 = _mm_fmadd_ps(a, b0, c30); c31 = _mm_fmadd_ps(a, b1, c31);
    a = _mm_broadcast_ss(ap + 4); c40 = _mm_fmadd_ps(a, b0, c40); c41 = _mm_fmadd_ps(a, b1, c41);
    a = _mm_broadcast_ss(ap + 5); c50 = _mm_fmadd_ps(a, b0, c50); c51 = _mm_fmadd_ps(a, b1, c51);
    ap += 6;
    bp += 8;
  }
  __m128 out[12] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
  for (int i = 0; i < 12; i++) _mm_storeu_ps(c + 4 * i, out[i]);
}

int main(void) {
  const int kc = 256, reps = 300000;
  float* a = aligned_alloc(64, sizeof(float) * 6 * kc);
  float* b = aligned_alloc(64, sizeof(float) * 8 * kc);
  float c[48];
  for (int i = 0; i < 6 * kc; i++) a[i] = 1e-3f * (i % 97);
  for (int i = 0; i < 8 * kc; i++) b[i] = 1e-3f * (i % 89);
  for (int round = 0; round < 3; round++) {
    double ghz = clock_ghz();
    double t = now();
    for (int r = 0; r < reps; r++) kernel4x8(kc, a, b, c);
    double k48 = 2.0 * 4 * 8 * kc * reps / (now() - t) / 1e9;
    t = now();
    for (int r = 0; r < reps; r++) kernel6x8fma(kc, a, b, c);
    double k68 = 2.0 * 6 * 8 * kc * reps / (now() - t) / 1e9;
    printf("clock %.2f GHz, so 16 flop/cycle = %.1f GFLOP/s | FMA throughput %.1f | C kernel 4x8 mul+add %.1f | C kernel 6x8 FMA %.1f GFLOP/s\n",
           ghz, 16 * ghz, fma_gflops(), k48, k68);
  }
  return c[0] == 12345.0f;
}
