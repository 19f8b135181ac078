import { builtinPatterns } from "vigil-secrets-engine";

/** Where an issuer lets its users revoke a credential, and what to do before and after. */
interface BuiltinPlaybook {
  /** The provider's page to revoke or rotate the credential. */
  revokeAt: string;
  steps: string[];
}

const GITHUB: BuiltinPlaybook = {
  revokeAt: "https://github.com/settings/tokens",
  steps: [
    "Delete the token (Settings → Developer settings → Personal access tokens, or the OAuth/GitHub App's settings); an organization owner can also revoke it through `POST /credentials/revoke`.",
    "Create a replacement with the fewest scopes and a short expiry; store it in your CI's or platform's secret store.",
    "Check the audit log (organization Settings → Audit log, `actor:` the token's owner) for use since the leak.",
  ],
};
const AWS: BuiltinPlaybook = {
  revokeAt: "https://console.aws.amazon.com/iam/home#/security_credentials",
  steps: [
    "Create a new access key for the IAM user or role, and deploy it where the old one was used.",
    "Deactivate the leaked key (IAM → Users → Security credentials → Make inactive), then delete it once nothing fails.",
    "Review CloudTrail for calls made with the key since the commit date; rotate anything it could read.",
  ],
};
const SLACK: BuiltinPlaybook = {
  revokeAt: "https://api.slack.com/apps",
  steps: [
    "Revoke the token: call `auth.revoke` with it, or reinstall the app / regenerate it under the app's OAuth & Permissions page.",
    "Put the new token in your secret store; never in the repository.",
    "Check the workspace's access logs for use since the leak.",
  ],
};

const PLAYBOOKS: Record<string, BuiltinPlaybook> = {
  github_personal_access_token: GITHUB,
  github_oauth_access_token: { ...GITHUB, revokeAt: "https://github.com/settings/applications" },
  github_app_installation_access_token: { ...GITHUB, revokeAt: "https://github.com/settings/apps" },
  github_refresh_token: { ...GITHUB, revokeAt: "https://github.com/settings/applications" },
  github_ssh_private_key: { ...GITHUB, revokeAt: "https://github.com/settings/keys" },
  gitlab_access_token: {
    revokeAt: "https://gitlab.com/-/user_settings/personal_access_tokens",
    steps: ["Revoke the token (User settings → Access tokens, or the project's / group's access tokens page).", "Create a replacement with the fewest scopes and an expiry date.", "Review the audit events for its use."],
  },
  aws_access_key_id: AWS,
  aws_secret_access_key: AWS,
  aws_session_token: AWS,
  slack_api_token: SLACK,
  slack_incoming_webhook_url: { ...SLACK, steps: ["Remove the incoming webhook from the app (Incoming Webhooks → Remove), and add a new one for the same channel.", "Keep the new URL in your secret store."] },
  npm_access_token: {
    revokeAt: "https://www.npmjs.com/settings/~/tokens",
    steps: ["Delete the token (npmjs.com → Access Tokens, or `npm token revoke <id>`).", "Create a granular token limited to the packages and an expiry; check recent publishes of your packages."],
  },
  pypi_api_token: {
    revokeAt: "https://pypi.org/manage/account/token/",
    steps: ["Remove the token (Account settings → API tokens).", "Create a project-scoped token; check the release history of the projects it could publish."],
  },
  stripe_api_key: {
    revokeAt: "https://dashboard.stripe.com/apikeys",
    steps: ["Roll the key (Developers → API keys → Roll key), choosing when the old one expires.", "Deploy the new key; review the logs (Developers → Logs) for requests you did not make."],
  },
  openai_api_key: {
    revokeAt: "https://platform.openai.com/api-keys",
    steps: ["Revoke the key and create a new one for the same project.", "Check the usage page for spend since the leak."],
  },
  anthropic_api_key: {
    revokeAt: "https://console.anthropic.com/settings/keys",
    steps: ["Delete the key and create a new one in the same workspace.", "Check the usage page for use since the leak."],
  },
  google_api_key: {
    revokeAt: "https://console.cloud.google.com/apis/credentials",
    steps: ["Regenerate (or delete) the key under APIs & Services → Credentials.", "Restrict the new key to the APIs and referrers or addresses that need it."],
  },
  azure_storage_account_key: {
    revokeAt: "https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.Storage%2FStorageAccounts",
    steps: ["Rotate the key (Storage account → Access keys → Rotate key) after moving clients to the other key.", "Prefer Microsoft Entra ID or SAS tokens with an expiry."],
  },
  sendgrid_api_key: { revokeAt: "https://app.sendgrid.com/settings/api_keys", steps: ["Delete the key and create one with restricted access.", "Check the activity feed for mail you did not send."] },
  twilio_api_key: { revokeAt: "https://console.twilio.com/us1/account/keys-credentials/api-keys", steps: ["Delete the API key and create a new one.", "Review the usage logs."] },
  datadog_api_key: { revokeAt: "https://app.datadoghq.com/organization-settings/api-keys", steps: ["Revoke the key and create a new one.", "Update every agent that used it."] },
  docker_personal_access_token: { revokeAt: "https://app.docker.com/settings/personal-access-tokens", steps: ["Delete the access token and create a new one with read-only scope where possible.", "Check pushes to your repositories since the leak."] },
  vigil_api_token: {
    revokeAt: "/security",
    steps: ["Revoke the token (`vigil token revoke <id>` or `DELETE /api/v3/vigil/tokens/{id}`).", "Create a new one with the fewest scopes (`vigil token create`)."],
  },
};

const GENERIC_STEPS = [
  "Find out which service issued the credential and who owns it (the maintainers below).",
  "Revoke or rotate it at the issuer; a secret in git history stays readable even after the file is fixed.",
  "Deploy the replacement from a secret store, then close the alert as revoked.",
];

/** Vigil's built-in playbook for a secret type, as Markdown (a generic one for types without their own). */
export function builtinPlaybook(secretType: string): string {
  const pattern = builtinPatterns.find((p) => p.id === secretType);
  const name = pattern ? `${pattern.name}${pattern.provider ? ` (${pattern.provider})` : ""}` : secretType;
  const playbook = PLAYBOOKS[secretType];
  const lines = [`How to remediate a leaked ${name}:`, ""];
  if (playbook) lines.push(`Revoke it at: ${playbook.revokeAt}`, "");
  (playbook?.steps ?? GENERIC_STEPS).forEach((step, i) => lines.push(`${i + 1}. ${step}`));
  lines.push(`${(playbook?.steps ?? GENERIC_STEPS).length + 1}. Close the alert as **revoked** once the secret no longer works.`);
  return lines.join("\n");
}

/** Types with built-in text of their own. */
export const BUILTIN_PLAYBOOK_TYPES: readonly string[] = Object.keys(PLAYBOOKS);
