import { createApp } from 'vue';
import {
  ElAlert, ElBadge, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElCol, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElLoading, ElMenu, ElMenuItem, ElOption, ElRadio, ElRadioButton, ElRadioGroup, ElRow,
  ElSelect, ElSkeleton, ElStatistic, ElSwitch, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip, ElTree,
} from 'element-plus';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router.ts';
import { i18n } from './i18n/index.ts';

// Registered one by one rather than app.use(ElementPlus): only what the app uses gets bundled. Every
// <el-…> a template uses must be here (test/unit/ui-components.test.ts): an unregistered one renders
// as an unknown element, as the calendar's year field once did.
const components = [
  ElAlert, ElBadge, ElButton, ElCard, ElCheckbox, ElCheckboxGroup, ElCol, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption, ElRadio, ElRadioButton, ElRadioGroup, ElRow, ElSelect,
  ElSkeleton, ElStatistic, ElSwitch, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip, ElTree,
];
const app = createApp(App);
for (const c of components) app.use(c);
app.use(ElLoading);
app.use(i18n);
app.use(router);
app.mount('#app');
