import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecords } from '../../backend/engine/records.ts';
import { AppError } from '../../backend/errors.ts';

describe('engine record parsing', () => {
  it('keeps 64-bit keys and positions exact', () => {
    const [r] = parseRecords('[{"partitionId":4,"position":9007199254740993,"key":9007199254740995,"timestamp":1,"recordType":"EVENT","valueType":"USER_TASK","intent":"CREATED","value":{"userTaskKey":9007199254740995}}]');
    assert.equal(r?.position, '9007199254740993');
    assert.equal(r?.key, '9007199254740995');
    assert.equal(String(r?.value.userTaskKey), '9007199254740995');
  });

  it('refuses what is not a batch of records', () => {
    assert.throws(() => parseRecords('{"a":1}'), (e: unknown) => e instanceof AppError && e.code === 'BAD_REQUEST');
    assert.throws(() => parseRecords('[{"valueType":"X"}]'), /lacks valueType\/intent\/position\/value/);
    assert.throws(() => parseRecords('[{'), /not valid JSON/);
  });
});
