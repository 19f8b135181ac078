import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import type { AlertStore } from "../alerts/alert-store.js";
import { ApiError } from "../api/api-error.js";
import { parseSinkInput } from "../api/sink-routes.js";
import { VigilError } from "../errors.js";
import type { HookInput, WebhookStore } from "../webhooks/webhook-store.js";

export interface ConfiguredSink {
  name: string;
  org: string;
  input: HookInput;
}

/**
 * The `notifications:` section of the server's config file: notification sinks per organization,
 * each with a `name` (its identity across restarts), `org`, and the fields of
 * `POST /orgs/{org}/notification-sinks`; `url_env` and `token_env` name environment variables, so
 * that webhook URLs and tokens stay out of the file. Every problem is one clear error.
 */
export function readNotificationConfig(path: string, env: Record<string, string | undefined>): ConfiguredSink[] {
  if (!existsSync(path)) throw new VigilError("ERR_CONFIG_NOT_FOUND", `config file not found: ${path}`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new VigilError("ERR_CONFIG_PARSE", `${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  const section = (doc as { notifications?: unknown } | null)?.notifications;
  if (section === undefined || section === null) return [];
  if (!Array.isArray(section))
    throw new VigilError("ERR_CONFIG_INVALID", `${path}: notifications must be a list of sinks`);
  const names = new Set<string>();
  return section.map((raw: unknown, i): ConfiguredSink => {
    const where = `${path}: notifications[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      throw new VigilError("ERR_CONFIG_INVALID", `${where} must be a mapping`);
    const { name, org, url_env: urlEnv, token_env: tokenEnv, ...body } = raw as Record<string, unknown>;
    if (typeof name !== "string" || name === "")
      throw new VigilError("ERR_CONFIG_INVALID", `${where}.name is required (a sink's identity across restarts)`);
    if (names.has(name)) throw new VigilError("ERR_CONFIG_INVALID", `${where}.name: "${name}" is used twice`);
    names.add(name);
    if (typeof org !== "string" || org === "") throw new VigilError("ERR_CONFIG_INVALID", `${where}.org is required`);
    for (const [key, variable, field] of [
      ["url_env", urlEnv, "url"],
      ["token_env", tokenEnv, "token"],
    ] as const) {
      if (variable === undefined) continue;
      if (typeof variable !== "string")
        throw new VigilError("ERR_CONFIG_INVALID", `${where}.${key} must name an environment variable`);
      if (!env[variable])
        throw new VigilError("ERR_CONFIG_INVALID", `${where}.${key}: the environment variable ${variable} is not set`);
      body[field] = env[variable];
    }
    try {
      const input = parseSinkInput(body, null);
      return { name, org, input: { ...input, settings: { ...input.settings, configName: name } } };
    } catch (error) {
      if (error instanceof ApiError) {
        const fields = (error.errors ?? []).map((e) => `${e.field}: ${e.message ?? e.code}`).join("; ");
        throw new VigilError("ERR_CONFIG_INVALID", `${where} (${name}): ${fields || error.message}`);
      }
      throw error;
    }
  });
}

/**
 * Makes the store's config-managed sinks those of the file: updates them in place by name (their
 * pending deliveries stay), creates new ones, removes those the file no longer has.
 */
export async function syncConfiguredSinks(
  store: AlertStore,
  webhooks: WebhookStore,
  sinks: ConfiguredSink[],
): Promise<{ created: number; updated: number; removed: number }> {
  const counts = { created: 0, updated: 0, removed: 0 };
  const wanted = new Map(sinks.map((s) => [s.name, s]));
  const seen = new Set<string>();
  for (const org of await store.listOrganizations()) {
    for (const hook of await webhooks.listHooks({ scope: "organization", orgId: org.id, kind: "sinks" })) {
      const name = hook.settings?.configName;
      if (name === undefined) continue;
      const sink = wanted.get(name);
      if (
        !sink ||
        sink.org.toLowerCase() !== org.login.toLowerCase() ||
        sink.input.kind !== hook.kind ||
        seen.has(name)
      ) {
        await webhooks.deleteHook(hook.id);
        counts.removed++;
        continue;
      }
      await webhooks.updateHook(hook.id, sink.input);
      seen.add(name);
      counts.updated++;
    }
  }
  for (const sink of sinks) {
    if (seen.has(sink.name)) continue;
    const org = await store.ensureOrganization(sink.org);
    await webhooks.createHook({ ...sink.input, scope: "organization", orgId: org.id });
    counts.created++;
  }
  return counts;
}
