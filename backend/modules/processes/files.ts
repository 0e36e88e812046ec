/**
 * The BPMN files shipped in the repository's processes folder (PROCESSES_DIR, the same folder that is
 * deployed at start), for the designer to open as a starting point. Read at request time so a file
 * edited on disk shows without a restart; id and name come from a cheap look at the first process
 * element — a full parse of every file on each listing would cost more than the listing is worth.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { notFound } from '../../errors.ts';

export const FILE_NAME = /^[\w.-]+\.bpmn$/;

export interface ProcessFile {
  name: string;
  bpmnProcessId: string | null;
  processName: string | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? _m)));
const attr = (attrs: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? unescapeXml(m[1] ?? m[2] ?? '') : null;
};

/** The first executable process of a file (else its first process): `<bpmn:process id=… name=…>`. */
export function peekProcess(xml: string): { id: string | null; name: string | null } {
  const elements = [...xml.matchAll(/<(?:[\w-]+:)?process\b([^>]*)>/g)].map((m) => m[1] ?? '');
  const chosen = elements.find((a) => attr(a, 'isExecutable') === 'true') ?? elements[0];
  return chosen === undefined ? { id: null, name: null } : { id: attr(chosen, 'id'), name: attr(chosen, 'name') };
}

export async function listFiles(dir: string): Promise<ProcessFile[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && FILE_NAME.test(e.name)).map((e) => e.name).sort();
  return Promise.all(
    files.map(async (name) => {
      const { id, name: processName } = peekProcess(await fs.readFile(path.join(dir, name), 'utf8'));
      return { name, bpmnProcessId: id, processName };
    }),
  );
}

/** One file's XML. `name` is already checked against FILE_NAME (no separators); the resolved path is checked again. */
export async function readProcessFile(dir: string, name: string): Promise<string> {
  const root = path.resolve(dir);
  const file = path.resolve(root, name);
  if (!FILE_NAME.test(name) || path.dirname(file) !== root) throw notFound('process file', name);
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw notFound('process file', name);
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('process file', name);
    throw err;
  }
}
