import type { Command } from "commander";
import type { TokenRecord, TokenScope } from "../../alerts/alert-store.js";
import { loginProblem, printableName } from "../../alerts/names.js";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

const SCOPES: readonly TokenScope[] = ["repo", "security_events", "public_repo", "admin:org", "write:org", "read:org", "admin:repo_hook", "admin:enterprise", "site_admin", "user", "delete_repo", "admin:org_hook"];

interface TokenCreateOptions extends StoreCommandOptions {
  user: string;
  admin?: boolean;
  scopes: string;
  note?: string;
  expiresIn?: string;
}

export function registerTokenCommand(program: Command): void {
  const token = program.command("token").description("Manage API tokens (works while the server runs)");
  addStoreOptions(
    token
      .command("create")
      .description("Create a token for a user (the user is created if new) and print it once")
      .requiredOption("--user <login>", "the user the token acts as")
      .option("--admin", "make the user a site administrator (sees and manages every alert)")
      .option("--scopes <list>", `comma-separated classic scopes: ${SCOPES.join(", ")}`, "repo,security_events")
      .option("--note <text>", "what the token is for")
      .option("--expires-in <duration>", "expire after this long: 30d, 12h, 2w (a bare number is days; default: never)"),
  ).action(async (options: TokenCreateOptions) => {
    const scopes = options.scopes
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const scope of scopes) {
      if (!SCOPES.includes(scope as TokenScope)) throw new VigilError("ERR_CLI_USAGE", `--scopes: "${scope}" is not one of ${SCOPES.join(", ")}`);
    }
    const loginIssue = loginProblem(options.user);
    if (loginIssue) throw new VigilError("ERR_CLI_USAGE", `--user: "${printableName(options.user)}" is not a valid login: ${loginIssue}`);
    const lifetimeMs = options.expiresIn === undefined ? undefined : parseDuration(options.expiresIn, "--expires-in");
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      const { store } = opened;
      let user = await store.getUserByLogin(options.user);
      if (!user) {
        user = await store.createUser({ login: options.user, siteAdmin: options.admin === true });
        process.stderr.write(`vigil: created user '${user.login}'${user.siteAdmin ? " (site administrator)" : ""}\n`);
      } else if (options.admin && !user.siteAdmin) {
        throw new VigilError("ERR_CLI_USAGE", `user '${user.login}' exists and is not a site administrator; --admin only applies to new users`);
      }
      const created = await store.createToken({
        userId: user.id,
        scopes: scopes as TokenScope[],
        note: options.note ?? null,
        expiresAt: lifetimeMs === undefined ? null : new Date(Date.now() + lifetimeMs).toISOString(),
      });
      const expiry = created.record.expiresAt ? `, expires ${created.record.expiresAt}` : "";
      process.stderr.write(`vigil: token ${created.record.id} for '${user.login}' with scopes ${scopes.join(", ") || "(none)"}${expiry}; it is shown once:\n`);
      process.stdout.write(created.token + "\n");
    } finally {
      await opened.close();
    }
  });

  addStoreOptions(
    token
      .command("list")
      .description("List tokens: id, user, note, scopes, created, last used, expiry and state (never the token itself)")
      .option("--user <login>", "only this user's tokens")
      .option("--json", "one JSON array instead of a table"),
  ).action(async (options: StoreCommandOptions & { user?: string; json?: boolean }) => {
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      const { store } = opened;
      const logins = new Map((await store.listUsers()).map((u) => [u.id, u.login]));
      let userId: number | undefined;
      if (options.user !== undefined) {
        const user = await store.getUserByLogin(options.user);
        if (!user) throw new VigilError("ERR_CLI_USAGE", `--user: no user '${options.user.slice(0, 40)}' (vigil token list shows every user's tokens)`);
        userId = user.id;
      }
      const records = await store.listTokens(userId === undefined ? {} : { userId });
      const now = Date.now();
      if (options.json) {
        const rows = records.map((r) => ({
          id: r.id,
          user: logins.get(r.userId) ?? null,
          note: r.note,
          scopes: r.scopes,
          prefix: r.prefix,
          created_at: r.createdAt,
          last_used_at: r.lastUsedAt,
          expires_at: r.expiresAt,
          revoked_at: r.revokedAt,
          state: tokenState(r, now),
        }));
        process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        return;
      }
      if (records.length === 0) {
        process.stderr.write(`vigil: no tokens${options.user ? ` for '${options.user}'` : ""} (create one with vigil token create --user NAME)\n`);
        return;
      }
      const day = (iso: string | null, none: string): string => (iso === null ? none : `${iso.slice(0, 16).replace("T", " ")}Z`);
      const table = [
        ["ID", "USER", "NOTE", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "STATE"],
        ...records.map((r) => [
          String(r.id),
          logins.get(r.userId) ?? "?",
          r.note ?? "",
          r.scopes.join(",") || "(none)",
          day(r.createdAt, ""),
          day(r.lastUsedAt, "never"),
          day(r.expiresAt, "never"),
          tokenState(r, now),
        ]),
      ];
      process.stdout.write(formatColumns(table));
    } finally {
      await opened.close();
    }
  });

  addStoreOptions(
    token
      .command("revoke")
      .description("Revoke a token by its id (from vigil token list); it answers 401 from then on")
      .argument("<id>", "the token's id"),
  ).action(async (rawId: string, options: StoreCommandOptions) => {
    if (!/^[1-9][0-9]{0,15}$/.test(rawId)) throw new VigilError("ERR_CLI_USAGE", `"${rawId.slice(0, 40)}" is not a token id (a number from vigil token list)`);
    const id = Number(rawId);
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      const { store } = opened;
      const record = await store.getToken(id);
      if (!record) throw new VigilError("ERR_TOKEN_NOT_FOUND", `no token with id ${id} (vigil token list shows them)`);
      const owner = await store.getUserById(record.userId);
      if (record.revokedAt !== null) {
        process.stderr.write(`vigil: token ${id} of '${owner?.login ?? "?"}' was already revoked on ${record.revokedAt}\n`);
        return;
      }
      await store.revokeToken(id);
      process.stderr.write(`vigil: revoked token ${id} of '${owner?.login ?? "?"}'${record.note ? ` (${record.note})` : ""}\n`);
    } finally {
      await opened.close();
    }
  });
}

/** `active`, `expired` or `revoked`, as authentication sees the token now. */
export function tokenState(record: TokenRecord, now: number): "active" | "expired" | "revoked" {
  if (record.revokedAt !== null) return "revoked";
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) return "expired";
  return "active";
}

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `30d`, `12h`, `2w`, or a bare number of days; from one hour to ten years. */
export function parseDuration(value: string, flag: string): number {
  const match = /^([1-9][0-9]{0,5})([hdw]?)$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2] || "d"]! : NaN;
  if (!match || ms > 3650 * 86_400_000) {
    throw new VigilError("ERR_CLI_USAGE", `${flag}: "${value.slice(0, 20)}" is not a duration from 1h to 3650d (e.g. 30d, 12h, 2w; a bare number is days)`);
  }
  return ms;
}

function formatColumns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n") + "\n";
}
