import type { AlertChange } from "../alerts/alert-store.js";
import type { Alert, UserResolution } from "../alerts/types.js";
import { ApiError } from "./api-error.js";

const USER_RESOLUTIONS: readonly UserResolution[] = ["false_positive", "wont_fix", "revoked", "used_in_tests"];
/** GitHub's UI and API cap the closing comment; longer is a 400, as GitHub answers. */
export const MAX_RESOLUTION_COMMENT = 280;

export interface AlertUpdateRequest {
  change: AlertChange;
  /** Login to assign; null unassigns; undefined leaves it. Resolved to a user id by the caller. */
  assignee: string | null | undefined;
}

/**
 * Validates a PATCH body with GitHub's rules: at least one of state, assignee, validity; a
 * resolution is required to resolve and must not accompany a reopen (422); an over-long comment is
 * 400; resolving again with the same resolution is 400 ("the resolution was not changed").
 */
export function parseAlertUpdate(body: unknown, current: Alert): AlertUpdateRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "Problems parsing JSON");
  }
  const input = body as Record<string, unknown>;
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(input, key);
  if (!has("state") && !has("assignee") && !has("validity")) {
    throw unprocessable("state", "missing_field", "At least one of state, assignee or validity is required");
  }
  const change: AlertChange = {};
  let assignee: string | null | undefined;

  if (has("state")) {
    const state = input.state;
    if (state !== "open" && state !== "resolved") throw unprocessable("state", "invalid", "state must be open or resolved");
    const resolution = input.resolution ?? null;
    if (resolution !== null && !USER_RESOLUTIONS.includes(resolution as UserResolution)) {
      throw unprocessable("resolution", "invalid", `resolution must be one of ${USER_RESOLUTIONS.join(", ")}`);
    }
    if (state === "resolved" && resolution === null) {
      throw unprocessable("resolution", "missing_field", "You must provide resolution when you set the state to resolved");
    }
    if (state === "open" && resolution !== null) {
      throw unprocessable("resolution", "invalid", "State does not match the resolution: an open alert has no resolution");
    }
    if (state === "resolved" && current.state === "resolved" && current.resolution === resolution) {
      throw new ApiError(400, "The resolution was not changed");
    }
    change.state = state;
    change.resolution = state === "resolved" ? (resolution as UserResolution) : null;
    if (has("resolution_comment")) {
      const comment = input.resolution_comment;
      if (comment !== null && typeof comment !== "string") throw new ApiError(400, "resolution_comment is invalid: must be a string or null");
      // Characters are code points: an emoji is one character, not two UTF-16 units.
      if (typeof comment === "string" && characterCount(comment) > MAX_RESOLUTION_COMMENT) {
        throw new ApiError(400, `resolution_comment is invalid: at most ${MAX_RESOLUTION_COMMENT} characters`);
      }
      change.resolutionComment = comment;
    } else {
      change.resolutionComment = null;
    }
  } else if (has("resolution") || has("resolution_comment")) {
    throw unprocessable("state", "missing_field", "state is required with resolution or resolution_comment");
  }

  if (has("assignee")) {
    const value = input.assignee;
    if (value !== null && (typeof value !== "string" || value === "")) throw unprocessable("assignee", "invalid", "assignee must be a login or null");
    assignee = value;
  }

  if (has("validity")) {
    const value = input.validity;
    if (value !== null && value !== "active" && value !== "inactive") throw unprocessable("validity", "invalid", "validity must be active, inactive or null");
    change.validity = value ?? "unknown";
  }
  return { change, assignee };
}

function unprocessable(field: string, code: "missing_field" | "invalid", message: string): ApiError {
  return new ApiError(422, message, [{ resource: "SecretScanningAlert", field, code, message }]);
}

function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
