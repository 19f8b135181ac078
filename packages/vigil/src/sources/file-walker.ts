import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";

/** Vigil's own ignore file: same syntax as .gitignore, for paths a team never wants scanned. */
export const VIGIL_IGNORE_FILE = ".vigilignore";

export interface WalkOptions {
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Glob patterns (relative to the scanned root) to leave out and count as allowlisted. */
  allowlistPaths?: string[];
  /** The directory the globs are relative to instead, for roots under it (the config file's directory). */
  allowlistBase?: string;
}

export interface WalkedFile {
  /** Path as the user will see it: relative to the current directory when under it. */
  path: string;
  absolutePath: string;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  skippedAllowlisted: number;
  unreadable: string[];
}

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

/**
 * Lists the files under the given roots (a root may be a file), leaving out
 * `.git`, what .gitignore and .vigilignore exclude, and allowlisted globs.
 * Symbolic links are not followed, so a link loop cannot trap the walk.
 */
export function walkFiles(roots: string[], options: WalkOptions = {}): WalkResult {
  const result: WalkResult = { files: [], skippedAllowlisted: 0, unreadable: [] };
  const allow = options.allowlistPaths?.length ? picomatch(options.allowlistPaths, { dot: true }) : undefined;
  const cwd = process.cwd();
  const display = (abs: string): string => {
    const rel = relative(cwd, abs);
    return rel.startsWith("..") || rel === "" ? abs : rel;
  };

  for (const root of roots) {
    const base =
      options.allowlistBase !== undefined && !relative(options.allowlistBase, root).startsWith("..")
        ? options.allowlistBase
        : root;
    const stat = statSync(root);
    if (!stat.isDirectory()) {
      result.files.push({ path: display(root), absolutePath: root, size: stat.size });
      continue;
    }
    const visit = (dir: string, layers: IgnoreLayer[]): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        result.unreadable.push(display(dir));
        return;
      }
      const own = [...layers];
      for (const name of options.gitignore === false ? [VIGIL_IGNORE_FILE] : [".gitignore", VIGIL_IGNORE_FILE]) {
        if (!entries.some((e) => e.name === name && e.isFile())) continue;
        try {
          own.push({ base: dir, rules: ignore().add(readFileSync(join(dir, name), "utf8")) });
        } catch {
          result.unreadable.push(display(join(dir, name)));
        }
      }
      for (const entry of entries) {
        if (entry.name === ".git") continue;
        const abs = join(dir, entry.name);
        const isDir = entry.isDirectory();
        if (own.some((layer) => layer.rules.ignores(toPosix(relative(layer.base, abs)) + (isDir ? "/" : "")))) continue;
        if (isDir) {
          visit(abs, own);
          continue;
        }
        // Globs are tested against files only, so `test/**` counts each file it leaves out.
        if (allow?.(toPosix(relative(base, abs)))) {
          result.skippedAllowlisted++;
          continue;
        }
        if (entry.isFile()) {
          try {
            result.files.push({ path: display(abs), absolutePath: abs, size: lstatSync(abs).size });
          } catch {
            result.unreadable.push(display(abs));
          }
        }
      }
    };
    visit(root, []);
  }
  return result;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
