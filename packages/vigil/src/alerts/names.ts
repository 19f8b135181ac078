/**
 * GitHub's rules for the names that become URLs and paths: checked once, where a name enters Vigil
 * (the API, `vigil repo add`, `vigil grant`, `vigil token create`, the store itself), so that no
 * later code has to wonder whether `..`, `/`, a NUL byte or a leading `-` can reach a path or git.
 */

/** A user or organization login: letters, digits and single hyphens, no leading or trailing hyphen, at most 39. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** A repository name: letters, digits, `.`, `_`, `-`, at most 100, and not `.` or `..`. */
const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function isValidLogin(login: string): boolean {
  return LOGIN.test(login);
}

export function isValidRepositoryName(name: string): boolean {
  return REPOSITORY_NAME.test(name) && name !== "." && name !== "..";
}

/** Why a login is refused, in one phrase, or null when it is valid. */
export function loginProblem(login: string): string | null {
  if (isValidLogin(login)) return null;
  return "a login has letters, digits and single hyphens (not at either end), at most 39 characters";
}

/** Why a repository name is refused, in one phrase, or null when it is valid. */
export function repositoryNameProblem(name: string): string | null {
  if (isValidRepositoryName(name)) return null;
  return 'a repository name has letters, digits, ".", "_" and "-", at most 100 characters, and is not "." or ".."';
}

/** A name as it may appear in an error message: control characters escaped, cut at 80. */
export function printableName(name: string): string {
  return JSON.stringify(name.slice(0, 80)).slice(1, -1);
}

/** Whether text holds a control character (C0, DEL or C1), which no name, URL or path of ours may carry. */
export function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return true;
  }
  return false;
}
