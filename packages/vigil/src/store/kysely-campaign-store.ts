import type { Kysely } from "kysely";
import type {
  Campaign,
  CampaignFilters,
  CampaignStore,
  ForgeConnection,
  ForgeKind,
  OutreachRecord,
} from "../campaigns/campaign-store.js";
import { StoreConflictError, StoreNotFoundError } from "../alerts/alert-store.js";
import { bit } from "./row-mapping.js";
import type { SecretBox } from "./secret-box.js";

type Time = string | Date;

interface CampaignTables {
  campaigns: {
    id?: number;
    org_id: number;
    name: string;
    description: string | null;
    owner_id: number | null;
    ends_at: string | null;
    filters: string;
    state: string;
    created_by: number | null;
    created_at: Time;
    updated_at: Time;
  };
  campaign_alerts: { campaign_id: number; alert_id: number; repo_id: number; alert_number: number; added_at: Time };
  org_playbooks: { org_id: number; secret_type: string; body: string; updated_by: number | null; updated_at: Time };
  campaign_outreach: {
    id?: number;
    campaign_id: number;
    repo_id: number;
    channel: string;
    issue_number: number | null;
    url: string | null;
    body_hash: string;
    state: string;
    created_at: Time;
    updated_at: Time;
  };
  forge_connections: {
    org_id: number;
    kind: string;
    api_url: string;
    sealed_token: string;
    namespace: string | null;
    updated_by: number | null;
    updated_at: Time;
  };
  auto_remediation_settings: {
    org_id: number;
    secret_type: string;
    enabled: boolean | number;
    updated_by: number | null;
    updated_at: Time;
  };
  repo_members: { repo_id: number; user_id: number; role: string };
  users: { id: number; login: string };
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

const iso = (value: Time): string => new Date(value).toISOString();

function toCampaign(row: CampaignTables["campaigns"]): Campaign {
  return {
    id: Number(row.id),
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    ownerId: row.owner_id,
    endsAt: row.ends_at,
    filters: JSON.parse(row.filters) as CampaignFilters,
    state: row.state as Campaign["state"],
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toOutreach(row: CampaignTables["campaign_outreach"]): OutreachRecord {
  return {
    id: Number(row.id),
    campaignId: row.campaign_id,
    repoId: row.repo_id,
    channel: row.channel,
    issueNumber: row.issue_number === null ? null : Number(row.issue_number),
    url: row.url,
    bodyHash: row.body_hash,
    state: row.state as OutreachRecord["state"],
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toForge(row: CampaignTables["forge_connections"]): ForgeConnection {
  return { orgId: row.org_id, kind: row.kind as ForgeKind, apiUrl: row.api_url, namespace: row.namespace, updatedAt: iso(row.updated_at) };
}

/** Unique-index violations of both drivers. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === "23505" || e.code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(e.message ?? "");
}

export function createCampaignStore(options: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shares the alert store's connection, typed with its own tables
  db: Kysely<any>;
  secretBox: SecretBox;
  now?: () => Date;
}): CampaignStore {
  const db = options.db as unknown as Kysely<CampaignTables>;
  const clock = options.now ?? (() => new Date());
  const { secretBox } = options;

  return {
    async createCampaign(input) {
      const now = clock().toISOString();
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto("campaigns")
            .values({
              org_id: input.orgId,
              name: input.name,
              description: input.description,
              owner_id: input.ownerId,
              ends_at: input.endsAt,
              filters: JSON.stringify(input.filters),
              state: "open",
              created_by: input.createdBy,
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const id = Number(row.id);
          // Chunks keep each insert under SQLite's bound-parameter limit.
          for (let i = 0; i < input.alerts.length; i += 200) {
            await trx
              .insertInto("campaign_alerts")
              .values(input.alerts.slice(i, i + 200).map((a) => ({ campaign_id: id, alert_id: a.alertId, repo_id: a.repoId, alert_number: a.alertNumber, added_at: now })))
              .execute();
          }
          return toCampaign(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreConflictError(`a campaign named "${input.name}" already exists in this organization`);
        throw error;
      }
    },

    async getCampaign(orgId, id) {
      const row = await db.selectFrom("campaigns").selectAll().where("org_id", "=", orgId).where("id", "=", id).executeTakeFirst();
      return row ? toCampaign(row) : null;
    },

    async listCampaigns(orgId) {
      const rows = await db.selectFrom("campaigns").selectAll().where("org_id", "=", orgId).orderBy("id", "desc").execute();
      return rows.map(toCampaign);
    },

    async updateCampaign(id, patch) {
      const set: Partial<CampaignTables["campaigns"]> = { updated_at: clock().toISOString() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.ownerId !== undefined) set.owner_id = patch.ownerId;
      if (patch.endsAt !== undefined) set.ends_at = patch.endsAt;
      if (patch.state !== undefined) set.state = patch.state;
      try {
        const row = await db.updateTable("campaigns").set(set).where("id", "=", id).returningAll().executeTakeFirst();
        if (!row) throw new StoreNotFoundError(`campaign ${id} does not exist`);
        return toCampaign(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new StoreConflictError(`a campaign named "${patch.name ?? ""}" already exists in this organization`);
        throw error;
      }
    },

    async deleteCampaign(id) {
      const result = await db.deleteFrom("campaigns").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async listCampaignAlerts(campaignId) {
      const rows = await db
        .selectFrom("campaign_alerts")
        .select(["alert_id", "repo_id", "alert_number", "added_at"])
        .where("campaign_id", "=", campaignId)
        .orderBy("alert_id")
        .execute();
      return rows.map((r) => ({ alertId: Number(r.alert_id), repoId: r.repo_id, alertNumber: Number(r.alert_number), addedAt: iso(r.added_at) }));
    },

    async getPlaybook(orgId, secretType) {
      const row = await db
        .selectFrom("org_playbooks")
        .select(["body", "updated_at"])
        .where("org_id", "=", orgId)
        .where("secret_type", "=", secretType)
        .executeTakeFirst();
      return row ? { body: row.body, updatedAt: iso(row.updated_at) } : null;
    },

    async setPlaybook(orgId, secretType, body, userId) {
      if (body === null) {
        await db.deleteFrom("org_playbooks").where("org_id", "=", orgId).where("secret_type", "=", secretType).execute();
        return;
      }
      const now = clock().toISOString();
      await db
        .insertInto("org_playbooks")
        .values({ org_id: orgId, secret_type: secretType, body, updated_by: userId, updated_at: now })
        .onConflict((oc) => oc.columns(["org_id", "secret_type"]).doUpdateSet({ body, updated_by: userId, updated_at: now }))
        .execute();
    },

    async listOutreach(campaignId) {
      const rows = await db.selectFrom("campaign_outreach").selectAll().where("campaign_id", "=", campaignId).orderBy("id").execute();
      return rows.map(toOutreach);
    },

    async getOutreach(campaignId, repoId, channel) {
      const row = await db
        .selectFrom("campaign_outreach")
        .selectAll()
        .where("campaign_id", "=", campaignId)
        .where("repo_id", "=", repoId)
        .where("channel", "=", channel)
        .executeTakeFirst();
      return row ? toOutreach(row) : null;
    },

    async saveOutreach(input) {
      const now = clock().toISOString();
      const values = {
        campaign_id: input.campaignId,
        repo_id: input.repoId,
        channel: input.channel,
        issue_number: input.issueNumber,
        url: input.url,
        body_hash: input.bodyHash,
        state: input.state,
        created_at: now,
        updated_at: now,
      };
      const row = await db
        .insertInto("campaign_outreach")
        .values(values)
        .onConflict((oc) =>
          oc.columns(["campaign_id", "repo_id", "channel"]).doUpdateSet({
            issue_number: input.issueNumber,
            url: input.url,
            body_hash: input.bodyHash,
            state: input.state,
            updated_at: now,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOutreach(row);
    },

    async getForgeConnection(orgId) {
      const row = await db.selectFrom("forge_connections").selectAll().where("org_id", "=", orgId).executeTakeFirst();
      return row ? toForge(row) : null;
    },

    async getForgeToken(orgId) {
      const row = await db.selectFrom("forge_connections").select("sealed_token").where("org_id", "=", orgId).executeTakeFirst();
      return row ? secretBox.open(row.sealed_token) : null;
    },

    async setForgeConnection(orgId, input, userId) {
      const now = clock().toISOString();
      const values = {
        kind: input.kind,
        api_url: input.apiUrl,
        sealed_token: secretBox.seal(input.token),
        namespace: input.namespace,
        updated_by: userId,
        updated_at: now,
      };
      const row = await db
        .insertInto("forge_connections")
        .values({ org_id: orgId, ...values })
        .onConflict((oc) => oc.column("org_id").doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toForge(row);
    },

    async deleteForgeConnection(orgId) {
      const result = await db.deleteFrom("forge_connections").where("org_id", "=", orgId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async listAutoRemediation(orgId) {
      const rows = await db
        .selectFrom("auto_remediation_settings")
        .selectAll()
        .where("org_id", "=", orgId)
        .orderBy("secret_type")
        .execute();
      return rows.map((r) => ({ secretType: r.secret_type, enabled: r.enabled === true || r.enabled === 1, updatedAt: iso(r.updated_at) }));
    },

    async setAutoRemediation(orgId, secretType, enabled, userId) {
      const now = clock().toISOString();
      await db
        .insertInto("auto_remediation_settings")
        .values({ org_id: orgId, secret_type: secretType, enabled: bit(enabled), updated_by: userId, updated_at: now })
        .onConflict((oc) => oc.columns(["org_id", "secret_type"]).doUpdateSet({ enabled: bit(enabled), updated_by: userId, updated_at: now }))
        .execute();
    },

    async listRepositoryAdmins(repoId) {
      const rows = await db
        .selectFrom("repo_members")
        .innerJoin("users", "users.id", "repo_members.user_id")
        .select("users.login")
        .where("repo_members.repo_id", "=", repoId)
        .where("repo_members.role", "=", "admin")
        .orderBy("users.login")
        .execute();
      return rows.map((r) => r.login);
    },

    async recordAlertEvent(alert, action, actorId, payload) {
      const now = clock().toISOString();
      // Timeline only: GitHub has no webhook action for these (the resolution itself is one).
      await db
        .insertInto("alert_events")
        .values({ alert_id: alert.id, repo_id: alert.repoId, action, actor_id: actorId, payload: JSON.stringify(payload), created_at: now, delivered_at: now })
        .execute();
    },
  };
}
