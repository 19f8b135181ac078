import type { Context, Hono } from "hono";
import type { AlertStore, TokenRecord } from "../alerts/alert-store.js";
import type { Repository, User } from "../alerts/types.js";
import { parseCommitObject } from "../sources/git/commit-info.js";
import type { GitObject } from "../sources/git/git-objects.js";
import { formatOrganizationOwner, formatSimpleUser } from "./alert-json.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound } from "./api-error.js";
import { requireScopes } from "./authenticate.js";

/**
 * Reads one object of a repository's git directory by its full id (the server reads the mirror with
 * git); one larger than `maxSize` is described without its content.
 */
export type GitObjectReader = (gitDir: string, objectId: string, maxSize: number) => Promise<GitObject | null>;

/** GitHub's blob API returns blobs up to 100 MB. */
export const MAX_GIT_OBJECT_SIZE = 100 * 1024 * 1024;

export interface LifecycleRouteOptions {
  store: AlertStore;
  /** Removes a repository with everything recorded for it and its git directory. */
  removeRepository: (repo: Repository) => Promise<void>;
  /** Absent: the git object routes answer 404. */
  readGitObject?: GitObjectReader;
}

/**
 * Lifecycle routes: Vigil's token management extension (`/vigil/tokens`), GitHub's repository
 * deletion, the git objects that alert locations' `commit_url` and `blob_url` name, and users (the
 * `url` of every user object).
 */
export function mountLifecycleRoutes(app: Hono<ApiEnv>, options: LifecycleRouteOptions): void {
  const { store } = options;

  // --- tokens (Vigil's extension): a user manages their own, a site administrator everybody's ---------
  app.get("/vigil/tokens", async (c) => {
    const user = c.get("user");
    requireScopes(c, ["user"]);
    const login = new URL(c.req.url).searchParams.get("user");
    let userId: number | undefined = user.id;
    if (user.siteAdmin) {
      if (login) {
        const target = await store.getUserByLogin(login);
        if (!target) return c.json([]);
        userId = target.id;
      } else userId = undefined;
    }
    const records = await store.listTokens(userId === undefined ? {} : { userId });
    const users = new Map(
      (userId === undefined ? await store.listUsers() : [(await store.getUserById(userId))!]).map((u) => [u.id, u]),
    );
    return c.json(records.map((record) => formatToken(c, record, users.get(record.userId) ?? null)));
  });

  app.get("/vigil/tokens/:id", async (c) => {
    const { record, owner } = await visibleToken(c);
    return c.json(formatToken(c, record, owner));
  });

  app.delete("/vigil/tokens/:id", async (c) => {
    const { record } = await visibleToken(c);
    if (record.revokedAt === null) await store.revokeToken(record.id);
    return c.body(null, 204);
  });

  async function visibleToken(c: Context<ApiEnv>): Promise<{ record: TokenRecord; owner: User | null }> {
    const user = c.get("user");
    const raw = c.req.param("id") ?? "";
    const record = /^[1-9][0-9]{0,15}$/.test(raw) ? await store.getToken(Number(raw)) : null;
    if (!record || (record.userId !== user.id && !user.siteAdmin)) throw notFound();
    requireScopes(c, ["user"]);
    return { record, owner: record.userId === user.id ? user : await store.getUserById(record.userId) };
  }

  function formatToken(c: Context<ApiEnv>, record: TokenRecord, owner: User | null): Record<string, unknown> {
    const now = Date.now();
    const state =
      record.revokedAt !== null
        ? "revoked"
        : record.expiresAt !== null && Date.parse(record.expiresAt) <= now
          ? "expired"
          : "active";
    return {
      id: record.id,
      url: `${c.get("urls").api}/vigil/tokens/${record.id}`,
      user: owner ? formatSimpleUser(owner, c.get("urls")) : null,
      note: record.note,
      scopes: record.scopes,
      // The first characters only, to tell tokens apart; the token itself is never stored.
      token_prefix: record.prefix,
      created_at: iso(record.createdAt),
      last_used_at: iso(record.lastUsedAt),
      expires_at: iso(record.expiresAt),
      revoked_at: iso(record.revokedAt),
      state,
    };
  }

  // --- repositories ------------------------------------------------------------------------------
  // GitHub's "delete a repository": admins only (others 404, as for everything they may not see), and the
  // `delete_repo` scope.
  app.delete("/repos/:owner/:repo", async (c) => {
    const repo = await store.getRepository(c.req.param("owner"), c.req.param("repo"));
    if (!repo) throw notFound();
    const user = c.get("user");
    const roles = await store.getRoles(user.id, repo.id);
    if (!user.siteAdmin && roles.orgRole !== "owner" && roles.repoRole !== "admin") throw notFound();
    requireScopes(c, ["delete_repo"]);
    await options.removeRepository(repo);
    return c.body(null, 204);
  });

  // --- git objects: what alert locations' commit_url and blob_url name ----------------------------------
  app.get("/repos/:owner/:repo/git/commits/:sha", async (c) => {
    const { repo, object } = await gitObject(c, "commit");
    const urls = c.get("urls");
    const base = `${urls.api}/repos/${repo.fullName}/git`;
    const raw = object.content.toString("utf8");
    const headerEnd = raw.indexOf("\n\n");
    const headers = (headerEnd < 0 ? raw : raw.slice(0, headerEnd)).split("\n");
    const tree = headers.find((line) => line.startsWith("tree "))?.slice(5) ?? null;
    const parents = headers.filter((line) => line.startsWith("parent ")).map((line) => line.slice(7));
    const info = parseCommitObject(object.content);
    const sha = c.req.param("sha");
    return c.json({
      sha,
      node_id: Buffer.from(`C_${repo.id}_${sha}`).toString("base64url"),
      url: `${base}/commits/${sha}`,
      html_url: `${base}/commits/${sha}`,
      author: { name: info.authorName, email: info.authorEmail, date: utc(info.authorDate) },
      committer: { name: info.committerName, email: info.committerEmail, date: utc(info.committerDate) },
      message: headerEnd < 0 ? "" : raw.slice(headerEnd + 2).replace(/\n$/, ""),
      tree: { sha: tree, url: `${base}/trees/${tree}` },
      parents: parents.map((parent) => ({
        sha: parent,
        url: `${base}/commits/${parent}`,
        html_url: `${base}/commits/${parent}`,
      })),
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    });
  });

  app.get("/repos/:owner/:repo/git/blobs/:sha", async (c) => {
    const { repo, object } = await gitObject(c, "blob");
    const sha = c.req.param("sha");
    return c.json({
      sha,
      node_id: Buffer.from(`B_${repo.id}_${sha}`).toString("base64url"),
      size: object.content.length,
      url: `${c.get("urls").api}/repos/${repo.fullName}/git/blobs/${sha}`,
      // GitHub wraps the base64 at 60 characters.
      content: (object.content.toString("base64").match(/.{1,60}/g) ?? []).join("\n") + "\n",
      encoding: "base64",
    });
  });

  /** Anyone with a role in the repository reads its code (404 for everyone else), with the `repo` scope. */
  async function gitObject(
    c: Context<ApiEnv>,
    type: "commit" | "blob",
  ): Promise<{ repo: Repository; object: { type: GitObject["type"]; content: Buffer } }> {
    const repo = await store.getRepository(c.req.param("owner") ?? "", c.req.param("repo") ?? "");
    if (!repo) throw notFound();
    const user = c.get("user");
    const roles = await store.getRoles(user.id, repo.id);
    if (!user.siteAdmin && !roles.orgRole && !roles.repoRole) throw notFound();
    requireScopes(c, ["repo"]);
    const object = options.readGitObject
      ? await options.readGitObject(repo.mirrorPath, c.req.param("sha") ?? "", MAX_GIT_OBJECT_SIZE)
      : null;
    if (!object || object.type !== type) throw notFound();
    if (object.content === null) {
      throw new ApiError(403, `This API returns ${type}s up to 100 MB in size; this one is ${object.size} bytes`, [
        { resource: type === "blob" ? "Blob" : "Commit", field: "data", code: "custom", message: "too_large" },
      ]);
    }
    return { repo, object: { type: object.type, content: object.content } };
  }

  // --- users: the `url` of every user and owner object -------------------------------------------------
  app.get("/users/:username", async (c) => {
    const login = c.req.param("username");
    const user = await store.getUserByLogin(login);
    if (user) return c.json(formatSimpleUser(user, c.get("urls")));
    const org = await store.getOrganization(login);
    if (org) return c.json(formatOrganizationOwner(org, c.get("urls")));
    throw notFound();
  });
}

function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function utc(date: string): string | null {
  if (date === "") return null;
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime())) return null;
  return parsed.toISOString().replace(/\.\d{3}Z$/, "Z");
}
