import { createApp } from 'vue';
import {
  ElAlert, ElBadge, ElButton, ElCard, ElCol, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElInput, ElLoading, ElMenu, ElMenuItem, ElOption, ElRadio, ElRadioButton, ElRadioGroup, ElRow,
  ElSelect, ElSkeleton, ElStatistic, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip,
} from 'element-plus';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router.ts';
import { i18n } from './i18n/index.ts';

// Registered one by one rather than app.use(ElementPlus): only what the app uses gets bundled.
const components = [
  ElAlert, ElBadge, ElButton, ElCard, ElCol, ElConfigProvider, ElDatePicker, ElDescriptions, ElDescriptionsItem, ElDialog, ElDivider, ElDrawer, ElDropdown,
  ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem, ElInput, ElMenu, ElMenuItem, ElOption, ElRadio, ElRadioButton, ElRadioGroup, ElRow, ElSelect,
  ElSkeleton, ElStatistic, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTooltip,
];
const app = createApp(App);
for (const c of components) app.use(c);
app.use(ElLoading);
app.use(i18n);
app.use(router);
app.mount('#app');
