import type { Alert, CommitLocationDetails, Repository } from "../alerts/types.js";
import { runGit } from "../sources/git/run-git.js";
import { CODEOWNERS_PATHS, ownersOf, parseCodeowners, type CodeownersRule } from "./codeowners.js";

/** Why someone is listed as a maintainer to contact. */
export type MaintainerSource = "codeowners" | "recent_committer" | "repository_admin" | "introduced_secret";

export interface Maintainer {
  /** `@user` / `@org/team` (CODEOWNERS, admins by login) or `Name <email>` (git). */
  name: string;
  sources: MaintainerSource[];
}

export interface MaintainerLookupOptions {
  /** Repository admins by login (the store's roles); the last fallback. */
  listAdmins(repo: Repository): Promise<string[]>;
  /** How many recent committers of a file to name (default 3). */
  recentCommitters?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * Who to contact about a repository's alerts, read with git from its mirror: for each alert's path,
 * the CODEOWNERS owners (GitHub's locations and last-match rule), else the file's recent committers,
 * else the repository's admins; and always whoever committed the secret. One instance caches per
 * repository and path, so that a campaign over thousands of alerts runs git once per file.
 */
export function createMaintainerLookup(options: MaintainerLookupOptions) {
  const env = options.env ?? process.env;
  const codeowners = new Map<number, Promise<CodeownersRule[]>>();
  const committers = new Map<string, Promise<string[]>>();
  const admins = new Map<number, Promise<string[]>>();

  const git = async (repo: Repository, args: string[]): Promise<string | null> => {
    const result = await runGit(args, { cwd: repo.mirrorPath, env, ...(options.signal ? { signal: options.signal } : {}) });
    return result.code === 0 ? result.stdout.toString("utf8") : null;
  };

  function rulesOf(repo: Repository): Promise<CodeownersRule[]> {
    let found = codeowners.get(repo.id);
    if (!found) {
      found = (async () => {
        for (const path of CODEOWNERS_PATHS) {
          const text = await git(repo, ["show", `HEAD:${path}`]);
          if (text !== null) return parseCodeowners(text);
        }
        return [];
      })();
      codeowners.set(repo.id, found);
    }
    return found;
  }

  function committersOf(repo: Repository, path: string): Promise<string[]> {
    const key = `${repo.id}\0${path}`;
    let found = committers.get(key);
    if (!found) {
      found = (async () => {
        const out = await git(repo, ["log", "-n", "50", "--format=%aN <%aE>", "HEAD", "--", path]);
        const unique = [...new Set((out ?? "").split("\n").filter((l) => l.trim() !== ""))];
        return unique.slice(0, options.recentCommitters ?? 3);
      })();
      committers.set(key, found);
    }
    return found;
  }

  function adminsOf(repo: Repository): Promise<string[]> {
    let found = admins.get(repo.id);
    if (!found) {
      found = options.listAdmins(repo).then((logins) => logins.map((l) => `@${l}`));
      admins.set(repo.id, found);
    }
    return found;
  }

  return {
    /** The maintainers of a repository for the given alerts (of that repository), in a stable order. */
    async forAlerts(repo: Repository, alerts: readonly Alert[]): Promise<Maintainer[]> {
      const byName = new Map<string, Maintainer>();
      const add = (name: string, source: MaintainerSource): void => {
        const existing = byName.get(name);
        if (!existing) byName.set(name, { name, sources: [source] });
        else if (!existing.sources.includes(source)) existing.sources.push(source);
      };
      for (const alert of alerts) {
        const location = alert.firstLocation?.type === "commit" ? (alert.firstLocation.details as CommitLocationDetails) : null;
        if (location?.authorEmail || location?.authorName) {
          add(location.authorEmail ? `${location.authorName ?? location.authorEmail} <${location.authorEmail}>` : location.authorName!, "introduced_secret");
        }
        const owners = location ? ownersOf(await rulesOf(repo), location.path) : [];
        if (owners.length > 0) {
          for (const owner of owners) add(owner, "codeowners");
          continue;
        }
        const recent = location ? await committersOf(repo, location.path) : [];
        if (recent.length > 0) {
          for (const who of recent) add(who, "recent_committer");
          continue;
        }
        for (const admin of await adminsOf(repo)) add(admin, "repository_admin");
      }
      return [...byName.values()];
    },
  };
}

export type MaintainerLookup = ReturnType<typeof createMaintainerLookup>;
