// Registers the CPU backend as device "cpu" (imported for its effect by ts/index.ts).
import { registerBackend } from "../ts/runtime/device.js";
import { CpuBackend } from "./backend.js";

registerBackend("cpu", () => new CpuBackend());
