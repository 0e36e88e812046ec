/** Both languages of the web app are complete, and every message compiles (vue-i18n has syntax: @ { } |). */
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { baseCompile } from '@intlify/message-compiler';
import { zhCN as zh, en } from '../../modeler-ui/src/i18n/messages.ts';

type Tree = { [k: string]: string | Tree };
const leaves = (t: Tree, prefix = ''): [string, string][] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));

describe('web app messages', () => {
  it('English has exactly the keys of Chinese, none empty', () => {
    const z = leaves(zh as Tree);
    const e = leaves(en as Tree);
    assert.deepStrictEqual(e.map(([k]) => k).sort(), z.map(([k]) => k).sort());
    for (const [k, v] of [...z, ...e]) assert.ok(v.trim().length > 0, `${k} is empty`);
  });

  it('every message compiles and uses the same placeholders in both languages', () => {
    const en1 = new Map(leaves(en as Tree));
    for (const [k, v] of leaves(zh as Tree)) {
      for (const text of [v, en1.get(k) ?? '']) {
        const errors: string[] = [];
        baseCompile(text, { onError: (err) => errors.push(err.message) });
        assert.deepStrictEqual(errors, [], `${k}: ${text}`);
      }
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepStrictEqual(names(en1.get(k) ?? ''), names(v), `${k}: placeholders differ`);
    }
  });

  it('no message key contains a dot (keys are paths: "task.created" would never resolve)', () => {
    for (const [k] of leaves(zh as Tree)) assert.strictEqual(k.split('.').length, 2, k);
  });
});

describe('zh-CN messages are Chinese', () => {
  // Latin text a Chinese message may hold: placeholders, names of standards and formats, the
  // language switcher's own name, and the demo accounts of the login hint (account ids are data)
  const ALLOWED = /^(TOTP|Excel|XLSX|CSV|iCalendar|ID|YYYY-MM-DD|Language|English|BPMN|QR|IP|URL|HMAC|Demo|Operaton|[a-z]{2}(-\d{2})*(\.[a-z]+){1,2})$/;
  const latin = (text: string) =>
    [...text.replace(/\{\w+\}/g, '').replace(/\{'[^']*'\}/g, '@').matchAll(/[A-Za-z][A-Za-z0-9_.-]*/g)].map((m) => m[0].replace(/[.-]+$/, '')).filter((w) => !ALLOWED.test(w));

  it('finds English in a message (positive control)', () => {
    assert.deepStrictEqual(latin('请 Claim 此任务'), ['Claim']);
    assert.deepStrictEqual(latin('共 {n} 件，导出 Excel'), []);
  });

  it('no zh-CN message is English, and none is the English one copied', () => {
    const en1 = new Map(leaves(en as Tree));
    const bad: string[] = [];
    for (const [k, v] of leaves(zh as Tree)) {
      const words = latin(v);
      if (words.length) bad.push(`${k}: ${words.join(' ')}`);
      else if (!/[\u4e00-\u9fff]/.test(v) && v === en1.get(k) && !/^[\d\s{}\w%./:-]*$/.test(v)) bad.push(`${k}: same as English`);
    }
    assert.deepStrictEqual(bad, []);
  });
});
