declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
declare module 'bpmn-moddle';
declare module 'bpmn-js/lib/NavigatedViewer';
declare module 'bpmn-js-properties-panel';
declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform';
declare module '@camunda/linting';
declare module '@camunda/linting/modeler';
declare module 'bpmn-js-differ';
declare module 'camunda-bpmn-moddle/resources/camunda.json';
declare module 'bpmn-js-i18n/translations/zn';
declare module '@bpmn-io/properties-panel';
declare module '@bpmn-io/properties-panel/preact';
