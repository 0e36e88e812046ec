/**
 * Every Element Plus component a template uses is registered in modeler-ui/src/main.ts (the app
 * registers them one by one): an unregistered <el-input-number> renders as an unknown element and
 * the field is simply missing, as the calendar's year field was.
 */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.vue') ? [join(dir, f)] : []));
const pascal = (tag: string) => tag.split('-').map((p) => (p[0] ?? '').toUpperCase() + p.slice(1)).join('');

describe('Element Plus components of the web app', () => {
  const main = readFileSync('modeler-ui/src/main.ts', 'utf8');
  const registered = new Set(/const components = \[([\s\S]*?)\];/.exec(main)?.[1]?.match(/El\w+/g) ?? []);

  it('reads the registered list (positive control)', () => {
    for (const c of ['ElButton', 'ElTable', 'ElInputNumber']) assert.isTrue(registered.has(c), c);
  });

  it('registers every <el-…> used by a template', () => {
    const missing: string[] = [];
    for (const file of files('modeler-ui/src')) {
      const template = /<template>([\s\S]*)<\/template>/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
      for (const m of template.matchAll(/<(el-[a-z-]+)/g)) {
        const name = pascal(m[1] as string);
        if (!registered.has(name)) missing.push(`${file}: <${m[1]}> (${name})`);
      }
    }
    assert.deepStrictEqual([...new Set(missing)], []);
  });
});
