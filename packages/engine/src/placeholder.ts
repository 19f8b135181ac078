/**
 * Text that documentation and templates put where a secret goes. A match that
 * contains one of these is an example, not a leak.
 */
const PLACEHOLDER =
  /x{4,}|\*{4,}|\.{3}|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Z_]{3,}%|EXAMPLE|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|(?:my|your)[_-]?pass(?:word|wd)?|changeme|placeholder|redacted|replace[_-]?me|insert[_-]?(?:key|token|here)/i;

/** Also placeholder-like: a long value made of three or fewer distinct characters (`0000…`, `abab…`). */
export function isPlaceholder(secret: string): boolean {
  if (PLACEHOLDER.test(secret)) return true;
  if (secret.length >= 8 && new Set(secret).size <= 3) return true;
  return false;
}
