import type { Command } from "commander";
import type { OrgRole, RepoRole } from "../../alerts/types.js";
import { loginProblem, printableName } from "../../alerts/names.js";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

const ORG_ROLES: readonly OrgRole[] = ["owner", "security_manager", "member"];
const REPO_ROLES: readonly RepoRole[] = ["admin", "maintain", "write", "triage", "read"];

interface GrantOptions extends StoreCommandOptions {
  org?: string;
  repo?: string;
  role: string;
}

export function registerGrantCommand(program: Command): void {
  addStoreOptions(
    program
      .command("grant")
      .description("Give a user a role in an organization or a repository (role 'none' removes it)")
      .argument("<user>", "login")
      .option("--org <org>", `organization role: ${ORG_ROLES.join(", ")}`)
      .option("--repo <owner/name>", `repository role: ${REPO_ROLES.join(", ")}`)
      .requiredOption("--role <role>", "the role, or none"),
  )
    .addHelpText(
      "after",
      `
Who sees secret scanning alerts, as on GitHub: organization owners and security managers (every
repository of the organization), repository admins, and site administrators. Write access lets a
user push and be assigned alerts; read access shows no alerts.`,
    )
    .action(async (login: string, options: GrantOptions) => {
      if ((options.org === undefined) === (options.repo === undefined)) throw new VigilError("ERR_CLI_USAGE", "give exactly one of --org or --repo");
      const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
      try {
        const { store } = opened;
        const user = await store.getUserByLogin(login);
        if (!user) throw new VigilError("ERR_CLI_USAGE", `no user '${login}' (create one with vigil token create --user ${login})`);
        const role = options.role === "none" ? null : options.role;
        if (options.org !== undefined) {
          const problem = loginProblem(options.org);
          if (problem) throw new VigilError("ERR_CLI_USAGE", `--org: "${printableName(options.org)}" is not an organization login: ${problem}`);
          if (role !== null && !ORG_ROLES.includes(role as OrgRole)) throw new VigilError("ERR_CLI_USAGE", `--role: "${role}" is not one of ${ORG_ROLES.join(", ")}, none`);
          const org = await store.ensureOrganization(options.org);
          await store.setOrgRole(org.id, user.id, role as OrgRole | null);
        } else {
          if (role !== null && !REPO_ROLES.includes(role as RepoRole)) throw new VigilError("ERR_CLI_USAGE", `--role: "${role}" is not one of ${REPO_ROLES.join(", ")}, none`);
          const [owner, name] = (options.repo ?? "").split("/");
          const repo = owner && name ? await store.getRepository(owner, name) : null;
          if (!repo) throw new VigilError("ERR_CLI_USAGE", `no repository '${options.repo}' (register it with vigil repo add)`);
          await store.setRepoRole(repo.id, user.id, role as RepoRole | null);
        }
        process.stderr.write(`vigil: ${login} is now ${role ?? "without a role"} in ${options.org ?? options.repo}\n`);
      } finally {
        await opened.close();
      }
    });
}
