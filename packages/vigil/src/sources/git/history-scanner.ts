import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { ENGINE_VERSION, type Finding } from "vigil-secrets-engine";
import { createBlobScanner } from "../../scan/blob-scanner.js";
import { countOutcome } from "../../scan/count-outcome.js";
import { buildMatcher, type MatcherSettings } from "../../scan/matcher-settings.js";
import { fromWire, type ContentLimits } from "../../scan/scan-content.js";
import type { WorkerFileResult } from "../../scan/scan-worker.js";
import { emptyStats, type CommitLocation, type ReportedFinding, type ScanStats } from "../types.js";
import { createCatFileReader, type CatFileObject, type CatFileReader } from "./cat-file-reader.js";
import { parseCommitObject, type CommitInfo } from "./commit-info.js";
import { readCommitLog } from "./commit-log.js";
import {
  hasUnreachableCommits,
  listPresentBlobs,
  listRefTips,
  peelToCommits,
  type GitRepository,
} from "./git-repository.js";
import { ObjectIdIndex } from "./object-id-index.js";
import { HistoryWalkError, recoverHistoryWalk } from "./recovery-walk.js";
import { runGit } from "./run-git.js";
import { listPacks, scanPacks, type PackScan } from "./pack/pack-scanner.js";
import { patternVersions, SCAN_STATE_VERSION, shortHash, type ScanState } from "./scan-state.js";

export interface HistoryScanOptions {
  settings: MatcherSettings;
  limits: ContentLimits;
  /** Worker threads (0: this thread). Default: this thread for small histories, else one per core. */
  threads?: number;
  /** With the default threads: bytes scanned on this thread before workers start (see `BlobScannerOptions`). */
  inProcessBytes?: number;
  /**
   * Read blobs from the pack files directly, each worker thread (or this thread with `threads: 0`)
   * walking delta trees in pack order, instead of asking `git cat-file` in history order. Only for a
   * full scan (every ref, no earlier state used, no pattern subset); default: when `threads` is not
   * 0 and the packs hold at least 8 MB. Blobs no pack gives (loose, unusual or unreadable) are read
   * through git either way.
   */
  readPacks?: boolean;
  /**
   * `git log` revision arguments to walk (`["A..B"]`, `["abc", "--not", "--remotes"]`). Default:
   * every ref and a detached HEAD, as they are when the scan starts.
   */
  revisions?: string[];
  /** With the default revisions: commits to leave out with their ancestors (`--since`). */
  exclude?: string[];
  /**
   * With the default revisions: the state an earlier scan saved. The scan then reads only commits
   * added since, rereads only blobs that had findings, and runs new or changed patterns alone over
   * the rest of the history. A state made with other settings is ignored (full scan).
   */
  previous?: ScanState;
  /** With the default revisions: return the state to save for the next scan. */
  trackState?: boolean;
  /** Describes settings outside the matcher that change what is scanned (path filters); part of the state's settings hash. */
  scopeKey?: string;
  /** Paths (relative to the top level) whose blobs are not scanned there: allowlisted paths. */
  skipPath?: (path: string) => boolean;
  onProgress?: (progress: HistoryProgress) => void;
  /** Count the commits to walk before walking (`git rev-list --count`), for a stable progress total (`commitsTotal`). */
  countCommits?: boolean;
  signal?: AbortSignal;
}

export interface HistoryProgress {
  blobsDone: number;
  /** Unique blobs found so far (grows while history is walked). */
  blobsTotal: number;
  bytesDone: number;
  findings: number;
  /** Commits whose blobs (and every blob queued before them) are scanned. */
  commitsDone: number;
  /** With `countCommits`: the commits the scan walks, counted first (every phase), so it does not grow. */
  commitsTotal?: number;
}

export interface HistoryScanResult {
  findings: ReportedFinding[];
  /** `extra` counts `commits` (or `new commits`), `blobs` and rescans; missing objects are `unreadable` plus a warning. */
  stats: ScanStats;
  mode: "full" | "incremental" | "range";
  /** Blobs whose scan came from reading the pack files directly (see `readPacks`); the rest were read through git. */
  blobsFromPacks: number;
  /** The state for the next scan (with `trackState`), when the walk completed. Empty `findings` when `signal` stopped the scan. */
  state?: ScanState;
}

interface Phase {
  args?: string[];
  stdin?: string[];
  /** Blobs first found in this phase are scanned with this pattern subset (index), else with all patterns. */
  subset?: number;
  label: string;
}

/**
 * Scans git history: every blob that a walked commit introduces (differs from all its parents at
 * its path) is read once through a long-lived `git cat-file --batch`, scanned once on the worker
 * pool, and each finding is reported at every commit and path that introduced that blob, with the
 * commit's author and committer. Commits are streamed from `git log`, never held: memory grows with
 * the number of unique blobs and path changes (a few dozen bytes each), not with file contents.
 * A missing or corrupt object (blob, tree, commit, tag) is skipped with a warning naming it and
 * everything else reachable is scanned; when no walk is possible at all the scan throws
 * (`HistoryWalkError`), so a broken repository is never reported clean.
 */
export async function scanHistory(repo: GitRepository, options: HistoryScanOptions): Promise<HistoryScanResult> {
  const started = performance.now();
  const stats = emptyStats();
  const extra: Record<string, number> = {};
  // Pattern versions matter only to the saved state (default revisions). A range scan (a push, a
  // pre-commit range) skips this second matcher: its build is a good part of a small scan.
  const matcherPatterns = options.revisions ? [] : buildMatcher(options.settings).patterns;
  const versions = patternVersions(matcherPatterns);
  const settingsKey = shortHash({
    engine: ENGINE_VERSION,
    limits: options.limits,
    allowValues: options.settings.allowValues,
    allowRegexes: options.settings.allowRegexes,
    scope: options.scopeKey ?? "",
    // Deepening a shallow clone brings older commits that the tips scanned before hide: scan all again.
    shallow: repo.shallow ? readShallowBoundary(repo.gitDir) : "",
  });

  // What to walk.
  const blobs = new ObjectIdIndex();
  const commits = new ObjectIdIndex();
  const locations = new LocationList();
  const paths = new PathTable();
  const queue = new BlobQueue();
  const phases: Phase[] = [];
  const subsets: string[][] = [];
  let mode: HistoryScanResult["mode"] = "full";
  let tips: Array<{ ref: string; commit: string }> | undefined;
  let commitsKey = "commits";
  let rechecked = 0;
  const walked: Record<string, number> = {};
  let walkComplete = true;
  let walkError: unknown;

  if (options.revisions) {
    mode = "range";
    phases.push({ args: options.revisions, label: "commits" });
  } else {
    const brokenRefs: string[] = [];
    tips = await listRefTips(repo, (ref, reason) => {
      walkComplete = false;
      stats.unreadable++;
      brokenRefs.push(`${ref} (${reason})`);
      stats.warnings.push(`${ref} could not be read (${reason}): the history reached only through it is not scanned`);
    });
    if (tips.length === 0 && brokenRefs.length > 0)
      throw new HistoryWalkError(`no ref leads to a readable commit: ${brokenRefs.join("; ")}`);
    const tipCommits = unique(tips.map((t) => t.commit));
    const previous = options.previous;
    let incremental = false;
    if (
      previous &&
      previous.version === SCAN_STATE_VERSION &&
      previous.settings === settingsKey &&
      !options.exclude?.length
    ) {
      const oldTips = unique(Object.values(previous.tips));
      const existing = (await peelToCommits(repo, oldTips)).filter((c): c is string => c !== undefined);
      incremental = existing.length === oldTips.length && !(await hasUnreachableCommits(repo, oldTips, tipCommits));
      if (incremental) {
        mode = "incremental";
        commitsKey = "new commits";
        // Blobs that had findings are read again (their findings are reported in full), at their known locations.
        for (const [oid, where] of Object.entries(previous.findings)) {
          const id = blobs.add(oid);
          queue.push(id, -1);
          for (const [commit, path] of where) locations.push(id, commits.add(commit), paths.id(path));
        }
        rechecked = blobs.size;
        if (tipCommits.length > 0)
          phases.push({ stdin: [...tipCommits, ...oldTips.map((c) => `^${c}`)], label: commitsKey });
        const changed = changedPatterns(versions, previous.patterns, matcherPatterns);
        if (changed.length > 0 && oldTips.length > 0) {
          subsets.push(changed);
          phases.push({
            stdin: oldTips,
            subset: 0,
            label: `commits rescanned for ${changed.length} new or changed pattern${changed.length === 1 ? "" : "s"}`,
          });
        }
      }
    }
    if (!incremental && tipCommits.length > 0) {
      const exclude = options.exclude ?? [];
      phases.push({ stdin: [...tipCommits, ...exclude.map((c) => `^${c}`)], label: commitsKey });
    }
  }

  const usePacks =
    mode === "full" &&
    !options.exclude?.length &&
    subsets.length === 0 &&
    (options.readPacks ?? (options.threads !== 0 && packBytes(repo.gitDir) >= PACK_SCAN_MIN_BYTES));
  if (repo.shallow)
    stats.warnings.push(
      "shallow clone: history before the shallow boundary is not scanned, and secrets older than the boundary are reported at the boundary commits",
    );
  const present = repo.partial ? await listPresentBlobs(repo) : undefined;
  let notDownloaded = 0;
  const skippedPaths = new Set<string>();

  const progress: HistoryProgress = { blobsDone: 0, blobsTotal: blobs.size, bytesDone: 0, findings: 0, commitsDone: 0 };
  if (options.countCommits && options.onProgress) progress.commitsTotal = await countPhaseCommits(repo, phases, options.signal);
  // For each walked commit, the queue length once its blobs were queued: it is scanned when that many blobs are.
  const commitEnds: number[] = [];
  const report = (): void => {
    progress.blobsTotal = queue.pushed;
    while (progress.commitsDone < commitEnds.length && commitEnds[progress.commitsDone]! <= progress.blobsDone) progress.commitsDone++;
    options.onProgress?.(progress);
  };
  const findingsByBlob = new Map<number, Finding[]>();

  // Walk: stream commits and the blobs they introduce; new blobs go to the read queue at once. git
  // stops its whole walk at the first corrupt or missing commit or tree: the rest of that phase is
  // then walked object by object (`recoverHistoryWalk`), skipping only what cannot be read.
  const walk = async (): Promise<void> => {
    let recoveryReader: CatFileReader | undefined;
    try {
      for (const phase of phases) {
        let commit = -1;
        // Commits git log delivered in full (numbers in `commits`); the one it was on when it stopped may be cut short.
        const delivered = new Set<number>();
        let last = -1;
        let recovering = false;
        const handlers = {
          commit(oid: string) {
            if (commit >= 0) commitEnds.push(queue.pushed);
            if (last >= 0 && !recovering) delivered.add(last);
            commit = last = commits.add(oid);
          },
          blob(oid: string, path: string) {
            if (options.skipPath?.(path)) {
              skippedPaths.add(path);
              return;
            }
            const before = blobs.size;
            const id = blobs.add(oid);
            locations.push(id, commit, paths.id(path));
            if (blobs.size === before) return;
            if (present && !present.has(oid)) {
              notDownloaded++;
              return;
            }
            queue.push(id, phase.subset ?? -1);
          },
        };
        const revisions = {
          ...(phase.args ? { args: phase.args } : {}),
          ...(phase.stdin ? { stdin: phase.stdin } : {}),
        };
        const result = await readCommitLog(
          { cwd: repo.cwd, env: repo.env, ...revisions, ...(options.signal ? { signal: options.signal } : {}) },
          handlers,
        );
        if (result.error === undefined) {
          if (commit >= 0) commitEnds.push(queue.pushed);
          walked[phase.label] = (walked[phase.label] ?? 0) + result.commits;
          continue;
        }
        // The commit git was on when it stopped may be cut short: it is walked again.
        walkComplete = false;
        recovering = true;
        const stoppedAt = last;
        recoveryReader ??= createCatFileReader({ cwd: repo.cwd, env: repo.env });
        const recovered = await recoverHistoryWalk({
          repo,
          reader: recoveryReader,
          ...revisions,
          delivered: (oid) => {
            const id = commits.get(oid);
            return id >= 0 && delivered.has(id);
          },
          handlers,
          warn: (message) => stats.warnings.push(message),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        // Commits git log delivered in full, those walked here, and the one git log was on when it
        // stopped if this walk could not read it again (git log had delivered part of it).
        const cut = stoppedAt >= 0 && !recovered.walked(commits.oid(stoppedAt)) ? 1 : 0;
        walked[phase.label] = (walked[phase.label] ?? 0) + delivered.size + recovered.commits + cut;
        stats.unreadable += recovered.skipped;
        if (commit >= 0) commitEnds.push(queue.pushed);
        if (recovered.skipped === 0)
          stats.warnings.push(`git log stopped (${result.error}); the history was walked object by object instead`);
      }
    } catch (error) {
      walkError = error;
    } finally {
      queue.close();
      await recoveryReader?.close();
    }
  };

  const reader = createCatFileReader({ cwd: repo.cwd, env: repo.env, maxSize: options.limits.maxFileSize });
  const missing: string[] = [];
  const onResult = (result: WorkerFileResult): void => {
    progress.blobsDone++;
    countOutcome(stats, result);
    if (result.findings.length > 0) {
      findingsByBlob.set(result.index, result.findings.map(fromWire));
      progress.findings += result.findings.length;
    }
  };
  const scanner = createBlobScanner({
    settings: options.settings,
    limits: options.limits,
    ...(subsets.length > 0 ? { subsets } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.inProcessBytes !== undefined ? { inProcessBytes: options.inProcessBytes } : {}),
    onResult,
  });
  let lastReport = 0;
  // A time budget that runs out stops the scan whatever it is doing, a regex in a worker included.
  const abort = (): void => scanner.abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    // Pack blobs are scanned by the pack workers while the history is walked; once both are done,
    // each blob the walk introduced takes its pack result, and only the others go to git.
    let packedBytes = 0;
    const packScanning: Promise<PackScan | undefined> | undefined = usePacks
      ? scanPacks(repo.gitDir, {
          settings: options.settings,
          limits: options.limits,
          threads: options.threads ?? availableParallelism(),
          ...(options.signal ? { signal: options.signal } : {}),
          // Bytes move the bar while the packs are scanned; blobs and commits count once the walk's blobs take their results.
          onProgress: (_blobs, bytes) => {
            packedBytes += bytes;
            const now = performance.now();
            if (now - lastReport > 100) {
              lastReport = now;
              progress.bytesDone = packedBytes;
              report();
            }
          },
        }).catch((error: unknown) => {
          if (options.signal?.aborted) return undefined;
          stats.warnings.push(
            `pack files could not be read directly (${(error as Error).message}); read through git instead`,
          );
          return undefined;
        })
      : undefined;
    const walking = walk();
    let blobsFromPacks = 0;
    const names = async function* (): AsyncGenerator<string> {
      await walking;
      const packs = packScanning ? await packScanning : undefined;
      for await (const name of queue.names(blobs)) {
        const found = packs?.get(name);
        if (!found) {
          yield name;
          continue;
        }
        blobsFromPacks++;
        onResult({ index: blobs.get(name), outcome: found.outcome, bytes: found.bytes, findings: found.findings });
      }
    };
    for await (const object of reader.readAll(names(), {
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      const id = blobs.get(object.name);
      const subset = queue.subsetOf(id);
      progress.bytesDone += object.size;
      if (object.outcome === "found") {
        const wait = scanner.scan(id, object.content!, subset < 0 ? undefined : subset);
        if (wait) await wait;
      } else {
        progress.blobsDone++;
        if (object.outcome === "too-large") stats.skippedTooLarge++;
        else if (object.outcome === "missing") missing.push(object.name);
        else {
          stats.unreadable++;
          stats.warnings.push(`blob ${object.name}: could not be read (${object.reason ?? "error"})`);
        }
      }
      const now = performance.now();
      if (now - lastReport > 100) {
        lastReport = now;
        report();
      }
    }
    if (options.signal?.aborted) {
      // Stopped: what was found so far is not a result (no state, no author lookups).
      stats.extra = extra;
      stats.durationMs = performance.now() - started;
      return { findings: [], stats, mode, blobsFromPacks };
    }
    await walking;
    if (walkError !== undefined) throw walkError instanceof Error ? walkError : new Error("the history walk failed");
    await scanner.finish();
    report();
    extra[commitsKey] = walked[commitsKey] ?? 0;
    extra["blobs"] = queue.pushed;
    if (rechecked > 0) extra["of them with earlier findings"] = rechecked;
    for (const [label, count] of Object.entries(walked)) if (label !== commitsKey) extra[label] = count;
    stats.skippedAllowlisted += skippedPaths.size;
    if (notDownloaded > 0) {
      stats.unreadable += notDownloaded;
      stats.warnings.push(
        `partial clone: ${notDownloaded} blob${notDownloaded === 1 ? " was" : "s were"} not downloaded and not scanned (nothing is fetched)`,
      );
    }
    if (missing.length > 0) {
      stats.unreadable += missing.length;
      const shown = missing.slice(0, 3).join(", ");
      stats.warnings.push(
        `${missing.length} blob${missing.length === 1 ? "" : "s"} missing from the repository, not scanned: ${shown}${missing.length > 3 ? ", …" : ""}`,
      );
    }

    const findings = await locate(reader, findingsByBlob, blobs, commits, paths, locations, stats);
    stats.extra = extra;
    stats.durationMs = performance.now() - started;
    const result: HistoryScanResult = { findings, stats, mode, blobsFromPacks };
    if (options.trackState && tips && walkComplete && !options.signal?.aborted) {
      const state: ScanState = {
        version: SCAN_STATE_VERSION,
        settings: settingsKey,
        patterns: versions,
        tips: Object.fromEntries(tips.map((t) => [t.ref, t.commit])),
        findings: {},
        scannedAt: new Date().toISOString(),
      };
      for (const finding of findings) {
        const location = finding.location as CommitLocation;
        const list = (state.findings[location.blobSha] ??= []);
        if (!list.some(([c, p]) => c === location.commitSha && p === location.path))
          list.push([location.commitSha, location.path]);
      }
      result.state = state;
    }
    return result;
  } finally {
    options.signal?.removeEventListener("abort", abort);
    queue.close();
    await scanner.close();
    await reader.close();
  }
}

/** Patterns that are new, or whose definition changed, since the state was saved; with the other half of their pairs. */
function changedPatterns(
  versions: Record<string, string>,
  previous: Record<string, string>,
  patterns: ReadonlyArray<{ id: string; pair?: { with: string } }>,
): string[] {
  const changed = new Set(Object.keys(versions).filter((id) => previous[id] !== versions[id]));
  for (const pattern of patterns) {
    if (pattern.pair && (changed.has(pattern.id) || changed.has(pattern.pair.with))) {
      changed.add(pattern.id);
      changed.add(pattern.pair.with);
    }
  }
  return [...changed].filter((id) => id in versions).sort();
}

/** Turns findings per blob into findings per location, with each commit's author and committer read from git. */
async function locate(
  reader: CatFileReader,
  findingsByBlob: Map<number, Finding[]>,
  blobs: ObjectIdIndex,
  commits: ObjectIdIndex,
  paths: PathTable,
  locations: LocationList,
  stats: ScanStats,
): Promise<ReportedFinding[]> {
  if (findingsByBlob.size === 0) return [];
  const where = new Map<number, Map<string, { commit: number; path: number }>>();
  locations.forEach((blob, commit, path) => {
    if (!findingsByBlob.has(blob)) return;
    let list = where.get(blob);
    if (!list) where.set(blob, (list = new Map<string, { commit: number; path: number }>()));
    list.set(`${commit}:${path}`, { commit, path });
  });
  const commitIds = new Set<number>();
  for (const list of where.values()) for (const { commit } of list.values()) commitIds.add(commit);
  const infos = new Map<number, CommitInfo>();
  const ids = [...commitIds];
  let i = 0;
  for await (const object of reader.readAll(ids.map((id) => commits.oid(id)))) {
    const id = ids[i++]!;
    if (object.outcome === "found" && object.type === "commit") infos.set(id, parseCommitObject(object.content!));
    else stats.warnings.push(`commit ${object.name}: could not be read (${describe(object)}); reported without author`);
  }
  const reported: ReportedFinding[] = [];
  for (const [blob, findings] of findingsByBlob) {
    const blobSha = blobs.oid(blob);
    for (const { commit, path } of where.get(blob)?.values() ?? []) {
      const info = infos.get(commit) ?? EMPTY_INFO;
      const location: CommitLocation = {
        type: "commit",
        path: paths.path(path),
        commitSha: commits.oid(commit),
        blobSha,
        ...info,
      };
      for (const finding of findings) reported.push({ finding, location });
    }
  }
  reported.sort(compareHistoryFindings);
  return reported;
}

const EMPTY_INFO: CommitInfo = {
  authorName: "",
  authorEmail: "",
  authorDate: "",
  committerName: "",
  committerEmail: "",
  committerDate: "",
};

function describe(object: CatFileObject): string {
  return object.reason ?? object.outcome;
}

/** Path, then the oldest commit first, then position in the file. */
export function compareHistoryFindings(a: ReportedFinding, b: ReportedFinding): number {
  const la = a.location;
  const lb = b.location;
  if (la.path !== lb.path) return la.path < lb.path ? -1 : 1;
  if (la.type === "commit" && lb.type === "commit") {
    const byDate = (Date.parse(la.committerDate) || 0) - (Date.parse(lb.committerDate) || 0);
    if (byDate !== 0) return byDate;
    if (la.commitSha !== lb.commitSha) return la.commitSha < lb.commitSha ? -1 : 1;
  }
  return a.finding.startOffset - b.finding.startOffset;
}

/** Below this much in packs, starting the pack workers costs more than reading through git saves. */
const PACK_SCAN_MIN_BYTES = 8 * 1024 * 1024;

function packBytes(gitDir: string): number {
  let total = 0;
  for (const { pack } of listPacks(gitDir)) {
    try {
      total += statSync(pack).size;
    } catch {
      // Removed by a concurrent repack: git reads its objects.
    }
  }
  return total;
}

function readShallowBoundary(gitDir: string): string {
  try {
    return readFileSync(join(gitDir, "shallow"), "latin1");
  } catch {
    return "shallow";
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** (blob, commit, path) numbers of every location walked: 12 bytes each, in growing typed arrays. */
class LocationList {
  private data = new Int32Array(3 * 4096);
  private length = 0;

  push(blob: number, commit: number, path: number): void {
    if (this.length + 3 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = blob;
    this.data[this.length++] = commit;
    this.data[this.length++] = path;
  }

  forEach(fn: (blob: number, commit: number, path: number) => void): void {
    for (let i = 0; i < this.length; i += 3) fn(this.data[i]!, this.data[i + 1]!, this.data[i + 2]!);
  }
}

/** Each distinct path once. */
class PathTable {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];

  id(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(path, id);
      this.list.push(path);
    }
    return id;
  }

  path(id: number): string {
    return this.list[id]!;
  }
}

/** Blob numbers waiting to be read, filled by the walk while the reader drains it. */
class BlobQueue {
  pushed = 0;
  private items: number[] = [];
  private head = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  /** Subset per blob number, when any blob has one (-1: all patterns). */
  private subsets: Int8Array | undefined;

  push(id: number, subset: number): void {
    this.items.push(id);
    this.pushed++;
    if (subset >= 0 || this.subsets) {
      if (!this.subsets || this.subsets.length <= id) {
        const grown = new Int8Array(Math.max(1024, (id + 1) * 2)).fill(-1);
        if (this.subsets) grown.set(this.subsets);
        this.subsets = grown;
      }
      this.subsets[id] = subset;
    }
    this.notify();
  }

  subsetOf(id: number): number {
    return this.subsets?.[id] ?? -1;
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  async *names(index: ObjectIdIndex): AsyncGenerator<string> {
    for (;;) {
      if (this.head < this.items.length) {
        const id = this.items[this.head++]!;
        if (this.head > 65536 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        yield index.oid(id);
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** The commits the phases walk, as `git log` would (`git rev-list --count`); undefined when git cannot say. */
async function countPhaseCommits(repo: GitRepository, phases: Phase[], signal: AbortSignal | undefined): Promise<number | undefined> {
  let total = 0;
  for (const phase of phases) {
    const result = await runGit(["rev-list", "--count", ...(phase.stdin ? ["--stdin"] : []), ...(phase.args ?? [])], {
      cwd: repo.cwd,
      env: repo.env,
      ...(phase.stdin ? { input: phase.stdin.map((line) => line + "\n").join("") } : {}),
      ...(signal ? { signal } : {}),
    });
    const count = Number(result.stdout.toString("utf8").trim());
    if (result.code !== 0 || !Number.isInteger(count)) return undefined;
    total += count;
  }
  return total;
}
