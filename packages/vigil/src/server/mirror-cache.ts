import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface MirrorCacheOptions {
  /** Where this worker keeps its mirrors (`<data dir>/mirror-cache`). */
  dir: string;
  /** Evict least recently used mirrors beyond this many bytes (one mirror larger than it is kept while used). */
  maxBytes: number;
  /**
   * The serving node's git URL with an internal credential (`http://x:<token>@serve:8080`): where this
   * worker fetches repositories Vigil hosts. The token is a site administrator's (`VIGIL_INTERNAL_TOKEN`).
   */
  hostedBaseUrl?: string;
}

const STAMP = "vigil-last-used";

/**
 * A worker's local mirrors, bounded in size. Scans on any worker read the scan state from the store,
 * so an evicted mirror costs one fetch, never a full rescan.
 */
export interface MirrorCache {
  pathFor(repoId: number): string;
  /** Marks a mirror in use (it is not evicted until `release`) and recently used. */
  acquire(repoId: number): string;
  release(repoId: number): void;
  /** Removes least recently used mirrors not in use until the cache fits; returns the evicted paths. */
  evict(): string[];
  readonly hostedBaseUrl: string | undefined;
}

export function createMirrorCache(options: MirrorCacheOptions): MirrorCache {
  const inUse = new Map<number, number>();
  const pathFor = (repoId: number): string => join(options.dir, `repo-${repoId}.git`);
  return {
    pathFor,
    hostedBaseUrl: options.hostedBaseUrl,
    acquire(repoId) {
      inUse.set(repoId, (inUse.get(repoId) ?? 0) + 1);
      return pathFor(repoId);
    },
    release(repoId) {
      const left = (inUse.get(repoId) ?? 1) - 1;
      if (left <= 0) inUse.delete(repoId);
      else inUse.set(repoId, left);
      const path = pathFor(repoId);
      if (!existsSync(path)) return;
      const stamp = join(path, STAMP);
      const now = new Date();
      try {
        utimesSync(stamp, now, now);
      } catch {
        writeFileSync(stamp, "");
      }
    },
    evict() {
      if (!existsSync(options.dir)) return [];
      const entries = readdirSync(options.dir)
        .filter((name) => /^repo-\d+\.git$/.test(name))
        .map((name) => {
          const path = join(options.dir, name);
          const stamp = join(path, STAMP);
          return { path, repoId: Number(/\d+/.exec(name)![0]), used: existsSync(stamp) ? statSync(stamp).mtimeMs : 0, bytes: sizeOf(path) };
        });
      let total = entries.reduce((sum, e) => sum + e.bytes, 0);
      const evicted: string[] = [];
      for (const entry of entries.sort((a, b) => a.used - b.used)) {
        if (total <= options.maxBytes) break;
        if (inUse.has(entry.repoId)) continue;
        rmSync(entry.path, { recursive: true, force: true });
        total -= entry.bytes;
        evicted.push(entry.path);
      }
      return evicted;
    },
  };
}

function sizeOf(path: string): number {
  let bytes = 0;
  const stack = [path];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const full = join(dir, name);
      try {
        const stat = statSync(full);
        if (stat.isDirectory()) stack.push(full);
        else bytes += stat.size;
      } catch {
        // removed meanwhile
      }
    }
  }
  return bytes;
}

/** `VIGIL_INTERNAL_URL` with `VIGIL_INTERNAL_TOKEN` as the password git sends (as an HTTP header, see updateMirror). */
export function internalGitBase(url: string | undefined, token: string | undefined): string | undefined {
  if (!url) return undefined;
  const base = new URL(url);
  if (token) {
    base.username = "vigil-worker";
    base.password = token;
  }
  return base.toString().replace(/\/+$/, "");
}
