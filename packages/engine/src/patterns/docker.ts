import type { PatternDefinition } from "../pattern.js";

const provider = "Docker";
const AFTER = "\\z|[^A-Za-z0-9_-]";

export const dockerPatterns: PatternDefinition[] = [
  {
    id: "docker_organization_access_token",
    name: "Docker Organization Access Token",
    provider,
    regex: "dckr_oat_[A-Za-z0-9_-]{32}",
    after: AFTER,
    keywords: ["dckr_oat_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `DOCKERHUB_TOKEN=dckr_oat_${r.base64url(32)}`],
      negative: [{ text: (r) => `dckr_oat_${r.alnum(16)}`, reason: "too short" }],
    },
  },
  {
    id: "docker_personal_access_token",
    name: "Docker Personal Access Token",
    provider,
    regex: "dckr_pat_[A-Za-z0-9_-]{27}",
    after: AFTER,
    keywords: ["dckr_pat_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `docker login -u deploy -p dckr_pat_${r.base64url(27)}`, (r) => `DOCKER_PASSWORD: "dckr_pat_${r.alnum(27)}"`],
      negative: [
        { text: (r) => `dckr_pat_${r.alnum(12)}`, reason: "too short" },
        { text: "DOCKER_PASSWORD=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
  {
    id: "docker_swarm_join_token",
    name: "Docker Swarm Join Token",
    provider,
    // `SWMTKN-1-` + the cluster CA digest (50 base36) + `-` + the secret (25 base36).
    regex: "SWMTKN-1-[a-z0-9]{50}-[a-z0-9]{25}",
    keywords: ["SWMTKN-1-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `docker swarm join --token SWMTKN-1-${r.lowerAlnum(50)}-${r.lowerAlnum(25)} 10.0.0.2:2377`],
      negative: [{ text: "docker swarm join --token SWMTKN-1-<token> 10.0.0.2:2377", reason: "placeholder" }],
    },
  },
  {
    id: "docker_swarm_unlock_key",
    name: "Docker Swarm Unlock Key",
    provider,
    // `SWMKEY-1-` + 32 random bytes in unpadded base64.
    regex: "SWMKEY-1-[A-Za-z0-9+/]{43}",
    after: "\\z|[^A-Za-z0-9+/]",
    keywords: ["SWMKEY-1-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `echo "SWMKEY-1-${r.base64(43)}" | docker swarm unlock`],
      negative: [{ text: (r) => `SWMKEY-1-${r.base64(20)}`, reason: "too short" }],
    },
  },
];
