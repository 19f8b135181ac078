import type { AlertStore } from "../alerts/alert-store.js";
import type { Organization, OrgRole, Repository, RepoRole, User } from "../alerts/types.js";
import { notFound } from "./api-error.js";

/** Who manages secret scanning alerts, as on GitHub: repository admins, organization owners and security managers. */
export function canManageAlerts(user: User, roles: { orgRole: OrgRole | null; repoRole: RepoRole | null }): boolean {
  return user.siteAdmin || roles.orgRole === "owner" || roles.orgRole === "security_manager" || roles.repoRole === "admin";
}

/** Who may be assigned an alert or push to a repository: write access or more. */
export function hasWriteAccess(user: User, roles: { orgRole: OrgRole | null; repoRole: RepoRole | null }): boolean {
  return user.siteAdmin || roles.orgRole === "owner" || roles.repoRole === "admin" || roles.repoRole === "maintain" || roles.repoRole === "write";
}

/**
 * The repository behind `/repos/{owner}/{repo}/secret-scanning/...`, or 404 when it does not exist,
 * when the caller may not manage its alerts, or when secret scanning is disabled: one answer for
 * all three, so that a caller cannot learn which.
 */
export async function resolveAlertRepository(
  store: AlertStore,
  user: User,
  owner: string,
  name: string,
): Promise<{ repo: Repository; org: Organization }> {
  const repo = await store.getRepository(owner, name);
  if (!repo) throw notFound();
  const org = await store.getOrganizationById(repo.orgId);
  if (!org) throw notFound();
  const roles = await store.getRoles(user.id, repo.id);
  if (!canManageAlerts(user, roles)) throw notFound();
  if (!repo.secretScanningEnabled || !org.secretScanningEnabled) throw notFound();
  return { repo, org };
}

/** The organization behind `/orgs/{org}/...` for an owner or security manager (or site admin), else 404. */
export async function resolveManagedOrganization(store: AlertStore, user: User, login: string): Promise<Organization> {
  const org = await store.getOrganization(login);
  if (!org) throw notFound();
  if (user.siteAdmin) return org;
  const role = await store.getOrgRole(user.id, org.id);
  if (role !== "owner" && role !== "security_manager") throw notFound();
  return org;
}

/** The repositories whose alerts an organization's lists show: secret scanning enabled on the organization and on the repository. */
export async function alertRepositoriesOf(store: AlertStore, org: Organization): Promise<Repository[]> {
  if (!org.secretScanningEnabled) return [];
  return (await store.listRepositories({ orgId: org.id })).filter((r) => r.secretScanningEnabled);
}
