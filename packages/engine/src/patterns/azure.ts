import { base64Keywords } from "../base64.js";
import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";
import {
  CASK_PREFIX,
  LAYOUT,
  SEED,
  caskKey,
  entraClientSecret,
  hasAdoPatChecksum,
  hasIdentifiableChecksum,
  identifiableKey,
  isEntraClientSecret,
  legacyAdoPat,
  withBadChecksum,
  type IdentifiableLayout,
} from "./support/azure-keys.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "Azure";
const B64 = "[A-Za-z0-9+/]";
const B64_BEFORE = "\\A|[^A-Za-z0-9+/_-]";
const B64_AFTER = "\\z|[^A-Za-z0-9+/=_-]";

const escape = (signature: string): string => signature.replace(/\+/g, "\\+").replace(/\//g, "\\/");

/** The regex of an identifiable key of `layout` (microsoft/security-utilities' shapes). */
function identifiableRegex(layout: IdentifiableLayout): string {
  const sig = escape(layout.signature);
  const alphabet = layout.urlSafe ? "[A-Za-z0-9_-]" : B64;
  switch (layout.random) {
    case 33:
      return `${alphabet}{33}${sig}[A-P]${alphabet}{5}=`;
    case 42:
      return `${alphabet}{42}${sig}[A-D]${alphabet}{5}`;
    default:
      return `${alphabet}{${layout.random}}${sig}${alphabet}{5}[AQgw]==`;
  }
}

interface IdentifiableSpec {
  id: string;
  name: string;
  layout: IdentifiableLayout;
  seeds: readonly bigint[];
  /** Base62-only keys (Azure Search): examples are drawn until they hold no `+` or `/`. */
  base62?: boolean;
  validityCheck?: boolean;
  base64?: boolean;
  /** Text around an example key. */
  context: [string, string];
}

function exampleKey(r: ExampleRandom, spec: IdentifiableSpec): string {
  const seed = spec.seeds[0] ?? 0n;
  for (;;) {
    const key = identifiableKey(r, spec.layout, seed);
    if (!spec.base62 || /^[A-Za-z0-9]+$/.test(key)) return key;
  }
}

/**
 * An identifiable key: fixed signature, Marvin32 checksum under a per-kind seed. Kinds that share a signature
 * (API Management's four keys, IoT's three) are told apart by the seed that validates.
 */
function identifiable(spec: IdentifiableSpec): PatternDefinition {
  const { layout, seeds } = spec;
  const regex = spec.base62 ? identifiableRegex(layout).replaceAll(B64, "[A-Za-z0-9]") : identifiableRegex(layout);
  const keyChars = layout.random + 10;
  return {
    id: spec.id,
    name: spec.name,
    provider,
    regex,
    before: B64_BEFORE,
    after: B64_AFTER,
    keywords: [layout.signature],
    window: { before: keyChars + 8, after: 64 },
    validate: (secret) => hasIdentifiableChecksum(secret, seeds),
    validation: { kind: "checksum", check: "Microsoft's Marvin32 checksum of identifiable keys (the last 4 bytes)" },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    ...(spec.validityCheck ? { validityCheck: true } : {}),
    ...(spec.base64 ? { base64: true } : {}),
    examples: {
      positive: [
        (r) => `${spec.context[0]}${exampleKey(r, spec)}${spec.context[1]}`,
        (r) => `key: "${exampleKey(r, spec)}"`,
      ],
      negative: [
        {
          text: (r) => `${spec.context[0]}${withBadChecksum(exampleKey(r, spec))}${spec.context[1]}`,
          reason: "the checksum does not match",
        },
        { text: (r) => exampleKey(r, spec).slice(4), reason: "too short" },
      ],
    },
  };
}

/** Signatures of other services' 64-byte identifiable keys: such a key under a storage name is not a storage key. */
const OTHER_64_BYTE_SIGNATURES = new Set(["ACDb", "+ABa", "APIM", "+AMC"]);

const MESSAGING = [SEED.messagingSend, SEED.messagingListen, SEED.messagingManage, SEED.messagingSystem];

const identifiableKeys: IdentifiableSpec[] = [
  {
    id: "azure_apim_direct_management_key",
    name: "Azure Apim Direct Management Key",
    layout: LAYOUT.bytes64("APIM"),
    seeds: [SEED.apimDirectManagement],
    context: ["APIM_MANAGEMENT_KEY=", "\n"],
  },
  {
    id: "azure_apim_gateway_key",
    name: "Azure Apim Gateway Key",
    layout: LAYOUT.bytes64("APIM"),
    seeds: [SEED.apimGateway],
    context: ["gatewayKey: ", "\n"],
  },
  {
    id: "azure_apim_repository_key",
    name: "Azure Apim Repository Key",
    layout: LAYOUT.bytes64("APIM"),
    seeds: [SEED.apimRepository],
    context: ["git clone https://apim:", "@contoso.scm.azure-api.net/"],
  },
  {
    id: "azure_apim_subscription_key",
    name: "Azure Apim Subscription Key",
    layout: LAYOUT.bytes64("APIM"),
    seeds: [SEED.apimSubscription],
    context: ["Ocp-Apim-Subscription-Key: ", "\n"],
  },
  {
    id: "azure_batch_key_identifiable",
    name: "Azure Batch Key Identifiable",
    layout: LAYOUT.bytes64("+ABa"),
    seeds: [SEED.batch],
    context: ["BATCH_ACCOUNT_KEY=", "\n"],
  },
  {
    id: "azure_cache_for_redis_access_key",
    name: "Azure Cache for Redis Access Key",
    layout: LAYOUT.bytes32("AzCa"),
    seeds: [SEED.redis],
    base64: true,
    context: ["contoso.redis.cache.windows.net:6380,password=", ",ssl=True,abortConnect=False"],
  },
  {
    id: "azure_container_registry_key_identifiable",
    name: "Azure Registry Key Identifiable",
    layout: LAYOUT.bytes39("+ACR"),
    seeds: [SEED.containerRegistry],
    context: ["docker login contoso.azurecr.io -u contoso -p ", "\n"],
  },
  {
    id: "azure_cosmosdb_key_identifiable",
    name: "Azure Cosmosdb Key Identifiable",
    layout: LAYOUT.bytes64("ACDb"),
    seeds: [
      SEED.cosmosMasterReadWrite,
      SEED.cosmosMasterReadOnly,
      SEED.cosmosSystemAll,
      SEED.cosmosSystemReadOnly,
      SEED.cosmosSystemReadWrite,
      SEED.cosmosResource,
      SEED.cosmosDataEncryption,
    ],
    validityCheck: true,
    base64: true,
    context: ["AccountEndpoint=https://contoso.documents.azure.com:443/;AccountKey=", ";"],
  },
  {
    id: "azure_event_grid_key_identifiable",
    name: "Azure Event Grid Key Identifiable",
    layout: LAYOUT.bytes32("AZEG"),
    seeds: [SEED.versionTwo],
    context: ["aeg-sas-key: ", "\n"],
  },
  {
    id: "azure_event_hub_key_identifiable",
    name: "Azure Event Hub Key Identifiable",
    layout: LAYOUT.bytes32("+AEh"),
    seeds: MESSAGING,
    validityCheck: true,
    context: ["EVENTHUB_KEY=", "\n"],
  },
  {
    id: "azure_function_key",
    name: "Azure Function Key",
    layout: LAYOUT.bytes40Url("AzFu"),
    seeds: [SEED.functionKey, SEED.functionSystem, SEED.functionMaster],
    validityCheck: true,
    base64: true,
    context: ["https://contoso.azurewebsites.net/api/HttpTrigger?code=", "\n"],
  },
  {
    id: "azure_iot_device_key",
    name: "Azure IoT Device Key",
    layout: LAYOUT.bytes32("AIoT"),
    seeds: [SEED.iotDevice],
    context: ["primaryKey: ", "\n"],
  },
  {
    id: "azure_iot_device_provisioning_key",
    name: "Azure IoT Device Provisioning Key",
    layout: LAYOUT.bytes32("AIoT"),
    seeds: [SEED.iotDeviceProvisioning],
    context: ["DPS_SYMMETRIC_KEY=", "\n"],
  },
  {
    id: "azure_iot_hub_key",
    name: "Azure IoT Hub Key",
    layout: LAYOUT.bytes32("AIoT"),
    seeds: [SEED.iotHub],
    context: ["IOTHUB_KEY=", "\n"],
  },
  {
    id: "azure_ml_web_service_classic_identifiable_key",
    name: "Azure ML Studio (classic) Web Service Key",
    layout: LAYOUT.bytes64("+AMC"),
    seeds: [SEED.mlClassic],
    context: ["api_key = '", "'"],
  },
  {
    id: "azure_relay_key_identifiable",
    name: "Azure Relay Key Identifiable",
    layout: LAYOUT.bytes32("+ARm"),
    seeds: MESSAGING,
    validityCheck: true,
    context: ["RELAY_KEY=", "\n"],
  },
  {
    id: "azure_search_admin_key",
    name: "Azure Search Admin Key",
    layout: LAYOUT.bytes39("AzSe"),
    seeds: [SEED.searchAdmin],
    base62: true,
    context: ["api-key: ", "\n"],
  },
  {
    id: "azure_search_query_key",
    name: "Azure Search Query Key",
    layout: LAYOUT.bytes39("AzSe"),
    seeds: [SEED.searchQuery],
    base62: true,
    context: ["SEARCH_QUERY_KEY=", "\n"],
  },
  {
    id: "azure_service_bus_identifiable",
    name: "Azure Service Bus Key Identifiable",
    layout: LAYOUT.bytes32("+ASb"),
    seeds: MESSAGING,
    validityCheck: true,
    context: ["SERVICEBUS_KEY=", "\n"],
  },
];

/** A connection string pattern: the whole string is the secret. */
function connectionString(
  id: string,
  name: string,
  regex: string,
  keywords: string[],
  example: (r: ExampleRandom) => string,
  near: (r: ExampleRandom) => string,
  validityCheck: boolean,
): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex,
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords,
    window: { before: 160, after: 512 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    ...(validityCheck ? { validityCheck: true } : {}),
    examples: {
      positive: [(r) => `ConnectionString=${example(r)}`, (r) => `"${example(r)}"`],
      negative: [
        { text: near, reason: "no key in the connection string" },
        {
          text: (r) =>
            example(r).replace(/(Secret|AccessKey|accesskey|SharedAccessKey)=[A-Za-z0-9+/]+=*/, "$1=<your-key>"),
          reason: "placeholder key",
        },
      ],
    },
  };
}

const KEY44 = `${B64}{43}=`;
const key44 = (r: ExampleRandom): string => `${r.base64(42)}Q=`;
const KEY_ANY = `${B64}{40,86}={0,2}`;
const keyAny = (r: ExampleRandom): string => `${r.base64(86)}==`;

const connectionStrings: PatternDefinition[] = [
  connectionString(
    "azure_app_configuration_connection_string",
    "Azure App Configuration Connection String",
    // `Endpoint=` is often left off when the string is pasted (`https://….azconfig.io;Id=…;Secret=…`).
    `(?:Endpoint=)?https://[A-Za-z0-9-]{3,63}\\.azconfig\\.io/?;Id=[A-Za-z0-9+/:_-]{8,64};Secret=${B64}{40,64}={0,2}`,
    [".azconfig.io"],
    (r) => `Endpoint=https://${r.lower(8)}.azconfig.io;Id=${r.lowerAlnum(4)}-l0-s0:${r.alnum(20)};Secret=${key44(r)}`,
    (r) => `Endpoint=https://${r.lower(8)}.azconfig.io`,
    true,
  ),
  connectionString(
    "azure_communication_services_connection_string",
    "Azure Communication Services Connection String",
    `(?i:endpoint)=https://[A-Za-z0-9-]{1,63}\\.(?:[a-z]+\\.)?communication\\.azure\\.com/?;(?i:accesskey)=${KEY_ANY}`,
    [".communication.azure.com"],
    (r) => `endpoint=https://${r.lower(8)}.unitedstates.communication.azure.com/;accesskey=${keyAny(r)}`,
    (r) => `endpoint=https://${r.lower(8)}.communication.azure.com/`,
    true,
  ),
  connectionString(
    "azure_iot_device_connection_string",
    "Azure IoT Device Connection String",
    `HostName=[A-Za-z0-9-]{3,50}\\.azure-devices\\.net;DeviceId=[A-Za-z0-9._%:@!$'()*+,;=-]{1,128}?;SharedAccessKey=${KEY44}`,
    [".azure-devices.net;DeviceId="],
    (r) => `HostName=${r.lower(8)}.azure-devices.net;DeviceId=sensor-${r.digits(3)};SharedAccessKey=${key44(r)}`,
    (r) => `HostName=${r.lower(8)}.azure-devices.net;DeviceId=sensor-${r.digits(3)}`,
    true,
  ),
  connectionString(
    "azure_iot_hub_connection_string",
    "Azure IoT Hub Connection String",
    `HostName=[A-Za-z0-9-]{3,50}\\.azure-devices\\.net;SharedAccessKeyName=[A-Za-z0-9._-]{1,64};SharedAccessKey=${KEY44}`,
    [".azure-devices.net;SharedAccessKeyName="],
    (r) => `HostName=${r.lower(8)}.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${key44(r)}`,
    (r) => `HostName=${r.lower(8)}.azure-devices.net;SharedAccessKeyName=iothubowner`,
    true,
  ),
  connectionString(
    "azure_iot_provisioning_connection_string",
    "Azure IoT Provisioning Connection String",
    `HostName=[A-Za-z0-9-]{3,50}\\.azure-devices-provisioning\\.net;SharedAccessKeyName=[A-Za-z0-9._-]{1,64};SharedAccessKey=${KEY44}`,
    [".azure-devices-provisioning.net"],
    (r) =>
      `HostName=${r.lower(8)}.azure-devices-provisioning.net;SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=${key44(r)}`,
    (r) => `HostName=${r.lower(8)}.azure-devices-provisioning.net;SharedAccessKeyName=provisioningserviceowner`,
    true,
  ),
  connectionString(
    "azure_signalr_connection_string",
    "Azure SignalR Connection String",
    `Endpoint=https://[A-Za-z0-9-]{3,63}\\.service\\.signalr\\.net;AccessKey=${KEY_ANY}`,
    [".service.signalr.net;AccessKey="],
    (r) => `Endpoint=https://${r.lower(8)}.service.signalr.net;AccessKey=${key44(r)};Version=1.0;`,
    (r) => `Endpoint=https://${r.lower(8)}.service.signalr.net;AuthType=azure.msi;Version=1.0;`,
    false,
  ),
  connectionString(
    "azure_web_pub_sub_connection_string",
    "Azure Web Pub Sub Connection String",
    `Endpoint=https://[A-Za-z0-9-]{3,63}\\.webpubsub\\.azure\\.com;AccessKey=${KEY_ANY}`,
    [".webpubsub.azure.com;AccessKey="],
    (r) => `Endpoint=https://${r.lower(8)}.webpubsub.azure.com;AccessKey=${key44(r)};Version=1.0;`,
    (r) => `Endpoint=https://${r.lower(8)}.webpubsub.azure.com;AuthType=azure.msi;Version=1.0;`,
    false,
  ),
];

/** Entra ID (Azure AD) tokens: JWTs issued by `sts.windows.net` (v1) or `login.microsoftonline.com` (v2). */
const ENTRA_ISSUER = /^https:\/\/(?:sts\.windows\.net|login\.microsoftonline\.com)\/[0-9a-f-]{36}\//;

function isEntraToken(secret: string): boolean {
  const [header = "", payload = ""] = secret.split(".");
  const claims = decodeJsonSegment(payload);
  return (
    decodeJsonSegment(header)?.["alg"] !== undefined &&
    typeof claims?.["iss"] === "string" &&
    ENTRA_ISSUER.test(claims["iss"])
  );
}

function entraToken(r: ExampleRandom, iss: string): string {
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const tid = `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;
  const header = b64({ typ: "JWT", alg: "RS256", x5t: r.base64url(27), kid: r.base64url(27) });
  const payload = b64({
    aud: "https://management.azure.com/",
    iss: iss.replace("TID", tid),
    iat: 1700000000,
    nbf: 1700000000,
    exp: 1700003600,
    oid: tid,
    tid,
  });
  return `${header}.${payload}.${r.base64url(342)}`;
}

const encodeSig = (raw: string): string => raw.replace(/\+/g, "%2B").replace(/\//g, "%2F").replace(/=/g, "%3D");

export const azurePatterns: PatternDefinition[] = [
  ...identifiableKeys.map(identifiable),
  ...connectionStrings,
  {
    id: "azure_active_directory_application_secret",
    name: "Azure Active Directory Application Secret",
    provider,
    // Entra ID client secrets: 3 characters, `8Q~` (or the previous `7Q~`), 31-34 more; `8Q~` secrets end in a
    // Marvin32 checksum (microsoft/security-utilities, SEC101/156).
    regex: "[A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34}",
    before: "\\A|[^A-Za-z0-9_~.+/-]",
    after: "\\z|[^A-Za-z0-9_~.+/=-]",
    keywords: ["8Q~", "7Q~"],
    minEntropy: 3.5,
    validate: isEntraClientSecret,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `AZURE_CLIENT_SECRET=${entraClientSecret(r)}`,
        (r) => `"clientSecret": "${entraClientSecret(r)}"`,
      ],
      negative: [
        {
          text: (r) => `AZURE_CLIENT_SECRET=${entraClientSecret(r).slice(0, -3)}aaa`,
          reason: "the checksum does not match",
        },
        { text: (r) => `AZURE_CLIENT_SECRET=${r.alnum(3)}8Q~${r.alnum(10)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "azure_ai_services_key",
    name: "Azure AI Services Key",
    provider,
    // Keys issued since 2024 (Azure AI services, OpenAI, the Cognitive Services family) are 84-character common
    // annotated security keys with the `ACOG` provider signature. Older 32-hex-digit keys carry no signature.
    regex: `${CASK_PREFIX}ACOG[A-Za-z0-9]{4}`,
    keywords: ["ACOG"],
    window: { before: 96, after: 16 },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `AZURE_OPENAI_API_KEY=${caskKey(r, "ACOG")}`,
        (r) => `Ocp-Apim-Subscription-Key: ${caskKey(r, "ACOG")}`,
      ],
      negative: [
        { text: (r) => `key=${caskKey(r, "AZDO")}`, reason: "another provider's signature" },
        { text: (r) => `key=${caskKey(r, "ACOG").replace("JQQJ9", "JQQK9")}`, reason: "no annotated-key marker" },
      ],
    },
  },
  {
    id: "azure_devops_personal_access_token",
    name: "Azure DevOps Personal Access Token",
    provider,
    // Current PATs: 84-character annotated keys with the `AZDO` signature. Older PATs: 52 lower-case base32
    // characters with an embedded CRC-32 (SEC101/102), found beside an Azure DevOps name or URL.
    regex: `${CASK_PREFIX}AZDO[A-Za-z0-9]{4}|[a-z2-7]{52}`,
    keywords: [
      "AZDO",
      "dev.azure.com",
      "visualstudio.com",
      "azure_devops",
      "azure-devops",
      "azuredevops",
      "ado_pat",
      "ado_token",
      "vsts",
    ],
    window: { before: 256, after: 256 },
    validate: (secret) => secret.length !== 52 || hasAdoPatChecksum(secret),
    validation: { kind: "checksum", check: "the checksum of Azure DevOps personal access tokens" },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `AZURE_DEVOPS_PAT=${caskKey(r, "AZDO")}`,
        (r) => `git clone https://build:${legacyAdoPat(r)}@dev.azure.com/contoso/project/_git/repo`,
        (r) => `AZURE_DEVOPS_EXT_PAT=${legacyAdoPat(r)}`,
      ],
      negative: [
        {
          text: (r) => `AZURE_DEVOPS_PAT=${r.chars("abcdefghijklmnopqrstuvwxyz234567", 52)}`,
          reason: "52 base32 characters without a valid checksum",
        },
        { text: (r) => `hash = ${legacyAdoPat(r)}`, reason: "no Azure DevOps name or URL nearby" },
      ],
    },
  },
  {
    id: "azure_management_certificate",
    name: "Microsoft Azure Service Management Certificate",
    provider,
    // `.publishsettings` files carry a PKCS#12 management certificate, base64, in `ManagementCertificate="…"`.
    regex: `MII${B64}{200,}={0,2}`,
    before: 'ManagementCertificate\\s*=\\s*"',
    after: '"',
    keywords: ["ManagementCertificate"],
    window: { before: 0, after: 12100 },
    minEntropy: 4.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) =>
          `<Subscription ServiceManagementUrl="https://management.core.windows.net" Id="${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}" Name="Pay-As-You-Go" ManagementCertificate="MII${r.base64(3000)}=" />`,
        (r) => `ManagementCertificate = "MIIK${r.base64(1200)}"`,
      ],
      negative: [
        { text: 'ManagementCertificate=""', reason: "empty" },
        { text: (r) => `Certificate="MII${r.base64(1200)}"`, reason: "not a publish-settings management certificate" },
      ],
    },
  },
  {
    id: "azure_openai_key",
    name: "Azure OpenAI Key",
    provider,
    // Older Azure OpenAI keys are 32 hex digits with no prefix: only where assigned to an Azure OpenAI name. Newer
    // (`ACOG`) keys are reported as azure_ai_services_key.
    regex: "[a-f0-9]{32}",
    before: "(?i)azure[_.-]?openai[\\w.-]{0,24}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["azure_openai", "azureopenai", "azure-openai", "azure.openai"],
    mustMatch: ["[0-9]", "[a-f]"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [(r) => `AZURE_OPENAI_API_KEY=${r.hex(32)}`, (r) => `azure_openai_key: "${r.hex(32)}"`],
      negative: [
        { text: (r) => `OPENAI_API_KEY=${r.hex(32)}`, reason: "no Azure OpenAI name" },
        { text: (r) => `AZURE_OPENAI_API_KEY=${r.hex(24)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "azure_sas_token",
    name: "Azure SAS Token",
    provider,
    // A shared access signature's `sig=` (HMAC-SHA256, base64, usually URL-encoded) in a query that also carries a
    // storage service version `sv=YYYY-MM-DD`. (Power Automate URLs use `sv=1.0` and are reported as such.)
    regex: "(?:[A-Za-z0-9+/]|%2[BbFf]){43}(?:=|%3[Dd])",
    before: "(?:[?&;]|\\A)sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&[A-Za-z0-9%&=:._,-]{0,400}?[?&;]sig=",
    after: "\\z|[^A-Za-z0-9%+/=]",
    keywords: ["sig="],
    window: { before: 512, after: 96 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) =>
          `https://${r.lower(10)}.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2025-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=${encodeSig(`${r.base64(43)}=`)}`,
        (r) => `AZURE_SAS="?sv=2021-06-08&ss=bfqt&srt=co&sp=rl&se=2026-03-01T00:00:00Z&sig=${r.alnum(43)}%3D"`,
      ],
      negative: [
        {
          text: (r) => `https://example.com/download?sig=${r.alnum(43)}%3D`,
          reason: "no storage service version: not a SAS",
        },
        {
          text: (r) =>
            `https://prod-12.westeurope.logic.azure.com:443/workflows/${r.hex(32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${r.base64url(43)}`,
          reason: "a Power Automate URL (sv=1.0)",
        },
      ],
    },
  },
  {
    id: "azure_storage_account_key",
    name: "Azure Storage Account Access Key",
    provider,
    // 64-byte keys (88 base64 characters) in `AccountKey=` or under a storage key name. Identifiable keys (`+ASt`
    // at offset 76) must also carry a valid Marvin32 checksum.
    regex: `${B64}{86}==`,
    before:
      "(?i)(?:AccountName=[a-z0-9]{3,24};(?:[a-z]+=[^;\\s\"']*;){0,3}AccountKey=|(?:azure_?storage_?(?:account_?)?(?:access_?)?key|storage_?account_?key)[\\w.-]{0,10}[\"']?\\s{0,3}(?:=|:|=>)\\s{0,3}[\"']?)",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["AccountKey", "storage_key", "storage_access_key", "storage_account_key", "storageaccountkey"],
    window: { before: 256, after: 128 },
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 4.5,
    validate: (secret) => {
      const signature = secret.slice(76, 80);
      if (signature === "+ASt") return hasIdentifiableChecksum(secret, [SEED.storage]);
      return !OTHER_64_BYTE_SIGNATURES.has(signature);
    },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [
        (r) =>
          `DefaultEndpointsProtocol=https;AccountName=${r.lowerAlnum(12)};AccountKey=${r.base64(86)}==;EndpointSuffix=core.windows.net`,
        (r) => `AZURE_STORAGE_KEY="${identifiableKey(r, LAYOUT.bytes64("+ASt"), SEED.storage)}"`,
        (r) =>
          `<add key="StorageConnection" value="AccountName=${r.lowerAlnum(10)};AccountKey=${identifiableKey(r, LAYOUT.bytes64("+ASt"), SEED.storage)}" />`,
      ],
      negative: [
        {
          text: (r) => `AccountKey=${withBadChecksum(identifiableKey(r, LAYOUT.bytes64("+ASt"), SEED.storage))}`,
          reason: "an identifiable key with a wrong checksum",
        },
        { text: (r) => `signature: ${r.base64(86)}==`, reason: "no storage key name" },
      ],
    },
  },
  {
    id: "microsoft_azure_entra_id_token",
    name: "Microsoft Azure Entra ID Token",
    provider,
    regex: "eyJ[A-Za-z0-9_-]{10,600}\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,1000}",
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: [...base64Keywords("https://sts.windows.net/"), ...base64Keywords("https://login.microsoftonline.com/")],
    window: { before: 2048, after: 6000 },
    validate: isEntraToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `Authorization: Bearer ${entraToken(r, "https://sts.windows.net/TID/")}`,
        (r) => `ARM_ACCESS_TOKEN=${entraToken(r, "https://login.microsoftonline.com/TID/v2.0")}`,
      ],
      negative: [
        { text: (r) => entraToken(r, "https://accounts.example.com/TID/"), reason: "another issuer" },
        {
          text: (r) => entraToken(r, "https://sts.windows.net/TID/").split(".").slice(0, 2).join("."),
          reason: "no signature part",
        },
      ],
    },
  },
];
