import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { VigilError } from "../errors.js";

// Where the config file is, without the parser and schema (YAML and zod cost start-up time that a
// git hook with no config file need not pay). config.ts re-exports these.

/** Config files looked for, in order, when --config is not given. */
export const CONFIG_FILE_NAMES = ["vigil.config.yaml", "vigil.config.yml", ".vigil.yaml"] as const;

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
};

/** Parses a size: a byte count, or a number with a unit (`10MB`, `512k`). Undefined when it is not one. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i.exec(value);
  const unit = SIZE_UNITS[(match?.[2] ?? "").toLowerCase() || "b"];
  if (!match || unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/**
 * The directories whose config applies to a scanned path, nearest first: the path's directory (a
 * file's parent) and its parents up to the top level of the git repository it is in (the first
 * that holds `.git`). Outside a repository, only the directory itself: a stray config in a parent
 * (a home directory) never applies by surprise.
 */
export function configSearchDirs(path: string): string[] {
  let dir = resolve(path);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  const dirs: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    dirs.push(current);
    if (existsSync(join(current, ".git"))) return dirs;
    if (dirname(current) === current) return [dir];
  }
}

/** Finds the config: the explicit path, else the first known file name in the search directories, in order. */
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
