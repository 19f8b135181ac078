import { sql, type Kysely, type Selectable } from "kysely";
import { StoreNotFoundError } from "../alerts/alert-store.js";
import type {
  Delivery,
  DeliveryStatus,
  Hook,
  HookContentType,
  HookEvent,
  HookKind,
  HookScope,
  NewDelivery,
  SinkSettings,
  WebhookStore,
} from "../webhooks/webhook-store.js";
import { bit, fromJson, toBool, toIso, toIsoOrNull } from "./row-mapping.js";
import type { SecretBox } from "./secret-box.js";
import type { Database, WebhookDeliveriesTable, WebhooksTable } from "./tables.js";

export interface WebhookStoreOptions {
  db: Kysely<Database>;
  secretBox: SecretBox;
  now?: () => Date;
}

/** Bound parameters per `IN (...)` list. */
const CHUNK = 500;

/** The `WebhookStore` over SQLite or PostgreSQL. Hook secrets are sealed with the store's secret box. */
export function createWebhookStore(options: WebhookStoreOptions): WebhookStore {
  const { db, secretBox } = options;
  const clock = options.now ?? (() => new Date());
  const now = (): string => clock().toISOString();

  const hookById = async (id: number): Promise<Hook | null> => {
    const row = await db.selectFrom("webhooks").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toHook(row) : null;
  };

  const store: WebhookStore = {
    async createHook(input) {
      const at = now();
      const row = await db
        .insertInto("webhooks")
        .values({
          scope: input.scope,
          repo_id: input.repoId ?? null,
          org_id: input.orgId ?? null,
          url: input.url,
          content_type: input.contentType,
          secret_ciphertext: input.secret ? secretBox.seal(input.secret) : null,
          insecure_ssl: bit(input.insecureSsl),
          events: JSON.stringify(input.events),
          active: bit(input.active),
          kind: input.kind ?? "webhook",
          settings: input.settings ? JSON.stringify(input.settings) : null,
          last_response_code: null,
          last_response_status: "unused",
          last_response_message: null,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toHook(row);
    },

    getHook: hookById,

    async getHookSecret(id) {
      const row = await db.selectFrom("webhooks").select("secret_ciphertext").where("id", "=", id).executeTakeFirst();
      return row?.secret_ciphertext ? secretBox.open(row.secret_ciphertext) : null;
    },

    async listHooks(filter) {
      let query = db.selectFrom("webhooks").selectAll().where("scope", "=", filter.scope);
      if (filter.repoId !== undefined) query = query.where("repo_id", "=", filter.repoId);
      if (filter.orgId !== undefined) query = query.where("org_id", "=", filter.orgId);
      query = filter.kind === "sinks" ? query.where("kind", "<>", "webhook") : query.where("kind", "=", "webhook");
      const rows = await query.orderBy("id").execute();
      return rows.map(toHook);
    },

    async listHooksForRepository(repoId, orgId) {
      const rows = await db
        .selectFrom("webhooks")
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb("scope", "=", "repository"), eb("repo_id", "=", repoId)]),
            eb.and([eb("scope", "=", "organization"), eb("org_id", "=", orgId)]),
            eb("scope", "=", "instance"),
          ]),
        )
        .where("active", "=", bit(true))
        .orderBy("id")
        .execute();
      return rows.map(toHook);
    },

    async updateHook(id, patch) {
      const set: Partial<{
        url: string;
        content_type: string;
        secret_ciphertext: string | null;
        insecure_ssl: number;
        events: string;
        active: number;
        settings: string | null;
        updated_at: string;
      }> = {
        updated_at: now(),
      };
      if (patch.url !== undefined) set.url = patch.url;
      if (patch.contentType !== undefined) set.content_type = patch.contentType;
      if (patch.secret !== undefined) set.secret_ciphertext = patch.secret ? secretBox.seal(patch.secret) : null;
      if (patch.insecureSsl !== undefined) set.insecure_ssl = bit(patch.insecureSsl);
      if (patch.events !== undefined) set.events = JSON.stringify(patch.events);
      if (patch.active !== undefined) set.active = bit(patch.active);
      if (patch.settings !== undefined) set.settings = patch.settings ? JSON.stringify(patch.settings) : null;
      const row = await db.updateTable("webhooks").set(set).where("id", "=", id).returningAll().executeTakeFirst();
      if (!row) throw new StoreNotFoundError(`no hook with id ${id}`);
      return toHook(row);
    },

    async deleteHook(id) {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom("webhook_deliveries").where("hook_id", "=", id).execute();
        const result = await trx.deleteFrom("webhooks").where("id", "=", id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },

    async enqueueEventDeliveries(eventIds, deliveries) {
      if (eventIds.length === 0) return;
      const at = now();
      await db.transaction().execute(async (trx) => {
        for (const delivery of deliveries) {
          await trx
            .insertInto("webhook_deliveries")
            .values(deliveryValues(delivery, at))
            .onConflict((oc) => oc.columns(["event_id", "hook_id"]).doNothing())
            .execute();
        }
        for (let i = 0; i < eventIds.length; i += CHUNK) {
          await trx
            .updateTable("alert_events")
            .set({ delivered_at: at })
            .where("id", "in", eventIds.slice(i, i + CHUNK))
            .where("delivered_at", "is", null)
            .execute();
        }
      });
    },

    async listUnannouncedScans(limit) {
      const rows = await db
        .selectFrom("scans as s")
        .leftJoin("webhook_scan_events as m", "m.scan_id", "s.id")
        .select(["s.id", "s.repo_id", "s.kind", "s.type", "s.started_at", "s.completed_at"])
        .where("m.scan_id", "is", null)
        .where("s.status", "=", "completed")
        .where("s.kind", "<>", "incremental")
        .orderBy("s.id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        repoId: Number(row.repo_id),
        kind: row.kind,
        type: row.type,
        startedAt: toIsoOrNull(row.started_at),
        completedAt: toIso(row.completed_at ?? row.started_at ?? new Date(0).toISOString()),
      }));
    },

    async enqueueScanDeliveries(scanIds, deliveries) {
      if (scanIds.length === 0) return;
      const at = now();
      await db.transaction().execute(async (trx) => {
        const fresh = await trx
          .insertInto("webhook_scan_events")
          .values(scanIds.map((id) => ({ scan_id: id, created_at: at })))
          .onConflict((oc) => oc.column("scan_id").doNothing())
          .returning("scan_id")
          .execute();
        const announced = new Set(fresh.map((row) => Number(row.scan_id)));
        // A scan another pass announced meanwhile is not delivered twice.
        for (const { scanId, ...delivery } of deliveries) {
          if (announced.has(scanId))
            await trx
              .insertInto("webhook_deliveries")
              .values(deliveryValues({ ...delivery, eventId: null }, at))
              .execute();
        }
      });
    },

    async createDelivery(delivery) {
      const row = await db
        .insertInto("webhook_deliveries")
        .values(deliveryValues(delivery, now()))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDelivery(row);
    },

    async listDueDeliveries(at, limit, exclude) {
      let query = db
        .selectFrom("webhook_deliveries as d")
        .selectAll("d")
        .where("d.status", "=", "pending")
        .where("d.next_attempt_at", "<=", at)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("webhook_deliveries as e")
                .select("e.id")
                .whereRef("e.hook_id", "=", "d.hook_id")
                .whereRef("e.order_key", "=", "d.order_key")
                .where("e.status", "=", "pending")
                .whereRef("e.id", "<", "d.id"),
            ),
          ),
        );
      if (exclude.length > 0) query = query.where("d.id", "not in", [...exclude]);
      const rows = await query.orderBy("d.id").limit(limit).execute();
      return rows.map(toDelivery);
    },

    async beginAttempt(id, retryAt) {
      await db
        .updateTable("webhook_deliveries")
        .set((eb) => ({ attempts: eb("attempts", "+", 1), next_attempt_at: retryAt }))
        .where("id", "=", id)
        .execute();
    },

    async finishAttempt(id, result) {
      const at = now();
      const status: DeliveryStatus = result.ok ? "delivered" : result.retryAt ? "pending" : "failed";
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("webhook_deliveries")
          .set({
            status,
            next_attempt_at: result.retryAt ?? at,
            delivered_at: at,
            duration: result.duration,
            status_code: result.statusCode,
            status_text: result.statusText,
            request_headers: JSON.stringify(result.requestHeaders),
            response_headers: result.responseHeaders ? JSON.stringify(result.responseHeaders) : null,
            response_body: result.responseBody,
          })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new StoreNotFoundError(`no delivery with id ${id}`);
        await trx
          .updateTable("webhooks")
          .set({
            last_response_code: result.statusCode,
            last_response_status: result.ok ? "active" : "failed",
            last_response_message: result.ok ? "OK" : result.statusText,
          })
          .where("id", "=", row.hook_id)
          .execute();
        return toDelivery(row);
      });
    },

    async getDelivery(hookId, id) {
      const row = await db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("hook_id", "=", hookId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toDelivery(row) : null;
    },

    async listDeliveries(hookId, page) {
      let query = db.selectFrom("webhook_deliveries").selectAll().where("hook_id", "=", hookId);
      if (page.beforeId !== undefined) query = query.where("id", "<", page.beforeId);
      const rows = await query.orderBy("id", "desc").limit(page.perPage).execute();
      return rows.map(toDelivery);
    },

    async countDeliveries(status) {
      let query = db.selectFrom("webhook_deliveries").select(sql<number>`count(*)`.as("n"));
      if (status) query = query.where("status", "=", status);
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
  return store;
}

function deliveryValues(delivery: NewDelivery, at: string) {
  return {
    guid: delivery.guid,
    hook_id: delivery.hookId,
    event_id: delivery.eventId ?? null,
    event: delivery.event,
    action: delivery.action,
    repo_id: delivery.repoId,
    order_key: delivery.orderKey,
    status: "pending",
    next_attempt_at: at,
    give_up_at: delivery.giveUpAt ? new Date(delivery.giveUpAt).toISOString() : null,
    redelivery: bit(delivery.redelivery ?? false),
    body: delivery.body,
    created_at: at,
  };
}

function toHook(row: Selectable<WebhooksTable>): Hook {
  return {
    id: Number(row.id),
    kind: row.kind as HookKind,
    settings: row.settings === null || row.settings === undefined ? null : fromJson<SinkSettings>(row.settings),
    scope: row.scope as HookScope,
    repoId: row.repo_id === null ? null : Number(row.repo_id),
    orgId: row.org_id === null ? null : Number(row.org_id),
    url: row.url,
    contentType: row.content_type as HookContentType,
    hasSecret: row.secret_ciphertext !== null,
    insecureSsl: toBool(row.insecure_ssl),
    events: fromJson<HookEvent[]>(row.events),
    active: toBool(row.active),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    lastResponse: {
      code: row.last_response_code,
      status: row.last_response_status,
      message: row.last_response_message,
    },
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): Delivery {
  return {
    id: Number(row.id),
    guid: row.guid,
    hookId: Number(row.hook_id),
    eventId: row.event_id === null ? null : Number(row.event_id),
    event: row.event,
    action: row.action,
    repoId: row.repo_id === null ? null : Number(row.repo_id),
    orderKey: row.order_key,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: toIso(row.next_attempt_at),
    giveUpAt: toIsoOrNull(row.give_up_at),
    redelivery: toBool(row.redelivery),
    createdAt: toIso(row.created_at),
    deliveredAt: toIsoOrNull(row.delivered_at),
    duration: row.duration === null ? null : Number(row.duration),
    statusCode: row.status_code,
    statusText: row.status_text,
    body: row.body,
    requestHeaders: row.request_headers === null ? null : fromJson<Record<string, string>>(row.request_headers),
    responseHeaders: row.response_headers === null ? null : fromJson<Record<string, string>>(row.response_headers),
    responseBody: row.response_body,
  };
}
