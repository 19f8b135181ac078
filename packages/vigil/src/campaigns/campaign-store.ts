import type { Validity } from "../alerts/types.js";

/** The alert-list filters a campaign selects its alerts with (as `GET /orgs/{org}/secret-scanning/alerts` has them). */
export interface CampaignFilters {
  /** Only these secret types (absent: every provider type; generic types only when named, as in the alert list). */
  secretTypes?: string[];
  /** Only these repositories, by name within the organization. */
  repositories?: string[];
  validities?: Validity[];
  /** Only alerts created at least this many days before the campaign. */
  minAgeDays?: number;
}

export type CampaignState = "open" | "closed";

export interface Campaign {
  id: number;
  orgId: number;
  name: string;
  description: string | null;
  ownerId: number | null;
  /** ISO 8601 time the campaign is due, or null. */
  endsAt: string | null;
  filters: CampaignFilters;
  state: CampaignState;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignAlertRef {
  alertId: number;
  repoId: number;
  alertNumber: number;
  addedAt: string;
}

export interface OutreachRecord {
  id: number;
  campaignId: number;
  repoId: number;
  /** `issue` or `sink:<hook id>`. */
  channel: string;
  issueNumber: number | null;
  url: string | null;
  bodyHash: string;
  /** `open` while the repository has open alerts in the campaign; `closed` once it has none. */
  state: "open" | "closed";
  createdAt: string;
  updatedAt: string;
}

export type ForgeKind = "github" | "gitlab";

export interface ForgeConnection {
  orgId: number;
  kind: ForgeKind;
  apiUrl: string;
  /** Issues go to `<namespace>/<repository name>`; null: the repository's own owner. */
  namespace: string | null;
  updatedAt: string;
}

export interface Playbook {
  secretType: string;
  body: string;
  /** false: Vigil's built-in text; true: the organization's own. */
  custom: boolean;
  updatedAt: string | null;
}

/**
 * Campaigns' store, over the same database as the alerts. Each mutating method is one transaction;
 * the forge token is sealed at rest and read back only by `getForgeToken`.
 */
export interface CampaignStore {
  createCampaign(input: {
    orgId: number;
    name: string;
    description: string | null;
    ownerId: number | null;
    endsAt: string | null;
    filters: CampaignFilters;
    /** null: created from the command line. */
    createdBy: number | null;
    alerts: { alertId: number; repoId: number; alertNumber: number }[];
  }): Promise<Campaign>;
  getCampaign(orgId: number, id: number): Promise<Campaign | null>;
  listCampaigns(orgId: number): Promise<Campaign[]>;
  updateCampaign(
    id: number,
    patch: Partial<Pick<Campaign, "name" | "description" | "ownerId" | "endsAt" | "state">>,
  ): Promise<Campaign>;
  deleteCampaign(id: number): Promise<boolean>;
  /** The campaign's alerts, by id, in the order they were added. */
  listCampaignAlerts(campaignId: number): Promise<CampaignAlertRef[]>;

  getPlaybook(orgId: number, secretType: string): Promise<{ body: string; updatedAt: string } | null>;
  setPlaybook(orgId: number, secretType: string, body: string | null, userId: number): Promise<void>;

  listOutreach(campaignId: number): Promise<OutreachRecord[]>;
  getOutreach(campaignId: number, repoId: number, channel: string): Promise<OutreachRecord | null>;
  /** Inserts or updates the one record of (campaign, repository, channel). */
  saveOutreach(input: Omit<OutreachRecord, "id" | "createdAt" | "updatedAt">): Promise<OutreachRecord>;

  getForgeConnection(orgId: number): Promise<ForgeConnection | null>;
  /** The connection's token in plain text, for the forge calls only. */
  getForgeToken(orgId: number): Promise<string | null>;
  setForgeConnection(
    orgId: number,
    input: { kind: ForgeKind; apiUrl: string; token: string; namespace: string | null },
    userId: number,
  ): Promise<ForgeConnection>;
  deleteForgeConnection(orgId: number): Promise<boolean>;

  /** Secret types an owner enabled auto-remediation for. */
  listAutoRemediation(orgId: number): Promise<{ secretType: string; enabled: boolean; updatedAt: string }[]>;
  setAutoRemediation(orgId: number, secretType: string, enabled: boolean, userId: number): Promise<void>;

  /** Logins of the repository's admins (its own role, not the organization's owners), by login. */
  listRepositoryAdmins(repoId: number): Promise<string[]>;

  /** A timeline entry on an alert (auto-remediation, outreach), kept out of webhook deliveries. */
  recordAlertEvent(
    alert: { id: number; repoId: number },
    action: string,
    actorId: number | null,
    payload: Record<string, unknown>,
  ): Promise<void>;
}
