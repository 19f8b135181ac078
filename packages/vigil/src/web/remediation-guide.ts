/** Where to revoke a leaked secret, per provider (the alert's `provider`) or generic secret type. */
export interface RemediationGuide {
  /** Where the owner revokes or rotates it. */
  revokeUrl: string | null;
  steps: string;
}

/**
 * The common providers' revocation pages. Keys are lower-case provider names; a provider missing
 * here gets the general steps. Data, not code: add a line per provider.
 */
const BY_PROVIDER: Record<string, RemediationGuide> = {
  github: {
    revokeUrl: "https://github.com/settings/tokens",
    steps:
      "Delete the token in the owner's developer settings (or the app's settings for an app token) and create a new one.",
  },
  gitlab: {
    revokeUrl: "https://gitlab.com/-/user_settings/personal_access_tokens",
    steps: "Revoke the token under Access tokens and create a new one with the scopes it needs.",
  },
  "amazon aws": {
    revokeUrl: "https://console.aws.amazon.com/iam/home#/security_credentials",
    steps: "Deactivate and delete the access key in IAM, create a new key, and review CloudTrail for its use.",
  },
  "google cloud": {
    revokeUrl: "https://console.cloud.google.com/apis/credentials",
    steps: "Delete the key (API key or service account key) in the Cloud console and create a new one.",
  },
  google: {
    revokeUrl: "https://console.cloud.google.com/apis/credentials",
    steps: "Delete or regenerate the API key in the Cloud console's credentials page.",
  },
  azure: {
    revokeUrl: "https://portal.azure.com/",
    steps:
      "Regenerate the key or secret on the resource (Access keys, or the app registration's Certificates & secrets).",
  },
  slack: {
    revokeUrl: "https://api.slack.com/apps",
    steps: "Regenerate the token or webhook URL in the app's settings, or revoke it with auth.revoke.",
  },
  stripe: {
    revokeUrl: "https://dashboard.stripe.com/apikeys",
    steps: "Roll the key in the Stripe dashboard; the old key stops working at once or after the delay you pick.",
  },
  openai: {
    revokeUrl: "https://platform.openai.com/api-keys",
    steps: "Delete the key in the API keys page and create a new one.",
  },
  anthropic: {
    revokeUrl: "https://console.anthropic.com/settings/keys",
    steps: "Delete the key in the console's API keys page and create a new one.",
  },
  npm: {
    revokeUrl: "https://www.npmjs.com/settings/~/tokens",
    steps: "Delete the access token on npmjs.com (or `npm token revoke`) and create a new one.",
  },
  pypi: {
    revokeUrl: "https://pypi.org/manage/account/token/",
    steps: "Remove the API token in the account settings and create a new, project-scoped one.",
  },
  twilio: {
    revokeUrl: "https://console.twilio.com/",
    steps: "Create a secondary auth token or new API key, switch to it, then delete the leaked one.",
  },
  sendgrid: {
    revokeUrl: "https://app.sendgrid.com/settings/api_keys",
    steps: "Delete the API key and create a new one with the permissions it needs.",
  },
  vigil: {
    revokeUrl: null,
    steps: "Revoke the token with `vigil token revoke ID` (or DELETE /api/v3/vigil/tokens/{id}) and create a new one.",
  },
};

const BY_TYPE: Record<string, RemediationGuide> = {
  private_key: {
    revokeUrl: null,
    steps:
      "Generate a new key pair, replace the public key wherever it is trusted (servers, deploy keys, certificates), and remove the old one.",
  },
  http_basic_authentication_header: {
    revokeUrl: null,
    steps: "Change the password of the account in the header, on the service it authenticates to.",
  },
  http_bearer_authentication_header: {
    revokeUrl: null,
    steps: "Revoke the bearer token at the service that issued it.",
  },
};

const GENERAL: RemediationGuide = {
  revokeUrl: null,
  steps:
    "Revoke or rotate the secret at the service that issued it, update whatever uses it, and check the service's logs for use while it was exposed.",
};

/** The guide for an alert; the general steps when neither its provider nor its type is listed. */
export function remediationGuide(alert: { secretType: string; provider: string | null }): RemediationGuide {
  return (
    BY_TYPE[alert.secretType] ?? (alert.provider ? BY_PROVIDER[alert.provider.toLowerCase()] : undefined) ?? GENERAL
  );
}
