/** Bytes looked at to tell text from binary, as git does. */
const SNIFF_BYTES = 8000;

const LFS_POINTER = new TextEncoder().encode("version https://git-lfs.github.com/spec/v1");

/** Binary like git decides it: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Uint8Array): boolean {
  // Native memchr: this runs on every blob of a history.
  const end = Math.min(content.length, SNIFF_BYTES);
  return Buffer.from(content.buffer, content.byteOffset, end).indexOf(0) >= 0;
}

/** A Git LFS pointer file: the real content lives elsewhere. */
export function isLfsPointer(content: Uint8Array): boolean {
  if (content.length > 1024 || content.length < LFS_POINTER.length) return false;
  for (let i = 0; i < LFS_POINTER.length; i++) if (content[i] !== LFS_POINTER[i]) return false;
  return true;
}
