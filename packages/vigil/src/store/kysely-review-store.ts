import type { Kysely, Transaction } from "kysely";
import type {
  OrgReviewSettings,
  ReviewRequest,
  ReviewRequestStatus,
  ReviewResponse,
  ReviewResponseStatus,
  ReviewStore,
} from "../alerts/review-store.js";
import { REVIEW_REQUEST_TTL_MS } from "../alerts/review-store.js";
import { bit } from "./row-mapping.js";

interface OrgReviewSettingsTable {
  org_id: number;
  bypass_review: boolean | number;
  dismissal_review: boolean | number;
  updated_at: string | Date;
}

interface ReviewRequestsTable {
  id?: number;
  kind: string;
  repo_id: number;
  number: number;
  requester_id: number;
  placeholder_id: string | null;
  alert_number: number | null;
  secret_type: string;
  reason: string;
  comment: string | null;
  status: string;
  expires_at: string | Date;
  created_at: string | Date;
  updated_at: string | Date;
}

interface ReviewResponsesTable {
  id?: number;
  request_id: number;
  reviewer_id: number;
  status: string;
  message: string;
  created_at: string | Date;
}

interface ReviewTables {
  org_review_settings: OrgReviewSettingsTable;
  review_requests: ReviewRequestsTable;
  review_responses: ReviewResponsesTable;
  push_protection_placeholders: {
    placeholder_id: string;
    used_at: string | Date | null;
    commit_sha: string;
    path: string;
    line: number;
    ref: string;
  };
  alert_events: {
    id?: number;
    alert_id: number;
    repo_id: number;
    action: string;
    actor_id: number | null;
    payload: string;
    created_at: string;
    delivered_at: string | null;
  };
}

type Db = Kysely<ReviewTables> | Transaction<ReviewTables>;
type RequestRow = ReviewRequestsTable & { id: number };

const iso = (value: string | Date): string => new Date(value).toISOString();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shares the alert store's connection, typed with its own tables
export function createReviewStore(options: { db: Kysely<any>; now?: () => Date }): ReviewStore {
  const db = options.db as unknown as Kysely<ReviewTables>;
  const clock = options.now ?? (() => new Date());

  const toResponse = (row: ReviewResponsesTable & { id: number }): ReviewResponse => ({
    id: Number(row.id),
    requestId: Number(row.request_id),
    reviewerId: row.reviewer_id,
    status: row.status as ReviewResponseStatus,
    message: row.message,
    createdAt: iso(row.created_at),
  });

  async function hydrate(q: Db, rows: RequestRow[]): Promise<ReviewRequest[]> {
    if (rows.length === 0) return [];
    const responses = await q
      .selectFrom("review_responses")
      .selectAll()
      .where(
        "request_id",
        "in",
        rows.map((r) => Number(r.id)),
      )
      .orderBy("id")
      .execute();
    const placeholderIds = rows.flatMap((r) => (r.placeholder_id ? [r.placeholder_id] : []));
    const placeholders = new Map(
      (placeholderIds.length > 0
        ? await q
            .selectFrom("push_protection_placeholders")
            .select(["placeholder_id", "commit_sha", "path", "line", "ref"])
            .where("placeholder_id", "in", placeholderIds)
            .execute()
        : []
      ).map((p) => [p.placeholder_id, { path: `/${p.path}:${p.line}:0`, branch: p.ref, commit: p.commit_sha }]),
    );
    return rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind as ReviewRequest["kind"],
      repoId: row.repo_id,
      // A dismissal request is named by its alert (its row number only orders the repository's requests).
      number: row.kind === "dismissal" && row.alert_number !== null ? row.alert_number : row.number,
      requesterId: row.requester_id,
      placeholderId: row.placeholder_id,
      alertNumber: row.alert_number,
      placeholder: row.placeholder_id ? (placeholders.get(row.placeholder_id) ?? null) : null,
      secretType: row.secret_type,
      reason: row.reason as ReviewRequest["reason"],
      comment: row.comment,
      status: row.status as ReviewRequestStatus,
      expiresAt: iso(row.expires_at),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      responses: responses
        .filter((r) => Number(r.request_id) === Number(row.id))
        .map((r) => toResponse(r as ReviewResponsesTable & { id: number })),
    }));
  }

  /** Statuses that follow from time and pushes: pending past its time is expired; an approved bypass whose secret was pushed is completed. */
  async function refresh(q: Db): Promise<void> {
    const now = clock().toISOString();
    await q
      .updateTable("review_requests")
      .set({ status: "expired", updated_at: now })
      .where("status", "=", "pending")
      .where("expires_at", "<=", now)
      .execute();
    await q
      .updateTable("review_requests")
      .set({ status: "completed", updated_at: now })
      .where("kind", "=", "bypass")
      .where("status", "=", "approved")
      .where(
        "placeholder_id",
        "in",
        q.selectFrom("push_protection_placeholders").select("placeholder_id").where("used_at", "is not", null),
      )
      .execute();
  }

  async function byId(q: Db, id: number): Promise<ReviewRequest> {
    const row = (await q
      .selectFrom("review_requests")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow()) as RequestRow;
    return (await hydrate(q, [row]))[0]!;
  }

  return {
    async getOrgReviewSettings(orgId) {
      const row = await db.selectFrom("org_review_settings").selectAll().where("org_id", "=", orgId).executeTakeFirst();
      return { bypassReview: Boolean(row?.bypass_review), dismissalReview: Boolean(row?.dismissal_review) };
    },

    async setOrgReviewSettings(orgId, patch) {
      const current = await this.getOrgReviewSettings(orgId);
      const next: OrgReviewSettings = { ...current, ...patch };
      const values = {
        org_id: orgId,
        bypass_review: bit(next.bypassReview),
        dismissal_review: bit(next.dismissalReview),
        updated_at: clock().toISOString(),
      };
      await db
        .insertInto("org_review_settings")
        .values(values)
        .onConflict((oc) =>
          oc.column("org_id").doUpdateSet({
            bypass_review: values.bypass_review,
            dismissal_review: values.dismissal_review,
            updated_at: values.updated_at,
          }),
        )
        .execute();
      return next;
    },

    async createRequest(input) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.transaction().execute(async (trx) => {
            await refresh(trx);
            let pending = trx
              .selectFrom("review_requests")
              .selectAll()
              .where("kind", "=", input.kind)
              .where("repo_id", "=", input.repoId)
              // An approved bypass needs no second request; a denied or expired one may be asked again.
              .where("status", "in", input.kind === "bypass" ? ["pending", "approved"] : ["pending"]);
            pending =
              input.kind === "bypass"
                ? pending.where("placeholder_id", "=", input.placeholderId ?? "")
                : pending.where("alert_number", "=", input.alertNumber ?? -1);
            const existing = (await pending.executeTakeFirst()) as RequestRow | undefined;
            if (existing) return { request: (await hydrate(trx, [existing]))[0]!, created: false };
            const last = await trx
              .selectFrom("review_requests")
              .select((eb) => eb.fn.max("number").as("n"))
              .where("repo_id", "=", input.repoId)
              .where("kind", "=", input.kind)
              .executeTakeFirst();
            const at = clock();
            const inserted = await trx
              .insertInto("review_requests")
              .values({
                kind: input.kind,
                repo_id: input.repoId,
                number: Number(last?.n ?? 0) + 1,
                requester_id: input.requesterId,
                placeholder_id: input.placeholderId ?? null,
                alert_number: input.alertNumber ?? null,
                secret_type: input.secretType,
                reason: input.reason,
                comment: input.comment,
                status: "pending",
                expires_at: new Date(at.getTime() + REVIEW_REQUEST_TTL_MS).toISOString(),
                created_at: at.toISOString(),
                updated_at: at.toISOString(),
              })
              .returning("id")
              .executeTakeFirstOrThrow();
            return { request: await byId(trx, Number(inserted.id)), created: true };
          });
        } catch (error) {
          // Two requests numbered at once: the unique index refuses one; number it again.
          if (attempt < 3 && /unique|duplicate/i.test((error as Error).message)) continue;
          throw error;
        }
      }
    },

    async getRequest(kind, repoId, number) {
      await refresh(db);
      const column = kind === "bypass" ? "number" : "alert_number";
      const row = (await db
        .selectFrom("review_requests")
        .selectAll()
        .where("kind", "=", kind)
        .where("repo_id", "=", repoId)
        .where(column, "=", number)
        .orderBy("id", "desc")
        .executeTakeFirst()) as RequestRow | undefined;
      return row ? (await hydrate(db, [row]))[0]! : null;
    },

    async listRequests(filter) {
      await refresh(db);
      if (filter.repoIds.length === 0) return { requests: [], total: 0 };
      let query = db
        .selectFrom("review_requests")
        .where("kind", "=", filter.kind)
        .where("repo_id", "in", filter.repoIds);
      if (filter.requesterId !== undefined) query = query.where("requester_id", "=", filter.requesterId);
      if (filter.placeholderId !== undefined) query = query.where("placeholder_id", "=", filter.placeholderId);
      if (filter.reviewerId !== undefined) {
        query = query.where(
          "id",
          "in",
          db.selectFrom("review_responses").select("request_id").where("reviewer_id", "=", filter.reviewerId),
        );
      }
      if (filter.since) query = query.where("created_at", ">=", filter.since);
      if (filter.statuses) query = query.where("status", "in", filter.statuses.length > 0 ? filter.statuses : [""]);
      const count = await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
      const rows = (await query
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(filter.perPage)
        .offset((filter.page - 1) * filter.perPage)
        .execute()) as RequestRow[];
      return { requests: await hydrate(db, rows), total: Number(count?.n ?? 0) };
    },

    async respond(requestId, reviewerId, status, message) {
      return db.transaction().execute(async (trx) => {
        await refresh(trx);
        const now = clock().toISOString();
        const updated = await trx
          .updateTable("review_requests")
          .set({ status, updated_at: now })
          .where("id", "=", requestId)
          .where("status", "=", "pending")
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return null;
        const inserted = await trx
          .insertInto("review_responses")
          .values({ request_id: requestId, reviewer_id: reviewerId, status, message, created_at: now })
          .returning("id")
          .executeTakeFirstOrThrow();
        const request = await byId(trx, requestId);
        return { request, response: request.responses.find((r) => r.id === Number(inserted.id))! };
      });
    },

    async getResponse(responseId) {
      await refresh(db);
      const row = await db.selectFrom("review_responses").selectAll().where("id", "=", responseId).executeTakeFirst();
      if (!row) return null;
      return {
        ...toResponse(row as ReviewResponsesTable & { id: number }),
        request: await byId(db, Number(row.request_id)),
      };
    },

    async dismissResponse(responseId) {
      return db.transaction().execute(async (trx) => {
        const now = clock();
        const row = await trx
          .selectFrom("review_responses")
          .selectAll()
          .where("id", "=", responseId)
          .executeTakeFirstOrThrow();
        await trx.updateTable("review_responses").set({ status: "dismissed" }).where("id", "=", responseId).execute();
        // The decision this response made is withdrawn: the request waits for a review again, unless its time is up.
        const request = await trx
          .selectFrom("review_requests")
          .selectAll()
          .where("id", "=", Number(row.request_id))
          .executeTakeFirstOrThrow();
        if (
          row.status !== "dismissed" &&
          (request.status === "approved" || request.status === "denied") &&
          request.status === row.status
        ) {
          const status = new Date(request.expires_at).getTime() <= now.getTime() ? "expired" : "pending";
          await trx
            .updateTable("review_requests")
            .set({ status, updated_at: now.toISOString() })
            .where("id", "=", Number(row.request_id))
            .execute();
        }
        return byId(trx, Number(row.request_id));
      });
    },

    async recordBypassEvents(placeholderId, alerts) {
      if (alerts.length === 0) return;
      const row = (await db
        .selectFrom("review_requests")
        .selectAll()
        .where("kind", "=", "bypass")
        .where("placeholder_id", "=", placeholderId)
        .where("status", "in", ["approved", "completed"])
        .orderBy("id", "desc")
        .executeTakeFirst()) as RequestRow | undefined;
      if (!row) return;
      const request = (await hydrate(db, [row]))[0]!;
      const approval = [...request.responses].reverse().find((r) => r.status === "approved");
      for (const alert of alerts) {
        await this.recordAlertEvent(alert, "bypass_requested", request.requesterId, {
          request_number: request.number,
          reason: request.reason,
          comment: request.comment,
          requested_at: request.createdAt,
        });
        if (approval)
          await this.recordAlertEvent(alert, "bypass_approved", approval.reviewerId, {
            request_number: request.number,
            message: approval.message,
            approved_at: approval.createdAt,
          });
      }
    },

    async recordAlertEvent(alert, action, actorId, payload) {
      const now = clock().toISOString();
      // Timeline only: GitHub announces these as exemption-request webhooks, not secret_scanning_alert ones.
      await db
        .insertInto("alert_events")
        .values({
          alert_id: alert.id,
          repo_id: alert.repoId,
          action,
          actor_id: actorId,
          payload: JSON.stringify(payload),
          created_at: now,
          delivered_at: now,
        })
        .execute();
    },
  };
}
