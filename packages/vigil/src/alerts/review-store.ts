import type { AlertResolution, BypassReason } from "./types.js";

/** An organization's delegated review settings (GitHub's delegated bypass and delegated alert dismissal). */
export interface OrgReviewSettings {
  /** A push-protection bypass by someone who is not a reviewer becomes a bypass request. */
  bypassReview: boolean;
  /** Closing an alert by someone who is not a reviewer becomes a dismissal request. */
  dismissalReview: boolean;
}

export type ReviewKind = "bypass" | "dismissal";
/** `completed`: an approved bypass whose push went through. */
export type ReviewRequestStatus = "pending" | "approved" | "denied" | "expired" | "cancelled" | "completed";
export type ReviewResponseStatus = "approved" | "denied" | "dismissed";

export interface ReviewResponse {
  id: number;
  requestId: number;
  reviewerId: number;
  status: ReviewResponseStatus;
  message: string;
  createdAt: string;
}

export interface ReviewRequest {
  id: number;
  kind: ReviewKind;
  repoId: number;
  /** Bypass requests: their number in the repository. Dismissal requests: the alert's number. */
  number: number;
  requesterId: number;
  /** Bypass requests: the blocked secret (the placeholder of the push). */
  placeholderId: string | null;
  alertNumber: number | null;
  /** Bypass requests: where the blocked secret was (GitHub's `data[].path` and `branch`, and the commit). */
  placeholder: { path: string; branch: string; commit: string } | null;
  secretType: string;
  /** A bypass reason (`used_in_tests`, `false_positive`, `will_fix_later`) or the requested resolution. */
  reason: BypassReason | AlertResolution;
  comment: string | null;
  status: ReviewRequestStatus;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  responses: ReviewResponse[];
}

export interface ReviewRequestFilter {
  kind: ReviewKind;
  repoIds: number[];
  requesterId?: number;
  /** Bypass requests for this blocked secret. */
  placeholderId?: string;
  /** Requests this user responded to. */
  reviewerId?: number;
  /** Created at or after. */
  since?: string;
  /** Absent: all. */
  statuses?: ReviewRequestStatus[];
  page: number;
  perPage: number;
}

/** GitHub: a request not reviewed within 7 days expires. */
export const REVIEW_REQUEST_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Delegated review's store, over the same database as the alerts. Each mutating method is one transaction. */
export interface ReviewStore {
  getOrgReviewSettings(orgId: number): Promise<OrgReviewSettings>;
  setOrgReviewSettings(orgId: number, patch: Partial<OrgReviewSettings>): Promise<OrgReviewSettings>;
  /** A pending request for the same alert, or a pending or approved one for the same placeholder, is returned as is (`created: false`). */
  createRequest(input: {
    kind: ReviewKind;
    repoId: number;
    requesterId: number;
    placeholderId?: string;
    alertNumber?: number;
    secretType: string;
    reason: ReviewRequest["reason"];
    comment: string | null;
  }): Promise<{ request: ReviewRequest; created: boolean }>;
  /** Bypass: by number; dismissal: the newest request for that alert number. */
  getRequest(kind: ReviewKind, repoId: number, number: number): Promise<ReviewRequest | null>;
  /** Newest first, with the total for pagination. */
  listRequests(filter: ReviewRequestFilter): Promise<{ requests: ReviewRequest[]; total: number }>;
  /** Records a reviewer's decision on a pending request; null when the request is no longer pending. */
  respond(
    requestId: number,
    reviewerId: number,
    status: "approved" | "denied",
    message: string,
  ): Promise<{ request: ReviewRequest; response: ReviewResponse } | null>;
  getResponse(responseId: number): Promise<(ReviewResponse & { request: ReviewRequest }) | null>;
  /** Marks a response dismissed; a request it decided is pending again (or expired, past its time). */
  dismissResponse(responseId: number): Promise<ReviewRequest>;
  /**
   * When a push carried a secret through an approved bypass request: the request and its approval
   * become events on the alerts the push created (`bypass_requested`, `bypass_approved`).
   */
  recordBypassEvents(placeholderId: string, alerts: { id: number; repoId: number }[]): Promise<void>;
  /** A timeline entry on an alert (delegated dismissal), kept out of webhook deliveries. */
  recordAlertEvent(
    alert: { id: number; repoId: number },
    action: string,
    actorId: number,
    payload: Record<string, unknown>,
  ): Promise<void>;
}
