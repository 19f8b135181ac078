import type { AlertStore } from "../alerts/alert-store.js";
import type { ReviewRequest, ReviewStore } from "../alerts/review-store.js";
import type { Alert, AlertResolution, Organization, Repository, User } from "../alerts/types.js";
import { ApiError } from "./api-error.js";
import { parseAlertUpdate } from "./parse-alert-update.js";
import { hasWriteAccess } from "./repo-access.js";
import { isReviewer } from "./review-routes.js";

export type AlertUpdateOutcome =
  | { kind: "updated"; alert: Alert }
  /** Delegated alert dismissal: the alert stays open and a reviewer must approve the close. */
  | { kind: "dismissal_requested"; request: ReviewRequest; created: boolean };

/**
 * One alert update with GitHub's PATCH rules, for the REST API and the web pages alike: the body is
 * validated (`parseAlertUpdate`), an assignee must have write access to the repository (422), and
 * closing an alert in an organization that requires dismissal review, by someone who is not a
 * reviewer, records a dismissal request instead. The caller has already resolved access to `repo`.
 */
export async function updateAlertAs(
  deps: { store: AlertStore; reviews?: ReviewStore | undefined },
  user: User,
  repo: Repository,
  org: Organization,
  alert: Alert,
  body: unknown,
): Promise<AlertUpdateOutcome> {
  const { store, reviews } = deps;
  const { change, assignee } = parseAlertUpdate(body, alert);
  if (assignee !== undefined) {
    if (assignee === null) change.assigneeId = null;
    else {
      const target = await store.getUserByLogin(assignee);
      const roles = target ? await store.getRoles(target.id, repo.id) : null;
      if (!target || !roles || !hasWriteAccess(target, roles)) {
        throw new ApiError(422, "Assignee does not have write access to the repository", [
          {
            resource: "SecretScanningAlert",
            field: "assignee",
            code: "invalid",
            message: "assignee does not have write access to the repository",
          },
        ]);
      }
      change.assigneeId = target.id;
    }
  }
  if (reviews && change.state === "resolved" && alert.state !== "resolved") {
    if ((await reviews.getOrgReviewSettings(org.id)).dismissalReview && !(await isReviewer(store, user, org.id))) {
      const { request, created } = await reviews.createRequest({
        kind: "dismissal",
        repoId: repo.id,
        requesterId: user.id,
        alertNumber: alert.number,
        secretType: alert.secretType,
        reason: change.resolution as AlertResolution,
        comment: change.resolutionComment ?? null,
      });
      if (created)
        await reviews.recordAlertEvent(alert, "dismissal_requested", user.id, {
          request_number: request.number,
          reason: request.reason,
          comment: request.comment,
        });
      return { kind: "dismissal_requested", request, created };
    }
  }
  return { kind: "updated", alert: await store.updateAlert(repo.id, alert.number, change, user.id) };
}
