import { createRouter, createWebHistory } from 'vue-router';
import { session, loadMe, can } from './session.ts';
import { accessToken, restoreSession } from './api.ts';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: () => home() },
    // the applicant's status page: no account; a phone opens it from the receipt or a notice's QR code
    { path: '/q', name: 'status-query', component: () => import('./views/StatusQueryView.vue'), meta: { public: true } },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/tasks', name: 'queue', component: () => import('./views/QueueView.vue') },
    { path: '/intake', name: 'intake', component: () => import('./views/IntakeView.vue') },
    { path: '/cases', name: 'register', component: () => import('./views/RegisterView.vue') },
    { path: '/cases/:id', name: 'case', component: () => import('./views/CaseView.vue'), props: true },
    { path: '/copies', name: 'copies', component: () => import('./views/CopiesView.vue') },
    { path: '/board', name: 'board', component: () => import('./views/BoardView.vue') },
    { path: '/calendar', name: 'calendar', component: () => import('./views/CalendarView.vue') },
    { path: '/admin/users', name: 'users', component: () => import('./views/UsersView.vue') },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue') },
    { path: '/admin/catalogue', name: 'catalogue', component: () => import('./views/CatalogueView.vue') },
    // the server refuses anyway; the same CASL rules keep the page from opening empty
    { path: '/rectifications', name: 'rectifications', component: () => import('./views/RectificationsView.vue'), meta: { can: ['read', 'Rectification'] } },
    { path: '/admin/notice-templates', name: 'notice-templates', component: () => import('./views/NoticeTemplatesView.vue'), meta: { can: ['manage', 'NoticeTemplate'] } },
    // bpmn-js and its properties panel are large: they load only when the designer opens.
    { path: '/designer', name: 'designer', component: () => import('./views/DesignerView.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

/** Where a user lands: audit administrators in the audit log, supervisors on their board, designers in the designer, everyone else in the queue. */
export function home(): string {
  const roles = session.user?.roles ?? [];
  if (roles.includes('audit_admin')) return '/audit';
  if (roles.includes('supervisor')) return '/board';
  if (roles.includes('designer') && !roles.some((r) => ['window_clerk', 'reviewer', 'section_head', 'leader'].includes(r))) return '/designer';
  return '/tasks';
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.user && (accessToken() || (await restoreSession()))) await loadMe();
  if (!session.user) return { name: 'login', query: { next: to.fullPath } };
  const need = to.meta.can as [string, string] | undefined;
  if (need && !can(need[0], need[1])) return home();
  return true;
});
