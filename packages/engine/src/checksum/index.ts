export { crc32 } from "./crc32.js";
export { BASE62_ALPHABET, decodeBase62, encodeBase62 } from "./base62.js";
export { hasValidGithubChecksum, withGithubChecksum } from "./github-token.js";
