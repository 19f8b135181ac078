import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { VigilError } from "../errors.js";

// Where the config file is, without the parser and schema (YAML and zod cost start-up time that a
// git hook with no config file need not pay). config.ts re-exports these.

/** Config files looked for, in order, when --config is not given. */
export const CONFIG_FILE_NAMES = ["vigil.config.yaml", "vigil.config.yml", ".vigil.yaml"] as const;

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** Finds the config: the explicit path, else a known file name in `cwd`, else in the first scanned directory. */
export function findConfigFile(explicit: string | undefined, searchDirs: string[]): string | undefined {
  if (explicit !== undefined) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new VigilError("ERR_CONFIG_NOT_FOUND", `config file not found: ${explicit}`);
    return path;
  }
  for (const dir of searchDirs) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
  }
  return undefined;
}
