// Connects the Array methods (ts/array/base.ts) to the numpy functions of the same name.
import { methodTable } from "../array/base.js";
import * as np from "./index.js";

for (const [name, f] of Object.entries(np)) {
  if (typeof f === "function") methodTable[name] = f as (...args: unknown[]) => unknown;
}
