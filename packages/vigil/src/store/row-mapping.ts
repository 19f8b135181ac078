import type { Selectable } from "kysely";
import type { TokenRecord, TokenScope } from "../alerts/alert-store.js";
import type {
  Alert,
  AlertEvent,
  AlertLocation,
  AlertResolution,
  AlertState,
  Organization,
  Repository,
  ScanRecord,
  User,
  Validity,
} from "../alerts/types.js";
import type { SecretBox } from "./secret-box.js";
import type {
  AlertEventsTable,
  AlertLocationsTable,
  AlertsTable,
  OrganizationsTable,
  RepositoriesTable,
  ScansTable,
  TokensTable,
  UsersTable,
} from "./tables.js";

/**
 * Rows to domain objects, the one place where snake_case becomes camelCase. Both drivers' value
 * shapes are accepted: PostgreSQL booleans, Dates and parsed JSON; SQLite 0/1, ISO text, JSON text.
 */

export function toIso(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : value;
}

export function toIsoOrNull(value: string | Date | null): string | null {
  return value === null ? null : toIso(value);
}

export function toBool(value: boolean | number): boolean {
  return value === true || value === 1;
}

export function fromJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** Booleans as written: PostgreSQL accepts 1/0 for a boolean parameter, SQLite stores them as they are. */
export function bit(value: boolean): number {
  return value ? 1 : 0;
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: Number(row.id),
    login: row.login,
    name: row.name,
    email: row.email,
    siteAdmin: toBool(row.site_admin),
    createdAt: toIso(row.created_at),
  };
}

export function toTokenRecord(row: Selectable<TokensTable>): TokenRecord {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    scopes: fromJson<TokenScope[]>(row.scopes),
    note: row.note,
    prefix: row.prefix,
    createdAt: toIso(row.created_at),
    expiresAt: toIsoOrNull(row.expires_at),
    lastUsedAt: toIsoOrNull(row.last_used_at),
    revokedAt: toIsoOrNull(row.revoked_at),
  };
}

export function toOrganization(row: Selectable<OrganizationsTable>): Organization {
  return {
    id: Number(row.id),
    login: row.login,
    secretScanningEnabled: toBool(row.secret_scanning_enabled),
    pushProtectionEnabled: toBool(row.push_protection_enabled),
    pushProtectionCustomLink: row.push_protection_custom_link,
  };
}

export function toRepository(row: Selectable<RepositoriesTable> & { owner_login: string }): Repository {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    fullName: `${row.owner_login}/${row.name}`,
    name: row.name,
    sourceUrl: row.source_url,
    mirrorPath: row.mirror_path,
    secretScanningEnabled: toBool(row.secret_scanning_enabled),
    pushProtectionEnabled: toBool(row.push_protection_enabled),
    createdAt: toIso(row.created_at),
    webUrlTemplate: row.web_url_template ?? null,
    mirrorError: row.mirror_error ?? null,
    mirrorFailedAt: toIsoOrNull(row.mirror_failed_at ?? null),
    isPublic: toBool(row.is_public),
  };
}

export function toLocation(row: Selectable<AlertLocationsTable>): AlertLocation {
  return {
    id: Number(row.id),
    alertId: Number(row.alert_id),
    type: row.type as AlertLocation["type"],
    details: fromJson<AlertLocation["details"]>(row.details),
    createdAt: toIso(row.created_at),
  };
}

/** An alert row joined with its first location (`loc_*` columns, null without one). */
export type AlertRow = Selectable<AlertsTable> & {
  loc_id: number | null;
  loc_type: string | null;
  loc_details: unknown;
  loc_created_at: string | Date | null;
};

export function toAlert(row: AlertRow, secretBox: SecretBox): Alert {
  const alertId = Number(row.id);
  return {
    id: alertId,
    repoId: Number(row.repo_id),
    number: Number(row.number),
    secretType: row.secret_type,
    secretTypeDisplayName: row.secret_type_display_name,
    provider: row.provider,
    providerSlug: row.provider_slug,
    secretCategory: row.secret_category === "generic" ? "generic" : "default",
    secret: secretBox.open(row.secret_ciphertext),
    secretHash: row.secret_hash,
    state: row.state as AlertState,
    resolution: row.resolution as AlertResolution | null,
    resolvedAt: toIsoOrNull(row.resolved_at),
    resolvedBy: row.resolved_by === null ? null : Number(row.resolved_by),
    resolutionComment: row.resolution_comment,
    assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
    validity: row.validity as Validity,
    isBase64Encoded: toBool(row.is_base64_encoded),
    publiclyLeaked: toBool(row.publicly_leaked),
    multiRepo: toBool(row.multi_repo),
    pushProtectionBypassed: toBool(row.push_protection_bypassed),
    pushProtectionBypassedBy: row.push_protection_bypassed_by === null ? null : Number(row.push_protection_bypassed_by),
    pushProtectionBypassedAt: toIsoOrNull(row.push_protection_bypassed_at),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    firstLocation:
      row.loc_id === null
        ? null
        : {
            id: Number(row.loc_id),
            alertId,
            type: row.loc_type as AlertLocation["type"],
            details: fromJson<AlertLocation["details"]>(row.loc_details),
            createdAt: toIso(row.loc_created_at ?? row.created_at),
          },
    locationCount: Number(row.location_count),
    partnerLabel: row.partner_label ?? null,
  };
}

export function toEvent(row: Selectable<AlertEventsTable>): AlertEvent {
  return {
    id: Number(row.id),
    alertId: Number(row.alert_id),
    repoId: Number(row.repo_id),
    action: row.action as AlertEvent["action"],
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    payload: fromJson<Record<string, unknown>>(row.payload),
    createdAt: toIso(row.created_at),
    deliveredAt: toIsoOrNull(row.delivered_at),
  };
}

export function toScan(row: Selectable<ScansTable>): ScanRecord {
  return {
    id: Number(row.id),
    repoId: Number(row.repo_id),
    kind: row.kind as ScanRecord["kind"],
    type: row.type,
    status: row.status as ScanRecord["status"],
    startedAt: toIsoOrNull(row.started_at),
    completedAt: toIsoOrNull(row.completed_at),
    error: row.error,
  };
}
