import type { Command } from "commander";
import type { TokenScope } from "../../alerts/alert-store.js";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { parseInteger } from "./scan.js";

const SCOPES: readonly TokenScope[] = ["repo", "security_events", "public_repo", "admin:org", "write:org", "read:org", "admin:repo_hook", "admin:enterprise", "site_admin", "admin:org_hook"];

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
      .option("--expires-in <days>", "expire after this many days (default: never)"),
  ).action(async (options: TokenCreateOptions) => {
    const scopes = options.scopes
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const scope of scopes) {
      if (!SCOPES.includes(scope as TokenScope)) throw new VigilError("ERR_CLI_USAGE", `--scopes: "${scope}" is not one of ${SCOPES.join(", ")}`);
    }
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(options.user)) {
      throw new VigilError("ERR_CLI_USAGE", `--user: "${options.user.slice(0, 40)}" is not a valid login (letters, digits and hyphens, up to 39)`);
    }
    const days = options.expiresIn === undefined ? undefined : parseInteger(options.expiresIn, "--expires-in", 1, 3650);
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
        expiresAt: days === undefined ? null : new Date(Date.now() + days * 86_400_000).toISOString(),
      });
      process.stderr.write(`vigil: token for '${user.login}' with scopes ${scopes.join(", ") || "(none)"}; it is shown once:\n`);
      process.stdout.write(created.token + "\n");
    } finally {
      await opened.close();
    }
  });
}
