import type { Context, Hono } from "hono";
import { html } from "hono/html";
import type { Organization, Repository } from "../alerts/types.js";
import type { ApiEnv } from "../api/api-env.js";
import { ApiError, notFound } from "../api/api-error.js";
import { requireScopes } from "../api/authenticate.js";
import { applyOrganizationSettings, applyRepositorySettings } from "../api/create-api.js";
import { describePatternConfig, updatePatternConfig } from "../api/push-protection-routes.js";
import { createHookFor } from "../api/webhook-routes.js";
import { HOOK_EVENTS } from "../webhooks/webhook-store.js";
import { ENTERPRISE_SLUG } from "./page-kit.js";
import { canManageAlerts, resolveManagedOrganization } from "../api/repo-access.js";
import type { Html } from "./layout.js";
import { PAGE_PATHS, type PageKit } from "./page-kit.js";
import type { SignedIn } from "./read-session.js";

interface PatternRow {
  slug: string;
  display_name: string;
  alert_total: number;
  false_positive_rate: number;
  bypass_rate: number;
  default_setting: string;
  enterprise_setting: string | null;
  setting: string;
}

const SETTING_NAMES: Record<string, string> = { "not-set": "Default", enabled: "Enabled", disabled: "Disabled" };

/**
 * Settings pages: an organization's (secret scanning, push protection, custom link, delegated
 * review, each pattern's push-protection setting, webhooks) and a repository's (secret scanning,
 * push protection, link template). They save through the API's own functions, with its rules and
 * validation; the pattern table saves with the version it was read at and says so on a 409.
 */
export function mountSettingsPages(pages: Hono<ApiEnv>, kit: PageKit): void {
  const { store, pushProtection, reviews, webhooks } = kit.options;

  const orgOf = async (c: Context<ApiEnv>, who: SignedIn) => {
    const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
    requireScopes(c, ["read:org", "write:org", "admin:org"]);
    const owner = who.user.siteAdmin || (await store.getOrgRole(who.user.id, org.id)) === "owner";
    return { org, owner };
  };

  pages.get(
    PAGE_PATHS.orgSettings,
    kit.signedIn(async (c, who) => {
      const { org, owner } = await orgOf(c, who);
      return orgSettingsPage(c, who, org, owner, null, 200);
    }),
  );

  pages.post(
    PAGE_PATHS.orgSettings,
    kit.signedIn(async (c, who) => {
      const { org, owner } = await orgOf(c, who);
      const form = await c.req.parseBody();
      const fail = (message: string, status: 409 | 422) => orgSettingsPage(c, who, org, owner, message, status);
      try {
        if (form.action === "organization") {
          // The API's rule for PATCH /orgs/{org}: owners only, with an organization-writing scope.
          if (!owner) throw new ApiError(403, "Only the organization's owners change these settings");
          requireScopes(c, ["admin:org", "write:org"]);
          const link = typeof form.custom_link === "string" ? form.custom_link.trim() : "";
          await applyOrganizationSettings(store, reviews, org, {
            secret_scanning_enabled: form.secret_scanning === "on",
            secret_scanning_push_protection_enabled_for_new_repositories: form.push_protection === "on",
            secret_scanning_push_protection_custom_link: link === "" ? null : link,
            ...(reviews
              ? {
                  secret_scanning_delegated_bypass_enabled: form.bypass_review === "on",
                  secret_scanning_delegated_alert_dismissal_enabled: form.dismissal_review === "on",
                }
              : {}),
          });
        } else if (form.action === "patterns") {
          requireScopes(c, ["write:org", "admin:org"]);
          if (!pushProtection) throw notFound();
          const settings: { token_type: string; push_protection_setting: string }[] = [];
          for (const [name, value] of Object.entries(form)) {
            if (!name.startsWith("setting.") || typeof value !== "string") continue;
            const slug = name.slice("setting.".length);
            if (form[`was.${slug}`] !== value) settings.push({ token_type: slug, push_protection_setting: value });
          }
          // The version the table was read at (empty: never saved); without the field, as the API: last writer wins.
          const raw = form.pattern_config_version;
          const version = typeof raw === "string" ? { pattern_config_version: raw === "" ? null : raw } : {};
          await updatePatternConfig(pushProtection, `org:${org.id}`, {
            ...version,
            provider_pattern_settings: settings,
          });
          const back = new URL(c.req.url);
          back.searchParams.set(
            "saved",
            `${settings.length} pattern setting${settings.length === 1 ? "" : "s"} saved.`,
          );
          return c.redirect(back.pathname + back.search + "#patterns", 303);
        } else if (form.action === "webhook-create" || form.action === "webhook-delete") {
          // The API's rule for organization hooks: owners only, with admin:org_hook.
          if (!owner || !webhooks) throw notFound();
          requireScopes(c, ["admin:org_hook"]);
          let done: string;
          if (form.action === "webhook-create") {
            const all = await c.req.parseBody({ all: true });
            const events = ([] as unknown[]).concat(all.events ?? []).filter((e): e is string => typeof e === "string");
            const secret = typeof form.secret === "string" ? form.secret : "";
            const onDeliveryQueued = kit.options.onWebhookQueued;
            const hook = await createHookFor(
              { webhooks, enterpriseSlug: ENTERPRISE_SLUG, ...(onDeliveryQueued ? { onDeliveryQueued } : {}) },
              c.get("urls"),
              who.user,
              { scope: "organization", org, path: `/orgs/${org.login}/hooks` },
              {
                name: "web",
                active: form.active === "on",
                events,
                config: {
                  url: typeof form.url === "string" ? form.url.trim() : "",
                  content_type: form.content_type === "json" ? "json" : "form",
                  ...(secret !== "" ? { secret } : {}),
                },
              },
            );
            done = `Webhook ${hook.id} added${hook.active ? "; a ping is on its way" : ""}.`;
          } else {
            const raw = typeof form.hook_id === "string" ? form.hook_id : "";
            const hook = /^[1-9][0-9]{0,14}$/.test(raw) ? await webhooks.getHook(Number(raw)) : null;
            if (!hook || hook.kind !== "webhook" || hook.scope !== "organization" || hook.orgId !== org.id)
              throw notFound();
            await webhooks.deleteHook(hook.id);
            done = `Webhook ${hook.id} deleted.`;
          }
          const back = new URL(c.req.url);
          back.searchParams.set("saved", done);
          return c.redirect(back.pathname + back.search + "#webhooks", 303);
        } else throw new ApiError(422, "Choose which settings to save");
      } catch (error) {
        if (!(error instanceof ApiError) || error.status === 404 || error.status === 403) throw error;
        if (error.status === 409)
          return fail(
            "Someone else changed the pattern configuration after you opened this page, so your changes were not saved. The table below shows the current settings: make your changes again and save.",
            409,
          );
        return fail(error.message, 422);
      }
      const back = new URL(c.req.url);
      back.searchParams.set("saved", "Organization settings saved.");
      return c.redirect(back.pathname + back.search, 303);
    }),
  );

  async function orgSettingsPage(
    c: Context<ApiEnv>,
    who: SignedIn,
    org: Organization,
    owner: boolean,
    problem: string | null,
    status: 200 | 409 | 422,
  ): Promise<Response> {
    const title = `Security settings · ${org.login}`;
    const saved = c.req.query("saved");
    const search = (c.req.query("pattern") ?? "").trim().toLowerCase();
    const reviewSettings = reviews ? await reviews.getOrgReviewSettings(org.id) : null;
    const disabled = owner ? "" : " disabled";
    let patterns: Html = html``;
    if (pushProtection) {
      const config = await describePatternConfig(store, pushProtection, `org:${org.id}`, org);
      const all = config.provider_pattern_overrides as PatternRow[];
      // Every provider pattern is configurable; the table lists those in use, changed, or searched for.
      const rows = all.filter((p) =>
        search
          ? p.slug.includes(search) || p.display_name.toLowerCase().includes(search)
          : p.alert_total > 0 || p.setting !== "not-set" || p.bypass_rate > 0,
      );
      patterns = html`<section aria-labelledby="patterns">
        <h2 id="patterns">Push protection by pattern</h2>
        <form
          method="get"
          action="${new URL(c.req.url).pathname}#patterns"
          role="search"
          class="filters"
          aria-label="Find a pattern"
        >
          <label>Find a pattern<input name="pattern" value="${search}" placeholder="e.g. slack" /></label>
          <button type="submit">Find</button>
        </form>
        <form method="post" action="${new URL(c.req.url).pathname}${new URL(c.req.url).search}">
          ${kit.csrfField(who)}<input type="hidden" name="action" value="patterns" /><input
            type="hidden"
            name="pattern_config_version"
            value="${config.pattern_config_version ?? ""}"
          />
          <table>
            <caption>
              ${search ? `Patterns matching “${search}”: ${rows.length}` : `Patterns with alerts or a setting: ${rows.length} of ${all.length}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Pattern</th>
                <th scope="col" class="num">Alerts</th>
                <th scope="col" class="num">False positives</th>
                <th scope="col" class="num">Bypass rate</th>
                <th scope="col">Default</th>
                <th scope="col">Setting</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (p) =>
                  html`<tr>
                    <th scope="row">${p.display_name}<br /><code class="small">${p.slug}</code></th>
                    <td class="num">${p.alert_total}</td>
                    <td class="num">${p.false_positive_rate}%</td>
                    <td class="num">${p.bypass_rate}%</td>
                    <td>
                      ${SETTING_NAMES[p.enterprise_setting && p.enterprise_setting !== "not-set" ? p.enterprise_setting : p.default_setting]}
                    </td>
                    <td>
                      <input type="hidden" name="was.${p.slug}" value="${p.setting}" />
                      <label class="skip" for="setting-${p.slug}">Push protection for ${p.display_name}</label>
                      <select id="setting-${p.slug}" name="setting.${p.slug}">
                        ${["not-set", "enabled", "disabled"].map((v) => html`<option value="${v}" ${p.setting === v ? " selected" : ""}>${SETTING_NAMES[v]}</option>`)}
                      </select>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p><button type="submit" class="primary">Save pattern settings</button></p>
        </form>
      </section>`;
    }
    let hooks: Html = html``;
    if (webhooks && owner) {
      const list = await webhooks.listHooks({ scope: "organization", orgId: org.id });
      const action = `${new URL(c.req.url).pathname}`;
      hooks = html`<section aria-labelledby="webhooks">
        <h2 id="webhooks">Webhooks</h2>
        <table>
          <caption>
            ${list.length === 0 ? "No webhooks." : `${list.length} webhook${list.length === 1 ? "" : "s"}`} Deliveries
            and redelivery: the API (see docs/webhooks.md).
          </caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Active</th>
              <th scope="col">Last delivery</th>
              <th scope="col"><span class="skip">Delete</span></th>
            </tr>
          </thead>
          <tbody>
            ${list.map(
              (h) =>
                html`<tr>
                  <td><code>${h.url}</code></td>
                  <td>${h.events.join(", ")}</td>
                  <td>${h.active ? "yes" : "no"}</td>
                  <td>
                    ${h.lastResponse.status ?? "—"}${h.lastResponse.code !== null ? ` (${h.lastResponse.code})` : ""}
                  </td>
                  <td>
                    <form method="post" action="${action}">
                      ${kit.csrfField(who)}<input type="hidden" name="action" value="webhook-delete" /><input
                        type="hidden"
                        name="hook_id"
                        value="${h.id}"
                      /><button type="submit" aria-label="Delete the webhook to ${h.url}">Delete</button>
                    </form>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <form method="post" action="${action}" class="box" aria-labelledby="add-webhook">
          <h3 id="add-webhook" style="margin-top:0">Add a webhook</h3>
          ${kit.csrfField(who)}<input type="hidden" name="action" value="webhook-create" />
          <label
            >Payload URL<input name="url" type="url" size="50" required placeholder="https://hooks.example/vigil"
          /></label>
          <label
            >Content type<select name="content_type">
              <option value="json">application/json</option>
              <option value="form">application/x-www-form-urlencoded</option>
            </select></label
          >
          <label>Secret<input name="secret" type="password" autocomplete="off" size="30" /></label>
          <fieldset>
            <legend>Events</legend>
            ${HOOK_EVENTS.map(
              (e) =>
                html`<label class="check"><input type="checkbox" name="events" value="${e}" checked /> ${e}</label>`,
            )}
          </fieldset>
          <label class="check"><input type="checkbox" name="active" checked /> Active</label>
          <p><button type="submit" class="primary">Add webhook</button></p>
        </form>
      </section>`;
    }
    const checkbox = (name: string, label: string, on: boolean) =>
      html`<label class="check"
        ><input type="checkbox" name="${name}" ${on ? " checked" : ""}${disabled} /> ${label}</label
      >`;
    return c.html(
      kit.page(
        who,
        title,
        html`<h1>${title}</h1>
          ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : ""}
          ${saved ? html`<p class="notice" role="status">${saved}</p>` : ""}
          <section aria-labelledby="org-settings" class="box">
            <h2 id="org-settings" style="margin-top:0">Secret scanning</h2>
            ${owner ? "" : html`<p class="muted">Only the organization's owners change these settings.</p>`}
            <form method="post" action="${new URL(c.req.url).pathname}${new URL(c.req.url).search}">
              ${kit.csrfField(who)}<input type="hidden" name="action" value="organization" />
              ${checkbox("secret_scanning", "Secret scanning for the organization's repositories", org.secretScanningEnabled)}
              ${checkbox("push_protection", "Push protection for new repositories", org.pushProtectionEnabled)}
              ${reviewSettings ? checkbox("bypass_review", "Require review to bypass push protection", reviewSettings.bypassReview) : ""}
              ${reviewSettings ? checkbox("dismissal_review", "Require review to close alerts", reviewSettings.dismissalReview) : ""}
              <label
                >Custom link shown when a push is blocked<input
                  name="custom_link"
                  type="url"
                  size="50"
                  value="${org.pushProtectionCustomLink ?? ""}"
                  placeholder="https://wiki.example/secrets"
                  ${disabled}
              /></label>
              ${owner ? html`<p><button type="submit" class="primary">Save settings</button></p>` : ""}
            </form>
          </section>
          ${patterns} ${hooks}`,
        { org: org.login, path: new URL(c.req.url).pathname },
      ),
      status,
    );
  }

  // --- a repository's settings -----------------------------------------------------------------
  const repoOf = async (c: Context<ApiEnv>, who: SignedIn): Promise<Repository> => {
    const repo = await store.getRepository(c.req.param("owner") ?? "", c.req.param("repo") ?? "");
    if (!repo) throw notFound();
    if (!canManageAlerts(who.user, await store.getRoles(who.user.id, repo.id))) throw notFound();
    requireScopes(c, ["repo"]);
    return repo;
  };

  pages.get(
    PAGE_PATHS.repoSettings,
    kit.signedIn(async (c, who) => repoSettingsPage(c, who, await repoOf(c, who), null, 200)),
  );

  pages.post(
    PAGE_PATHS.repoSettings,
    kit.signedIn(async (c, who) => {
      const repo = await repoOf(c, who);
      const form = await c.req.parseBody();
      const template = typeof form.web_url_template === "string" ? form.web_url_template.trim() : "";
      const status = (on: boolean) => ({ status: on ? "enabled" : "disabled" });
      try {
        await applyRepositorySettings(store, repo, {
          security_and_analysis: {
            secret_scanning: status(form.secret_scanning === "on"),
            secret_scanning_push_protection: status(form.push_protection === "on"),
          },
          web_url_template: template === "" ? null : template,
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 422)
          return repoSettingsPage(c, who, repo, error.message, 422);
        throw error;
      }
      return c.redirect(`/${repo.fullName}/settings/security?saved=1`, 303);
    }),
  );

  function repoSettingsPage(
    c: Context<ApiEnv>,
    who: SignedIn,
    repo: Repository,
    problem: string | null,
    status: 200 | 422,
  ): Response | Promise<Response> {
    const title = `Security settings · ${repo.fullName}`;
    return c.html(
      kit.page(
        who,
        title,
        html`<h1>${title}</h1>
          ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : ""}
          ${c.req.query("saved") ? html`<p class="notice" role="status">Repository settings saved.</p>` : ""}
          <form method="post" action="/${repo.fullName}/settings/security" class="box">
            ${kit.csrfField(who)}
            <label class="check"
              ><input type="checkbox" name="secret_scanning" ${repo.secretScanningEnabled ? " checked" : ""} /> Secret
              scanning</label
            >
            <label class="check"
              ><input type="checkbox" name="push_protection" ${repo.pushProtectionEnabled ? " checked" : ""} /> Push
              protection</label
            >
            <label for="web_url_template">Link template for alert locations</label>
            <input
              id="web_url_template"
              name="web_url_template"
              size="70"
              value="${repo.webUrlTemplate ?? ""}"
              placeholder="https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}"
              aria-describedby="template-help"
            />
            <p id="template-help" class="muted small">
              Placeholders: {owner}, {repo}, {commit}, {path}, {line}. Empty: locations link to the blob in the API.
            </p>
            <p><button type="submit" class="primary">Save</button></p>
          </form>
          <p><a href="/${repo.fullName}/security/secret-scanning">The repository's alerts</a></p>`,
      ),
      status,
    );
  }
}
