import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import type { AlertStore, TokenScope } from "../alerts/alert-store.js";
import type { DetectedSecret, Repository, User } from "../alerts/types.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { WebSessionStore } from "../web/session-store.js";
import type { ReviewStore } from "../alerts/review-store.js";
import type { CampaignStore } from "../campaigns/campaign-store.js";
import { openStore } from "../store/index.js";
import { withClient } from "../store/test-databases.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";

export interface ApiFixture {
  store: AlertStore;
  pushProtection: PushProtectionStore;
  webhooks: WebhookStore;
  /** The web pages' sessions. */
  sessions: WebSessionStore;
  reviews: ReviewStore;
  campaigns: CampaignStore;
  dataDir: string;
  repo: Repository;
  otherRepo: Repository;
  users: Record<"admin" | "repoAdmin" | "reader" | "securityManager" | "writer" | "scopeless", User>;
  tokens: Record<"admin" | "repoAdmin" | "reader" | "securityManager" | "writer" | "scopeless", string>;
  secrets: string[];
  close(): Promise<void>;
}

/** A store with an organization `acme`, repositories `acme/api` and `acme/web`, one user per role, and alerts synthesised at run time. */
export async function createApiFixture(options: { url?: string; alerts?: number } = {}): Promise<ApiFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-api-"));
  // PostgreSQL: a fresh schema of its own, dropped on close (never the database's public schema).
  const schema = options.url ? `vigil_api_${process.pid}_${randomBytes(4).toString("hex")}` : undefined;
  if (options.url && schema) await withClient(options.url, (client) => client.query(`create schema ${schema}`));
  const opened = await openStore({ dataDir, url: options.url, ...(schema ? { schema } : {}), env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") } });
  const { store } = opened;
  const org = await store.ensureOrganization("acme");
  const repo = await store.createRepository({ owner: "acme", name: "api", sourceUrl: null, mirrorPath: join(dataDir, "api.git") });
  const otherRepo = await store.createRepository({ owner: "acme", name: "web", sourceUrl: null, mirrorPath: join(dataDir, "web.git") });
  const make = async (login: string, scopes: TokenScope[], siteAdmin = false): Promise<[User, string]> => {
    const user = await store.createUser({ login, siteAdmin });
    const { token } = await store.createToken({ userId: user.id, scopes });
    return [user, token];
  };
  const [admin, adminToken] = await make("admin", ["repo", "security_events", "site_admin"], true);
  const [repoAdmin, repoAdminToken] = await make("alice", ["repo"]);
  const [reader, readerToken] = await make("bob", ["repo", "security_events"]);
  const [securityManager, securityManagerToken] = await make("carol", ["security_events"]);
  const [writer, writerToken] = await make("dave", ["repo"]);
  const [scopeless, scopelessToken] = await make("erin", ["read:org"]);
  await store.setRepoRole(repo.id, repoAdmin.id, "admin");
  await store.setRepoRole(repo.id, reader.id, "read");
  await store.setRepoRole(repo.id, writer.id, "write");
  await store.setRepoRole(repo.id, scopeless.id, "admin");
  await store.setOrgRole(org.id, securityManager.id, "security_manager");

  const random = new ExampleRandom(42);
  const secrets: string[] = [];
  const detections: DetectedSecret[] = [];
  for (let i = 0; i < (options.alerts ?? 5); i++) {
    const secret = random.githubToken("ghp");
    secrets.push(secret);
    detections.push(detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, `config/${i}.env`, i));
  }
  // A generic (non-provider) secret: listed only when asked for by type, as on GitHub.
  detections.push({ ...detection("http_basic_authentication_header", "HTTP Basic Authentication Header", null, `Basic ${Buffer.from(`u:${random.alnum(16)}`).toString("base64")}`, "deploy.sh", 99), secretCategory: "generic" });
  for (const d of detections) await store.recordDetections(repo.id, [d]);
  return {
    store,
    pushProtection: opened.pushProtection,
    webhooks: opened.webhooks,
    sessions: opened.sessions,
    reviews: opened.reviews,
    campaigns: opened.campaigns,
    dataDir,
    repo,
    otherRepo,
    users: { admin, repoAdmin, reader, securityManager, writer, scopeless },
    tokens: { admin: adminToken, repoAdmin: repoAdminToken, reader: readerToken, securityManager: securityManagerToken, writer: writerToken, scopeless: scopelessToken },
    secrets,
    async close() {
      await opened.close();
      if (options.url && schema) await withClient(options.url, (client) => client.query(`drop schema if exists ${schema} cascade`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function detection(secretType: string, name: string, provider: string | null, secret: string, path: string, n: number): DetectedSecret {
  const sha = (seed: number): string => (seed.toString(16).padStart(8, "0") + "a".repeat(32)).slice(0, 40);
  return {
    secretType,
    secretTypeDisplayName: name,
    provider,
    secretCategory: "default",
    secret,
    isBase64Encoded: false,
    location: {
      type: "commit",
      details: { path, startLine: 3, endLine: 3, startColumn: 14, endColumn: 14 + secret.length - 1, blobSha: sha(n + 1000), commitSha: sha(n + 1), authorName: "Dev", authorEmail: "dev@example.com", committerEmail: "dev@example.com", commitDate: "2026-11-01T10:00:00Z" },
    },
  };
}
