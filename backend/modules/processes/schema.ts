import { z } from '../../http/zod.ts';
import { definitionKey } from '../../http/ids.ts';

const fileName = z.string().regex(/^[\w.-]{1,150}\.bpmn$/, 'a file name ending in .bpmn');
const bpmnXml = z.string().min(1).max(1_500_000);

export const DeployBody = z.object({ name: fileName, xml: bpmnXml }).strict().openapi('DeployProcess');
export const KeyParams = z.object({ key: definitionKey });
/** A BPMN id is an XML NCName; process_owners and drafts keep up to 100 characters. */
export const ProcessIdParams = z.object({ bpmnProcessId: z.string().regex(/^[A-Za-z_][\w.-]{0,99}$/, 'a BPMN process id (letters, digits, _ . -; not starting with a digit)') });
export const FileParams = z.object({ name: z.string().max(200).regex(/^[\w.-]+\.bpmn$/, 'a .bpmn file name without any path') });
export const DraftBody = z.object({ name: fileName, xml: bpmnXml }).strict().openapi('SaveDraft');

export const Definition = z
  .object({
    definitionKey: z.string(),
    bpmnProcessId: z.string(),
    version: z.number(),
    resourceName: z.string(),
    deployedAt: z.string(),
    ownerDepartment: z.string().nullable().openapi({ description: 'the department whose designers deploy it; null: nobody owns it yet' }),
    mayDeploy: z.boolean().openapi({ description: 'whether the caller may deploy a new version' }),
  })
  .openapi('ProcessDefinition');

export const ProcessFileSchema = z.object({ name: z.string(), bpmnProcessId: z.string().nullable(), processName: z.string().nullable() }).openapi('ProcessFile');

const draftFields = {
  bpmnProcessId: z.string(),
  name: z.string(),
  department: z.string().openapi({ description: 'the department whose designers may save it' }),
  updatedBy: z.string(),
  updatedAt: z.string(),
};
export const DraftSummary = z.object(draftFields).openapi('ProcessDraftSummary');
export const DraftSchema = z.object({ ...draftFields, xml: z.string() }).openapi('ProcessDraft');

export const OverlaySchema = z
  .object({ elements: z.array(z.object({ elementId: z.string(), open: z.number().int(), warning: z.number().int(), yellow: z.number().int(), red: z.number().int() })) })
  .openapi('ProcessOverlay');
