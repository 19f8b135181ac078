import type { BoundedRead } from "../sources/read-bounded.js";
import type { WorkerFileResult } from "./scan-worker.js";

/** The result for a file that gave no content: over the limit while read, not a regular file, or an error. */
export function readFailure(index: number, read: Exclude<BoundedRead, { outcome: "content" }>): WorkerFileResult {
  if (read.outcome === "too-large") return { index, outcome: "too-large", bytes: 0, findings: [] };
  if (read.outcome === "special") return { index, outcome: "unreadable", bytes: 0, findings: [], special: read.kind };
  return { index, outcome: "unreadable", bytes: 0, findings: [], error: read.error };
}
