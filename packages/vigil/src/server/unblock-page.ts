import type { Context, Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import { ApiError } from "../api/api-error.js";
import { readToken } from "../api/authenticate.js";
import { createBypass } from "../api/push-protection-routes.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { ReviewStore } from "../alerts/review-store.js";
import { readSession, sameSecret, type SignedIn } from "../web/read-session.js";
import type { WebSessionStore } from "../web/session-store.js";

const REASONS = [
  ["used_in_tests", "It's used in tests", "The secret poses no risk. The alert is closed as used in tests."],
  ["false_positive", "It's a false positive", "The string is not a secret. The alert is closed as a false positive."],
  ["will_fix_later", "I'll fix it later", "The secret is real and will be revoked. The alert stays open."],
] as const;

/**
 * The page a blocked push links to (`/OWNER/REPO/security/secret-scanning/unblock-secret/ID`): it
 * names what was blocked (never the secret) and lets the pusher allow it with a reason. A browser
 * signed in to the web pages (`sessions` given) posts as its session's user, with the session's CSRF
 * token; without a session the form takes the Vigil token the pusher pushes with. The same rules as
 * the REST endpoint apply: only the pusher may.
 */
export const UNBLOCK_PAGE_PATH = "/:owner/:repo/security/secret-scanning/unblock-secret/:id";

export function mountUnblockPage(
  app: Hono,
  store: AlertStore,
  pushProtection: PushProtectionStore,
  reviews?: ReviewStore,
  sessions?: WebSessionStore,
): void {
  const path = UNBLOCK_PAGE_PATH;
  const signedIn = (c: Context): Promise<SignedIn | null> =>
    sessions ? readSession(c, store, sessions) : Promise.resolve(null);

  app.get(path, async (c) => {
    pageHeaders(c);
    const placeholder = await pushProtection.getPlaceholder(c.req.param("id"));
    const repo = await store.getRepository(c.req.param("owner"), c.req.param("repo"));
    if (!placeholder || !repo || placeholder.repoId !== repo.id)
      return c.html(page("Not found", "<p>This link is unknown or expired.</p>"), 404);
    // Delegated bypass: the organization's reviewers decide; the pusher asks, with a comment.
    const reviewed = reviews ? (await reviews.getOrgReviewSettings(repo.orgId)).bypassReview : false;
    const latest =
      reviewed && reviews
        ? (
            await reviews.listRequests({
              kind: "bypass",
              repoIds: [repo.id],
              placeholderId: placeholder.placeholderId,
              page: 1,
              perPage: 1,
            })
          ).requests[0]
        : undefined;
    const options = REASONS.map(
      ([value, label, help], i) =>
        `<label><input type="radio" name="reason" value="${value}"${i === 0 ? " checked" : ""}> <strong>${label}</strong><br><small>${help}</small></label>`,
    ).join("\n");
    const who = await signedIn(c);
    const back = new URL(c.req.url).pathname;
    // Signed in: the session says who is asking (its CSRF token guards the form). Otherwise the pusher's token does.
    const identity = who
      ? `<input type="hidden" name="_csrf" value="${escape(who.session.csrfToken)}">
<p>Signed in as <strong>${escape(who.user.login)}</strong>.</p>`
      : `<p><label>Your Vigil token (the one you push with)<br><input type="password" name="token" autocomplete="off" required size="48"></label></p>${
          sessions
            ? `\n<p><small>Or <a href="/login?return_to=${encodeURIComponent(back)}">sign in</a> and come back to this page.</small></p>`
            : ""
        }`;
    return c.html(
      page(
        `Allow a secret in ${escape(repo.fullName)}`,
        `<p>Your push to <code>${escape(placeholder.ref)}</code> was blocked because it contains a <strong>${escape(placeholder.secretTypeDisplayName)}</strong>
in <code>${escape(placeholder.path)}:${placeholder.line}</code> (commit <code>${escape(placeholder.commitSha.slice(0, 12))}</code>).</p>
${
  reviewed
    ? `<p>This organization requires a reviewer (an owner or security manager) to approve a bypass. Submitting this form sends them a bypass request; once approved, push again. Organization owners and security managers allow the secret directly.</p>${
        latest
          ? `<p>Bypass request #${latest.number}: <strong>${escape(latest.status)}</strong> (expires ${escape(latest.expiresAt)}).</p>`
          : ""
      }`
    : `<p>If you allow it, you can push it for the next 3 hours and an alert is recorded with your reason.</p>`
}
<form method="post">
<fieldset><legend>Why are you allowing this secret?</legend>
${options}
</fieldset>
${reviewed ? `<p><label>A comment for the reviewers<br><textarea name="comment" rows="3" cols="48" maxlength="2048"></textarea></label></p>` : ""}
${identity}
<p><button type="submit">${reviewed ? "Request a bypass" : "Allow me to push this secret"}</button></p>
</form>`,
      ),
    );
  });

  app.post(path, async (c) => {
    pageHeaders(c);
    const form = await c.req.parseBody();
    const found = await whoPosts(c, form);
    if (found === "csrf")
      return c.html(
        page(
          "Form expired",
          "<p>The form was out of date or came from another site. Go back, reload the page and try again.</p>",
        ),
        403,
      );
    if (!found)
      return c.html(page("Not allowed", "<p>Sign in, or give your Vigil token: it is missing or not valid.</p>"), 401);
    try {
      const result = await createBypass(
        store,
        pushProtection,
        found.user,
        c.req.param("owner"),
        c.req.param("repo"),
        {
          reason: form.reason,
          placeholder_id: c.req.param("id"),
          ...(typeof form.comment === "string" ? { comment: form.comment } : {}),
        },
        reviews,
      );
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
      return c.html(
        page(
          "Secret allowed",
          `<p>You can push this ${escape(result.token_type)} until ${escape(result.expire_at ?? "")}. Push again now.</p>`,
        ),
      );
    } catch (error) {
      if (error instanceof ApiError)
        return c.html(
          page("Not allowed", `<p>${escape(error.message)}</p>`),
          error.status === 422 ? 422 : error.status === 403 ? 403 : 404,
        );
      throw error;
    }
  });

  /**
   * Who posts the form: a pasted token (or an `Authorization` header) first, since it proves itself;
   * else the browser's session, whose cookie a browser sends by itself, so only with the session's CSRF
   * token ("csrf" when it is missing or wrong). Null: nobody.
   */
  async function whoPosts(
    c: Context,
    form: Record<string, unknown>,
  ): Promise<{ user: SignedIn["user"] } | "csrf" | null> {
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const header = readToken(c.req.header("authorization"));
    if (token || header) return token.length <= 256 ? await store.authenticateToken(token || header!) : null;
    const who = await signedIn(c);
    if (!who) return null;
    return sameSecret(form._csrf, who.session.csrfToken) ? who : "csrf";
  }
}

function pageHeaders(c: Context): void {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
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
