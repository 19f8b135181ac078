import type { Context } from "hono";
import type { ApiEnv } from "../api/api-env.js";
import type { Html } from "./layout.js";
import type { SignedIn } from "./read-session.js";
import type { WebPagesOptions } from "./pages.js";

/** The instance as GitHub's enterprise (the API's default slug). */
export const ENTERPRISE_SLUG = "vigil";

/** Paths of the pages (the access matrix and the docs name them). */
export const PAGE_PATHS = {
  home: "/security",
  login: "/login",
  logout: "/logout",
  orgAlerts: "/orgs/:org/security/secret-scanning",
  enterpriseAlerts: "/enterprises/:enterprise/security/secret-scanning",
  repoAlerts: "/:owner/:repo/security/secret-scanning",
  alert: "/:owner/:repo/security/secret-scanning/:number",
  orgOverview: "/orgs/:org/security/overview",
  orgPushProtection: "/orgs/:org/security/push-protection",
  orgReviews: "/orgs/:org/security/reviews",
  orgSettings: "/orgs/:org/settings/security",
  repoSettings: "/:owner/:repo/settings/security",
} as const;

/** Paths that take a form post: the server limits their body size. */
export const WEB_FORM_PATHS = [
  PAGE_PATHS.login,
  PAGE_PATHS.logout,
  PAGE_PATHS.alert,
  PAGE_PATHS.orgAlerts,
  PAGE_PATHS.enterpriseAlerts,
  PAGE_PATHS.repoAlerts,
  PAGE_PATHS.orgReviews,
  PAGE_PATHS.orgSettings,
  PAGE_PATHS.repoSettings,
];

/** What the page modules share: the signed-in wrapper, the page frame and the stores. */
export interface PageKit {
  options: WebPagesOptions;
  signedIn(
    handler: (c: Context<ApiEnv>, who: SignedIn) => Promise<Response>,
  ): (c: Context<ApiEnv>) => Promise<Response>;
  page(who: SignedIn, title: string, body: Html, nav?: { org: string; path: string }): Html;
  csrfField(who: SignedIn): Html;
}
