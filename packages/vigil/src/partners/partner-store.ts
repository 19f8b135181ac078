/**
 * The partner loop as the rest of Vigil sees it: registered token issuers ("partners") and the
 * secret types they accept, the durable queue of reports to them, and the keys Vigil signs reports
 * with. `store/kysely-partner-store.ts` implements it over SQLite and PostgreSQL.
 */

export interface Partner {
  id: number;
  name: string;
  /** Where reports are POSTed; `internal:vigil` is Vigil's own receiver for `vigil_api_token` (no network). */
  url: string;
  secretTypes: string[];
  /** Report secrets found in any repository, not only public ones. */
  reportAll: boolean;
  createdAt: string;
}

export interface SigningKey {
  /** SHA-256 (hex) of the DER public key, as GitHub's identifiers are. */
  keyIdentifier: string;
  /** SPKI PEM. */
  publicKey: string;
  isCurrent: boolean;
  createdAt: string;
}

export type ReportStatus = "pending" | "sending" | "reported" | "failed";

/** A queued report ready to send: the token is decrypted in memory only. */
export interface DueReport {
  id: number;
  partnerId: number;
  alertId: number;
  repoId: number;
  alertNumber: number;
  attempts: number;
  secretType: string;
  token: string;
  repoFullName: string;
  /** The alert's first location, as stored (commit details camelCase, content details GitHub's shape). */
  location: { type: string; details: Record<string, unknown> } | null;
}

export interface PartnerReportRecord {
  id: number;
  partnerId: number;
  alertId: number;
  status: ReportStatus;
  attempts: number;
  label: string | null;
  lastError: string | null;
  reportedAt: string | null;
}

export interface PartnerStore {
  addPartner(input: { name: string; url: string; secretTypes: string[]; reportAll?: boolean }): Promise<Partner>;
  listPartners(): Promise<Partner[]>;
  getPartner(name: string): Promise<Partner | null>;
  getPartnerById(id: number): Promise<Partner | null>;
  /** False when no partner has that name. Its queued reports go with it. */
  removePartner(name: string): Promise<boolean>;

  /** Every key, current first; the first call creates one. */
  listSigningKeys(): Promise<SigningKey[]>;
  /** The key reports are signed with, private key included (decrypted in memory only). */
  currentSigningKey(): Promise<SigningKey & { privateKey: string }>;
  /** A new current key; the old ones stay published (not current) so that reports in flight still verify. */
  rotateSigningKey(): Promise<SigningKey>;

  /** Takes up to `limit` due reports and leases them for `leaseMs` (a crash leaves them due again then). */
  claimDueReports(limit: number, leaseMs: number): Promise<DueReport[]>;
  /** Whether any report is due now (the serving node queues a `partner-report` job only then). */
  hasDueReports(): Promise<boolean>;
  /** The partner answered 2xx: done, with its label for the token when it gave one. Writes `partner_reported` / `partner_labeled` events. */
  completeReport(id: number, outcome: { label: string | null; partnerName: string }): Promise<void>;
  /** The attempt failed: due again at `retryAt`, or failed for good when null. */
  retryReport(id: number, error: string, retryAt: Date | null): Promise<void>;
  listReports(filter?: { alertId?: number }): Promise<PartnerReportRecord[]>;
  /** Vigil's own tokens: the owner of a leaked token was told; an `owner_notified` event on every alert of that secret. */
  noteOwnerNotified(secret: string, owner: { login: string; email: string | null }): Promise<number>;
}
