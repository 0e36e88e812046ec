// Builds the web app (modeler-ui/) with Vite when its sources are newer than the last build, so the
// start and test commands always serve what is in the tree without a separate manual step.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ui = path.join(root, 'modeler-ui');
const stamp = path.join(ui, 'dist', '.build-stamp');

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((n) => newest(path.join(p, n))));
}

export function uiIsStale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const inputs = [path.join(ui, 'src'), path.join(ui, 'index.html'), path.join(ui, 'vite.config.ts'), path.join(root, 'package-lock.json')];
  return inputs.some((p) => fs.existsSync(p) && newest(p) > built);
}

/** Build if stale; returns the dist folder. */
export async function ensureUiBuilt({ log = console.log, force = false } = {}) {
  const dist = path.join(ui, 'dist');
  if (!force && !uiIsStale()) return dist;
  const t0 = Date.now();
  log('building the web app (vite)…');
  let vite;
  try {
    vite = await import('vite');
  } catch {
    throw new Error('the web app needs its build tools: run `npm ci` first.');
  }
  await vite.build({ configFile: path.join(ui, 'vite.config.ts'), logLevel: 'warn' });
  fs.writeFileSync(stamp, new Date().toISOString());
  log(`web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, dist)}`);
  return dist;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureUiBuilt({ force: process.argv.includes('--force') });
}
