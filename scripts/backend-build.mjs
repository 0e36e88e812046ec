// Compiles the back office (backend/, config/, db/) with tsc into dist/ when its sources are newer
// than the last build, so the start command always runs compiled code of what is in the tree.
// tsx remains a development tool (tests, benches); production runs `node dist/backend/main.js`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
export const mainJs = path.join(dist, 'backend', 'main.js');

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((n) => newest(path.join(p, n))));
}

export function backendIsStale() {
  if (!fs.existsSync(stamp) || !fs.existsSync(mainJs)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = ['backend', 'config', 'db', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => path.join(root, p));
  return inputs.some((p) => fs.existsSync(p) && newest(p) > built);
}

/** Build if stale (from scratch: a source deleted must not live on in dist/); returns main.js. */
export async function ensureBackendBuilt({ log = console.log, force = false } = {}) {
  if (!force && !backendIsStale()) return mainJs;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) throw new Error('the back office needs its build tools: run `npm ci` first.');
  const t0 = Date.now();
  log('compiling the back office (tsc → dist/)…');
  fs.rmSync(dist, { recursive: true, force: true });
  const { code, output } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
  if (code !== 0) throw new Error(`tsc failed:\n${output.trim().split('\n').slice(0, 20).join('\n')}`);
  fs.writeFileSync(stamp, new Date().toISOString());
  log(`back office compiled in ${((Date.now() - t0) / 1000).toFixed(1)} s → dist/`);
  return mainJs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureBackendBuilt({ force: process.argv.includes('--force') });
}
