/**
 * The alert domain, as GitHub secret scanning has it. The store implements
 * `AlertStore` over SQLite or PostgreSQL; the REST API, push protection and
 * webhooks use only this interface. TypeScript names are camelCase; the API
 * maps them to GitHub's snake_case in one place.
 */

export type AlertState = "open" | "resolved";
/** Resolutions a user may set, plus the ones the system sets when a custom pattern changes. */
export type AlertResolution =
  "false_positive" | "wont_fix" | "revoked" | "used_in_tests" | "pattern_edited" | "pattern_deleted";
export type UserResolution = Exclude<AlertResolution, "pattern_edited" | "pattern_deleted">;
export type Validity = "active" | "inactive" | "unknown";
export type BypassReason = "false_positive" | "used_in_tests" | "will_fix_later";

/** Organization roles for this feature: owners and security managers see every alert of the organization. */
export type OrgRole = "owner" | "security_manager" | "member";
/** Repository roles: admins manage alerts; write may push and bypass; read sees nothing of secret scanning unless granted. */
export type RepoRole = "admin" | "maintain" | "write" | "triage" | "read";

export interface User {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  siteAdmin: boolean;
  createdAt: string;
}

export interface Organization {
  id: number;
  login: string;
  secretScanningEnabled: boolean;
  pushProtectionEnabled: boolean;
  /** Shown to contributors whose push is blocked (GitHub's custom link). */
  pushProtectionCustomLink: string | null;
}

export interface Repository {
  id: number;
  orgId: number;
  /** `owner/name`. */
  fullName: string;
  name: string;
  /** Where the server mirrors from (a URL or a local path), or null for repositories hosted by Vigil. */
  sourceUrl: string | null;
  /** The bare mirror inside the data directory. */
  mirrorPath: string;
  secretScanningEnabled: boolean;
  pushProtectionEnabled: boolean;
  createdAt: string;
  /**
   * Link to a file at a commit in the git server's web view, with `{owner}`, `{repo}`, `{commit}`,
   * `{path}`, `{line}`, `{end_line}` (the `html_url` of alert locations); null: the API's own objects.
   */
  webUrlTemplate: string | null;
  /** Why the last fetch of the mirror failed (git's message, credentials removed); null once a fetch works. */
  mirrorError: string | null;
  mirrorFailedAt: string | null;
  /** A public repository: its alerts are `publicly_leaked` and reported to partners. */
  isPublic: boolean;
}

/** A commit location, GitHub's `secret-scanning-location` with type `commit`. */
export interface CommitLocationDetails {
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number;
  endColumn: number;
  blobSha: string;
  commitSha: string;
  authorName?: string;
  authorEmail?: string;
  committerEmail?: string;
  commitDate?: string;
}

/** GitHub's location types for content outside git (and wiki commits, found by a wiki's history scan). */
export const CONTENT_LOCATION_TYPES = [
  "wiki_commit",
  "issue_title",
  "issue_body",
  "issue_comment",
  "discussion_title",
  "discussion_body",
  "discussion_comment",
  "pull_request_title",
  "pull_request_body",
  "pull_request_comment",
  "pull_request_review",
  "pull_request_review_comment",
  // Vigil's extension: any other text (chat exports, tickets, CI logs) sent to the content endpoint.
  "content",
] as const;
export type ContentLocationType = (typeof CONTENT_LOCATION_TYPES)[number];

/**
 * A content location's `details`, already in GitHub's snake_case shape (`issue_comment_url`,
 * `html_url`, …): the URLs point at the forge the content lives on, not at Vigil.
 */
export type ContentLocationDetails = Record<string, string | number>;

export interface AlertLocation {
  id: number;
  alertId: number;
  type: "commit" | ContentLocationType;
  details: CommitLocationDetails | ContentLocationDetails;
  createdAt: string;
}

export interface Alert {
  id: number;
  repoId: number;
  /** Per-repository number, from 1. */
  number: number;
  secretType: string;
  secretTypeDisplayName: string;
  provider: string | null;
  providerSlug: string | null;
  /** "default" (provider and custom) or "generic" (non-provider): generic alerts are listed only when asked for by type. */
  secretCategory: "default" | "generic";
  /** Decrypted on read; stored encrypted (AES-256-GCM) and identified by `secretHash` (keyed HMAC). */
  secret: string;
  secretHash: string;
  state: AlertState;
  resolution: AlertResolution | null;
  resolvedAt: string | null;
  resolvedBy: number | null;
  resolutionComment: string | null;
  assigneeId: number | null;
  validity: Validity;
  isBase64Encoded: boolean;
  publiclyLeaked: boolean;
  multiRepo: boolean;
  pushProtectionBypassed: boolean;
  pushProtectionBypassedBy: number | null;
  pushProtectionBypassedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Denormalised for listing: the first location and how many there are. */
  firstLocation: AlertLocation | null;
  locationCount: number;
  /** The label the token's issuer answered a partner report with (`true_positive` / `false_positive`), or null. */
  partnerLabel: string | null;
}

/** An event row, written in the same transaction as the change: the alert's timeline and the webhook outbox. */
export interface AlertEvent {
  id: number;
  alertId: number;
  repoId: number;
  /**
   * GitHub webhook action names: created, resolved, reopened, assigned, unassigned, validated,
   * location_created, publicly_leaked. The others are Vigil's timeline entries, never delivered as
   * webhooks: the partner loop's (`partner_reported`, `partner_labeled`, `owner_notified`) and
   * delegated review's (`dismissal_requested`, `dismissal_approved`, `dismissal_denied`,
   * `bypass_requested`, `bypass_approved`) and validity checks' (`validity_checked`: a check that
   * changed nothing; a change is GitHub's `validated`).
   */
  action:
    | "created"
    | "resolved"
    | "reopened"
    | "assigned"
    | "unassigned"
    | "validated"
    | "location_created"
    | "publicly_leaked"
    | "partner_reported"
    | "partner_labeled"
    | "owner_notified"
    | "dismissal_requested"
    | "dismissal_approved"
    | "dismissal_denied"
    | "bypass_requested"
    | "bypass_approved"
    | "validity_checked"
    /** The web page showed the secret to the actor (Vigil's timeline entry). */
    | "secret_revealed";
  actorId: number | null;
  payload: Record<string, unknown>;
  createdAt: string;
  /** Set when the outbox has delivered it (webhooks, later). */
  deliveredAt: string | null;
}

/** A secret found by a scan, with one location, ready to become (or join) an alert. */
export interface DetectedSecret {
  secretType: string;
  secretTypeDisplayName: string;
  provider: string | null;
  secretCategory: "default" | "generic";
  secret: string;
  isBase64Encoded: boolean;
  location:
    { type: "commit"; details: CommitLocationDetails } | { type: ContentLocationType; details: ContentLocationDetails };
}

export interface ScanRecord {
  id: number;
  repoId: number;
  /** GitHub's scan-history kinds. */
  kind: "incremental" | "backfill" | "pattern_update" | "custom_pattern_backfill" | "generic_secrets_backfill";
  /** Free string as on GitHub: git, issue, discussion. */
  type: string;
  status: "pending" | "running" | "completed" | "failed";
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
}
