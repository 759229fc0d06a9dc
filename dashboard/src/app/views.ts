import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * Every page of the dashboard, in navigation order. A view is a lazily loaded component (its code
 * and its charts download only when opened) mounted at a path pattern. Adding a page is adding
 * one entry here, e.g. `{ id: 'alerts', path: '/alerts', title: 'Alerts', nav: true,
 * component: lazy(() => import('../views/alerts/alerts-view')) }`.
 */
export interface ViewProps {
  /** The path pattern's `:name` parameters, decoded. */
  params: Record<string, string>;
}

export interface ViewDefinition {
  id: string;
  /** Path pattern, `:name` captures a segment. */
  path: string;
  title: string;
  /** Listed in the top navigation (detail pages are not). */
  nav: boolean;
  /** Navigation entry highlighted while this view is open (a detail page highlights its list). */
  navId?: string;
  component: LazyExoticComponent<ComponentType<ViewProps>>;
}

export const VIEWS: ViewDefinition[] = [
  { id: 'overview', path: '/', title: 'Overview', nav: true, component: lazy(() => import('../views/overview/overview-view')) },
  { id: 'traces', path: '/traces', title: 'Traces', nav: true, component: lazy(() => import('../views/traces/traces-view')) },
  {
    id: 'trace',
    path: '/traces/:traceId',
    title: 'Trace',
    nav: false,
    navId: 'traces',
    component: lazy(() => import('../views/trace/trace-view')),
  },
  { id: 'tail', path: '/tail', title: 'Slow tail', nav: true, component: lazy(() => import('../views/tail/tail-view')) },
  {
    id: 'recommendations',
    path: '/recommendations',
    title: 'Recommendations',
    nav: true,
    component: lazy(() => import('../views/recommendations/recommendations-view')),
  },
  { id: 'models', path: '/models', title: 'Models', nav: true, component: lazy(() => import('../views/models/models-view')) },
  {
    id: 'operations',
    path: '/tools',
    title: 'Tools & operations',
    nav: true,
    component: lazy(() => import('../views/operations/operations-view')),
  },
  { id: 'alerts', path: '/alerts', title: 'Alerts', nav: true, component: lazy(() => import('../views/alerts/alerts-view')) },
  { id: 'sessions', path: '/sessions', title: 'Sessions', nav: true, component: lazy(() => import('../views/sessions/sessions-view')) },
  {
    id: 'session',
    path: '/sessions/:sessionId',
    title: 'Session',
    nav: false,
    navId: 'sessions',
    component: lazy(() => import('../views/sessions/session-view')),
  },
];
