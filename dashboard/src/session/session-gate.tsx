import { useEffect, useState, type FormEvent, type ReactNode } from 'react';

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-in' }
  | { status: 'signed-out'; message?: string }
  | { status: 'unreachable'; message: string };

/**
 * Shows the dashboard once the collector accepts this browser: at once when the collector needs
 * no keys, else after sign-in with a read key (or an admin key, which may also change alert
 * rules). The key goes once, as JSON, to `POST /api/session`, which answers with an HttpOnly
 * cookie holding an opaque session token; neither scripts nor the cookie ever hold the key.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });

  useEffect(() => {
    let cancelled = false;
    fetch('/api/session', { headers: { accept: 'application/json' } })
      .then((response) => {
        if (cancelled) return;
        if (response.ok) setState({ status: 'signed-in' });
        else if (response.status === 401) setState({ status: 'signed-out' });
        // A collector without the session endpoint needs no sign-in.
        else setState({ status: 'signed-in' });
      })
      .catch((error: Error) => !cancelled && setState({ status: 'unreachable', message: `Cannot reach the collector (${error.message})` }));
    return () => {
      cancelled = true;
    };
  }, []);

  if (state.status === 'signed-in') return <>{children}</>;
  if (state.status === 'checking') return <div className="loading-page">Loading…</div>;
  if (state.status === 'unreachable')
    return (
      <div className="panel notice" role="alert">
        {state.message}
      </div>
    );
  return (
    <SignInForm
      message={state.message}
      onSignedIn={() => setState({ status: 'signed-in' })}
      onRefused={(message) => setState({ status: 'signed-out', message })}
    />
  );
}

function SignInForm({
  message,
  onSignedIn,
  onRefused,
}: {
  message?: string;
  onSignedIn: () => void;
  onRefused: (message: string) => void;
}) {
  const [key, setKey] = useState('');
  const [sending, setSending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    try {
      const response = await fetch('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: key.trim() }),
      });
      if (response.ok) onSignedIn();
      else onRefused(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `Sign-in failed (${response.status})`);
    } catch (error) {
      onRefused(`Cannot reach the collector (${(error as Error).message})`);
    } finally {
      setSending(false);
    }
  };

  return (
    <main className="main">
      <form className="panel notice sign-in" onSubmit={submit} aria-label="Sign in">
        <h1>Sign in to Threshold</h1>
        <p>This collector needs a key of your project: a read key to look, an admin key to also change alert rules.</p>
        <label>
          Read or admin key{' '}
          <input
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            required
            minLength={16}
          />
        </label>{' '}
        <button type="submit" disabled={sending || key.trim() === ''}>
          Sign in
        </button>
        {message && (
          <p role="alert" className="error-text">
            {message}
          </p>
        )}
      </form>
    </main>
  );
}
