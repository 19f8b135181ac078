import { isUtf8 } from "node:buffer";
import { readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { isAbsolute, join, relative, sep } from "node:path";
import picomatch from "picomatch";
import { compileIgnoreRules, type IgnoreRules } from "./ignore-rules.js";
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
  /**
   * Size in bytes when it is known before the read: a root given as a file, a git listing. The walk
   * of a directory does not stat each file (the read finds out), so its files leave it out.
   */
  size?: number;
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

/** What a walk counts besides its files (those it hands out in chunks). */
export type WalkTally = Omit<WalkResult, "files">;

interface IgnoreLayer {
  base: string;
  rules: IgnoreRules;
}

interface PendingDir {
  /** The path's bytes, when its text is not the path itself (a name that is not UTF-8 above or here). */
  raw: Buffer | undefined;
  text: string;
  layers: IgnoreLayer[];
}

const SLASH = Buffer.from(sep);
/** Files handed out per chunk by {@link walkFileChunks}: small enough that scanning starts early. */
const CHUNK_FILES = 256;

/**
 * Lists the regular files under the given roots (a root may be a file), leaving out `.git`, what
 * .gitignore and .vigilignore exclude, and allowlisted globs. Symbolic links are not followed, so a
 * link loop cannot trap the walk. FIFOs, sockets and devices are listed in `special`, never as
 * files. Names are bytes: one that is not valid UTF-8 is kept as bytes (`rawPath`) and shown escaped.
 * The walk keeps its own stack, so no depth of directories can overflow the call stack.
 */
export function walkFiles(roots: string[], options: WalkOptions = {}): WalkResult {
  const tally: WalkTally = { skippedAllowlisted: 0, unreadable: [], special: [] };
  const files: WalkedFile[] = [];
  for (const chunk of walkFileChunks(roots, options, tally)) for (const file of chunk) files.push(file);
  return { files, ...tally };
}

/**
 * {@link walkFiles} as it goes: yields the files found so far in chunks of a few hundred, in the
 * same order, so that a scan can start on the first files while the walk goes on. Counts what is
 * not a file into `tally`, which is complete when the generator is done.
 */
export function* walkFileChunks(roots: string[], options: WalkOptions, tally: WalkTally): Generator<WalkedFile[]> {
  const allow = options.allowlistPaths?.length ? picomatch(options.allowlistPaths, { dot: true }) : undefined;
  const cwd = process.cwd();
  const display = (abs: string): string => {
    const rel = under(cwd, abs);
    return rel.startsWith("..") || rel === "" ? abs : rel;
  };
  const ignoreNames = options.gitignore === false ? [VIGIL_IGNORE_FILE] : [".gitignore", VIGIL_IGNORE_FILE];
  let chunk: WalkedFile[] = [];

  for (const root of roots) {
    const base =
      options.allowlistBase !== undefined && !relative(options.allowlistBase, root).startsWith("..")
        ? options.allowlistBase
        : root;
    const stat = statSync(root);
    if (!stat.isDirectory()) {
      const kind = specialFileKind(stat);
      if (kind) tally.special.push({ path: display(root), kind });
      else chunk.push({ path: display(root), absolutePath: root, size: stat.size });
      continue;
    }
    // Directories to visit, with the ignore rules above them.
    const stack: PendingDir[] = [{ raw: undefined, text: root, layers: [] }];
    while (stack.length > 0) {
      const { raw: dirRaw, text: dir, layers } = stack.pop()!;
      const entries = listDirectory(dirRaw, dir);
      if (!entries) {
        tally.unreadable.push(display(dir));
        continue;
      }
      const own = [...layers];
      for (const name of ignoreNames) {
        if (!entries.some((e) => e.isFile && e.text === name)) continue;
        try {
          own.push({ base: dir, rules: compileIgnoreRules(readFileSync(join(dir, name), "utf8")) });
        } catch {
          tally.unreadable.push(display(join(dir, name)));
        }
      }
      // Each layer's path of this directory, once: a name is appended to it for each entry.
      const prefixes = own.map((layer) => (layer.base === dir ? "" : toPosix(under(layer.base, dir)) + "/"));
      const baseDir = allow ? (base === dir ? "" : toPosix(under(base, dir)) + "/") : "";
      const dirPrefix = dir.endsWith(sep) ? dir : dir + sep;
      // How this directory's files are shown (what `display` gives for each, worked out once): by
      // their path below the current directory, else by their absolute path.
      const relDir = under(cwd, dir);
      const shownPrefix = relDir === "" ? "" : relDir.startsWith("..") || isAbsolute(relDir) ? undefined : relDir + sep;
      const subdirs: PendingDir[] = [];
      for (const entry of entries) {
        const nameText = entry.text;
        if (nameText === ".git") continue;
        // Bytes only for a path that text cannot carry (most names are UTF-8: no copy for them).
        const raw = entry.raw === undefined ? undefined : Buffer.concat([dirRaw ?? Buffer.from(dir), SLASH, entry.raw]);
        const abs = dirPrefix + nameText;
        const isDir = entry.isDirectory;
        const suffix = isDir ? "/" : "";
        let ignored = false;
        for (let i = 0; i < own.length; i++) {
          if (own[i]!.rules.ignores(prefixes[i] + nameText + suffix)) {
            ignored = true;
            break;
          }
        }
        if (ignored) continue;
        if (isDir) {
          subdirs.push({ raw, text: abs, layers: own });
          continue;
        }
        // Globs are tested against files only, so `test/**` counts each file it leaves out.
        if (allow?.(baseDir + nameText)) {
          tally.skippedAllowlisted++;
          // With --explain, what the globs leave out is listed: what it holds is explained, not reported.
          if (options.listAllowlisted && entry.isFile)
            (tally.allowlisted ??= []).push(walkedFile(abs, shownPrefix, nameText, raw));
          continue;
        }
        if (entry.isFile) {
          chunk.push(walkedFile(abs, shownPrefix, nameText, raw));
          if (chunk.length >= CHUNK_FILES) {
            yield chunk;
            chunk = [];
          }
          continue;
        }
        if (entry.special) tally.special.push({ path: display(abs), kind: entry.special });
      }
      // Depth first, in directory order.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * A file the walk found, shown by its path below the current directory (`shownPrefix`) or else by
 * its absolute path. No lstat: the type is the directory's, and the read (open, then fstat on the
 * descriptor) finds the size and turns away anything that is no longer a regular file.
 */
function walkedFile(abs: string, shownPrefix: string | undefined, name: string, raw: Buffer | undefined): WalkedFile {
  const shown = shownPrefix === undefined ? abs : shownPrefix + name;
  const file: WalkedFile = { path: shown.startsWith("..") ? abs : shown, absolutePath: abs };
  if (raw && needsRawPath(raw)) file.rawPath = raw;
  return file;
}

interface Entry {
  /** The name as text (escaped where it is not UTF-8). */
  text: string;
  /** The name's bytes, when they are not the text's: not UTF-8 here, or in the directory's path. */
  raw: Buffer | undefined;
  isFile: boolean;
  isDirectory: boolean;
  special: string | undefined;
}

/**
 * A directory's entries, or undefined when it cannot be read. Names are read as text, which is
 * what nearly every name is; a directory whose path or any of whose names is not valid UTF-8 (a
 * name decoded with U+FFFD in it) is read again as bytes, so that such names keep their bytes.
 */
function listDirectory(dirRaw: Buffer | undefined, dir: string): Entry[] | undefined {
  try {
    if (dirRaw === undefined) {
      const entries = readdirSync(dir, { withFileTypes: true });
      if (!entries.some((e) => e.name.includes("\uFFFD"))) {
        return entries.map((e) => ({
          text: e.name,
          raw: undefined,
          isFile: e.isFile(),
          isDirectory: e.isDirectory(),
          special: e.isFile() || e.isDirectory() ? undefined : specialFileKind(e),
        }));
      }
    }
    return readdirSync(dirRaw ?? dir, { withFileTypes: true, encoding: "buffer" }).map((e: Dirent<Buffer>) => ({
      text: displayPathBytes(e.name),
      raw: dirRaw === undefined && isUtf8(e.name) ? undefined : e.name,
      isFile: e.isFile(),
      isDirectory: e.isDirectory(),
      special: e.isFile() || e.isDirectory() ? undefined : specialFileKind(e),
    }));
  } catch {
    return undefined;
  }
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
