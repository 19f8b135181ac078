import type { ScanStats } from "../sources/types.js";
import type { WorkerFileResult } from "./scan-worker.js";

/** Adds one scanned item's outcome to the summary counters: the one place files and git blobs are counted. */
export function countOutcome(stats: ScanStats, result: WorkerFileResult): void {
  switch (result.outcome) {
    case "scanned":
      stats.filesScanned++;
      stats.bytesScanned += result.bytes;
      break;
    case "binary":
      stats.skippedBinary++;
      break;
    case "too-large":
      stats.skippedTooLarge++;
      break;
    case "lfs":
      stats.skippedLfs++;
      break;
    case "unreadable":
      stats.unreadable++;
      break;
  }
}
