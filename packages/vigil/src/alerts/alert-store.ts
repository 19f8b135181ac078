import type {
  Alert,
  AlertEvent,
  AlertLocation,
  AlertResolution,
  AlertState,
  BypassReason,
  DetectedSecret,
  Organization,
  OrgRole,
  Repository,
  RepoRole,
  ScanRecord,
  User,
  Validity,
} from "./types.js";

/**
 * The store contract. `store/` implements it over SQLite and PostgreSQL (one kysely
 * implementation, a test suite run per dialect); the API, push protection, jobs and webhooks use
 * only this interface. Every mutating method is one transaction: a change and its event rows are
 * written together or not at all. Secrets cross this interface in plain text only in memory; the
 * store encrypts them (AES-256-GCM) and identifies them by a keyed hash.
 */
export interface AlertStore {
  // --- users and tokens -------------------------------------------------------------------
  createUser(input: { login: string; name?: string | null; email?: string | null; siteAdmin?: boolean }): Promise<User>;
  getUserById(id: number): Promise<User | null>;
  getUserByLogin(login: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  /** Creates a token; the plain text is returned once and only its hash is stored. */
  createToken(input: { userId: number; scopes: TokenScope[]; note?: string | null; expiresAt?: string | null }): Promise<{ token: string; record: TokenRecord }>;
  /** Resolves a presented token (by hash); null when unknown, revoked or expired. Updates last_used_at. */
  authenticateToken(token: string): Promise<{ user: User; token: TokenRecord } | null>;
  revokeToken(tokenId: number): Promise<void>;
  /** Tokens (never their value), oldest first; one user's with `userId`. Revoked and expired ones are listed too. */
  listTokens(filter?: { userId?: number }): Promise<TokenRecord[]>;
  getToken(tokenId: number): Promise<TokenRecord | null>;
  /** A token and its user by the token itself, revoked or expired ones included (the partner loop revokes leaked tokens); null when unknown. */
  findToken(token: string): Promise<{ user: User; token: TokenRecord } | null>;

  // --- organizations, repositories, roles --------------------------------------------------
  /** Idempotent: returns the existing organization of that login. */
  ensureOrganization(login: string): Promise<Organization>;
  getOrganization(login: string): Promise<Organization | null>;
  getOrganizationById(id: number): Promise<Organization | null>;
  listOrganizations(): Promise<Organization[]>;
  updateOrganization(id: number, patch: Partial<Pick<Organization, "secretScanningEnabled" | "pushProtectionEnabled" | "pushProtectionCustomLink">>): Promise<Organization>;
  /** Creates the organization if needed. Fails with `StoreConflictError` when the repository exists. */
  createRepository(input: { owner: string; name: string; sourceUrl: string | null; mirrorPath: string; isPublic?: boolean }): Promise<Repository>;
  getRepository(owner: string, name: string): Promise<Repository | null>;
  getRepositoryById(id: number): Promise<Repository | null>;
  listRepositories(filter?: { orgId?: number }): Promise<Repository[]>;
  /** Making a repository public marks its alerts (and the same secrets elsewhere) `publicly_leaked`. */
  updateRepository(
    id: number,
    patch: Partial<
      Pick<Repository, "secretScanningEnabled" | "pushProtectionEnabled" | "sourceUrl" | "webUrlTemplate" | "mirrorError" | "mirrorFailedAt" | "isPublic">
    >,
  ): Promise<Repository>;
  /**
   * Deletes a repository with everything recorded for it (alerts, locations, events, scans, roles,
   * push-protection records), in one transaction. `StoreNotFoundError` when there is none.
   */
  deleteRepository(id: number): Promise<void>;
  /** null removes the role. */
  setOrgRole(orgId: number, userId: number, role: OrgRole | null): Promise<void>;
  setRepoRole(repoId: number, userId: number, role: RepoRole | null): Promise<void>;
  getOrgRole(userId: number, orgId: number): Promise<OrgRole | null>;
  /** The user's own roles; the API derives access from them (and from `siteAdmin`). */
  getRoles(userId: number, repoId: number): Promise<{ orgRole: OrgRole | null; repoRole: RepoRole | null }>;
  /** Ids of repositories in the organization (or instance, when orgId is omitted) whose alerts the user may see: repo admin, org owner or security manager. */
  listAlertViewableRepoIds(userId: number, orgId?: number): Promise<number[]>;

  // --- alerts --------------------------------------------------------------------------------
  /**
   * One alert per repository + secret type + secret. A new secret creates an alert (event
   * `created`); a known one gains the location if it is new (event `location_created`). Unknown
   * locations only: recording the same scan twice changes nothing. One transaction.
   */
  recordDetections(repoId: number, detections: DetectedSecret[], options?: RecordOptions): Promise<RecordResult>;
  /** True when an alert of this type and secret exists in the repository (push protection does not block it again). */
  hasAlertForSecret(repoId: number, secretType: string, secret: string): Promise<boolean>;
  /** The other half of an alert's secret, when a scan found a pair (an AWS secret key for a key id alert); for validity checks only. */
  getPairedSecret(alertId: number): Promise<{ secretType: string; secret: string } | null>;
  getAlert(repoId: number, number: number): Promise<Alert | null>;
  listAlerts(query: AlertQuery): Promise<AlertPage>;
  /** Applies a validated change (the API validates state/resolution); writes the event rows. */
  updateAlert(repoId: number, number: number, change: AlertChange, actorId: number | null): Promise<Alert>;
  listLocations(alertId: number, page: { page: number; perPage: number }): Promise<AlertLocation[]>;
  listEvents(alertId: number): Promise<AlertEvent[]>;

  // --- scans ----------------------------------------------------------------------------------
  createScan(input: Pick<ScanRecord, "repoId" | "kind" | "type">): Promise<ScanRecord>;
  updateScan(id: number, patch: Partial<Pick<ScanRecord, "status" | "startedAt" | "completedAt" | "error">>): Promise<ScanRecord>;
  listScans(repoId: number, limit?: number): Promise<ScanRecord[]>;
  /** Scans in one state over every repository, oldest first (an index serves it: the sweep reads it every 2 s). */
  listScansByStatus(status: "pending" | "running", limit: number): Promise<ScanRecord[]>;

  // --- outbox (webhooks deliver later) ----------------------------------------------------------
  listUndeliveredEvents(limit: number): Promise<AlertEvent[]>;
  markEventsDelivered(ids: number[]): Promise<void>;

  close(): Promise<void>;
}

export type TokenScope =
  | "repo"
  | "security_events"
  | "public_repo"
  | "admin:org"
  | "write:org"
  | "read:org"
  | "admin:repo_hook"
  | "admin:enterprise"
  | "site_admin"
  /** GitHub's classic scope for the user's own account: here, listing and revoking one's own tokens. */
  | "user"
  /** GitHub's scope for `DELETE /repos/{owner}/{repo}`. */
  | "delete_repo"
  /** GitHub's scope for organization webhooks. */
  | "admin:org_hook";

export interface TokenRecord {
  id: number;
  userId: number;
  scopes: TokenScope[];
  note: string | null;
  /** First characters of the token, shown in lists (never the whole token). */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface RecordOptions {
  scanId?: number | null;
  actorId?: number | null;
  /** Set when the secret was pushed through push protection with a bypass. */
  bypass?: { reason: BypassReason; userId: number; at: string };
}

export interface RecordResult {
  created: Alert[];
  /** Existing alerts that gained a location. */
  updated: Alert[];
  locationsAdded: number;
}

export type AlertSort = "created" | "updated";

export interface AlertQuery {
  /** Repository ids to list from (a repository, an organization's visible repositories, or the instance's). */
  repoIds: readonly number[];
  state?: AlertState;
  /** Only these types; generic types are returned only when listed here (as GitHub does). */
  secretTypes?: string[];
  excludeSecretTypes?: string[];
  resolutions?: AlertResolution[];
  validities?: Validity[];
  isPubliclyLeaked?: boolean;
  isMultiRepo?: boolean;
  isBypassed?: boolean;
  /** Provider slugs (`providers` / `exclude_providers`); an alert without a provider never matches `providers`. */
  providers?: string[];
  excludeProviders?: string[];
  /** GitHub's `assignee`: "any" (`*`), "none", or a user id (the API resolves the login). */
  assignee?: "any" | "none" | number;
  sort: AlertSort;
  direction: "asc" | "desc";
  perPage: number;
  /** Offset pagination (1-based), or cursor pagination with `before`/`after` (opaque cursors from a previous page). */
  page?: number;
  before?: string;
  after?: string;
}

export interface AlertPage {
  alerts: Alert[];
  /** Offset pagination: whether a next page exists, and the last page number. */
  hasNext: boolean;
  lastPage?: number;
  /** Cursor pagination: cursors of the first and last alert of this page, when there are more in that direction. */
  startCursor?: string;
  endCursor?: string;
  hasPrevious: boolean;
}

export interface AlertChange {
  state?: AlertState;
  /** Required when resolving; cleared (null) when reopening. */
  resolution?: AlertResolution | null;
  resolutionComment?: string | null;
  /** null unassigns. */
  assigneeId?: number | null;
  validity?: Validity;
}

/** Thrown when the thing to change does not exist (an alert number, a token, a repository id). */
export class StoreNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreNotFoundError";
  }
}

/** Thrown on an argument the store cannot use: a malformed cursor, a resolution missing when resolving. The API answers 422. */
export class StoreInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreInputError";
  }
}

/** Thrown by the store on a uniqueness violation (e.g. a repository that already exists). */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreConflictError";
  }
}

/**
 * Thrown by `updateAlert` when resolving an alert that is already resolved with the same resolution:
 * checked inside the write's transaction, with the row locked, so that of two identical resolves
 * at the same moment one succeeds and the other gets this, as when they come one after the other.
 * The API answers 400 "The resolution was not changed", as GitHub does.
 */
export class StoreUnchangedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreUnchangedError";
  }
}
