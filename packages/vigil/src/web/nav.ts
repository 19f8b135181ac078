/** One entry of the organization's security menu. */
export interface NavEntry {
  label: string;
  path: (org: string) => string;
}

/** The organization's security pages, in menu order: a new page adds one line here. */
export const ORG_NAV: NavEntry[] = [
  { label: "Overview", path: (org) => `/orgs/${org}/security/overview` },
  { label: "Alerts", path: (org) => `/orgs/${org}/security/secret-scanning` },
  { label: "Remediation", path: (org) => `/orgs/${org}/security/remediation` },
  { label: "Campaigns", path: (org) => `/orgs/${org}/security/campaigns` },
  { label: "Push protection", path: (org) => `/orgs/${org}/security/push-protection` },
  { label: "Review requests", path: (org) => `/orgs/${org}/security/reviews` },
  { label: "Settings", path: (org) => `/orgs/${org}/settings/security` },
];

/** The menu of an organization's page, the current one marked for screen readers (`aria-current`). */
export function orgNav(org: string, currentPath: string): { label: string; href: string; current: boolean }[] {
  return ORG_NAV.map((entry) => {
    const href = entry.path(org);
    return { label: entry.label, href, current: href === currentPath };
  });
}
