import type { Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import { ApiError } from "../api/api-error.js";
import { readToken } from "../api/authenticate.js";
import { createBypass } from "../api/push-protection-routes.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { ReviewStore } from "../alerts/review-store.js";

const REASONS = [
  ["used_in_tests", "It's used in tests", "The secret poses no risk. The alert is closed as used in tests."],
  ["false_positive", "It's a false positive", "The string is not a secret. The alert is closed as a false positive."],
  ["will_fix_later", "I'll fix it later", "The secret is real and will be revoked. The alert stays open."],
] as const;

/**
 * The page a blocked push links to (`/OWNER/REPO/security/secret-scanning/unblock-secret/ID`): it
 * names what was blocked (never the secret) and lets the pusher allow it with a reason, signing in
 * with their Vigil token. The same rules as the REST endpoint apply: only the pusher may.
 */
export const UNBLOCK_PAGE_PATH = "/:owner/:repo/security/secret-scanning/unblock-secret/:id";

export function mountUnblockPage(app: Hono, store: AlertStore, pushProtection: PushProtectionStore, reviews?: ReviewStore): void {
  const path = UNBLOCK_PAGE_PATH;

  app.get(path, async (c) => {
    const placeholder = await pushProtection.getPlaceholder(c.req.param("id"));
    const repo = await store.getRepository(c.req.param("owner"), c.req.param("repo"));
    if (!placeholder || !repo || placeholder.repoId !== repo.id) return c.html(page("Not found", "<p>This link is unknown or expired.</p>"), 404);
    // Delegated bypass: the organization's reviewers decide; the pusher asks, with a comment.
    const reviewed = reviews ? (await reviews.getOrgReviewSettings(repo.orgId)).bypassReview : false;
    const latest = reviewed && reviews ? (await reviews.listRequests({ kind: "bypass", repoIds: [repo.id], placeholderId: placeholder.placeholderId, page: 1, perPage: 1 })).requests[0] : undefined;
    const options = REASONS.map(
      ([value, label, help], i) =>
        `<label><input type="radio" name="reason" value="${value}"${i === 0 ? " checked" : ""}> <strong>${label}</strong><br><small>${help}</small></label>`,
    ).join("\n");
    return c.html(
      page(
        `Allow a secret in ${escape(repo.fullName)}`,
        `<p>Your push to <code>${escape(placeholder.ref)}</code> was blocked because it contains a <strong>${escape(placeholder.secretTypeDisplayName)}</strong>
in <code>${escape(placeholder.path)}:${placeholder.line}</code> (commit <code>${escape(placeholder.commitSha.slice(0, 12))}</code>).</p>
${
          reviewed
            ? `<p>This organization requires a reviewer (an owner or security manager) to approve a bypass. Submitting this form sends them a bypass request; once approved, push again. Organization owners and security managers allow the secret directly.</p>${
                latest ? `<p>Bypass request #${latest.number}: <strong>${escape(latest.status)}</strong> (expires ${escape(latest.expiresAt)}).</p>` : ""
              }`
            : `<p>If you allow it, you can push it for the next 3 hours and an alert is recorded with your reason.</p>`
        }
<form method="post">
<fieldset><legend>Why are you allowing this secret?</legend>
${options}
</fieldset>
${reviewed ? `<p><label>A comment for the reviewers<br><textarea name="comment" rows="3" cols="48" maxlength="2048"></textarea></label></p>` : ""}
<p><label>Your Vigil token (the one you push with)<br><input type="password" name="token" autocomplete="off" required size="48"></label></p>
<p><button type="submit">${reviewed ? "Request a bypass" : "Allow me to push this secret"}</button></p>
</form>`,
      ),
    );
  });

  app.post(path, async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const found = token ? await store.authenticateToken(token) : readToken(c.req.header("authorization")) ? await store.authenticateToken(readToken(c.req.header("authorization"))!) : null;
    if (!found) return c.html(page("Not allowed", "<p>The token is missing or not valid.</p>"), 401);
    try {
      const result = await createBypass(store, pushProtection, found.user, c.req.param("owner"), c.req.param("repo"), {
        reason: form.reason,
        placeholder_id: c.req.param("id"),
        ...(typeof form.comment === "string" ? { comment: form.comment } : {}),
      }, reviews);
      if ("request" in result) {
        const r = result.request;
        return c.html(
          page(
            "Bypass requested",
            `<p>Bypass request #${r.number} is <strong>${escape(r.status)}</strong>: a reviewer of the organization must approve it before you can push this ${escape(r.secretType)}. It expires at ${escape(r.expiresAt)}. Once it is approved, push again.</p>`,
          ),
          202,
        );
      }
      return c.html(page("Secret allowed", `<p>You can push this ${escape(result.token_type)} until ${escape(result.expire_at ?? "")}. Push again now.</p>`));
    } catch (error) {
      if (error instanceof ApiError) return c.html(page("Not allowed", `<p>${escape(error.message)}</p>`), error.status === 422 ? 422 : error.status === 403 ? 403 : 404);
      throw error;
    }
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Vigil</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2328}label{display:block;margin:.5rem 0}fieldset{border:1px solid #d0d7de;border-radius:6px}button{font-size:1rem;padding:.4rem 1rem}code{background:#f6f8fa;padding:0 .2rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
