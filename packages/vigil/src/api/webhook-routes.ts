import { randomUUID } from "node:crypto";
import type { Context, Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Organization, Repository, User } from "../alerts/types.js";
import { encodeBody } from "../webhooks/dispatcher.js";
import { checkHookUrl } from "../webhooks/post-webhook.js";
import { formatEnterprise, formatWebhookOrganization } from "../webhooks/webhook-payload.js";
import {
  HOOK_EVENTS,
  type Delivery,
  type Hook,
  type HookEvent,
  type HookInput,
  type HookScope,
  type WebhookStore,
} from "../webhooks/webhook-store.js";
import { formatSimpleRepository, formatSimpleUser } from "./alert-json.js";
import type { ApiEnv, ApiUrls } from "./api-env.js";
import { ApiError, notFound, type ValidationErrorItem } from "./api-error.js";
import { readJsonObject, requireScopes } from "./authenticate.js";
import { mountSinkRoutes } from "./sink-routes.js";

export interface WebhookRouteOptions {
  store: AlertStore;
  webhooks: WebhookStore;
  enterpriseSlug: string;
  /** Wakes the dispatcher after a ping or a redelivery is queued. */
  onDeliveryQueued?: () => void;
}

/** Events a hook gets when `events` is omitted: every secret scanning event. */
const DEFAULT_EVENTS: HookEvent[] = ["secret_scanning_alert", "secret_scanning_alert_location", "secret_scanning_scan"];
const SECRET_MASK = "********";
/** GitHub's zen lines, sent in pings. */
const ZEN = [
  "Keep it logically awesome.",
  "Design for failure.",
  "Half measures are as bad as nothing at all.",
  "Speak like a human.",
  "Avoid administrative distraction.",
];

export interface HookTarget {
  scope: HookScope;
  repo?: Repository;
  org?: Organization;
  /** `…/repos/o/r/hooks`, `…/orgs/o/hooks` or `…/admin/hooks`, without the API root. */
  path: string;
}

/**
 * GitHub's webhook REST routes: repository hooks (repository admins, organization owners), organization
 * hooks (owners) and, as GitHub Enterprise Server has them, instance hooks under `/admin/hooks` (site
 * administrators). Anyone else gets 404; a token without the hook scope 403.
 */
export function mountWebhookRoutes(app: Hono<ApiEnv>, options: WebhookRouteOptions): void {
  const { store, webhooks } = options;

  const repoTarget = async (c: Context<ApiEnv>): Promise<HookTarget> => {
    const user = c.get("user");
    const repo = await store.getRepository(c.req.param("owner") ?? "", c.req.param("repo") ?? "");
    if (!repo) throw notFound();
    const roles = await store.getRoles(user.id, repo.id);
    if (!user.siteAdmin && roles.orgRole !== "owner" && roles.repoRole !== "admin") throw notFound();
    requireScopes(c, ["admin:repo_hook", "repo"]);
    const org = (await store.getOrganizationById(repo.orgId))!;
    return { scope: "repository", repo, org, path: `/repos/${repo.fullName}/hooks` };
  };
  const orgTarget = async (c: Context<ApiEnv>): Promise<HookTarget> => {
    const user = c.get("user");
    const org = await store.getOrganization(c.req.param("org") ?? "");
    if (!org) throw notFound();
    if (!user.siteAdmin && (await store.getOrgRole(user.id, org.id)) !== "owner") throw notFound();
    requireScopes(c, ["admin:org_hook"]);
    return { scope: "organization", org, path: `/orgs/${org.login}/hooks` };
  };
  const instanceTarget = (c: Context<ApiEnv>): Promise<HookTarget> => {
    if (!c.get("user").siteAdmin) throw notFound();
    requireScopes(c, ["site_admin", "admin:enterprise"]);
    return Promise.resolve({ scope: "instance", path: "/admin/hooks" });
  };

  const filterOf = (target: HookTarget) => ({
    scope: target.scope,
    ...(target.repo ? { repoId: target.repo.id } : {}),
    ...(target.org && !target.repo ? { orgId: target.org.id } : {}),
  });

  const hookOf = async (target: HookTarget, raw: string | undefined): Promise<Hook> => {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id < 1) throw notFound();
    const hook = await webhooks.getHook(id);
    if (!hook || hook.kind !== "webhook" || hook.scope !== target.scope) throw notFound();
    if (target.scope === "repository" && hook.repoId !== target.repo!.id) throw notFound();
    if (target.scope === "organization" && hook.orgId !== target.org!.id) throw notFound();
    return hook;
  };

  const ping = (c: Context<ApiEnv>, target: HookTarget, hook: Hook): Promise<void> =>
    queuePing(options, c.get("urls"), c.get("user"), target, hook);

  for (const [base, resolve] of [
    ["/repos/:owner/:repo/hooks", repoTarget],
    ["/orgs/:org/hooks", orgTarget],
    ["/admin/hooks", instanceTarget],
  ] as const) {
    app.get(base, async (c) => {
      const target = await resolve(c);
      const url = new URL(c.req.url);
      const perPage = intParam(url, "per_page", 1, 100, 30);
      const page = intParam(url, "page", 1, Number.MAX_SAFE_INTEGER, 1);
      const hooks = await webhooks.listHooks(filterOf(target));
      const slice = hooks.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(hooks.length / perPage));
      if (page < last) {
        const next = new URL(url);
        next.searchParams.set("page", String(page + 1));
        const lastUrl = new URL(url);
        lastUrl.searchParams.set("page", String(last));
        c.header("Link", `<${next.toString()}>; rel="next", <${lastUrl.toString()}>; rel="last"`);
      }
      return c.json(slice.map((hook) => formatHook(hook, target, c.get("urls"))));
    });

    app.post(base, async (c) => {
      const target = await resolve(c);
      const hook = await createHookFor(options, c.get("urls"), c.get("user"), target, await readJsonObject(c));
      c.header("Location", `${c.get("urls").api}${target.path}/${hook.id}`);
      return c.json(formatHook(hook, target, c.get("urls")), 201);
    });

    app.get(`${base}/:hook_id`, async (c) => {
      const target = await resolve(c);
      return c.json(formatHook(await hookOf(target, c.req.param("hook_id")), target, c.get("urls")));
    });

    app.patch(`${base}/:hook_id`, async (c) => {
      const target = await resolve(c);
      const hook = await hookOf(target, c.req.param("hook_id"));
      const patch = parseHookInput(await readJsonObject(c), hook);
      return c.json(formatHook(await webhooks.updateHook(hook.id, patch), target, c.get("urls")));
    });

    app.delete(`${base}/:hook_id`, async (c) => {
      const target = await resolve(c);
      const hook = await hookOf(target, c.req.param("hook_id"));
      await webhooks.deleteHook(hook.id);
      return c.body(null, 204);
    });

    app.post(`${base}/:hook_id/pings`, async (c) => {
      const target = await resolve(c);
      const hook = await hookOf(target, c.req.param("hook_id"));
      await ping(c, target, hook);
      return c.body(null, 204);
    });

    app.get(`${base}/:hook_id/deliveries`, async (c) => {
      const target = await resolve(c);
      const hook = await hookOf(target, c.req.param("hook_id"));
      const url = new URL(c.req.url);
      const perPage = intParam(url, "per_page", 1, 100, 30);
      const cursor = url.searchParams.get("cursor");
      let beforeId: number | undefined;
      if (cursor !== null && cursor !== "") {
        beforeId = Number(cursor);
        if (!Number.isSafeInteger(beforeId) || beforeId < 1)
          throw new ApiError(422, "Invalid value for cursor: use the cursor of a Link header", [
            { resource: "HookDelivery", field: "cursor", code: "invalid" },
          ]);
      }
      const rows = await webhooks.listDeliveries(hook.id, {
        perPage: perPage + 1,
        ...(beforeId !== undefined ? { beforeId } : {}),
      });
      const page = rows.slice(0, perPage);
      if (rows.length > perPage) {
        const next = new URL(url);
        next.searchParams.set("cursor", String(page[page.length - 1]!.id));
        c.header("Link", `<${next.toString()}>; rel="next"`);
      }
      return c.json(page.map(formatDeliveryItem));
    });

    app.get(`${base}/:hook_id/deliveries/:delivery_id`, async (c) => {
      const target = await resolve(c);
      const hook = await hookOf(target, c.req.param("hook_id"));
      const delivery = await deliveryOf(webhooks, hook, c.req.param("delivery_id"));
      return c.json(formatDelivery(delivery, hook));
    });

    app.post(`${base}/:hook_id/deliveries/:delivery_id/attempts`, async (c) => {
      const target = await resolve(c);
      const hook = await hookOf(target, c.req.param("hook_id"));
      const delivery = await deliveryOf(webhooks, hook, c.req.param("delivery_id"));
      // A redelivery is the same event (same GUID and body), delivered again and retried like any delivery.
      await webhooks.createDelivery({ ...delivery, eventId: null, redelivery: true, giveUpAt: null });
      options.onDeliveryQueued?.();
      return c.json({}, 202);
    });
  }

  mountSinkRoutes(app, { store, webhooks, orgTarget: async (c) => (await orgTarget(c)).org!, formatDeliveryItem });
}

/**
 * Creates a hook for the target from GitHub's create-hook body (422 naming a bad field) and pings it
 * when active, as GitHub does: for the REST API and the organization settings page.
 */
export async function createHookFor(
  options: Pick<WebhookRouteOptions, "webhooks" | "enterpriseSlug" | "onDeliveryQueued">,
  urls: ApiUrls,
  sender: User,
  target: HookTarget,
  body: Record<string, unknown>,
): Promise<Hook> {
  const input = parseHookInput(body, null);
  const hook = await options.webhooks.createHook({
    ...input,
    scope: target.scope,
    repoId: target.repo?.id ?? null,
    orgId: target.repo ? null : (target.org?.id ?? null),
  });
  if (hook.active) await queuePing(options, urls, sender, target, hook);
  return hook;
}

/** Queues GitHub's `ping` delivery to a hook. */
async function queuePing(
  options: Pick<WebhookRouteOptions, "webhooks" | "enterpriseSlug" | "onDeliveryQueued">,
  urls: ApiUrls,
  sender: User,
  target: HookTarget,
  hook: Hook,
): Promise<void> {
  const payload: Record<string, unknown> = {
    zen: ZEN[Math.floor(Math.random() * ZEN.length)],
    hook_id: hook.id,
    hook: formatHook(hook, target, urls),
  };
  if (target.repo && target.org) payload.repository = formatSimpleRepository(target.repo, target.org, urls);
  if (target.org) payload.organization = formatWebhookOrganization(target.org, urls);
  if (target.scope === "instance")
    payload.enterprise = formatEnterprise({ urls, enterpriseSlug: options.enterpriseSlug });
  payload.sender = formatSimpleUser(sender, urls);
  await options.webhooks.createDelivery({
    guid: randomUUID(),
    hookId: hook.id,
    event: "ping",
    action: null,
    repoId: target.repo?.id ?? null,
    orderKey: `ping:${hook.id}`,
    body: encodeBody(JSON.stringify(payload), hook.contentType),
  });
  options.onDeliveryQueued?.();
}

async function deliveryOf(webhooks: WebhookStore, hook: Hook, raw: string | undefined): Promise<Delivery> {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw notFound();
  const delivery = await webhooks.getDelivery(hook.id, id);
  if (!delivery) throw notFound();
  return delivery;
}

/** GitHub's `hook` (`org-hook` for organizations): the secret is never returned, only `********` when set. */
export function formatHook(
  hook: Hook,
  target: Pick<HookTarget, "path" | "scope">,
  urls: ApiUrls,
): Record<string, unknown> {
  const url = `${urls.api}${target.path}/${hook.id}`;
  const config: Record<string, unknown> = {
    content_type: hook.contentType,
    insecure_ssl: hook.insecureSsl ? "1" : "0",
    url: hook.url,
  };
  if (hook.hasSecret) config.secret = SECRET_MASK;
  return {
    type: hook.scope === "repository" ? "Repository" : hook.scope === "organization" ? "Organization" : "Global",
    id: hook.id,
    name: "web",
    active: hook.active,
    events: hook.events,
    config,
    updated_at: isoSeconds(hook.updatedAt),
    created_at: isoSeconds(hook.createdAt),
    url,
    ...(hook.scope === "repository" ? { test_url: `${url}/test` } : {}),
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: hook.lastResponse,
  };
}

/** GitHub's `hook-delivery-item`. */
export function formatDeliveryItem(delivery: Delivery): Record<string, unknown> {
  return {
    id: delivery.id,
    guid: delivery.guid,
    delivered_at: isoSeconds(delivery.deliveredAt ?? delivery.createdAt),
    redelivery: delivery.redelivery,
    duration: delivery.duration ?? 0,
    status: delivery.statusText ?? "pending",
    status_code: delivery.statusCode ?? 0,
    event: delivery.event,
    action: delivery.action,
    installation_id: null,
    repository_id: delivery.repoId,
    throttled_at: null,
    // Vigil's additions: the delivery's state in the retry queue.
    state: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === "pending" ? isoSeconds(delivery.nextAttemptAt) : null,
  };
}

/** GitHub's `hook-delivery`: the item plus the request and the (truncated) response. */
function formatDelivery(delivery: Delivery, hook: Hook): Record<string, unknown> {
  let payload: unknown = delivery.body;
  try {
    payload = JSON.parse(
      delivery.body.startsWith("payload=")
        ? decodeURIComponent(delivery.body.slice("payload=".length).replace(/\+/g, " "))
        : delivery.body,
    );
  } catch {
    // Kept as text.
  }
  return {
    ...formatDeliveryItem(delivery),
    url: hook.url,
    request: { headers: delivery.requestHeaders, payload },
    response: { headers: delivery.responseHeaders, payload: delivery.responseBody },
  };
}

/** A create (current null) or an update body as a hook input; every problem is a 422 naming the field. */
function parseHookInput(body: Record<string, unknown>, current: Hook | null): HookInput {
  const errors: ValidationErrorItem[] = [];
  const fail = (field: string, message: string, code: ValidationErrorItem["code"] = "invalid"): void => {
    errors.push({ resource: "Hook", field, code, message });
  };
  if (body.name !== undefined && body.name !== "web") fail("name", "name must be web");
  const config = body.config;
  let url = current?.url;
  let contentType = current?.contentType ?? "form";
  let secret: string | null | undefined = current ? undefined : null;
  let insecureSsl = current?.insecureSsl ?? false;
  if (config === undefined) {
    if (!current) fail("config", "config is required", "missing_field");
  } else if (typeof config !== "object" || config === null || Array.isArray(config)) {
    fail("config", "config must be an object");
  } else {
    const c = config as Record<string, unknown>;
    if (c.url !== undefined || !current) {
      if (typeof c.url !== "string" || c.url === "") fail("config.url", "url is required", "missing_field");
      else {
        const problem = checkHookUrl(c.url);
        if (problem) fail("config.url", problem);
        url = c.url;
      }
    }
    if (c.content_type !== undefined) {
      if (c.content_type !== "json" && c.content_type !== "form")
        fail("config.content_type", "content_type must be json or form");
      else contentType = c.content_type;
    }
    if (c.secret !== undefined) {
      if (c.secret !== null && typeof c.secret !== "string") fail("config.secret", "secret must be a string");
      // Echoing the mask back (a client that PATCHes what it read) keeps the secret.
      else if (c.secret !== SECRET_MASK) secret = c.secret === "" ? null : c.secret;
    }
    if (c.insecure_ssl !== undefined) {
      const value =
        typeof c.insecure_ssl === "number" || typeof c.insecure_ssl === "string" ? String(c.insecure_ssl) : "";
      if (value !== "0" && value !== "1") fail("config.insecure_ssl", 'insecure_ssl must be "0" or "1"');
      else insecureSsl = value === "1";
    }
  }
  let events: HookEvent[] = current?.events ?? DEFAULT_EVENTS;
  const eventList = (field: string, value: unknown): HookEvent[] => {
    if (!Array.isArray(value) || value.some((e) => typeof e !== "string")) {
      fail(field, `${field} must be an array of event names`);
      return [];
    }
    const unknown = (value as string[]).filter((e) => !(HOOK_EVENTS as readonly string[]).includes(e));
    if (unknown.length > 0) fail(field, `Vigil delivers only ${HOOK_EVENTS.join(", ")}; not ${unknown.join(", ")}`);
    return value as HookEvent[];
  };
  if (body.events !== undefined) events = eventList("events", body.events);
  if (current && body.add_events !== undefined)
    events = [...new Set([...events, ...eventList("add_events", body.add_events)])];
  if (current && body.remove_events !== undefined) {
    const removed = new Set(eventList("remove_events", body.remove_events));
    events = events.filter((e) => !removed.has(e));
  }
  if (events.length === 0 && errors.length === 0) fail("events", "a hook needs at least one event");
  let active = current?.active ?? true;
  if (body.active !== undefined) {
    if (typeof body.active !== "boolean") fail("active", "active must be a boolean");
    else active = body.active;
  }
  if (errors.length > 0)
    throw new ApiError(422, `Validation Failed: ${errors.map((e) => e.message).join("; ")}`, errors);
  const input: HookInput = {
    url: url!,
    contentType,
    insecureSsl,
    events: [...new Set(events)],
    active,
    secret: secret ?? null,
  };
  if (current && secret === undefined) delete (input as Partial<HookInput>).secret;
  return input;
}

function intParam(url: URL, name: string, min: number, max: number, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new ApiError(422, `Invalid value for ${name}: must be an integer of at least ${min}`);
  return Math.min(n, max);
}

function isoSeconds(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}
