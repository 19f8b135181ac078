import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Yandex";
const base = { provider, confidence: "high", category: "provider" } as const;

/** Legacy API keys of Yandex services: `<service>.1.1.<UTC timestamp>.<16 hex>.<40 hex>`. */
function legacyKey(id: string, name: string, service: string, validityCheck: boolean, context: string): PatternDefinition {
  const stamp = (r: ExampleRandom): string => `20${r.digits(2)}0${r.chars("123456789", 1)}1${r.digits(1)}T1${r.digits(5)}Z`;
  return {
    ...base,
    id,
    name,
    regex: `${service}\\.1\\.1\\.[0-9]{8}T[0-9]{6}Z\\.[a-f0-9]{16}\\.[a-f0-9]{40}`,
    keywords: [`${service}.1.1.`],
    minEntropy: 3,
    pushProtection: true,
    validityCheck,
    examples: {
      positive: [(r) => `${context}=${service}.1.1.${stamp(r)}.${r.hex(16)}.${r.hex(40)}`],
      negative: [
        { text: (r) => `${service}.1.1.${stamp(r)}.${r.hex(16)}`, reason: "no secret part" },
        { text: (r) => `${service}.1.1.${stamp(r)}.${r.upper(16)}.${r.hex(40)}`, reason: "key id is not hexadecimal" },
      ],
    },
  };
}

/** IAM tokens (`t1.`) and cookies (`c1.`): a URL-safe payload, `.`, and an 86-character signature (Yandex Cloud's published regex). */
function iamToken(
  id: string,
  name: string,
  marker: string,
  validityCheck: boolean,
  context: string,
  contextWords: string[],
): PatternDefinition {
  return {
    ...base,
    id,
    name,
    regex: `${marker}\\.[A-Za-z0-9_-]{10,1000}={0,2}\\.[A-Za-z0-9_-]{86}={0,2}`,
    after: "\\z|[^A-Za-z0-9_=-]",
    // `t1.` / `c1.` alone are everyday code (`t1.join()`); issued tokens start `<marker>.9eu`, else a Yandex word must be near.
    keywords: [`${marker}.9eu`, ...contextWords],
    window: { before: 64, after: 1400 },
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    pushProtection: true,
    validityCheck,
    examples: {
      positive: [
        (r) => `${context}=${marker}.9euelZ${r.base64url(150)}.${r.base64url(86)}`,
        (r) => `yandex_cloud:\n  ${context.toLowerCase()}: "${marker}.${r.alnum(120)}.${r.base64url(84)}A2"`,
      ],
      negative: [
        { text: (r) => `${marker}.${r.base64url(150)}.${r.base64url(40)}`, reason: "signature too short" },
        { text: "version = \"1.0\" # t1.c1.x", reason: "not a token" },
      ],
    },
  };
}

export const yandexPatterns: PatternDefinition[] = [
  {
    ...base,
    id: "yandex_cloud_api_key",
    name: "Yandex.Cloud API Key",
    regex: "AQVN[A-Za-z0-9_-]{35,38}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["aqvn"],
    minEntropy: 4,
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `YC_API_KEY=AQVN${r.base64url(36)}`, (r) => `headers = {"Authorization": "Api-Key AQVN${r.alnum(36)}"}`],
      negative: [
        { text: (r) => `AQVN${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `AQVN${r.alnum(50)}`, reason: "too long" },
      ],
    },
  },
  {
    ...base,
    id: "yandex_cloud_iam_access_secret",
    name: "Yandex.Cloud Access Secret",
    // The secret of a static access key: `YC` + 38 characters. Its 2-character marker is too short to search for,
    // so a Yandex mention must be near.
    regex: "YC[A-Za-z0-9_-]{38}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["yandex", "yc_secret", "storage.yandexcloud.net"],
    mustMatch: ["[a-z]", "[0-9]"],
    minEntropy: 4,
    pushProtection: true,
    examples: {
      positive: [(r) => `[yandex]\naws_access_key_id = YCAJE${r.base64url(20)}\naws_secret_access_key = YC${r.alnum(36)}a1\n`],
      negative: [
        { text: (r) => `[yandex]\nsecret = YC${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `secret = YC${r.alnum(36)}a1`, reason: "no Yandex context" },
      ],
    },
  },
  iamToken("yandex_cloud_iam_cookie", "Yandex.Cloud IAM Cookie", "c1", false, "YC_IAM_COOKIE", ["yandex", "yc_session", "iam_cookie"]),
  iamToken("yandex_cloud_iam_token", "Yandex.Cloud IAM Token", "t1", true, "YC_TOKEN", ["yandex", "iam_token", "iamtoken"]),
  {
    ...base,
    id: "yandex_cloud_smartcaptcha_server_key",
    name: "Yandex.Cloud Smartchapta Server Key",
    regex: "ysc2_[A-Za-z0-9]{40}",
    keywords: ["ysc2_"],
    minEntropy: 4,
    pushProtection: true,
    examples: {
      positive: [(r) => `SMARTCAPTCHA_SERVER_KEY=ysc2_${r.alnum(40)}`],
      negative: [
        { text: (r) => `ysc1_${r.alnum(40)}`, reason: "a client key, which is public" },
        { text: (r) => `ysc2_${r.alnum(20)}`, reason: "too short" },
      ],
    },
  },
  legacyKey("yandex_dictionary_api_key", "Yandex.Dictionary API Key", "dict", false, "YANDEX_DICTIONARY_KEY"),
  {
    ...base,
    id: "yandex_passport_oauth_token",
    name: "Yandex.Passport OAuth Token",
    regex: "y[0-3]_[A-Za-z0-9_-]{55,199}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["y0_", "y1_", "y2_", "y3_"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4.2,
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `YANDEX_OAUTH_TOKEN=y0_AgAAAA${r.base64url(50)}Xk9`],
      negative: [
        { text: "y0_lower_bound_for_the_current_iteration_of_the_main_solver_loop = 1", reason: "a long identifier, not random" },
        { text: (r) => `y0_${r.alnum(30)}`, reason: "too short" },
      ],
    },
  },
  legacyKey("yandex_predictor_api_key", "Yandex.Predictor API Key", "pdct", false, "YANDEX_PREDICTOR_KEY"),
  legacyKey("yandex_translate_api_key", "Yandex.Translate API Key", "trnsl", true, "YANDEX_TRANSLATE_KEY"),
];
