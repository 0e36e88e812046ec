/**
 * Forms (bpmn.io form-js): an item's application form (申请表), designed beside the catalogue entry
 * and versioned with the item (catalogue/editing.ts writes it), checked at intake and stored with the
 * case (cases/service.ts); a step's approval form (step setting approvalForm), checked at the
 * decision and stored with it (tasks/service.ts). form-js.ts is the server's own validator.
 */
export { formRoutes } from './routes.ts';
export { checkApplication, checkApproval, applicationVariables, caseApplicationForm, caseApprovalForms } from './service.ts';
export { checkFormSchema, validateFormData } from './form-js.ts';
