/**
 * The server's own form-js validator (backend/modules/forms/form-js.ts): the rules it shares with the
 * viewer, the values it stores, and the forms it refuses to save because it could not check them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { assert } from 'chai';
import { describe, it } from 'mocha';
import { repoRoot } from '../../config/index.ts';
import { parseBpmn } from '../../backend/engine/bpmn.ts';
import { AppError } from '../../backend/errors.ts';
import { checkFormSchema, validateFormData, type FormSchema } from '../../backend/modules/forms/form-js.ts';
import { formVariables } from '../../backend/modules/forms/service.ts';
import { demoForms } from '../../db/seeds/04-demo-forms.ts';
import { rejects } from '../support/assertions.ts';

const form: FormSchema = {
  components: [
    { type: 'textfield', key: 'name', label: '名称', validate: { required: true, minLength: 2, maxLength: 4 } },
    { type: 'textfield', key: 'mail', validate: { validationType: 'email' } },
    { type: 'number', key: 'n', decimalDigits: 1, validate: { min: 0, max: 10 } },
    { type: 'checkbox', key: 'agree', validate: { required: true } },
    { type: 'taglist', key: 'tags', values: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }], validate: { required: true } },
    { type: 'datetime', key: 'on', subtype: 'date' },
    { type: 'radio', key: 'level', values: [{ label: '一', value: 1 }, { label: '二', value: 2 }] },
  ],
};
const problems = (data: unknown) => validateFormData(form, data).problems.map((p) => `${p.path}: ${p.message}`);

describe('forms: the server-side form-js validator', () => {
  it('accepts good data and stores every field of the form, unset ones as null (or false, or [])', () => {
    const { data, problems: none } = validateFormData(form, { name: '取水口', n: '2.5', agree: true, tags: ['b'] });
    assert.deepStrictEqual(none, []);
    assert.deepStrictEqual(data, { name: '取水口', mail: null, n: 2.5, agree: true, tags: ['b'], on: null, level: null });
  });

  it('names each field that breaks a rule, with the viewer’s rules (required, lengths in characters, min/max, digits, email, options, dates)', () => {
    assert.deepStrictEqual(problems({ name: '水', mail: 'x@', n: 10.25, agree: false, tags: [], on: '2026-13-40', level: 3 }), [
      'body.form.name: at least 2 characters',
      'body.form.mail: an e-mail address',
      'body.form.n: at most 1 decimal digits',
      'body.form.agree: agree: required',
      'body.form.tags: tags: required',
      'body.form.on: a date YYYY-MM-DD',
      'body.form.level: one of 1, 2',
    ]);
    assert.deepStrictEqual(problems({ name: '一二三四五', agree: true, tags: ['c'], n: 11 }), ['body.form.name: at most 4 characters', 'body.form.n: at most 10', 'body.form.tags: a list of a, b']);
    assert.deepStrictEqual(problems({ name: 7, agree: 'yes', tags: ['a'], extra: 1 }), ['body.form.extra: not a field of this form', 'body.form.name: a text', 'body.form.agree: true or false']);
    assert.deepStrictEqual(problems([]), ['body.form: the form data is an object of field keys']);
  });

  it('refuses to save what it could not check: FEEL, conditions, dynamic options, unknown types and rules, bad keys', () => {
    const paths = checkFormSchema({
      components: [
        { type: 'textfield', key: 'a', validate: { minLength: '=min' } },
        { type: 'textfield', key: 'b', conditional: { hide: '=true' } },
        { type: 'group', key: 'g', components: [] },
        { type: 'select', key: 'c', valuesExpression: '=list' },
        { type: 'textfield', key: 'd', validate: { validationType: 'phone' } },
        { type: 'textfield', key: 'e', validate: { pattern: '(' } },
        { type: 'textfield', key: 'e' },
        { type: 'textfield', key: '1x' },
        { type: 'text', text: '说明' },
      ],
    }).map((p) => p.path.replace('body.schema.components.', ''));
    assert.deepStrictEqual(paths, ['a', 'a', 'b', 'g', 'c', 'c', 'd', 'e', 'e', '1x']);
    assert.deepStrictEqual(checkFormSchema({ components: 'no' }), [{ path: 'body.schema', message: 'a form-js schema: an object with a components array' }]);
  });

  it('passes the demo forms and hands the data to the engine as form_<key>', () => {
    for (const [code, f] of Object.entries(demoForms)) assert.deepStrictEqual(checkFormSchema(f), [], code);
    assert.deepStrictEqual(formVariables({ volume: 5, use: 'industrial', months: ['a', 'b'], note: null }, 'form_'), { form_volume: 5, form_use: 'industrial', form_months: ['a', 'b'], form_note: null });
  });

  it('refuses to deploy a step whose approvalForm the server could not check', async () => {
    const xml = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'form-review.bpmn'), 'utf8');
    const [model] = await parseBpmn(xml);
    assert.include(model?.userTasks.get('site_inspection')?.settings.approvalForm ?? '', '"meter"');
    const err = await rejects(parseBpmn(xml.replace('&quot;type&quot;:&quot;select&quot;', '&quot;type&quot;:&quot;filepicker&quot;')));
    assert.instanceOf(err, AppError);
    assert.match((err as AppError).message, /^site_inspection: .*filepicker/);
    assert.match(((await rejects(parseBpmn(xml.replace('value="{&quot;', 'value="{x&quot;')))) as AppError).message, /approvalForm is not JSON/);
  });
});
