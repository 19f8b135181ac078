import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PatternDefinition } from "vigil-secrets-engine";

export const SCAN_STATE_VERSION = 1;

/**
 * What an earlier history scan covered, kept in `<git-dir>/vigil/scan-state.json` so the next scan
 * reads only new commits. It holds ids, paths and hashes, never a secret: blobs that had findings
 * are read and scanned again to report them.
 */
export interface ScanState {
  version: typeof SCAN_STATE_VERSION;
  /** Hash of what applies to every pattern (engine version, size and binary limits, allowlists, path filters): a change means a full scan. */
  settings: string;
  /** Pattern id → hash of its definition: a new or changed pattern is run over the whole history, alone. */
  patterns: Record<string, string>;
  /** Ref → the commit it pointed at when scanned. */
  tips: Record<string, string>;
  /** Blob id → where it was introduced, `[commit, path]`, for blobs that had findings. */
  findings: Record<string, Array<[string, string]>>;
  /** When the scan finished (ISO 8601). */
  scannedAt: string;
}

// Checked by hand, not with a zod schema: this module is on the path of every scan and of the
// pre-receive hook, and loading zod costs tens of milliseconds of start-up.
const isString = (value: unknown): value is string => typeof value === "string";
const isRecordOf = (value: unknown, check: (item: unknown) => boolean): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(check);
const isLocation = (value: unknown): boolean => Array.isArray(value) && value.length === 2 && value.every(isString);

function isScanState(raw: unknown): raw is ScanState {
  if (typeof raw !== "object" || raw === null) return false;
  const state = raw as Record<string, unknown>;
  return (
    state["version"] === SCAN_STATE_VERSION &&
    isString(state["settings"]) &&
    isString(state["scannedAt"]) &&
    isRecordOf(state["patterns"], isString) &&
    isRecordOf(state["tips"], isString) &&
    isRecordOf(state["findings"], (list) => Array.isArray(list) && list.every(isLocation))
  );
}

/** A state read from elsewhere (the store), checked as a file's is; undefined when unusable. */
export function parseScanState(json: string): ScanState | undefined {
  try {
    const raw: unknown = JSON.parse(json);
    return isScanState(raw) ? raw : undefined;
  } catch {
    return undefined;
  }
}

export function scanStatePath(gitDir: string): string {
  return join(gitDir, "vigil", "scan-state.json");
}

/** The saved state, or undefined when there is none or it is unreadable or of another version (then the scan is full). */
export function loadScanState(gitDir: string): ScanState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(scanStatePath(gitDir), "utf8"));
  } catch {
    return undefined;
  }
  return isScanState(raw) ? raw : undefined;
}

/** Saves the state atomically (write then rename). Returns why it could not be saved (a read-only repository), or undefined. */
export function saveScanState(gitDir: string, state: ScanState): string | undefined {
  const path = scanStatePath(gitDir);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(gitDir, "vigil"), { recursive: true });
    writeFileSync(temp, JSON.stringify(state) + "\n");
    renameSync(temp, path);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "error";
  }
}

/**
 * A version hash per pattern: its definition (regexes, delimiters, keywords, filters, the source of
 * its validator) without its examples. Editing a pattern changes its hash and only its hash.
 */
export function patternVersions(patterns: readonly PatternDefinition[]): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const pattern of patterns) {
    const { examples: _examples, ...definition } = pattern;
    versions[pattern.id] = shortHash(JSON.stringify(definition, (_key, value: unknown) => (typeof value === "function" ? String(value) : value)));
  }
  return versions;
}

/** A short stable hash of JSON-able data. */
export function shortHash(data: unknown): string {
  return createHash("sha256")
    .update(typeof data === "string" ? data : JSON.stringify(data))
    .digest("hex")
    .slice(0, 16);
}
