import { Suspense } from 'react';
import { ErrorBoundary } from '../components/error-boundary';
import { HealthBanner } from '../components/health-banner';
import { LiveIndicator } from '../components/live-indicator';
import { LiveProvider } from '../live/live-context';
import { Link } from '../router/link';
import { useLocation } from '../router/navigation';
import { resolveView, sharedQuery } from './resolve-view';
import { VIEWS } from './views';

export function App() {
  const location = useLocation();
  const resolved = resolveView(VIEWS, location.pathname);
  const activeNav = resolved ? (resolved.view.navId ?? resolved.view.id) : null;
  const carried = sharedQuery(location.search);
  const View = resolved?.view.component;

  return (
    <LiveProvider>
      <div className="app">
        <header className="topbar">
          <Link href={`/${carried}`} className="brand" aria-label="Threshold overview">
            <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
              <rect width="32" height="32" rx="7" fill="#0f172a" />
              <path d="M7 22h6V10h6v12h6" fill="none" stroke="#a78bfa" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            <span>Threshold</span>
          </Link>
          <nav className="nav" aria-label="Views">
            {VIEWS.filter((view) => view.nav).map((view) => (
              <Link
                key={view.id}
                href={`${view.path}${carried}`}
                className={view.id === activeNav ? 'nav-link active' : 'nav-link'}
                aria-current={view.id === activeNav ? 'page' : undefined}
              >
                {view.title}
              </Link>
            ))}
          </nav>
          <LiveIndicator />
        </header>
        <HealthBanner />
        <main className="main">
          <ErrorBoundary key={location.pathname}>
            <Suspense fallback={<div className="loading-page">Loading…</div>}>
              {View && resolved ? (
                <View params={resolved.params} />
              ) : (
                <div className="panel notice">
                  <h1>Page not found</h1>
                  <p>
                    There is no page at <code>{location.pathname}</code>. <Link href="/">Go to the overview</Link>.
                  </p>
                </div>
              )}
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </LiveProvider>
  );
}
