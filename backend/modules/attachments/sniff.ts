/**
 * What a file really is, from its first bytes, not its name: only document and image formats a
 * licence file holds are accepted, and the name's extension must agree with the content (a renamed
 * executable is refused).
 */
const ALLOWED: Array<{ type: string; ext: string[]; magic: (b: Buffer) => boolean }> = [
  { type: 'application/pdf', ext: ['pdf'], magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/png', ext: ['png'], magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', ext: ['jpg', 'jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  // OOXML and OFD (国家版式文档) are ZIP containers
  { type: 'application/zip', ext: ['docx', 'xlsx', 'ofd', 'zip'], magic: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) },
];

export const ACCEPTED_EXTENSIONS = ALLOWED.flatMap((a) => a.ext);

/** The media type to store, or the reason to refuse. */
export function sniff(name: string, bytes: Buffer): { ok: true; mediaType: string } | { ok: false; reason: string; rule: 'type' | 'mismatch' } {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const byContent = ALLOWED.find((a) => a.magic(bytes));
  if (!byContent) return { ok: false, rule: 'type', reason: `the content is not one of the accepted types (${ACCEPTED_EXTENSIONS.join(', ')})` };
  if (!byContent.ext.includes(ext)) return { ok: false, rule: 'mismatch', reason: `the name says .${ext} but the content is ${byContent.type}` };
  const special: Record<string, string> = { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ofd: 'application/ofd' };
  return { ok: true, mediaType: special[ext] ?? byContent.type };
}
