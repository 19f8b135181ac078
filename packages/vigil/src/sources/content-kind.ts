/** Bytes looked at to tell text from binary, as git does. */
const SNIFF_BYTES = 8000;

const LFS_POINTER = new TextEncoder().encode("version https://git-lfs.github.com/spec/v1");

/** Binary like git decides it: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Uint8Array): boolean {
  const end = Math.min(content.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (content[i] === 0) return true;
  return false;
}

/** A Git LFS pointer file: the real content lives elsewhere. */
export function isLfsPointer(content: Uint8Array): boolean {
  if (content.length > 1024 || content.length < LFS_POINTER.length) return false;
  for (let i = 0; i < LFS_POINTER.length; i++) if (content[i] !== LFS_POINTER[i]) return false;
  return true;
}
