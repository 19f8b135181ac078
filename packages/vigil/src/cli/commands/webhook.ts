import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import type { OpenedStore } from "../../store/index.js";
import { checkHookUrl } from "../../webhooks/post-webhook.js";
import { HOOK_EVENTS, type Hook, type HookEvent, type HookScope } from "../../webhooks/webhook-store.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { parseInteger } from "./scan.js";

interface TargetOptions extends StoreCommandOptions {
  repo?: string;
  org?: string;
  instance?: boolean;
}

interface AddOptions extends TargetOptions {
  contentType: string;
  events: string;
  secretEnv?: string;
  insecureSsl?: boolean;
  inactive?: boolean;
}

/**
 * `vigil webhook`: operators' scripting of the hooks the REST API manages (`/repos/…/hooks`,
 * `/orgs/…/hooks`, `/admin/hooks`), against the store like `vigil repo add`. The running server
 * delivers what they subscribe to. (`vigil hook` is the git hooks command.)
 */
export function registerWebhookCommand(program: Command): void {
  const webhook = program
    .command("webhook")
    .description("Manage webhooks: alert events POSTed, signed, to your endpoint (works while the server runs)");
  const withTarget = (command: Command): Command =>
    addStoreOptions(
      command
        .option("--repo <owner/name>", "a repository's hook")
        .option("--org <org>", "an organization's hook (every repository of it)")
        .option("--instance", "an instance hook (every repository)"),
    );

  withTarget(
    webhook
      .command("add")
      .description("Add a hook; the server POSTs the subscribed events to URL")
      .argument("<url>", "the endpoint (http or https)")
      .option("--content-type <type>", "json or form", "json")
      .option(
        "--events <list>",
        `comma-separated: ${HOOK_EVENTS.join(", ")}`,
        "secret_scanning_alert,secret_scanning_alert_location,secret_scanning_scan",
      )
      .option(
        "--secret-env <VAR>",
        "sign deliveries with the secret in this environment variable (X-Hub-Signature-256)",
      )
      .option("--insecure-ssl", "do not verify the endpoint's TLS certificate")
      .option("--inactive", "add the hook switched off"),
  ).action(async (url: string, options: AddOptions) => {
    const problem = checkHookUrl(url);
    if (problem) throw new VigilError("ERR_CLI_USAGE", `${url.slice(0, 200)}: ${problem}`);
    if (options.contentType !== "json" && options.contentType !== "form")
      throw new VigilError("ERR_CLI_USAGE", `--content-type: "${options.contentType}" is not json or form`);
    const events = options.events
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e !== "");
    const unknown = events.filter((e) => !(HOOK_EVENTS as readonly string[]).includes(e));
    if (events.length === 0 || unknown.length > 0)
      throw new VigilError(
        "ERR_CLI_USAGE",
        `--events: ${unknown.join(", ") || "(none)"} is not one of ${HOOK_EVENTS.join(", ")}`,
      );
    let secret: string | null = null;
    if (options.secretEnv !== undefined) {
      secret = process.env[options.secretEnv] ?? "";
      if (secret === "")
        throw new VigilError("ERR_CLI_USAGE", `--secret-env: the environment variable ${options.secretEnv} is not set`);
    }
    await withStore(options, async (opened) => {
      const target = await resolveTarget(opened, options);
      const hook = await opened.webhooks.createHook({
        ...target,
        url,
        contentType: options.contentType as "json" | "form",
        secret,
        insecureSsl: options.insecureSsl === true,
        events: events as HookEvent[],
        active: options.inactive !== true,
      });
      process.stdout.write(`${hook.id}\n`);
      process.stderr.write(
        `vigil: added webhook ${hook.id} (${describeTarget(target.scope, options)}) → ${url}; the running server delivers to it\n`,
      );
    });
  });

  withTarget(
    webhook
      .command("list")
      .description("List hooks (all of them, or one repository's, organization's or the instance's)"),
  ).action(async (options: TargetOptions) => {
    await withStore(options, async (opened) => {
      let hooks: Hook[];
      if (options.repo || options.org || options.instance) {
        const target = await resolveTarget(opened, options);
        hooks = await opened.webhooks.listHooks({
          scope: target.scope,
          ...(target.repoId ? { repoId: target.repoId } : {}),
          ...(target.orgId ? { orgId: target.orgId } : {}),
        });
      } else {
        hooks = [];
        for (const scope of ["instance", "organization", "repository"] as const)
          hooks.push(...(await opened.webhooks.listHooks({ scope })));
      }
      for (const hook of hooks) {
        const where =
          hook.scope === "repository"
            ? (await opened.store.getRepositoryById(hook.repoId!))?.fullName
            : hook.scope === "organization"
              ? (await opened.store.getOrganizationById(hook.orgId!))?.login
              : "(instance)";
        const last =
          hook.lastResponse.status === "unused"
            ? "unused"
            : `${hook.lastResponse.status}${hook.lastResponse.code ? ` ${hook.lastResponse.code}` : ""}${hook.lastResponse.status === "failed" && hook.lastResponse.message ? `: ${hook.lastResponse.message}` : ""}`;
        process.stdout.write(
          `${hook.id}\t${where ?? "?"}\t${hook.url}\t${hook.events.join(",")}\t${hook.active ? "active" : "inactive"}\t${last}\n`,
        );
      }
    });
  });

  addStoreOptions(
    webhook
      .command("remove")
      .description("Remove a hook and its delivery log")
      .argument("<id>", "the hook's id (vigil webhook list)"),
  ).action(async (raw: string, options: StoreCommandOptions) => {
    const id = parseInteger(raw, "<id>", 1, Number.MAX_SAFE_INTEGER);
    await withStore(options, async (opened) => {
      if (!(await opened.webhooks.deleteHook(id)))
        throw new VigilError("ERR_CLI_USAGE", `no webhook with id ${id} (see vigil webhook list)`);
      process.stderr.write(`vigil: removed webhook ${id}\n`);
    });
  });

  addStoreOptions(
    webhook
      .command("deliveries")
      .description(
        "A hook's delivery log, newest first: id, GUID, event.action, state, HTTP status, attempts, time, outcome",
      )
      .argument("<id>", "the hook's id")
      .option("--limit <n>", "how many", "30"),
  ).action(async (raw: string, options: StoreCommandOptions & { limit: string }) => {
    const id = parseInteger(raw, "<id>", 1, Number.MAX_SAFE_INTEGER);
    const limit = parseInteger(options.limit, "--limit", 1, 1000);
    await withStore(options, async (opened) => {
      if (!(await opened.webhooks.getHook(id)))
        throw new VigilError("ERR_CLI_USAGE", `no webhook with id ${id} (see vigil webhook list)`);
      for (const d of await opened.webhooks.listDeliveries(id, { perPage: limit })) {
        process.stdout.write(
          `${d.id}\t${d.guid}\t${d.event}${d.action ? `.${d.action}` : ""}\t${d.status}\t${d.statusCode ?? "-"}\t${d.attempts}\t${d.deliveredAt ?? d.createdAt}\t${d.statusText ?? "not attempted yet"}\n`,
        );
      }
    });
  });
}

async function withStore(options: StoreCommandOptions, work: (opened: OpenedStore) => Promise<void>): Promise<void> {
  const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
  try {
    await work(opened);
  } finally {
    await opened.close();
  }
}

async function resolveTarget(
  opened: OpenedStore,
  options: TargetOptions,
): Promise<{ scope: HookScope; repoId?: number; orgId?: number }> {
  const given = [options.repo !== undefined, options.org !== undefined, options.instance === true].filter(
    Boolean,
  ).length;
  if (given !== 1) throw new VigilError("ERR_CLI_USAGE", "give exactly one of --repo, --org or --instance");
  if (options.repo !== undefined) {
    const [owner, name] = options.repo.split("/");
    const repo = owner && name ? await opened.store.getRepository(owner, name) : null;
    if (!repo)
      throw new VigilError("ERR_CLI_USAGE", `no repository '${options.repo}' (register it with vigil repo add)`);
    return { scope: "repository", repoId: repo.id };
  }
  if (options.org !== undefined) {
    const org = await opened.store.getOrganization(options.org);
    if (!org) throw new VigilError("ERR_CLI_USAGE", `no organization '${options.org}'`);
    return { scope: "organization", orgId: org.id };
  }
  return { scope: "instance" };
}

function describeTarget(scope: HookScope, options: TargetOptions): string {
  return scope === "repository"
    ? `repository ${options.repo}`
    : scope === "organization"
      ? `organization ${options.org}`
      : "every repository";
}
