import type { Context, Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Organization } from "../alerts/types.js";
import { checkHookUrl } from "../webhooks/post-webhook.js";
import {
  HOOK_KINDS,
  type Delivery,
  type Hook,
  type HookKind,
  type HookInput,
  type SinkSettings,
  type WebhookStore,
} from "../webhooks/webhook-store.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound, type ValidationErrorItem } from "./api-error.js";
import { readJsonObject } from "./authenticate.js";

type SinkKind = Exclude<HookKind, "webhook">;
const SINK_KINDS = HOOK_KINDS.filter((k): k is SinkKind => k !== "webhook");

/**
 * Notification sinks per organization (Vigil's extension, beside GitHub's hooks): Slack, Microsoft
 * Teams, generic JSON, Splunk HTTP Event Collector and email, with filters. Organization owners
 * only (404 to others), scope `admin:org_hook` (403). A sink's credential (a Slack or Teams webhook
 * URL, a Splunk token, SMTP credentials) is stored encrypted and never returned.
 */
export function mountSinkRoutes(
  app: Hono<ApiEnv>,
  options: {
    store: AlertStore;
    webhooks: WebhookStore;
    orgTarget: (c: Context<ApiEnv>) => Promise<Organization>;
    formatDeliveryItem: (d: Delivery) => Record<string, unknown>;
  },
): void {
  const { webhooks } = options;
  const base = "/orgs/:org/notification-sinks";
  const sinkOf = async (org: Organization, raw: string | undefined): Promise<Hook> => {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id < 1) throw notFound();
    const hook = await webhooks.getHook(id);
    if (!hook || hook.kind === "webhook" || hook.orgId !== org.id) throw notFound();
    return hook;
  };
  const self = (c: Context<ApiEnv>, org: Organization, hook: Hook) =>
    formatSink(hook, `${c.get("urls").api}/orgs/${org.login}/notification-sinks/${hook.id}`);

  app.get(base, async (c) => {
    const org = await options.orgTarget(c);
    const sinks = await webhooks.listHooks({ scope: "organization", orgId: org.id, kind: "sinks" });
    return c.json(sinks.map((hook) => self(c, org, hook)));
  });
  app.post(base, async (c) => {
    const org = await options.orgTarget(c);
    const input = parseSinkInput(await readJsonObject(c), null);
    const hook = await webhooks.createHook({ ...input, scope: "organization", orgId: org.id });
    return c.json(self(c, org, hook), 201);
  });
  app.get(`${base}/:sink_id`, async (c) => {
    const org = await options.orgTarget(c);
    return c.json(self(c, org, await sinkOf(org, c.req.param("sink_id"))));
  });
  app.patch(`${base}/:sink_id`, async (c) => {
    const org = await options.orgTarget(c);
    const hook = await sinkOf(org, c.req.param("sink_id"));
    const patch = parseSinkInput(await readJsonObject(c), hook);
    return c.json(self(c, org, await webhooks.updateHook(hook.id, patch)));
  });
  app.delete(`${base}/:sink_id`, async (c) => {
    const org = await options.orgTarget(c);
    const hook = await sinkOf(org, c.req.param("sink_id"));
    await webhooks.deleteHook(hook.id);
    return c.body(null, 204);
  });
  app.get(`${base}/:sink_id/deliveries`, async (c) => {
    const org = await options.orgTarget(c);
    const hook = await sinkOf(org, c.req.param("sink_id"));
    return c.json((await webhooks.listDeliveries(hook.id, { perPage: 100 })).map(options.formatDeliveryItem));
  });
}

function formatSink(hook: Hook, url: string): Record<string, unknown> {
  const s = hook.settings ?? {};
  return {
    id: hook.id,
    type: hook.kind,
    url,
    // Slack and Teams URLs are credentials: only their origin is shown.
    target: hook.url,
    has_credential: hook.hasSecret,
    active: hook.active,
    filters: {
      events: s.events ?? [],
      secret_types: s.secretTypes ?? [],
      repositories: s.repositories ?? [],
      bypass_only: s.bypassOnly ?? false,
    },
    ...(hook.kind === "email" ? { to: s.to ?? [], from: s.from ?? null } : {}),
    // Set for sinks the server's config file manages (changes through the API last until the next start).
    config_name: s.configName ?? null,
    created_at: hook.createdAt,
    updated_at: hook.updatedAt,
    last_response: hook.lastResponse,
  };
}

/** A create (current null) or update body; every problem is a 422 naming the field. */
export function parseSinkInput(body: Record<string, unknown>, current: Hook | null): HookInput {
  const errors: ValidationErrorItem[] = [];
  const fail = (field: string, message: string, code: ValidationErrorItem["code"] = "invalid"): void => {
    errors.push({ resource: "NotificationSink", field, code, message });
  };
  const kind = (current?.kind ?? body.type) as SinkKind;
  if (!current && !SINK_KINDS.includes(kind))
    fail("type", `type must be one of ${SINK_KINDS.join(", ")}`, body.type === undefined ? "missing_field" : "invalid");
  if (current && body.type !== undefined && body.type !== current.kind) fail("type", "type cannot change");
  const settings: SinkSettings = { ...(current?.settings ?? {}) };
  let url = current?.url;
  let secret: string | null | undefined = current ? undefined : null;
  if (body.url !== undefined || !current) {
    if (typeof body.url !== "string" || body.url === "") fail("url", "url is required", "missing_field");
    else if (kind === "email") {
      if (!/^smtps?:\/\/[^/@\s]+$/.test(body.url.replace(/\/$/, "")))
        fail(
          "url",
          "an email sink's url is smtp://host:port or smtps://host:port (credentials go in token as user:password)",
        );
      else url = body.url.replace(/\/$/, "");
    } else {
      const problem = checkHookUrl(body.url);
      if (problem) fail("url", problem);
      else if (kind === "slack" || kind === "teams") {
        // The URL is the credential: kept sealed; only its origin is stored in the clear.
        secret = body.url;
        url = `${new URL(body.url).origin}/…`;
      } else url = body.url;
    }
  }
  if (body.token !== undefined && kind !== "slack" && kind !== "teams") {
    if (body.token !== null && (typeof body.token !== "string" || body.token === ""))
      fail("token", "token must be a non-empty string or null");
    else secret = body.token;
  }
  if (kind === "splunk" && !current && !secret)
    fail("token", "a Splunk sink needs its HTTP Event Collector token", "missing_field");
  const strings = (field: string, value: unknown): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) {
      fail(field, `${field} must be an array of strings`);
      return undefined;
    }
    return value as string[];
  };
  if (body.filters !== undefined) {
    if (typeof body.filters !== "object" || body.filters === null || Array.isArray(body.filters))
      fail("filters", "filters must be an object");
    else {
      const f = body.filters as Record<string, unknown>;
      const events = strings("filters.events", f.events);
      const known =
        /^(secret_scanning_alert(\.(created|resolved|reopened|assigned|unassigned|validated|publicly_leaked))?|secret_scanning_alert_location(\.created)?|secret_scanning_scan(\.completed)?)$/;
      if (events?.some((e) => !known.test(e)))
        fail(
          "filters.events",
          "filters.events holds event or event.action names such as secret_scanning_alert.created",
        );
      else if (events) settings.events = events;
      const types = strings("filters.secret_types", f.secret_types);
      if (types) settings.secretTypes = types;
      const repos = strings("filters.repositories", f.repositories);
      if (repos?.some((r) => !/^[^/\s]+\/[^/\s]+$/.test(r)))
        fail("filters.repositories", "filters.repositories holds owner/name");
      else if (repos) settings.repositories = repos;
      if (f.bypass_only !== undefined) {
        if (typeof f.bypass_only !== "boolean") fail("filters.bypass_only", "bypass_only must be a boolean");
        else settings.bypassOnly = f.bypass_only;
      }
    }
  }
  if (kind === "email") {
    const to = strings("to", body.to);
    if (to?.some((a) => !/^[^@\s]+@[^@\s]+$/.test(a))) fail("to", "to holds email addresses");
    else if (to) settings.to = to;
    if (!current && (!settings.to || settings.to.length === 0))
      fail("to", "an email sink needs recipients", "missing_field");
    if (body.from !== undefined) {
      if (typeof body.from !== "string" || body.from === "") fail("from", "from must be an address");
      else settings.from = body.from;
    }
  }
  let active = current?.active ?? true;
  if (body.active !== undefined) {
    if (typeof body.active !== "boolean") fail("active", "active must be a boolean");
    else active = body.active;
  }
  if (errors.length > 0)
    throw new ApiError(422, `Validation Failed: ${errors.map((e) => e.message).join("; ")}`, errors);
  const input: HookInput = {
    kind,
    settings,
    url: url!,
    contentType: "json",
    insecureSsl: false,
    events: ["*"],
    active,
    secret: secret ?? null,
  };
  if (current && secret === undefined) delete (input as Partial<HookInput>).secret;
  return input;
}
