import { isUtf8 } from "node:buffer";
import { lstatSync, readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { join, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { displayPathBytes, needsRawPath } from "./path-bytes.js";
import { specialFileKind } from "./read-bounded.js";

/** Vigil's own ignore file: same syntax as .gitignore, for paths a team never wants scanned. */
export const VIGIL_IGNORE_FILE = ".vigilignore";

export interface WalkOptions {
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Glob patterns (relative to the scanned root) to leave out and count as allowlisted. */
  allowlistPaths?: string[];
  /** The directory the globs are relative to instead, for roots under it (the config file's directory). */
  allowlistBase?: string;
  /** Also list the files the globs leave out (in \`allowlisted\`): \`vigil scan --explain\` says what they hold. */
  listAllowlisted?: boolean;
}

export interface WalkedFile {
  /** Path as the user will see it: relative to the current directory when under it. Bytes that are not UTF-8 are shown `\\xNN`. */
  path: string;
  absolutePath: string;
  /** The absolute path's bytes, when its name is not valid UTF-8 (then `absolutePath` is only for show): what the file is read by. */
  rawPath?: Buffer;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  skippedAllowlisted: number;
  unreadable: string[];
  /** FIFOs, sockets and devices met in the walk or given as roots: never read, one warning each. */
  special: Array<{ path: string; kind: string }>;
  /** With \`listAllowlisted\`: the regular files the allowlist globs left out. */
  allowlisted?: WalkedFile[];
}

interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

const SLASH = Buffer.from(sep);

/**
 * Lists the regular files under the given roots (a root may be a file), leaving out `.git`, what
 * .gitignore and .vigilignore exclude, and allowlisted globs. Symbolic links are not followed, so a
 * link loop cannot trap the walk. FIFOs, sockets and devices are listed in `special`, never as
 * files. Names are bytes: one that is not valid UTF-8 is kept as bytes (`rawPath`) and shown escaped.
 * The walk keeps its own stack, so no depth of directories can overflow the call stack.
 */
export function walkFiles(roots: string[], options: WalkOptions = {}): WalkResult {
  const result: WalkResult = { files: [], skippedAllowlisted: 0, unreadable: [], special: [] };
  const allow = options.allowlistPaths?.length ? picomatch(options.allowlistPaths, { dot: true }) : undefined;
  const cwd = process.cwd();
  const display = (abs: string): string => {
    const rel = under(cwd, abs);
    return rel.startsWith("..") || rel === "" ? abs : rel;
  };
  const ignoreNames = options.gitignore === false ? [VIGIL_IGNORE_FILE] : [".gitignore", VIGIL_IGNORE_FILE];

  for (const root of roots) {
    const base =
      options.allowlistBase !== undefined && !relative(options.allowlistBase, root).startsWith("..")
        ? options.allowlistBase
        : root;
    const stat = statSync(root);
    if (!stat.isDirectory()) {
      const kind = specialFileKind(stat);
      if (kind) result.special.push({ path: display(root), kind });
      else result.files.push({ path: display(root), absolutePath: root, size: stat.size });
      continue;
    }
    // Directories to visit: their path as text (escaped where not UTF-8) and, when that text is not the
    // path itself, as bytes; and the ignore rules above them.
    const stack: Array<{ raw: Buffer | undefined; text: string; layers: IgnoreLayer[] }> = [
      { raw: undefined, text: root, layers: [] },
    ];
    while (stack.length > 0) {
      const { raw: dirRaw, text: dir, layers } = stack.pop()!;
      let entries: Dirent<Buffer>[];
      try {
        entries = readdirSync(dirRaw ?? dir, { withFileTypes: true, encoding: "buffer" });
      } catch {
        result.unreadable.push(display(dir));
        continue;
      }
      const own = [...layers];
      for (const name of ignoreNames) {
        if (!entries.some((e) => e.isFile() && e.name.toString("latin1") === name)) continue;
        try {
          own.push({ base: dir, rules: ignore().add(readFileSync(join(dir, name), "utf8")) });
        } catch {
          result.unreadable.push(display(join(dir, name)));
        }
      }
      const subdirs: Array<{ raw: Buffer | undefined; text: string; layers: IgnoreLayer[] }> = [];
      for (const entry of entries) {
        const nameText = displayPathBytes(entry.name);
        if (nameText === ".git") continue;
        // Bytes only for a path that text cannot carry (most names are UTF-8: no copy for them).
        const raw =
          dirRaw === undefined && isUtf8(entry.name)
            ? undefined
            : Buffer.concat([dirRaw ?? Buffer.from(dir), SLASH, entry.name]);
        const abs = join(dir, nameText);
        const isDir = entry.isDirectory();
        if (own.some((layer) => layer.rules.ignores(toPosix(under(layer.base, abs)) + (isDir ? "/" : "")))) continue;
        if (isDir) {
          subdirs.push({ raw, text: abs, layers: own });
          continue;
        }
        // Globs are tested against files only, so `test/**` counts each file it leaves out.
        if (allow?.(toPosix(under(base, abs)))) {
          result.skippedAllowlisted++;
          if (options.listAllowlisted && entry.isFile()) {
            try {
              (result.allowlisted ??= []).push({
                path: display(abs),
                absolutePath: abs,
                size: lstatSync(raw ?? abs).size,
              });
            } catch {
              // Unreadable: nothing to explain.
            }
          }
          continue;
        }
        if (entry.isFile()) {
          try {
            const file: WalkedFile = { path: display(abs), absolutePath: abs, size: lstatSync(raw ?? abs).size };
            if (raw && needsRawPath(raw)) file.rawPath = raw;
            result.files.push(file);
          } catch {
            result.unreadable.push(display(abs));
          }
          continue;
        }
        const kind = specialFileKind(entry);
        if (kind) result.special.push({ path: display(abs), kind });
      }
      // Depth first, in directory order.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
  }
  return result;
}

/**
 * \`relative(base, path)\` for a path below base, the walk's case: paths are built by joining names
 * onto base, so the rest of the string is the answer (\`relative\` resolves both paths first, which
 * costs more than the rest of the walk per entry). Anything else goes through \`relative\`.
 */
function under(base: string, path: string): string {
  if (path.length > base.length + 1 && path.startsWith(base) && path[base.length] === sep && !base.endsWith(sep)) {
    return path.slice(base.length + 1);
  }
  return relative(base, path);
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
