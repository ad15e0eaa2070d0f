// Learning-rate schedules of jax.example_libraries.optimizers: functions of the step index.
// A JS number step computes in double precision where JAX computes in Python floats; where
// JAX's formula goes through jnp (floor, minimum, indexing), the result is an array, as in
// JAX; a traced or Array step always gives an array.
import { ArrayBase } from "../array/base.js";
import { defaultFloat, isFloat } from "../array/dtype.js";
import * as np from "../numpy/index.js";
import type { Step } from "./state.js";

export type ScheduleValue = number | ArrayBase;
export type Schedule = (step: Step) => ScheduleValue;

/** constant(stepSize): the same value at every step. */
export function constant(stepSize: ScheduleValue): Schedule {
  return () => stepSize;
}

/** exponentialDecay(stepSize, decaySteps, decayRate)(i) = stepSize · decayRate^(i / decaySteps). */
export function exponentialDecay(stepSize: number, decaySteps: number, decayRate: number): Schedule {
  return (i) => {
    if (typeof i === "number") return stepSize * decayRate ** (i / decaySteps);
    return np.multiply(stepSize, np.power(decayRate, np.divide(i, decaySteps)));
  };
}

/**
 * inverseTimeDecay(stepSize, decaySteps, decayRate, staircase = false)(i) =
 * stepSize / (1 + decayRate · i / decaySteps), with floor(i / decaySteps) when staircase.
 */
export function inverseTimeDecay(stepSize: number, decaySteps: number, decayRate: number, staircase = false): Schedule {
  if (staircase) {
    return (i) => {
      const q = typeof i === "number" ? i / decaySteps : np.divide(i, decaySteps);
      return np.divide(stepSize, np.add(1, np.multiply(decayRate, np.floor(q))));
    };
  }
  return (i) => {
    if (typeof i === "number") return stepSize / (1 + (decayRate * i) / decaySteps);
    return np.divide(stepSize, np.add(1, np.divide(np.multiply(decayRate, i), decaySteps)));
  };
}

/**
 * polynomialDecay(stepSize, decaySteps, finalStepSize, power = 1)(i): from stepSize to
 * finalStepSize over decaySteps steps, (1 - min(i, decaySteps) / decaySteps)^power, then constant.
 */
export function polynomialDecay(stepSize: number, decaySteps: number, finalStepSize: number, power = 1.0): Schedule {
  return (i) => {
    const stepNum = np.minimum(i, decaySteps);
    const stepMult = np.power(np.subtract(1, np.divide(stepNum, decaySteps)), power);
    return np.add(np.multiply(stepMult, stepSize - finalStepSize), finalStepSize);
  };
}

/**
 * piecewiseConstant(boundaries, values)(i) = values[number of boundaries below i]: values[0]
 * up to boundaries[0], values[1] up to boundaries[1], ... JS number values become the default
 * float dtype (they are step sizes); Arrays keep their dtype.
 */
export function piecewiseConstant(boundaries: number[] | ArrayBase, values: number[] | ArrayBase): Schedule {
  const b = boundaries instanceof ArrayBase ? boundaries : np.array(boundaries);
  const v = values instanceof ArrayBase ? values : np.array(values, defaultFloat());
  if (b.ndim !== 1 || v.ndim !== 1) {
    throw new TypeError(`optimizers.piecewiseConstant: boundaries and values must be sequences, got shapes [${b.shape}] and [${v.shape}]`);
  }
  if (b.shape[0] !== v.shape[0] - 1) {
    throw new TypeError(
      `optimizers.piecewiseConstant: boundaries length must be one shorter than values length, got ${b.shape[0]} boundaries and ${v.shape[0]} values`,
    );
  }
  return (i) => v.get(np.sum(np.greater(i, b)));
}

/** makeSchedule(x): a function is a schedule already; a scalar becomes constant(x). */
export function makeSchedule(scalarOrSchedule: ScheduleValue | Schedule): Schedule {
  if (typeof scalarOrSchedule === "function") return scalarOrSchedule;
  if (typeof scalarOrSchedule === "number") return constant(scalarOrSchedule);
  if (scalarOrSchedule instanceof ArrayBase && scalarOrSchedule.ndim === 0) {
    if (!isFloat(scalarOrSchedule.dtype) && scalarOrSchedule.dtype !== "int32") {
      throw new TypeError(`optimizers.makeSchedule: a step size must be numeric, got dtype ${scalarOrSchedule.dtype}`);
    }
    return constant(scalarOrSchedule);
  }
  const what = scalarOrSchedule instanceof ArrayBase ? `an array of shape [${scalarOrSchedule.shape}]` : typeof scalarOrSchedule;
  throw new TypeError(`optimizers.makeSchedule: expected a step size (a number or 0-d array) or a schedule function (step) => stepSize, got ${what}`);
}
