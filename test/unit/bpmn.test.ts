import { assert } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'mocha';
import { rejects } from '../support/assertions.ts';
import { repoRoot } from '../../config/index.ts';
import { parseBpmn } from '../../backend/engine/bpmn.ts';
import { AppError } from '../../backend/errors.ts';

const dir = path.join(repoRoot, 'processes');

describe('bundled processes', () => {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
    it(`${file}: every user task declares its decisions and step limit`, async () => {
      const [model] = await parseBpmn(fs.readFileSync(path.join(dir, file), 'utf8'));
      assert.ok(model, 'an executable process');
      assert.ok(model.userTasks.size >= 2, 'at least two steps');
      for (const t of model.userTasks.values()) {
        assert.ok(t.decisions.length > 0, `${t.id} has decisions`);
        assert.ok(t.stepLimitDays && t.stepLimitDays > 0, `${t.id} has a step limit`);
        assert.match(t.name, /[\u4e00-\u9fff]/, `${t.id} has a Chinese name`);
      }
    });
  }
});

describe('countersign steps', () => {
  it('names the element variable of a parallel countersign (加签 sets it per added signer); a plain step has none', async () => {
    const [model] = await parseBpmn(fs.readFileSync(path.join(dir, 'joint-construction-approval.bpmn'), 'utf8'));
    assert.deepStrictEqual(model?.userTasks.get('department_countersign')?.signers, { elementVariable: 'department', sequential: false });
    assert.strictEqual(model?.userTasks.get('lead_decision')?.signers, null);
  });
});

describe('BPMN validation', () => {
  it('refuses unreadable XML with a reason', async () => {
    await rejects(parseBpmn('<bpmn:definitions'), (e: unknown) => e instanceof AppError && e.code === 'INVALID_BPMN' && /not a readable BPMN file/.test(e.message));
  });
  it('refuses a file with no executable process', async () => {
    const xml = '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"><bpmn:process id="p" isExecutable="false"/></bpmn:definitions>';
    await rejects(parseBpmn(xml), /no executable process/);
  });
});
