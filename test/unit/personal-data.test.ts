import { assert } from 'chai';
import { describe, it } from 'mocha';
import { keyRing, keyIdOf, mask, open, seal } from '../../backend/modules/cases/personal-data.ts';

const k1 = Buffer.alloc(32, 1).toString('base64');
const k2 = Buffer.alloc(32, 2).toString('base64');
const applicant = { kind: 'person', name: '张三丰', idNumber: '11010519491231002X', phone: '13800138000', address: '江南省示范市一区人民路1号' };

describe('applicant personal data', () => {
  it('seals with AES-256-GCM: no clear text at rest, and it opens again', () => {
    const ring = keyRing(`k1:${k1}`);
    const sealed = seal(ring, applicant);
    assert.notMatch(sealed, /张三丰|11010519491231002X|13800138000/);
    assert.deepStrictEqual(open(ring, sealed), applicant);
    assert.notStrictEqual(seal(ring, applicant), sealed, 'a fresh IV each time');
  });

  it('detects tampering', () => {
    const ring = keyRing(`k1:${k1}`);
    const parts = seal(ring, applicant).split(':');
    parts[4] = Buffer.from('x' + Buffer.from(parts[4] as string, 'base64').toString('latin1').slice(1), 'latin1').toString('base64');
    assert.throws(() => open(ring, parts.join(':')));
  });

  it('rotates: the first key seals, older keys still open', () => {
    const old = seal(keyRing(`k1:${k1}`), applicant);
    const rotated = keyRing(`k2:${k2},k1:${k1}`);
    assert.deepStrictEqual(open(rotated, old), applicant);
    assert.strictEqual(keyIdOf(seal(rotated, applicant)), 'k2');
    assert.throws(() => open(keyRing(`k2:${k2}`), old), /key k1, which is not configured/);
  });

  it('masks like government systems do', () => {
    const m = mask(applicant);
    assert.strictEqual(m.name, '张**');
    assert.strictEqual(m.idNumber, '1101**********002X');
    assert.strictEqual(m.phone, '138****8000');
    assert.strictEqual(m.masked, true);
    assert.notMatch(String(m.address), /人民路1号/);
  });
});
