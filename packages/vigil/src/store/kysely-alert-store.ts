import { createHash } from "node:crypto";
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
import {
  StoreConflictError,
  StoreInputError,
  StoreNotFoundError,
  StoreUnchangedError,
  type AlertChange,
  type AlertPage,
  type AlertQuery,
  type AlertStore,
  type RecordOptions,
  type RecordResult,
} from "../alerts/alert-store.js";
import type {
  Alert,
  AlertEvent,
  AlertLocation,
  DetectedSecret,
  OrgRole,
  Repository,
  RepoRole,
  ScanRecord,
} from "../alerts/types.js";
import { urlCredentials } from "../alerts/mask-url.js";
import { isValidLogin, isValidRepositoryName, loginProblem, printableName, repositoryNameProblem } from "../alerts/names.js";
import type { DialectName } from "./database.js";
import {
  bit,
  toAlert,
  toBool,
  toEvent,
  toLocation,
  toOrganization,
  toRepository,
  toScan,
  toTokenRecord,
  toUser,
  type AlertRow,
} from "./row-mapping.js";
import { enqueuePartnerReports } from "./kysely-partner-store.js";
import type { SecretBox } from "./secret-box.js";
import type { Database } from "./tables.js";
import { generateToken, hashToken, isWellFormedToken, TOKEN_DISPLAY_PREFIX_LENGTH } from "./token-format.js";

export interface AlertStoreOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  secretBox: SecretBox;
  /** The clock; tests pass their own. */
  now?: () => Date;
  /**
   * SQLite: matches above which a listing over several repositories walks the time index instead of
   * sorting the matches (default 2000). Tests set 0 to exercise that path on small data.
   */
  timeOrderThreshold?: number;
}

type Db = Kysely<Database> | Transaction<Database>;
type EventAction = AlertEvent["action"];

/** `last_used_at` is written at most this often per token, so that reading the API is not a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;
/** Matches above which SQLite lists many repositories' alerts by walking the time index (see `filterOf`). */
const TIME_ORDER_THRESHOLD = 2000;
/** Bound parameters per `IN (...)` list, well under SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

/**
 * The `AlertStore` over SQLite or PostgreSQL, one implementation for both. Every mutating method runs
 * in one transaction together with its event rows. Per-repository alert numbers come from
 * `repo_alert_counters`, whose row a writer locks first (`FOR UPDATE` on PostgreSQL; SQLite write
 * transactions are exclusive): writers to one repository are serialised, so deduplication and
 * numbering hold under concurrency. On PostgreSQL a transaction-scoped advisory lock per secret hash
 * makes `multi_repo` exact when two repositories record the same secret at once.
 */
/** Offset pagination counts at most this many matches for `rel="last"` (see listAlerts). */
export const COUNT_LIMIT = 10_000;

export function createAlertStore(options: AlertStoreOptions): AlertStore {
  const { db, dialect, secretBox } = options;
  const clock = options.now ?? (() => new Date());
  const now = (): string => clock().toISOString();
  const postgres = dialect === "postgres";
  const timeOrderThreshold = options.timeOrderThreshold ?? TIME_ORDER_THRESHOLD;

  const transaction = <T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> =>
    db.transaction().execute(work);

  const selectAlerts = (from: Db) =>
    from
      .selectFrom("alerts as a")
      .leftJoin("alert_locations as l", "l.id", "a.first_location_id")
      .selectAll("a")
      .select(["l.id as loc_id", "l.type as loc_type", "l.details as loc_details", "l.created_at as loc_created_at"]);

  const selectRepositories = (from: Db) =>
    from
      .selectFrom("repositories as r")
      .innerJoin("organizations as o", "o.id", "r.org_id")
      .leftJoin("repository_sources as rs", "rs.repo_id", "r.id")
      .selectAll("r")
      .select(["o.login as owner_login", "rs.sealed_url as sealed_source_url"]);

  /** A repository row with its mirror URL: the sealed one (with credentials) when there is one, else the stored one. */
  const mapRepository = (row: Parameters<typeof toRepository>[0] & { sealed_source_url: string | null }): Repository => {
    const repo = toRepository(row);
    return row.sealed_source_url === null ? repo : { ...repo, sourceUrl: secretBox.open(row.sealed_source_url) };
  };

  /** Stores a mirror URL: one with a password or token is sealed, and the row keeps it masked. */
  async function writeSourceUrl(trx: Db, repoId: number, sourceUrl: string | null): Promise<void> {
    const credentials = sourceUrl === null ? null : urlCredentials(sourceUrl);
    await trx.updateTable("repositories").set({ source_url: credentials ? credentials.masked : null }).where("id", "=", repoId).execute();
    await trx.deleteFrom("repository_sources").where("repo_id", "=", repoId).execute();
    if (sourceUrl !== null && credentials?.hasSecret) {
      await trx.insertInto("repository_sources").values({ repo_id: repoId, sealed_url: secretBox.seal(sourceUrl) }).execute();
    }
  }

  const mapAlert = (row: AlertRow): Alert => toAlert(row, secretBox);

  async function alertById(from: Db, id: number): Promise<Alert> {
    const row = await selectAlerts(from).where("a.id", "=", id).executeTakeFirstOrThrow();
    return mapAlert(row);
  }

  async function alertsByIds(from: Db, ids: number[]): Promise<Alert[]> {
    const alerts: Alert[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await selectAlerts(from)
        .where("a.id", "in", ids.slice(i, i + CHUNK))
        .orderBy("a.id")
        .execute();
      alerts.push(...rows.map((row) => mapAlert(row as AlertRow)));
    }
    return alerts;
  }

  async function insertEvent(
    trx: Db,
    alert: Alert,
    action: EventAction,
    actorId: number | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await trx
      .insertInto("alert_events")
      .values({
        alert_id: alert.id,
        repo_id: alert.repoId,
        action,
        actor_id: actorId,
        payload: JSON.stringify({ ...extra, alert: eventSnapshot(alert) }),
        created_at: now(),
      })
      .execute();
  }

  /** Creates the repository's counter row if needed and, on PostgreSQL, locks it until the transaction ends. */
  async function lockRepository(trx: Transaction<Database>, repoId: number): Promise<void> {
    await trx
      .insertInto("repo_alert_counters")
      .values({ repo_id: repoId, last_number: 0 })
      .onConflict((oc) => oc.column("repo_id").doNothing())
      .execute();
    if (postgres)
      await trx
        .selectFrom("repo_alert_counters")
        .select("last_number")
        .where("repo_id", "=", repoId)
        .forUpdate()
        .execute();
  }

  async function nextAlertNumber(trx: Transaction<Database>, repoId: number): Promise<number> {
    const row = await trx
      .updateTable("repo_alert_counters")
      .set((eb) => ({ last_number: eb("last_number", "+", 1) }))
      .where("repo_id", "=", repoId)
      .returning("last_number")
      .executeTakeFirstOrThrow();
    return Number(row.last_number);
  }

  async function findRepository(from: Db, id: number): Promise<Repository | null> {
    const row = await selectRepositories(from).where("r.id", "=", id).executeTakeFirst();
    return row ? mapRepository(row) : null;
  }

  const store: AlertStore = {
    // --- users and tokens ---------------------------------------------------------------------
    async createUser(input) {
      const problem = loginProblem(input.login);
      if (problem) throw new StoreInputError(`invalid user login "${printableName(input.login)}": ${problem}`);
      try {
        const row = await db
          .insertInto("users")
          .values({
            login: input.login,
            name: input.name ?? null,
            email: input.email ?? null,
            site_admin: bit(input.siteAdmin ?? false),
            created_at: now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new StoreConflictError(`a user with the login ${input.login} already exists`);
        throw error;
      }
    },

    async getUserById(id) {
      const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async getUserByLogin(login) {
      // A string that cannot be a login names no one (and a NUL byte never reaches PostgreSQL).
      if (!isValidLogin(login)) return null;
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where(sql`lower(login)`, "=", sql`lower(${login})`)
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },

    async listUsers() {
      const rows = await db.selectFrom("users").selectAll().orderBy("id").execute();
      return rows.map(toUser);
    },

    async createToken(input) {
      const token = generateToken();
      const row = await db
        .insertInto("tokens")
        .values({
          user_id: input.userId,
          token_hash: hashToken(token),
          prefix: token.slice(0, TOKEN_DISPLAY_PREFIX_LENGTH),
          scopes: JSON.stringify([...new Set(input.scopes)]),
          note: input.note ?? null,
          created_at: now(),
          expires_at: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { token, record: toTokenRecord(row) };
    },

    async authenticateToken(token) {
      if (!isWellFormedToken(token)) return null;
      const tokenRow = await db
        .selectFrom("tokens")
        .selectAll()
        .where("token_hash", "=", hashToken(token))
        .executeTakeFirst();
      if (!tokenRow) return null;
      const record = toTokenRecord(tokenRow);
      const at = clock();
      if (record.revokedAt !== null) return null;
      if (record.expiresAt !== null && Date.parse(record.expiresAt) <= at.getTime()) return null;
      const userRow = await db.selectFrom("users").selectAll().where("id", "=", record.userId).executeTakeFirst();
      if (!userRow) return null;
      if (record.lastUsedAt === null || at.getTime() - Date.parse(record.lastUsedAt) >= LAST_USED_GRANULARITY_MS) {
        record.lastUsedAt = at.toISOString();
        await db.updateTable("tokens").set({ last_used_at: record.lastUsedAt }).where("id", "=", record.id).execute();
      }
      return { user: toUser(userRow), token: record };
    },

    async findToken(token) {
      if (!isWellFormedToken(token)) return null;
      const tokenRow = await db.selectFrom("tokens").selectAll().where("token_hash", "=", hashToken(token)).executeTakeFirst();
      if (!tokenRow) return null;
      const userRow = await db.selectFrom("users").selectAll().where("id", "=", tokenRow.user_id).executeTakeFirst();
      return userRow ? { user: toUser(userRow), token: toTokenRecord(tokenRow) } : null;
    },

    async revokeToken(tokenId) {
      const result = await db
        .updateTable("tokens")
        .set({ revoked_at: now() })
        .where("id", "=", tokenId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        const exists = await db.selectFrom("tokens").select("id").where("id", "=", tokenId).executeTakeFirst();
        if (!exists) throw new StoreNotFoundError(`no token with id ${tokenId}`);
      }
    },

    async listTokens(filter) {
      let query = db.selectFrom("tokens").selectAll().orderBy("id");
      if (filter?.userId !== undefined) query = query.where("user_id", "=", filter.userId);
      return (await query.execute()).map(toTokenRecord);
    },

    async getToken(tokenId) {
      const row = await db.selectFrom("tokens").selectAll().where("id", "=", tokenId).executeTakeFirst();
      return row ? toTokenRecord(row) : null;
    },

    // --- organizations, repositories, roles --------------------------------------------------
    async ensureOrganization(login) {
      return transaction(async (trx) => ensureOrganizationIn(trx, login));
    },

    async getOrganization(login) {
      if (!isValidLogin(login)) return null;
      const row = await db
        .selectFrom("organizations")
        .selectAll()
        .where(sql`lower(login)`, "=", sql`lower(${login})`)
        .executeTakeFirst();
      return row ? toOrganization(row) : null;
    },

    async getOrganizationById(id) {
      const row = await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toOrganization(row) : null;
    },

    async listOrganizations() {
      const rows = await db.selectFrom("organizations").selectAll().orderBy("id").execute();
      return rows.map(toOrganization);
    },

    async updateOrganization(id, patch) {
      const set: {
        secret_scanning_enabled?: number;
        push_protection_enabled?: number;
        push_protection_custom_link?: string | null;
      } = {};
      if (patch.secretScanningEnabled !== undefined) set.secret_scanning_enabled = bit(patch.secretScanningEnabled);
      if (patch.pushProtectionEnabled !== undefined) set.push_protection_enabled = bit(patch.pushProtectionEnabled);
      if (patch.pushProtectionCustomLink !== undefined)
        set.push_protection_custom_link = patch.pushProtectionCustomLink;
      const row =
        Object.keys(set).length > 0
          ? await db.updateTable("organizations").set(set).where("id", "=", id).returningAll().executeTakeFirst()
          : await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) throw new StoreNotFoundError(`no organization with id ${id}`);
      return toOrganization(row);
    },

    async createRepository(input) {
      const problem = repositoryNameProblem(input.name);
      if (problem) throw new StoreInputError(`invalid repository name "${printableName(input.name)}": ${problem}`);
      try {
        return await transaction(async (trx) => {
          const org = await ensureOrganizationIn(trx, input.owner);
          const { id } = await trx
            .insertInto("repositories")
            .values({
              org_id: org.id,
              name: input.name,
              source_url: input.sourceUrl === null ? null : urlCredentials(input.sourceUrl).masked,
              mirror_path: input.mirrorPath,
              // A new repository takes its organization's settings, as GitHub's "enable for new repositories".
              secret_scanning_enabled: bit(org.secretScanningEnabled),
              push_protection_enabled: bit(org.pushProtectionEnabled),
              created_at: now(),
              is_public: bit(input.isPublic ?? false),
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          await trx
            .insertInto("repo_alert_counters")
            .values({ repo_id: Number(id), last_number: 0 })
            .execute();
          await writeSourceUrl(trx, Number(id), input.sourceUrl);
          return (await findRepository(trx, Number(id)))!;
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new StoreConflictError(`the repository ${input.owner}/${input.name} already exists`);
        throw error;
      }
    },

    async getRepository(owner, name) {
      if (!isValidLogin(owner) || !isValidRepositoryName(name)) return null;
      const row = await selectRepositories(db)
        .where(sql`lower(o.login)`, "=", sql`lower(${owner})`)
        .where(sql`lower(r.name)`, "=", sql`lower(${name})`)
        .executeTakeFirst();
      return row ? mapRepository(row) : null;
    },

    async getRepositoryById(id) {
      return findRepository(db, id);
    },

    async listRepositories(filter) {
      let query = selectRepositories(db).orderBy("r.id");
      if (filter?.orgId !== undefined) query = query.where("r.org_id", "=", filter.orgId);
      const rows = await query.execute();
      return rows.map(mapRepository);
    },

    async updateRepository(id, patch) {
      const set: {
        secret_scanning_enabled?: number;
        push_protection_enabled?: number;
        web_url_template?: string | null;
        mirror_error?: string | null;
        mirror_failed_at?: string | null;
        is_public?: number;
      } = {};
      if (patch.secretScanningEnabled !== undefined) set.secret_scanning_enabled = bit(patch.secretScanningEnabled);
      if (patch.pushProtectionEnabled !== undefined) set.push_protection_enabled = bit(patch.pushProtectionEnabled);
      if (patch.webUrlTemplate !== undefined) set.web_url_template = patch.webUrlTemplate;
      if (patch.mirrorError !== undefined) set.mirror_error = patch.mirrorError;
      if (patch.mirrorFailedAt !== undefined)
        set.mirror_failed_at = patch.mirrorFailedAt === null ? null : new Date(patch.mirrorFailedAt).toISOString();
      if (patch.isPublic !== undefined) set.is_public = bit(patch.isPublic);
      const sourceUrl = patch.sourceUrl;
      if (Object.keys(set).length > 0 || sourceUrl !== undefined) {
        await transaction(async (trx) => {
          if (Object.keys(set).length > 0) await trx.updateTable("repositories").set(set).where("id", "=", id).execute();
          if (sourceUrl !== undefined) await writeSourceUrl(trx, id, sourceUrl);
          // A repository made public has leaked every secret in it.
          if (patch.isPublic === true) {
            const rows = await trx.selectFrom("alerts").select("secret_hash").where("repo_id", "=", id).execute();
            await leakPublicly(trx, [...new Set(rows.map((r) => r.secret_hash))], null);
          }
        });
      }
      const repo = await findRepository(db, id);
      if (!repo) throw new StoreNotFoundError(`no repository with id ${id}`);
      return repo;
    },

    async deleteRepository(id) {
      await transaction(async (trx) => {
        // Every table that refers to a repository does so with ON DELETE CASCADE (alerts and their
        // locations and events, scans, roles, counters, push-protection records): one statement.
        const result = await trx.deleteFrom("repositories").where("id", "=", id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) throw new StoreNotFoundError(`no repository with id ${id}`);
      });
    },

    async setOrgRole(orgId, userId, role) {
      if (role === null) {
        await db.deleteFrom("org_members").where("org_id", "=", orgId).where("user_id", "=", userId).execute();
        return;
      }
      await db
        .insertInto("org_members")
        .values({ org_id: orgId, user_id: userId, role })
        .onConflict((oc) => oc.columns(["org_id", "user_id"]).doUpdateSet({ role }))
        .execute();
    },

    async setRepoRole(repoId, userId, role) {
      if (role === null) {
        await db.deleteFrom("repo_members").where("repo_id", "=", repoId).where("user_id", "=", userId).execute();
        return;
      }
      await db
        .insertInto("repo_members")
        .values({ repo_id: repoId, user_id: userId, role })
        .onConflict((oc) => oc.columns(["repo_id", "user_id"]).doUpdateSet({ role }))
        .execute();
    },

    async getOrgRole(userId, orgId) {
      const row = await db
        .selectFrom("org_members")
        .select("role")
        .where("org_id", "=", orgId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return row ? (row.role as OrgRole) : null;
    },

    async getRoles(userId, repoId) {
      const row = await db
        .selectFrom("repositories as r")
        .leftJoin("org_members as om", (join) => join.onRef("om.org_id", "=", "r.org_id").on("om.user_id", "=", userId))
        .leftJoin("repo_members as rm", (join) => join.onRef("rm.repo_id", "=", "r.id").on("rm.user_id", "=", userId))
        .select(["om.role as org_role", "rm.role as repo_role"])
        .where("r.id", "=", repoId)
        .executeTakeFirst();
      return {
        orgRole: (row?.org_role ?? null) as OrgRole | null,
        repoRole: (row?.repo_role ?? null) as RepoRole | null,
      };
    },

    async listAlertViewableRepoIds(userId, orgId) {
      let query = db
        .selectFrom("repositories as r")
        .select("r.id")
        .where((eb) =>
          eb.or([
            eb.exists(
              eb.selectFrom("users as u").select("u.id").where("u.id", "=", userId).where("u.site_admin", "=", 1),
            ),
            eb.exists(
              eb
                .selectFrom("repo_members as rm")
                .select("rm.user_id")
                .whereRef("rm.repo_id", "=", "r.id")
                .where("rm.user_id", "=", userId)
                .where("rm.role", "=", "admin"),
            ),
            eb.exists(
              eb
                .selectFrom("org_members as om")
                .select("om.user_id")
                .whereRef("om.org_id", "=", "r.org_id")
                .where("om.user_id", "=", userId)
                .where("om.role", "in", ["owner", "security_manager"]),
            ),
          ]),
        )
        .orderBy("r.id");
      if (orgId !== undefined) query = query.where("r.org_id", "=", orgId);
      const rows = await query.execute();
      return rows.map((row) => Number(row.id));
    },

    // --- alerts ---------------------------------------------------------------------------------
    async recordDetections(repoId, detections, recordOptions = {}) {
      if (detections.length === 0) return { created: [], updated: [], locationsAdded: 0 };
      const hashed = detections.map((detection) => ({ detection, hash: secretBox.hash(detection.secret) }));
      return transaction(async (trx) => recordIn(trx, repoId, hashed, recordOptions));
    },

    async getPairedSecret(alertId) {
      const row = await db
        .selectFrom("alert_paired_secrets")
        .select(["secret_type", "sealed_secret"])
        .where("alert_id", "=", alertId)
        .executeTakeFirst();
      return row ? { secretType: row.secret_type, secret: secretBox.open(row.sealed_secret) } : null;
    },

    async hasAlertForSecret(repoId, secretType, secret) {
      const row = await db
        .selectFrom("alerts")
        .select("id")
        .where("repo_id", "=", repoId)
        .where("secret_type", "=", secretType)
        .where("secret_hash", "=", secretBox.hash(secret))
        .executeTakeFirst();
      return row !== undefined;
    },

    async getAlert(repoId, number) {
      const row = await selectAlerts(db)
        .where("a.repo_id", "=", repoId)
        .where("a.number", "=", number)
        .executeTakeFirst();
      return row ? mapAlert(row) : null;
    },

    listAlerts: (query) => listAlerts(query),

    async updateAlert(repoId, number, change, actorId) {
      return transaction(async (trx) => updateIn(trx, repoId, number, change, actorId));
    },

    async listLocations(alertId, page) {
      const perPage = Math.max(1, page.perPage);
      const rows = await db
        .selectFrom("alert_locations")
        .selectAll()
        .where("alert_id", "=", alertId)
        .orderBy("id")
        .limit(perPage)
        .offset((Math.max(1, page.page) - 1) * perPage)
        .execute();
      return rows.map(toLocation);
    },

    async listEvents(alertId) {
      const rows = await db
        .selectFrom("alert_events")
        .selectAll()
        .where("alert_id", "=", alertId)
        .orderBy("id")
        .execute();
      return rows.map(toEvent);
    },

    // --- scans ------------------------------------------------------------------------------------
    async createScan(input) {
      const row = await db
        .insertInto("scans")
        .values({ repo_id: input.repoId, kind: input.kind, type: input.type, status: "pending", created_at: now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toScan(row);
    },

    async updateScan(id, patch) {
      const set: { status?: string; started_at?: string | null; completed_at?: string | null; error?: string | null } =
        {};
      if (patch.status !== undefined) set.status = patch.status;
      if (patch.startedAt !== undefined)
        set.started_at = patch.startedAt === null ? null : new Date(patch.startedAt).toISOString();
      if (patch.completedAt !== undefined)
        set.completed_at = patch.completedAt === null ? null : new Date(patch.completedAt).toISOString();
      if (patch.error !== undefined) set.error = patch.error;
      const row =
        Object.keys(set).length > 0
          ? await db.updateTable("scans").set(set).where("id", "=", id).returningAll().executeTakeFirst()
          : await db.selectFrom("scans").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) throw new StoreNotFoundError(`no scan with id ${id}`);
      return toScan(row);
    },

    async listScans(repoId, limit = 100) {
      const rows = await db
        .selectFrom("scans")
        .selectAll()
        .where("repo_id", "=", repoId)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map((row): ScanRecord => toScan(row));
    },

    async listScansByStatus(status, limit) {
      const rows = await db.selectFrom("scans").selectAll().where("status", "=", status).orderBy("id").limit(limit).execute();
      return rows.map((row): ScanRecord => toScan(row));
    },

    // --- outbox -------------------------------------------------------------------------------------
    async listUndeliveredEvents(limit) {
      const rows = await db
        .selectFrom("alert_events")
        .selectAll()
        .where("delivered_at", "is", null)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },

    async markEventsDelivered(ids) {
      const at = now();
      for (let i = 0; i < ids.length; i += CHUNK) {
        await db
          .updateTable("alert_events")
          .set({ delivered_at: at })
          .where("id", "in", ids.slice(i, i + CHUNK))
          .where("delivered_at", "is", null)
          .execute();
      }
    },

    async close() {
      // SQLite's advice: let it refresh its planner statistics, where useful, before closing.
      if (!postgres) await sql`pragma optimize`.execute(db).catch(() => undefined);
      await db.destroy();
    },
  };

  async function ensureOrganizationIn(trx: Transaction<Database>, login: string) {
    // Every organization is created here: a login that could be a path or carry a control character never enters.
    const problem = loginProblem(login);
    if (problem) throw new StoreInputError(`invalid organization login "${printableName(login)}": ${problem}`);
    await trx
      .insertInto("organizations")
      .values({
        login,
        secret_scanning_enabled: 1,
        push_protection_enabled: 0,
        push_protection_custom_link: null,
        created_at: now(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await trx
      .selectFrom("organizations")
      .selectAll()
      .where(sql`lower(login)`, "=", sql`lower(${login})`)
      .executeTakeFirstOrThrow();
    return toOrganization(row);
  }

  async function recordIn(
    trx: Transaction<Database>,
    repoId: number,
    hashed: { detection: DetectedSecret; hash: string }[],
    recordOptions: RecordOptions,
  ): Promise<RecordResult> {
    await lockRepository(trx, repoId);
    if (postgres) {
      // Sorted, so that two transactions never wait on each other's hash locks in opposite orders.
      const keys = [
        ...new Set(hashed.map((h) => BigInt.asIntN(64, BigInt(`0x${h.hash.slice(0, 16)}`)).toString())),
      ].sort();
      for (const key of keys) await sql`select pg_advisory_xact_lock(${key}::bigint)`.execute(trx);
    }
    const actorId = recordOptions.actorId ?? recordOptions.bypass?.userId ?? null;
    const repoRow = await trx.selectFrom("repositories").select("is_public").where("id", "=", repoId).executeTakeFirst();
    const isPublic = repoRow !== undefined && toBool(repoRow.is_public);
    const scanId = recordOptions.scanId ?? null;
    const createdIds: number[] = [];
    const updatedIds = new Set<number>();
    const known = new Map<string, { id: number; createdNow: boolean }>();
    let locationsAdded = 0;

    for (const { detection, hash } of hashed) {
      const key = `${detection.secretType}\u0000${hash}`;
      let alert = known.get(key);
      if (!alert) {
        const row = await trx
          .selectFrom("alerts")
          .select("id")
          .where("repo_id", "=", repoId)
          .where("secret_type", "=", detection.secretType)
          .where("secret_hash", "=", hash)
          .executeTakeFirst();
        if (row) alert = { id: Number(row.id), createdNow: false };
      }

      if (!alert) {
        const id = await createAlert(trx, repoId, detection, hash, recordOptions, actorId, scanId, isPublic);
        await rememberPair(trx, id, detection);
        known.set(key, { id, createdNow: true });
        createdIds.push(id);
        locationsAdded++;
        continue;
      }
      known.set(key, alert);
      await rememberPair(trx, alert.id, detection);
      const location = await insertLocation(trx, alert.id, detection.location);
      if (!location) continue;
      locationsAdded++;
      await trx
        .updateTable("alerts")
        .set((eb) => ({ location_count: eb("location_count", "+", 1), updated_at: now() }))
        .where("id", "=", alert.id)
        .execute();
      if (!alert.createdNow) {
        updatedIds.add(alert.id);
        await insertEvent(trx, await alertById(trx, alert.id), "location_created", actorId, {
          location: eventLocation(location),
          scanId,
        });
      }
    }

    // Found in a public repository: the secret has leaked publicly wherever else it is an alert too.
    if (isPublic) await leakPublicly(trx, [...new Set(hashed.map((h) => h.hash))], actorId);
    const created = await alertsByIds(trx, createdIds);
    await enqueuePartnerReports(trx, created, isPublic, now());
    return {
      created,
      updated: await alertsByIds(trx, [...updatedIds]),
      locationsAdded,
    };
  }

  /** Keeps the first pair seen with an alert's secret (sealed): an alert recorded before its pair was kept gets it at the next scan. */
  async function rememberPair(trx: Transaction<Database>, alertId: number, detection: DetectedSecret): Promise<void> {
    if (!detection.paired) return;
    await trx
      .insertInto("alert_paired_secrets")
      .values({ alert_id: alertId, secret_type: detection.paired.secretType, sealed_secret: secretBox.seal(detection.paired.secret), created_at: now() })
      .onConflict((oc) => oc.column("alert_id").doNothing())
      .execute();
  }

  /** Marks the open-to-the-world alerts of these secrets `publicly_leaked` (event `publicly_leaked`) and queues their partner reports. */
  async function leakPublicly(trx: Transaction<Database>, hashes: string[], actorId: number | null): Promise<void> {
    for (let i = 0; i < hashes.length; i += CHUNK) {
      const rows = await trx
        .selectFrom("alerts")
        .select("id")
        .where("secret_hash", "in", hashes.slice(i, i + CHUNK))
        .where("publicly_leaked", "=", bit(false))
        .orderBy("id")
        .execute();
      if (rows.length === 0) continue;
      const ids = rows.map((r) => Number(r.id));
      await trx.updateTable("alerts").set({ publicly_leaked: 1, updated_at: now() }).where("id", "in", ids).execute();
      const leaked = await alertsByIds(trx, ids);
      for (const alert of leaked) await insertEvent(trx, alert, "publicly_leaked", actorId);
      await enqueuePartnerReports(trx, leaked, true, now());
    }
  }

  async function createAlert(
    trx: Transaction<Database>,
    repoId: number,
    detection: DetectedSecret,
    hash: string,
    recordOptions: RecordOptions,
    actorId: number | null,
    scanId: number | null,
    isPublic: boolean,
  ): Promise<number> {
    const at = now();
    const number = await nextAlertNumber(trx, repoId);
    const elsewhere = await trx
      .selectFrom("alerts")
      .select("id")
      .where("secret_hash", "=", hash)
      .where("repo_id", "<>", repoId)
      .limit(1)
      .executeTakeFirst();
    if (elsewhere) {
      await trx
        .updateTable("alerts")
        .set({ multi_repo: 1 })
        .where("secret_hash", "=", hash)
        .where("repo_id", "<>", repoId)
        .where("multi_repo", "=", 0)
        .execute();
    }
    const bypass = recordOptions.bypass;
    const bypassAt = bypass ? new Date(bypass.at).toISOString() : null;
    const closedByBypass =
      bypass !== undefined && (bypass.reason === "false_positive" || bypass.reason === "used_in_tests");
    const { id } = await trx
      .insertInto("alerts")
      .values({
        repo_id: repoId,
        number,
        secret_type: detection.secretType,
        secret_type_display_name: detection.secretTypeDisplayName,
        provider: detection.provider,
        provider_slug: providerSlug(detection.provider),
        secret_category: detection.secretCategory,
        secret_ciphertext: secretBox.seal(detection.secret),
        secret_hash: hash,
        state: closedByBypass ? "resolved" : "open",
        resolution: closedByBypass ? bypass.reason : null,
        resolved_at: closedByBypass ? bypassAt : null,
        resolved_by: closedByBypass ? bypass.userId : null,
        validity: "unknown",
        is_base64_encoded: bit(detection.isBase64Encoded),
        multi_repo: bit(elsewhere !== undefined),
        publicly_leaked: bit(isPublic),
        push_protection_bypassed: bit(bypass !== undefined),
        push_protection_bypassed_by: bypass?.userId ?? null,
        push_protection_bypassed_at: bypassAt,
        created_at: at,
        updated_at: at,
        location_count: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const alertId = Number(id);
    const location = (await insertLocation(trx, alertId, detection.location))!;
    await trx.updateTable("alerts").set({ first_location_id: location.id }).where("id", "=", alertId).execute();

    const alert = await alertById(trx, alertId);
    const asCreated: Alert = closedByBypass
      ? { ...alert, state: "open", resolution: null, resolvedAt: null, resolvedBy: null }
      : alert;
    await insertEvent(trx, asCreated, "created", actorId, { location: eventLocation(location), scanId });
    if (closedByBypass) await insertEvent(trx, alert, "resolved", bypass.userId, { bypassReason: bypass.reason });
    return alertId;
  }

  /** Adds a location unless the alert has it already (same commit, blob, path, lines and columns); null when it had. */
  async function insertLocation(
    trx: Transaction<Database>,
    alertId: number,
    location: DetectedSecret["location"],
  ): Promise<AlertLocation | null> {
    const row = await trx
      .insertInto("alert_locations")
      .values({
        alert_id: alertId,
        type: location.type,
        details: JSON.stringify(location.details),
        dedupe_key: locationKey(location),
        created_at: now(),
      })
      .onConflict((oc) => oc.columns(["alert_id", "dedupe_key"]).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toLocation(row) : null;
  }

  async function updateIn(
    trx: Transaction<Database>,
    repoId: number,
    number: number,
    change: AlertChange,
    actorId: number | null,
  ): Promise<Alert> {
    let query = selectAlerts(trx).where("a.repo_id", "=", repoId).where("a.number", "=", number);
    if (postgres) query = query.forUpdate("a");
    const row = await query.executeTakeFirst();
    if (!row) throw new StoreNotFoundError(`no alert ${number} in repository ${repoId}`);
    const current = mapAlert(row);
    const next: Alert = { ...current };
    const events: { action: EventAction; extra: Record<string, unknown> }[] = [];
    const at = now();

    if (change.state === "resolved") {
      const resolution = change.resolution;
      if (!resolution) throw new StoreInputError("a resolution is required to resolve an alert");
      // Checked here, on the locked row, not by the caller on an earlier read: two identical resolves
      // at once answer as they would one after the other (the second changes nothing and says so).
      if (current.state === "resolved" && current.resolution === resolution) {
        throw new StoreUnchangedError("The resolution was not changed");
      }
      Object.assign(next, {
        state: "resolved",
        resolution,
        resolvedAt: at,
        resolvedBy: actorId,
        resolutionComment: change.resolutionComment ?? null,
      });
      events.push({ action: "resolved", extra: {} });
    } else if (change.state === "open" && current.state === "resolved") {
      Object.assign(next, {
        state: "open",
        resolution: null,
        resolvedAt: null,
        resolvedBy: null,
        resolutionComment: null,
      });
      // The reopening comment is kept in the timeline only: the alert's comment belongs to its resolution.
      events.push({ action: "reopened", extra: { comment: change.resolutionComment ?? null } });
    }
    if (change.assigneeId !== undefined && change.assigneeId !== current.assigneeId) {
      next.assigneeId = change.assigneeId;
      if (change.assigneeId === null) events.push({ action: "unassigned", extra: { assigneeId: current.assigneeId } });
      else
        events.push({
          action: "assigned",
          extra: { assigneeId: change.assigneeId, previousAssigneeId: current.assigneeId },
        });
    }
    if (change.validity !== undefined && change.validity !== current.validity) {
      next.validity = change.validity;
      events.push({ action: "validated", extra: { previousValidity: current.validity } });
    }
    if (events.length === 0) return current;
    next.updatedAt = at;

    // Events first: a change that then fails (an unknown assignee) takes its events with it.
    for (const event of events) await insertEvent(trx, next, event.action, actorId, event.extra);
    await trx
      .updateTable("alerts")
      .set({
        state: next.state,
        resolution: next.resolution,
        resolved_at: next.resolvedAt,
        resolved_by: next.resolvedBy,
        resolution_comment: next.resolutionComment,
        assignee_id: next.assigneeId,
        validity: next.validity,
        updated_at: at,
      })
      .where("id", "=", current.id)
      .execute();
    return alertById(trx, current.id);
  }

  // --- listing ------------------------------------------------------------------------------------
  type AlertsExpressions = ExpressionBuilder<Database & { a: Database["alerts"] }, "a">;

  /**
   * The query's filters as one WHERE expression, for the page, the count and the neighbour checks.
   * `timeOrdered` (SQLite) writes the indexed columns as `+column`, which keeps SQLite from using
   * their indexes: it then walks the time index (which covers these columns) in the requested order
   * and stops after a page, instead of collecting every match of many repositories and sorting.
   */
  function filterOf(q: AlertQuery, timeOrdered = false) {
    return (eb: AlertsExpressions) => {
      const col = <T>(column: "a.repo_id" | "a.state" | "a.secret_category" | "a.secret_type") =>
        timeOrdered ? sql<T>`+${sql.ref(column)}` : sql<T>`${sql.ref(column)}`;
      const and = [
        q.repoIds.length === 1
          ? eb(col<number>("a.repo_id"), "=", q.repoIds[0]!)
          : eb(col<number>("a.repo_id"), "in", q.repoIds),
      ];
      if (q.state) and.push(eb(col<string>("a.state"), "=", q.state));
      // GitHub lists generic (non-provider) alerts only when their type is asked for by name.
      if (q.secretTypes && q.secretTypes.length > 0) and.push(eb(col<string>("a.secret_type"), "in", q.secretTypes));
      else and.push(eb(col<string>("a.secret_category"), "=", "default"));
      if (q.excludeSecretTypes && q.excludeSecretTypes.length > 0)
        and.push(eb("a.secret_type", "not in", q.excludeSecretTypes));
      if (q.resolutions && q.resolutions.length > 0) and.push(eb("a.resolution", "in", q.resolutions));
      if (q.validities && q.validities.length > 0) and.push(eb("a.validity", "in", q.validities));
      if (q.isPubliclyLeaked !== undefined) and.push(eb("a.publicly_leaked", "=", bit(q.isPubliclyLeaked)));
      if (q.isMultiRepo !== undefined) and.push(eb("a.multi_repo", "=", bit(q.isMultiRepo)));
      if (q.isBypassed !== undefined) and.push(eb("a.push_protection_bypassed", "=", bit(q.isBypassed)));
      if (q.providers && q.providers.length > 0) and.push(eb("a.provider_slug", "in", q.providers));
      if (q.excludeProviders && q.excludeProviders.length > 0) {
        and.push(eb.or([eb("a.provider_slug", "is", null), eb("a.provider_slug", "not in", q.excludeProviders)]));
      }
      if (q.assignee === "any") and.push(eb("a.assignee_id", "is not", null));
      else if (q.assignee === "none") and.push(eb("a.assignee_id", "is", null));
      else if (typeof q.assignee === "number") and.push(eb("a.assignee_id", "=", q.assignee));
      return eb.and(and);
    };
  }

  async function listAlerts(q: AlertQuery): Promise<AlertPage> {
    const perPage = Math.max(1, Math.floor(q.perPage));
    const cursorMode = q.before !== undefined || q.after !== undefined || q.page === undefined;
    if (q.repoIds.length === 0)
      return { alerts: [], hasNext: false, hasPrevious: false, ...(cursorMode ? {} : { lastPage: 1 }) };
    const column = q.sort === "updated" ? "a.updated_at" : "a.created_at";
    const desc = q.direction === "desc";
    const sortValue = (alert: Alert): string => (q.sort === "updated" ? alert.updatedAt : alert.createdAt);
    const indexed = filterOf(q);
    const count = async (limit?: number): Promise<number> => {
      const matches = db.selectFrom("alerts as a").where(indexed);
      const row = await (
        limit === undefined
          ? matches.select((eb) => eb.fn.countAll<number>().as("n"))
          : db.selectFrom(matches.select("a.id").limit(limit).as("m")).select((eb) => eb.fn.countAll<number>().as("n"))
      ).executeTakeFirstOrThrow();
      return Number(row.n);
    };
    // Across many repositories with many matches, SQLite is best walked in time order (see filterOf);
    // few matches are faster collected through the repository indexes and sorted. PostgreSQL's
    // planner weighs this itself from its statistics.
    const timeOrdered = async (known?: number): Promise<boolean> =>
      !postgres && q.repoIds.length > 1 && (known ?? (await count(timeOrderThreshold + 1))) > timeOrderThreshold;

    if (!cursorMode) {
      const page = Math.max(1, Math.floor(q.page ?? 1));
      // The last page needs a count; past COUNT_LIMIT matches (an organization's or the instance's
      // whole history) counting costs more than the page itself, so the count stops there and the
      // last page is left unknown, as GitHub leaves out `rel="last"` when it cannot compute it.
      // One repository: a plain count over its index entries is cheaper than a bounded one.
      const counted = q.repoIds.length === 1 ? await count() : await count(COUNT_LIMIT + 1);
      const exact = counted <= COUNT_LIMIT;
      const lastPage = exact ? Math.max(1, Math.ceil(counted / perPage)) : undefined;
      if (exact && (page - 1) * perPage >= counted) return { alerts: [], hasNext: false, hasPrevious: page > 1, ...(lastPage ? { lastPage } : {}) };
      // The page's ids first, from an index (walking past the earlier pages there, not in the table),
      // then only those rows with their first location; one more id tells whether a next page exists.
      const pageIds = await db
        .selectFrom("alerts as a")
        .select("a.id")
        .where(filterOf(q, await timeOrdered(counted)))
        .orderBy(column, desc ? "desc" : "asc")
        .orderBy("a.id", desc ? "desc" : "asc")
        .limit(perPage + 1)
        .offset((page - 1) * perPage)
        .execute();
      const ids = pageIds.slice(0, perPage).map((r) => r.id);
      const rows =
        ids.length === 0
          ? []
          : await selectAlerts(db)
              .where("a.id", "in", ids)
              .orderBy(column, desc ? "desc" : "asc")
              .orderBy("a.id", desc ? "desc" : "asc")
              .execute();
      return {
        alerts: rows.map((row) => mapAlert(row as AlertRow)),
        hasNext: pageIds.length > perPage,
        hasPrevious: page > 1,
        ...(lastPage ? { lastPage } : {}),
      };
    }

    // Cursor mode. "Forward" is the requested direction; `before` walks backwards from its cursor.
    const filter = filterOf(q, await timeOrdered());
    const backwards = q.before !== undefined && q.before !== "";
    const cursorText = backwards ? q.before : q.after;
    const cursor = cursorText ? decodeCursor(cursorText) : null;
    const beyond = (value: string, id: number, forward: boolean) => (eb: AlertsExpressions) =>
      eb(eb.refTuple(column, "a.id"), desc === forward ? "<" : ">", eb.tuple(value, id));
    let query = selectAlerts(db).where(filter);
    if (cursor) query = query.where(beyond(cursor.value, cursor.id, !backwards));
    const order = desc !== backwards ? "desc" : "asc";
    const rows = await query
      .orderBy(column, order)
      .orderBy("a.id", order)
      .limit(perPage + 1)
      .execute();
    const more = rows.length > perPage;
    const alerts = rows.slice(0, perPage).map((row) => mapAlert(row as AlertRow));
    if (backwards) alerts.reverse();

    const first = alerts[0];
    const last = alerts[alerts.length - 1];
    const exists = async (value: string, id: number, forward: boolean): Promise<boolean> =>
      (await db
        .selectFrom("alerts as a")
        .where(filter)
        .where(beyond(value, id, forward))
        .select("a.id")
        .limit(1)
        .executeTakeFirst()) !== undefined;
    let hasNext: boolean;
    let hasPrevious: boolean;
    if (backwards) {
      hasPrevious = more;
      hasNext = last ? await exists(sortValue(last), last.id, true) : cursor !== null;
    } else {
      hasNext = more;
      hasPrevious = cursor !== null && (first ? await exists(sortValue(first), first.id, false) : true);
    }
    const page: AlertPage = { alerts, hasNext, hasPrevious };
    if (hasPrevious && first) page.startCursor = encodeCursor(sortValue(first), first.id);
    if (hasNext && last) page.endCursor = encodeCursor(sortValue(last), last.id);
    return page;
  }

  return store;
}

/** What an event carries about its alert: everything a webhook needs, never the secret (nor its hash). */
function eventSnapshot(alert: Alert): Record<string, unknown> {
  const { secret: _secret, secretHash: _hash, ...rest } = alert;
  return rest;
}

function eventLocation(location: AlertLocation): Record<string, unknown> {
  return { id: location.id, type: location.type, details: location.details };
}

/** GitHub's `provider_slug`: lowercase words joined by underscores (`GitHub` → `github`, `Hugging Face` → `hugging_face`). */
export function providerSlug(provider: string | null): string | null {
  if (provider === null) return null;
  const slug = provider
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return slug === "" ? null : slug;
}

/**
 * A commit location is the same when commit, blob, path, lines and columns are; a content location
 * (an issue comment, a pull request body) when its type and details are: every revision of one
 * comment is one location.
 */
function locationKey(location: DetectedSecret["location"]): string {
  if (location.type !== "commit") {
    const details = Object.entries(location.details).sort(([a], [b]) => (a < b ? -1 : 1));
    return createHash("sha256").update(JSON.stringify([location.type, details])).digest("hex");
  }
  const d = location.details;
  const parts = [
    location.type,
    d.commitSha,
    d.blobSha ?? "",
    d.path,
    d.startLine,
    d.endLine,
    d.startColumn,
    d.endColumn,
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Opaque cursors: base64url of `<sort value>|<id>`. */
export function encodeCursor(value: string, id: number): string {
  return Buffer.from(`${value}|${id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): { value: string; id: number } {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const bar = text.lastIndexOf("|");
  const value = text.slice(0, bar);
  const id = Number(text.slice(bar + 1));
  if (bar < 0 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new StoreInputError("the cursor is not valid: use the before/after values from a Link header");
  }
  return { value, id };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
