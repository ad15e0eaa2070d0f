// The optimizers of jax.example_libraries.optimizers, each JAX's update written with the same
// operations in the same order (Python scalars are JS numbers: weakly typed, so the
// parameters' dtype is kept). The step size may be a number, a 0-d array or a schedule.
import type { ArrayBase } from "../array/base.js";
import * as np from "../numpy/index.js";
import { makeSchedule, type Schedule, type ScheduleValue } from "./schedules.js";
import { optimizer, type Optimizer, type Step } from "./state.js";

type StepSize = ScheduleValue | Schedule;
type A = ArrayBase;

/** (b asarray'd to m's dtype) ** (i + 1), the bias-correction power of adam and adamax. */
function biasPower(b: number, dtype: string, i: Step): A {
  const base = np.asarray(b, dtype);
  return np.power(base, typeof i === "number" ? i + 1 : np.add(i, 1));
}

/** Stochastic gradient descent: x - stepSize(i)·g. */
export function sgd(stepSize: StepSize): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<A>("sgd", {
    init: (x0) => x0,
    update: (i, g, x) => np.subtract(x, np.multiply(lr(i), g)),
    getParams: (x) => x,
  });
}

/** SGD with momentum: v = mass·v + g; x = x - stepSize(i)·v. */
export function momentum(stepSize: StepSize, mass: number): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A]>("momentum", {
    init: (x0) => [x0, np.zerosLike(x0)],
    update: (i, g, [x, velocity]) => {
      const v = np.add(np.multiply(mass, velocity), g);
      return [np.subtract(x, np.multiply(lr(i), v)), v];
    },
    getParams: ([x]) => x,
  });
}

/** SGD with Nesterov momentum: v = mass·v + g; x = x - stepSize(i)·(mass·v + g). */
export function nesterov(stepSize: StepSize, mass: number): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A]>("nesterov", {
    init: (x0) => [x0, np.zerosLike(x0)],
    update: (i, g, [x, velocity]) => {
      const v = np.add(np.multiply(mass, velocity), g);
      return [np.subtract(x, np.multiply(lr(i), np.add(np.multiply(mass, v), g))), v];
    },
    getParams: ([x]) => x,
  });
}

/**
 * Adagrad with momentum (JAX's variant): gSq += g²; m = (1 - momentum)·g/sqrt(gSq) + momentum·m
 * (0 where gSq is 0); x = x - stepSize(i)·m.
 */
export function adagrad(stepSize: StepSize, momentumCoef = 0.9): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A, A]>("adagrad", {
    init: (x0) => [x0, np.zerosLike(x0), np.zerosLike(x0)],
    update: (i, g, [x, gSq0, m0]) => {
      const gSq = np.add(gSq0, np.square(g));
      const gSqInvSqrt = np.where(np.greater(gSq, 0), np.divide(1.0, np.sqrt(gSq)), 0.0);
      const m = np.add(np.multiply(1 - momentumCoef, np.multiply(g, gSqInvSqrt)), np.multiply(momentumCoef, m0));
      return [np.subtract(x, np.multiply(lr(i), m)), gSq, m];
    },
    getParams: ([x]) => x,
  });
}

/** RMSProp: a = gamma·a + (1 - gamma)·g²; x = x - stepSize(i)·g / sqrt(a + eps). */
export function rmsprop(stepSize: StepSize, gamma = 0.9, eps = 1e-8): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A]>("rmsprop", {
    init: (x0) => [x0, np.zerosLike(x0)],
    update: (i, g, [x, avgSqGrad0]) => {
      const avgSqGrad = np.add(np.multiply(avgSqGrad0, gamma), np.multiply(np.square(g), 1 - gamma));
      return [np.subtract(x, np.divide(np.multiply(lr(i), g), np.sqrt(np.add(avgSqGrad, eps)))), avgSqGrad];
    },
    getParams: ([x]) => x,
  });
}

/**
 * RMSProp with momentum: a as rmsprop; mom = momentum·mom + stepSize(i)·g / sqrt(a + eps);
 * x = x - mom.
 */
export function rmspropMomentum(stepSize: StepSize, gamma = 0.9, eps = 1e-8, momentumCoef = 0.9): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A, A]>("rmspropMomentum", {
    init: (x0) => [x0, np.zerosLike(x0), np.zerosLike(x0)],
    update: (i, g, [x, avgSqGrad0, mom0]) => {
      const avgSqGrad = np.add(np.multiply(avgSqGrad0, gamma), np.multiply(np.square(g), 1 - gamma));
      const mom = np.add(np.multiply(momentumCoef, mom0), np.divide(np.multiply(lr(i), g), np.sqrt(np.add(avgSqGrad, eps))));
      return [np.subtract(x, mom), avgSqGrad, mom];
    },
    getParams: ([x]) => x,
  });
}

/**
 * Adam: m = (1 - b1)·g + b1·m; v = (1 - b2)·g² + b2·v; bias-corrected m̂ = m / (1 - b1^(i+1)),
 * v̂ = v / (1 - b2^(i+1)); x = x - stepSize(i)·m̂ / (sqrt(v̂) + eps).
 */
export function adam(stepSize: StepSize, b1 = 0.9, b2 = 0.999, eps = 1e-8): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A, A]>("adam", {
    init: (x0) => [x0, np.zerosLike(x0), np.zerosLike(x0)],
    update: (i, g, [x, m0, v0]) => {
      const m = np.add(np.multiply(1 - b1, g), np.multiply(b1, m0));
      const v = np.add(np.multiply(1 - b2, np.square(g)), np.multiply(b2, v0));
      const mhat = np.divide(m, np.subtract(1, biasPower(b1, m.dtype, i)));
      const vhat = np.divide(v, np.subtract(1, biasPower(b2, m.dtype, i)));
      return [np.subtract(x, np.divide(np.multiply(lr(i), mhat), np.add(np.sqrt(vhat), eps))), m, v];
    },
    getParams: ([x]) => x,
  });
}

/**
 * AdaMax: m as adam; u = max(b2·u, |g|); x = x - (stepSize(i) / (1 - b1^(i+1)))·m / (u + eps).
 */
export function adamax(stepSize: StepSize, b1 = 0.9, b2 = 0.999, eps = 1e-8): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A, A]>("adamax", {
    init: (x0) => [x0, np.zerosLike(x0), np.zerosLike(x0)],
    update: (i, g, [x, m0, u0]) => {
      const m = np.add(np.multiply(1 - b1, g), np.multiply(b1, m0));
      const u = np.maximum(np.multiply(b2, u0), np.abs(g));
      const scale = np.divide(lr(i), np.subtract(1, biasPower(b1, m.dtype, i)));
      return [np.subtract(x, np.divide(np.multiply(scale, m), np.add(u, eps))), m, u];
    },
    getParams: ([x]) => x,
  });
}

/**
 * SM3 (memory-efficient adaptive optimization): one accumulator vector per axis; the
 * accumulated g² of an element is the minimum over its axes' accumulators plus g², and each
 * accumulator keeps the maximum over the other axes. The per-leaf state is [x, m, vs] with x
 * and m in the parameter's shape (JAX stores atleast_1d(x) and the original shape instead;
 * the arithmetic is the same).
 */
export function sm3(stepSize: StepSize, momentumCoef = 0.9): Optimizer {
  const lr = makeSchedule(stepSize);
  return optimizer<[A, A, A[]]>("sm3", {
    init: (x0) => {
      const x1 = np.atleast1d(x0) as A;
      return [x0, np.zerosLike(x0), x1.shape.map((n) => np.zeros([n], x1.dtype))];
    },
    update: (i, g, [x, m0, vs]) => {
      const g1 = np.atleast1d(g) as A;
      const x1 = np.atleast1d(x) as A;
      const n = g1.ndim;
      // Each accumulator broadcast along its own axis.
      const vb = vs.map((v, axis) => np.reshape(v, g1.shape.map((d, k) => (k === axis ? d : 1))));
      const accum = np.add(vb.reduce((a, b) => np.minimum(a, b)), np.square(g1));
      const accumInvSqrt = np.where(np.greater(accum, 0), np.divide(1.0, np.sqrt(accum)), 0);
      const m = np.add(np.multiply(1 - momentumCoef, np.multiply(g1, accumInvSqrt)), np.multiply(momentumCoef, np.atleast1d(m0) as A));
      const xNew = np.subtract(x1, np.multiply(lr(i), m));
      const newVs = vs.map((_, j) => np.max(accum, Array.from({ length: n }, (_, k) => k).filter((k) => k !== j)));
      return [np.reshape(xNew, x.shape), np.reshape(m, x.shape), newVs];
    },
    getParams: ([x]) => x,
  });
}
