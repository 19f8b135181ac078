import type { VigilConfig } from "./config.js";
import { DEFAULT_MAX_FILE_SIZE } from "./config-file.js";

// The config used when there is no config file, without the YAML parser and the zod schema (they
// cost ~100 ms of start-up that a one-file scan with no config need not pay). config.ts re-exports
// it; a test holds it equal to what the schema gives for an empty file.

/** The config used when there is no config file: a new object each time (callers may change it). */
export function defaultConfig(): VigilConfig {
  return {
    patterns: { disable: [], generic: true, custom: [] },
    allowlist: { paths: [], values: [], regexes: [], fingerprints: [] },
    hooks: { block: "push-protection" },
    limits: { max_file_size: DEFAULT_MAX_FILE_SIZE, scan_binaries: false },
  };
}
