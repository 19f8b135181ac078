import type { PatternDefinition } from "../pattern.js";

const provider = "Hugging Face";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export const huggingFacePatterns: PatternDefinition[] = [
  {
    id: "hf_org_api_key",
    name: "Hugging Face Organization API Token",
    provider,
    regex: "api_org_[A-Za-z]{34}",
    keywords: ["api_org_"],
    mustMatch: ["[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `os.environ["HUGGINGFACEHUB_API_TOKEN"] = "api_org_${r.chars(LETTERS, 32)}Qz"`],
      negative: [
        { text: 'public static final String API_ORG_EXIST = "APIOrganizationExist";', reason: "an identifier" },
        { text: "api_org_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", reason: "placeholder" },
      ],
    },
  },
  {
    id: "hf_user_access_token",
    name: "Hugging Face User Access Token",
    provider,
    regex: "hf_[A-Za-z]{34}",
    keywords: ["hf_"],
    mustMatch: ["[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `huggingface-cli login --token hf_${r.chars(LETTERS, 32)}Kq`, (r) => `HF_TOKEN=hf_${r.chars(LETTERS, 32)}Wd`],
      negative: [
        { text: "- (id)hf_requiredCharacteristicTypesForDisplayMetadata;", reason: "an identifier: the prefix is inside a longer word" },
        { text: "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
