import type { ColumnType, Generated } from "kysely";

/**
 * The database as kysely sees it. Column types are what both drivers may return: PostgreSQL gives
 * booleans, Dates and parsed JSON where SQLite gives 0/1, ISO text and JSON text. Writes always use
 * numbers for booleans (PostgreSQL accepts `1`/`0` for a boolean parameter), ISO strings for times
 * and JSON text. `row-mapping.ts` turns rows into domain objects, in one place.
 */
type Id = Generated<number>;
type Bool = ColumnType<boolean | number, number | undefined, number>;
type Time = ColumnType<string | Date, string, string>;
type NullableTime = ColumnType<string | Date | null, string | null | undefined, string | null>;
type Json = ColumnType<unknown, string, string>;

export interface UsersTable {
  id: Id;
  login: string;
  name: string | null;
  email: string | null;
  site_admin: Bool;
  created_at: Time;
}

export interface TokensTable {
  id: Id;
  user_id: number;
  token_hash: string;
  prefix: string;
  scopes: Json;
  note: string | null;
  created_at: Time;
  expires_at: NullableTime;
  last_used_at: NullableTime;
  revoked_at: NullableTime;
}

export interface OrganizationsTable {
  id: Id;
  login: string;
  secret_scanning_enabled: Bool;
  push_protection_enabled: Bool;
  push_protection_custom_link: string | null;
  created_at: Time;
}

export interface RepositoriesTable {
  id: Id;
  org_id: number;
  name: string;
  source_url: string | null;
  mirror_path: string;
  secret_scanning_enabled: Bool;
  push_protection_enabled: Bool;
  created_at: Time;
  web_url_template: string | null;
  mirror_error: string | null;
  mirror_failed_at: NullableTime;
  is_public: Bool;
}

export interface OrgMembersTable {
  org_id: number;
  user_id: number;
  role: string;
}

export interface RepoMembersTable {
  repo_id: number;
  user_id: number;
  role: string;
}

export interface RepoAlertCountersTable {
  repo_id: number;
  last_number: number;
}

export interface AlertsTable {
  id: Id;
  repo_id: number;
  number: number;
  secret_type: string;
  secret_type_display_name: string;
  provider: string | null;
  provider_slug: string | null;
  secret_category: string;
  secret_ciphertext: string;
  secret_hash: string;
  state: string;
  resolution: string | null;
  resolved_at: NullableTime;
  resolved_by: number | null;
  resolution_comment: string | null;
  assignee_id: number | null;
  validity: string;
  is_base64_encoded: Bool;
  publicly_leaked: Bool;
  multi_repo: Bool;
  push_protection_bypassed: Bool;
  push_protection_bypassed_by: number | null;
  push_protection_bypassed_at: NullableTime;
  created_at: Time;
  updated_at: Time;
  first_location_id: number | null;
  location_count: number;
  partner_label: string | null;
}

export interface AlertLocationsTable {
  id: Id;
  alert_id: number;
  type: string;
  details: Json;
  dedupe_key: string;
  created_at: Time;
}

export interface AlertEventsTable {
  id: Id;
  alert_id: number;
  repo_id: number;
  action: string;
  actor_id: number | null;
  payload: Json;
  created_at: Time;
  delivered_at: NullableTime;
}

export interface ScansTable {
  id: Id;
  repo_id: number;
  kind: string;
  type: string;
  status: string;
  started_at: NullableTime;
  completed_at: NullableTime;
  error: string | null;
  created_at: Time;
}

/** Small facts about the database itself (the secret key check). */
export interface StoreMetaTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  tokens: TokensTable;
  organizations: OrganizationsTable;
  repositories: RepositoriesTable;
  org_members: OrgMembersTable;
  repo_members: RepoMembersTable;
  repo_alert_counters: RepoAlertCountersTable;
  alerts: AlertsTable;
  alert_locations: AlertLocationsTable;
  alert_events: AlertEventsTable;
  scans: ScansTable;
  store_meta: StoreMetaTable;
  repository_sources: RepositorySourcesTable;
  partners: PartnersTable;
  partner_secret_types: PartnerSecretTypesTable;
  partner_reports: PartnerReportsTable;
  partner_signing_keys: PartnerSigningKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_scan_events: WebhookScanEventsTable;
  alert_paired_secrets: AlertPairedSecretsTable;
}

/** The other half of an alert's secret (an AWS secret key for its key id), sealed by the secret box. */
export interface AlertPairedSecretsTable {
  alert_id: number;
  secret_type: string;
  sealed_secret: string;
  created_at: string;
}

/** A mirror URL that carries credentials, sealed by the secret box (`repositories.source_url` holds it masked). */
export interface RepositorySourcesTable {
  repo_id: number;
  sealed_url: string;
}

export interface PartnersTable {
  id: Id;
  name: string;
  url: string;
  report_all: Bool;
  created_at: Time;
}

export interface PartnerSecretTypesTable {
  partner_id: number;
  secret_type: string;
}

export interface PartnerReportsTable {
  id: Id;
  partner_id: number;
  alert_id: number;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Time;
  last_error: string | null;
  label: string | null;
  created_at: Time;
  reported_at: NullableTime;
}

export interface PartnerSigningKeysTable {
  id: Id;
  key_identifier: string;
  public_key: string;
  private_key_ciphertext: string;
  is_current: Bool;
  created_at: Time;
  retired_at: NullableTime;
}

export interface WebhooksTable {
  id: Id;
  scope: string;
  repo_id: number | null;
  org_id: number | null;
  url: string;
  content_type: string;
  secret_ciphertext: string | null;
  insecure_ssl: Bool;
  events: Json;
  active: Bool;
  kind: ColumnType<string, string | undefined, string>;
  settings: ColumnType<unknown, string | null | undefined, string | null>;
  last_response_code: number | null;
  last_response_status: string;
  last_response_message: string | null;
  created_at: Time;
  updated_at: Time;
}

export interface WebhookDeliveriesTable {
  id: Id;
  guid: string;
  hook_id: number;
  event_id: number | null;
  event: string;
  action: string | null;
  repo_id: number | null;
  order_key: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Time;
  give_up_at: NullableTime;
  redelivery: Bool;
  body: string;
  created_at: Time;
  delivered_at: NullableTime;
  duration: number | null;
  status_code: number | null;
  status_text: string | null;
  request_headers: ColumnType<unknown, string | null, string | null>;
  response_headers: ColumnType<unknown, string | null, string | null>;
  response_body: string | null;
}

export interface WebhookScanEventsTable {
  scan_id: number;
  created_at: Time;
}
