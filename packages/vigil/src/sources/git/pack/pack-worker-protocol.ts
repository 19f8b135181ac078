import type { MatcherSettings } from "../../../scan/matcher-settings.js";
import type { ContentLimits, ContentOutcome, WireFinding } from "../../../scan/scan-content.js";
import type { PackPlan } from "./pack-plan.js";

export interface PackWorkerInit {
  settings: MatcherSettings;
  limits: ContentLimits;
  packs: PackPlan[];
}

/** Units of one pack to scan (see `planUnits`). */
export interface PackWorkerRequest {
  batch: number;
  pack: number;
  units: Int32Array;
}

export const OUTCOMES: ContentOutcome[] = ["scanned", "binary", "too-large", "lfs"];

/** Blobs scanned, by pack position; a blob missing here could not be read from the pack (git reads it instead). */
export interface PackWorkerResponse {
  batch: number;
  pack: number;
  positions: Int32Array;
  /** Index into `OUTCOMES`. */
  outcomes: Uint8Array;
  bytes: Float64Array;
  findings: Array<[position: number, findings: WireFinding[]]>;
}
