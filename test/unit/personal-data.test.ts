import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyRing, keyIdOf, mask, open, seal } from '../../backend/modules/cases/personal-data.ts';

const k1 = Buffer.alloc(32, 1).toString('base64');
const k2 = Buffer.alloc(32, 2).toString('base64');
const applicant = { kind: 'person', name: '张三丰', idNumber: '11010519491231002X', phone: '13800138000', address: '江南省示范市一区人民路1号' };

describe('applicant personal data', () => {
  it('seals with AES-256-GCM: no clear text at rest, and it opens again', () => {
    const ring = keyRing(`k1:${k1}`);
    const sealed = seal(ring, applicant);
    assert.doesNotMatch(sealed, /张三丰|11010519491231002X|13800138000/);
    assert.deepEqual(open(ring, sealed), applicant);
    assert.notEqual(seal(ring, applicant), sealed, 'a fresh IV each time');
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
    assert.deepEqual(open(rotated, old), applicant);
    assert.equal(keyIdOf(seal(rotated, applicant)), 'k2');
    assert.throws(() => open(keyRing(`k2:${k2}`), old), /key k1, which is not configured/);
  });

  it('masks like government systems do', () => {
    const m = mask(applicant);
    assert.equal(m.name, '张**');
    assert.equal(m.idNumber, '1101**********002X');
    assert.equal(m.phone, '138****8000');
    assert.equal(m.masked, true);
    assert.doesNotMatch(String(m.address), /人民路1号/);
  });
});
