// Entry for Deno and Bun: the published bundle, the shared program, one JSON line out.
import * as ej from "../../../dist/edgejax.js";
import { runProgram } from "./program.mjs";

const runtime = typeof Deno !== "undefined" ? "deno" : typeof Bun !== "undefined" ? "bun" : "node";
console.log("RESULTS " + JSON.stringify({ runtime, ...runProgram(ej) }));
