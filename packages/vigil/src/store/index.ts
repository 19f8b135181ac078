import type { Kysely } from "kysely";
import type { AlertStore } from "../alerts/alert-store.js";
import { urlCredentials } from "../alerts/mask-url.js";
import { VigilError } from "../errors.js";
import { openDatabase, type DialectName } from "./database.js";
import { createAlertStore } from "./kysely-alert-store.js";
import { createPushProtectionStore } from "./kysely-push-protection-store.js";
import { createPartnerStore } from "./kysely-partner-store.js";
import type { PartnerStore } from "../partners/partner-store.js";
import { createSessionStore } from "./kysely-session-store.js";
import type { WebSessionStore } from "../web/session-store.js";
import { createReviewStore } from "./kysely-review-store.js";
import type { ReviewStore } from "../alerts/review-store.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import { loadSecretKey } from "./load-secret-key.js";
import { migrateToLatest } from "./migrate.js";
import { secureStorePermissions } from "./store-permissions.js";
import { createSecretBox, type SecretBox } from "./secret-box.js";
import type { Database } from "./tables.js";
import { createWebhookStore } from "./kysely-webhook-store.js";
import { createCampaignStore } from "./kysely-campaign-store.js";
import type { CampaignStore } from "../campaigns/campaign-store.js";
import { createOverviewStore } from "./kysely-overview-store.js";
import type { OverviewStore } from "../alerts/overview-store.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import { createCustomPatternStore } from "./kysely-custom-pattern-store.js";
import type { CustomPatternStore } from "../custom-patterns/custom-pattern-store.js";
import { createValidityStore } from "./kysely-validity-store.js";
import type { ValidityStore } from "../validity/validity-store.js";
import { createStoreHealth, type StoreHealth } from "./store-health.js";

export { openDatabase, SQLITE_FILE, type DialectName, type OpenDatabaseOptions, type OpenedDatabase } from "./database.js";
export { createAlertStore, decodeCursor, encodeCursor, providerSlug, type AlertStoreOptions } from "./kysely-alert-store.js";
export { loadSecretKey, parseSecretKey, SECRET_KEY_FILE } from "./load-secret-key.js";
export { migrateToLatest, MIGRATIONS } from "./migrate.js";
export { createWebhookStore, type WebhookStoreOptions } from "./kysely-webhook-store.js";
export { createSecretBox, SECRET_KEY_BYTES, type SecretBox } from "./secret-box.js";
export { generateToken, hashToken, isWellFormedToken, TOKEN_PREFIX } from "./token-format.js";
export type { Database } from "./tables.js";

export interface OpenStoreOptions {
  /** `postgres://…` for PostgreSQL; unset: `VIGIL_DATABASE_URL`, else SQLite in the data directory. */
  url?: string | undefined;
  dataDir: string;
  /** Where `VIGIL_SECRET_KEY` (and `VIGIL_DATABASE_URL`) are read from; the CLI passes `process.env`. */
  env: Record<string, string | undefined>;
  /** PostgreSQL only: work in this schema (tests). */
  schema?: string;
  now?: () => Date;
}

export interface OpenedStore {
  store: AlertStore;
  pushProtection: PushProtectionStore;
  partners: PartnerStore;
  webhooks: WebhookStore;
  /** The web pages' sign-in sessions. */
  sessions: WebSessionStore;
  /** Delegated bypass and alert dismissal: settings, requests, reviews. */
  reviews: ReviewStore;
  /** Users' custom patterns (GitHub's REST API) and their dry runs. */
  customPatterns: CustomPatternStore;
  /** Validity checks: the organization switch and each alert's last check. */
  validity: ValidityStore;
  /** Remediation campaigns: campaigns, playbooks, outreach, forge connection, auto-remediation settings. */
  campaigns: CampaignStore;
  /** The security overview's aggregate figures. */
  overview: OverviewStore;
  /** Readiness (reachable, migrations current) and alert counts for metrics. */
  health: StoreHealth;
  db: Kysely<Database>;
  dialect: DialectName;
  /** Names of the migrations applied while opening. */
  migrated: string[];
  /** Permission problems found in the data directory at open: fixed ones and ones to fix (see store-permissions.ts). */
  permissionNotices: string[];
  close(): Promise<void>;
}

const KEY_CHECK = "secret_key_check";
const KEY_CHECK_TEXT = "vigil secret key check";

/** Opens the database, brings its schema up to date, loads the secret key and checks it is the database's key. */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const { key } = loadSecretKey({ dataDir: options.dataDir, env: options.env });
  const secretBox = createSecretBox(key);
  const url = options.url ?? (options.env.VIGIL_DATABASE_URL || undefined);
  const { db, dialect, sqlitePath } = openDatabase({ dataDir: options.dataDir, ...(url ? { url } : {}), ...(options.schema ? { schema: options.schema } : {}) });
  try {
    const migrated = await migrateToLatest(db);
    await checkSecretKey(db, secretBox);
    await sealMirrorCredentials(db, secretBox);
    const store = createAlertStore({ db, dialect, secretBox, ...(options.now ? { now: options.now } : {}) });
    const pushProtection = createPushProtectionStore({ db, secretBox, ...(options.now ? { now: options.now } : {}) });
    const reviews = createReviewStore({ db, ...(options.now ? { now: options.now } : {}) });
    const sessions = createSessionStore({ db, ...(options.now ? { now: options.now } : {}) });
    const permissionNotices = secureStorePermissions(options.dataDir, sqlitePath);
    const partners = createPartnerStore({ db, dialect, secretBox, ...(options.now ? { now: options.now } : {}) });
    const webhooks = createWebhookStore({ db, secretBox, ...(options.now ? { now: options.now } : {}) });
    const customPatterns = createCustomPatternStore({ db, secretBox, ...(options.now ? { now: options.now } : {}) });
    const validity = createValidityStore({ db, ...(options.now ? { now: options.now } : {}) });
    const campaigns = createCampaignStore({ db, secretBox, ...(options.now ? { now: options.now } : {}) });
    const overview = createOverviewStore({ db });
    const health = createStoreHealth(db);
    return { store, pushProtection, partners, webhooks, sessions, reviews, validity, campaigns, overview, health, customPatterns, db, dialect, migrated, permissionNotices, close: () => store.close() };
  } catch (error) {
    await db.destroy();
    if (error instanceof VigilError) throw error;
    throw new VigilError("ERR_STORE_OPEN", `cannot open the ${dialect} database: ${(error as Error).message}`);
  }
}

/** The first open stores a sealed marker; later opens must be able to open it, or every stored secret would be unreadable. */
async function checkSecretKey(db: Kysely<Database>, secretBox: SecretBox): Promise<void> {
  await db
    .insertInto("store_meta")
    .values({ key: KEY_CHECK, value: secretBox.seal(KEY_CHECK_TEXT) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db.selectFrom("store_meta").select("value").where("key", "=", KEY_CHECK).executeTakeFirstOrThrow();
  let text: string | null = null;
  try {
    text = secretBox.open(row.value);
  } catch {
    text = null;
  }
  if (text !== KEY_CHECK_TEXT) {
    throw new VigilError(
      "ERR_STORE_SECRET_KEY_MISMATCH",
      "the secret key does not match this database: use the VIGIL_SECRET_KEY or secret.key the data was written with",
    );
  }
}

/**
 * Mirror URLs written before credentials were sealed (or by an older Vigil) carry them in plain
 * text: seal them and keep the URL masked. Runs at every open; a no-op once done.
 */
async function sealMirrorCredentials(db: Kysely<Database>, secretBox: SecretBox): Promise<void> {
  const rows = await db
    .selectFrom("repositories as r")
    .leftJoin("repository_sources as rs", "rs.repo_id", "r.id")
    .select(["r.id", "r.source_url"])
    .where("rs.repo_id", "is", null)
    .where("r.source_url", "like", "%@%")
    .execute();
  for (const row of rows) {
    if (row.source_url === null) continue;
    const credentials = urlCredentials(row.source_url);
    if (!credentials.hasSecret) continue;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("repository_sources").values({ repo_id: Number(row.id), sealed_url: secretBox.seal(row.source_url!) }).execute();
      await trx.updateTable("repositories").set({ source_url: credentials.masked }).where("id", "=", Number(row.id)).execute();
    });
  }
}
