import { hostname } from "node:os";
import { existsSync, rmSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { StoreInputError, type AlertStore } from "../alerts/alert-store.js";
import { isValidLogin, isValidRepositoryName, printableName } from "../alerts/names.js";
import { toDetectedSecret } from "../alerts/detected-secret.js";
import type { Repository, ScanRecord } from "../alerts/types.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { JOB_KINDS, type JobKind } from "../jobs/job-kind.js";
import type { ReportedFinding } from "../sources/types.js";
import type { CustomPatternInput } from "vigil-secrets-engine";
import { sanitizeGitMessage } from "./git-error-message.js";
import { initBareRepository, updateMirror } from "./repository-mirror.js";
import type { ScanState } from "../sources/git/scan-state.js";
import type { ScanStateStore } from "../store/kysely-scan-state-store.js";
import type { MirrorCache } from "./mirror-cache.js";

/**
 * Scans the full history of a bare repository (incrementally where it can) and returns every finding
 * with its commit location, and warnings naming what it skipped (corrupt or missing objects). Throws
 * when the history cannot be walked at all.
 */
export type HistoryScanner = (
  gitDir: string,
  signal: AbortSignal,
  /** Users' published custom patterns that apply to the repository, run with the catalog; the scan state in the store (absent: in the mirror). */
  extra?: { custom?: CustomPatternInput[]; state?: ScanStateAccess },
) => Promise<{ findings: ReportedFinding[]; warnings: string[]; bytesScanned?: number }>;

/** Where a repository's incremental scan state is kept (the store), instead of its mirror's directory. */
export interface ScanStateAccess {
  load(): Promise<ScanState | undefined>;
  save(state: ScanState): Promise<void>;
}

/** What an interrupted scan's record says; a pending scan of the same kind takes its place. */
export const INTERRUPTED_SCAN_ERROR =
  "interrupted: the server stopped during the scan; it runs again at the next start";

export interface RepositoryServiceOptions {
  store: AlertStore;
  runner: JobRunner;
  dataDir: string;
  scanHistory: HistoryScanner;
  /** The published custom patterns that apply to a repository (absent: none). */
  customPatternsFor?: (repo: Repository) => Promise<CustomPatternInput[]>;
  /** Scan state in the store: any worker continues any repository's incremental scan. */
  scanStates?: ScanStateStore;
  /**
   * A worker's own mirrors (`vigil worker`): repositories whose git directory is not in this
   * process's data directory are fetched into it (hosted ones from the serving node).
   */
  mirrorCache?: MirrorCache;
  log?: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

export interface RepositoryService {
  /** Registers a repository (mirrored from `sourceUrl`, or hosted by Vigil when null) and schedules its first scan. */
  register(input: { owner: string; name: string; sourceUrl: string | null; isPublic?: boolean }): Promise<Repository>;
  /** Removes a repository with everything recorded for it and its git directory (see `removeRepository`). */
  remove(repo: Repository): Promise<RemovedRepository>;
  /**
   * Queues a fetch (for mirrors) and scan; `kind` is what the scan history records. A push's scan
   * runs before backfills. False when a scan of the repository is queued already (it covers this one).
   */
  scheduleScan(repo: Repository, kind?: ScanRecord["kind"]): Promise<boolean>;
  /**
   * At start, before anything is scheduled: scans left \`running\` by a process that died (kill -9, a
   * crash, a power cut) are marked \`failed\` (interrupted) and a pending scan of the same kind takes
   * their place, which the sweep then runs. Returns how many were found.
   */
  recoverInterrupted(): Promise<number>;
  /** Schedules every repository that has a pending scan (for example one `vigil repo add` recorded while the server ran) or mirrors a remote. */
  sweep(options?: { fetchMirrors?: boolean }): Promise<number>;
}

/**
 * Where a repository's bare git directory lives: `<dataDir>/repos/<owner>/<name>.git`. Names are
 * validated where they enter (see alerts/names.ts); this checks again that the path stays inside
 * `<dataDir>/repos`, so that no name can make Vigil create or write a repository elsewhere.
 */
export function mirrorPathFor(dataDir: string, owner: string, name: string): string {
  const root = resolve(dataDir, "repos");
  const path = resolve(root, owner, `${name}.git`);
  if (!isValidLogin(owner) || !isValidRepositoryName(name) || dirname(dirname(path)) !== root) {
    throw new StoreInputError(`invalid repository "${printableName(`${owner}/${name}`)}": owner and name must be a GitHub login and repository name`);
  }
  return path;
}

/**
 * Whether a stored repository's path is where Vigil puts repositories, `<dataDir>/repos/<owner>/<name>.git`.
 * A row written before names were validated may point elsewhere: Vigil then neither writes a hook
 * there, nor serves it over git, nor scans it.
 */
export function isMirrorPathInside(dataDir: string, path: string): boolean {
  const root = resolve(dataDir, "repos");
  const full = resolve(path);
  return full.startsWith(root + sep) && dirname(dirname(full)) === root;
}

/** Writes a repository and its pending backfill scan; whichever server process sweeps next runs it. */
export async function recordRepository(store: AlertStore, dataDir: string, input: { owner: string; name: string; sourceUrl: string | null; isPublic?: boolean }): Promise<Repository> {
  let repo = await store.createRepository({ ...input, mirrorPath: mirrorPathFor(dataDir, input.owner, input.name) });
  // Repositories Vigil hosts are protected from the first push; mirrors follow the organization's default.
  const org = await store.getOrganizationById(repo.orgId);
  const protect = input.sourceUrl === null || org?.pushProtectionEnabled === true;
  if (protect !== repo.pushProtectionEnabled)
    repo = await store.updateRepository(repo.id, { pushProtectionEnabled: protect });
  await store.createScan({ repoId: repo.id, kind: "backfill", type: "git" });
  return repo;
}

export interface RemovedRepository {
  /** The git directory that was deleted, or null when there was none. */
  removedGitDir: string | null;
  /** A git directory left in place because it lies outside `<data dir>/repos` (never deleted by Vigil). */
  keptGitDir: string | null;
}

/**
 * Removes a repository: its record with every alert, location, event, scan, role and push record in
 * one store transaction, then its git directory (the mirror, or the hosted repository itself) when it
 * lies inside `<data dir>/repos`. The organization, users, tokens and a mirror's source are kept.
 */
export async function removeRepository(store: AlertStore, dataDir: string, repo: Repository): Promise<RemovedRepository> {
  await store.deleteRepository(repo.id);
  const gitDir = resolve(repo.mirrorPath);
  if (!existsSync(gitDir)) return { removedGitDir: null, keptGitDir: null };
  if (!isMirrorPathInside(dataDir, gitDir)) return { removedGitDir: null, keptGitDir: gitDir };
  rmSync(gitDir, { recursive: true, force: true });
  return { removedGitDir: gitDir, keptGitDir: null };
}

/**
 * Registering a repository writes the record and a pending scan in the store first, so that a
 * command run while the server is up (`vigil repo add`) is picked up by the server's next sweep.
 */
export function createRepositoryService(options: RepositoryServiceOptions): RepositoryService {
  const { store, runner, dataDir } = options;

  const jobOptions = (repo: Repository): { key: string; group: string; fairKey: string } => ({
    // One queued scan per repository; one job per repository at a time on any worker; organizations take turns.
    key: `scan:${repo.id}`,
    group: `repo:${repo.id}`,
    fairKey: `org:${repo.orgId}`,
  });
  const scheduleScan = (repo: Repository, kind: ScanRecord["kind"] = "incremental"): Promise<boolean> =>
    runner.enqueue(kind === "backfill" ? JOB_KINDS.historyScan : JOB_KINDS.incrementalScan, { repoId: repo.id, scanKind: kind }, jobOptions(repo));

  const scanKind = (name: string, priority: number): JobKind<{ repoId: number; scanKind: ScanRecord["kind"]; fetch?: boolean }> => ({
    name,
    priority,
    // A scan records its own failures in the scan history; the job fails only when the store does.
    attempts: 3,
    timeoutMs: 6 * 3_600_000,
    run: (payload, { signal }) => scanRepository(payload.repoId, payload.scanKind, signal, payload.fetch !== false),
  });
  runner.kinds.register(scanKind(JOB_KINDS.incrementalScan, 2));
  runner.kinds.register(scanKind(JOB_KINDS.historyScan, 8));
  runner.kinds.register<{ repoId: number }>({
    name: JOB_KINDS.mirrorFetch,
    priority: 6,
    attempts: 3,
    timeoutMs: 3_600_000,
    async run({ repoId }) {
      const repo = await store.getRepositoryById(repoId);
      if (!repo?.sourceUrl || !repo.secretScanningEnabled || !isMirrorPathInside(dataDir, repo.mirrorPath)) return;
      // A failed fetch is recorded on the repository (and retried at the next interval), not retried here.
      const gitDir = gitDirOf(repo);
      const fetched = await fetchMirror(repo, repo.sourceUrl, gitDir).finally(() => releaseGitDir(repo));
      if (fetched)
        await runner.enqueue(JOB_KINDS.incrementalScan, { repoId: repo.id, scanKind: "incremental", fetch: false }, jobOptions(repo));
    },
  });

  /** This process's git directory for a repository: its own, or a worker's cached mirror. */
  const cached = (repo: Repository): boolean => options.mirrorCache !== undefined && !isMirrorPathInside(dataDir, repo.mirrorPath);
  const gitDirOf = (repo: Repository): string => (cached(repo) ? options.mirrorCache!.acquire(repo.id) : repo.mirrorPath);
  const releaseGitDir = (repo: Repository): void => {
    if (!cached(repo)) return;
    options.mirrorCache!.release(repo.id);
    for (const path of options.mirrorCache!.evict()) options.log?.info({ path }, "mirror cache: evicted the least recently used mirror");
  };

  /** Fetches a mirror; false (with the reason on the repository) when the fetch failed. */
  async function fetchMirror(repo: Repository, source: string, gitDir: string): Promise<boolean> {
    try {
      await updateMirror(source, gitDir);
    } catch (error) {
      if (repo.sourceUrl === null) throw error;
      // The repository says why its mirror failed until a fetch works again (repo list, API, scan history).
      const reason = sanitizeGitMessage(error instanceof Error ? error.message : String(error));
      await store.updateRepository(repo.id, { mirrorError: reason, mirrorFailedAt: new Date().toISOString() });
      return false;
    }
    if (repo.mirrorError !== null) await store.updateRepository(repo.id, { mirrorError: null, mirrorFailedAt: null });
    return true;
  }

  async function scanRepository(repoId: number, kind: ScanRecord["kind"], signal: AbortSignal, fetch = true): Promise<void> {
    const repo = await store.getRepositoryById(repoId);
    if (!repo) return;
    const scans = await store.listScans(repo.id, 20);
    // No other job of this repository runs now (its job group): a scan still `running` was left by a killed worker.
    for (const stale of scans.filter((s) => s.status === "running"))
      await store.updateScan(stale.id, { status: "failed", completedAt: new Date().toISOString(), error: INTERRUPTED_SCAN_ERROR });
    const pending = scans.find((s) => s.status === "pending");
    const scan = pending ?? (await store.createScan({ repoId: repo.id, kind, type: "git" }));
    await store.updateScan(scan.id, { status: "running", startedAt: new Date().toISOString() });
    const gitDir = gitDirOf(repo);
    try {
      if (cached(repo)) {
        // A worker's cache: always fetched (another worker may have scanned newer commits), hosted ones from the serving node.
        const base = options.mirrorCache!.hostedBaseUrl;
        const source = repo.sourceUrl ?? (base ? `${base.replace(/\/+$/, "")}/${repo.fullName}.git` : null);
        if (source === null) throw new Error("this worker cannot fetch repositories Vigil hosts: set VIGIL_INTERNAL_URL and VIGIL_INTERNAL_TOKEN");
        if (!(await fetchMirror(repo, source, gitDir))) throw new Error((await store.getRepositoryById(repo.id))?.mirrorError ?? "the mirror could not be fetched");
      } else {
        if (!isMirrorPathInside(dataDir, repo.mirrorPath)) throw new Error(`the repository's path is outside ${resolve(dataDir, "repos")}; it is not scanned`);
        if (repo.sourceUrl) {
          if (fetch && !(await fetchMirror(repo, repo.sourceUrl, gitDir))) {
            throw new Error((await store.getRepositoryById(repo.id))?.mirrorError ?? "the mirror could not be fetched");
          }
        } else await initBareRepository(repo.mirrorPath);
      }
      const scanStates = options.scanStates;
      const stateAccess: ScanStateAccess | undefined = scanStates
        ? { load: () => scanStates.load(repo.id), save: (state) => scanStates.save(repo.id, state) }
        : undefined;
      const custom = options.customPatternsFor ? await options.customPatternsFor(repo) : [];
      const { findings, warnings } = await options.scanHistory(gitDir, signal, {
        ...(custom.length > 0 ? { custom } : {}),
        ...(stateAccess ? { state: stateAccess } : {}),
      });
      // Stopped part way (the server is shutting down): its findings are partial, so none are recorded.
      if (signal.aborted) throw new ScanInterrupted();
      for (const warning of warnings.slice(0, 20))
        options.log?.warn({ repo: repo.fullName, scan: scan.id }, `repository scan: ${warning}`);
      if (warnings.length > 20)
        options.log?.warn(
          { repo: repo.fullName, scan: scan.id, more: warnings.length - 20 },
          "repository scan: more warnings",
        );
      let detections = findings.flatMap((f) => toDetectedSecret(f) ?? []);
      if (options.customPatternsFor) {
        // A custom pattern deleted or unpublished while the scan ran opens no alert after the fact.
        const live = new Set((await options.customPatternsFor(repo)).map((p) => p.id));
        detections = detections.filter((d) => !/^cp_[0-9]+$/.test(d.secretType) || live.has(d.secretType));
      }
      const result = await store.recordDetections(repo.id, detections, { scanId: scan.id });
      await store.updateScan(scan.id, { status: "completed", completedAt: new Date().toISOString() });
      options.log?.info(
        {
          repo: repo.fullName,
          findings: findings.length,
          created: result.created.length,
          locationsAdded: result.locationsAdded,
          warnings: warnings.length,
        },
        "repository scanned",
      );
    } catch (error) {
      if (signal.aborted) {
        await interrupt(scan);
        options.log?.warn(
          { repo: repo.fullName, scan: scan.id },
          "repository scan interrupted; it runs again at the next start",
        );
        return;
      }
      const message = sanitizeGitMessage(error instanceof Error ? error.message : String(error));
      await store.updateScan(scan.id, { status: "failed", completedAt: new Date().toISOString(), error: message });
      options.log?.warn({ repo: repo.fullName, error: message }, "repository scan failed");
    } finally {
      releaseGitDir(repo);
    }
  }

  /** Marks a scan interrupted and records a pending one of its kind in its place (unless one is pending already). */
  async function interrupt(scan: ScanRecord): Promise<void> {
    await store.updateScan(scan.id, {
      status: "failed",
      completedAt: new Date().toISOString(),
      error: INTERRUPTED_SCAN_ERROR,
    });
    const scans = await store.listScans(scan.repoId, 20);
    if (!scans.some((s) => s.status === "pending"))
      await store.createScan({ repoId: scan.repoId, kind: scan.kind, type: scan.type });
  }

  return {
    async register(input) {
      const repo = await recordRepository(store, dataDir, input);
      await scheduleScan(repo, "backfill");
      return repo;
    },
    remove: (repo) => removeRepository(store, dataDir, repo),
    scheduleScan,
    async recoverInterrupted() {
      // A scan a live worker runs (its job holds a lease: the queue lists it as running) is not
      // interrupted; a killed worker's scan is marked failed by the job's next run, after the lease.
      const busy = new Set<number>();
      for (const job of await runner.queue.list({ state: "running", limit: 10_000 }))
        if (typeof job.payload.repoId === "number" && !deadLocalWorker(job.lockedBy)) busy.add(job.payload.repoId);
      let found = 0;
      for (const scan of await store.listScansByStatus("running", 10_000)) {
        if (busy.has(scan.repoId)) continue;
        const repo = await store.getRepositoryById(scan.repoId);
        await interrupt(scan);
        found++;
        options.log?.warn(
          { repo: repo?.fullName ?? scan.repoId, scan: scan.id },
          "repository scan was interrupted (the server stopped); it runs again now",
        );
      }
      return found;
    },
    async sweep({ fetchMirrors = false } = {}) {
      let scheduled = 0;
      // Repositories with a pending scan, from an index (not one query per repository every 2 s);
      // each is still checked as before: the pending scan is among its latest five.
      const pendingRepos = new Set((await store.listScansByStatus("pending", 1000)).map((s) => s.repoId));
      const repos = fetchMirrors
        ? await store.listRepositories()
        : (await Promise.all([...pendingRepos].map((id) => store.getRepositoryById(id)))).filter((r): r is Repository => r !== null && r !== undefined);
      for (const repo of repos) {
        if (!repo.secretScanningEnabled) continue;
        const pending = pendingRepos.has(repo.id) ? (await store.listScans(repo.id, 5)).find((s) => s.status === "pending") : undefined;
        if (pending && (await scheduleScan(repo, pending.kind))) scheduled++;
        else if (!pending && fetchMirrors && repo.sourceUrl !== null && (await runner.enqueue(JOB_KINDS.mirrorFetch, { repoId: repo.id }, { key: `fetch:${repo.id}`, group: `repo:${repo.id}`, fairKey: `org:${repo.orgId}` })))
          scheduled++;
      }
      return scheduled;
    },
  };
}

/**
 * Whether a job's lock names a process of this machine that no longer exists (the process this one
 * replaces, killed with -9): its scan is interrupted now rather than after the lease runs out. A
 * lock of another machine, or of a live process here, is a worker that still runs the scan.
 */
function deadLocalWorker(lockedBy: string | null | undefined): boolean {
  const [host, pid] = (lockedBy ?? "").split(":");
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

class ScanInterrupted extends Error {
  constructor() {
    super("interrupted");
  }
}
