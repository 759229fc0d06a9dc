import type { ApiError } from '../api/api-client';

/** An API failure, said plainly, with a retry. Never swallowed. */
export function ErrorMessage({ error, onRetry, what }: { error: ApiError; onRetry?: () => void; what?: string }) {
  const reason = error.status === 0 ? 'The collector cannot be reached.' : `The collector answered ${error.message}.`;
  return (
    <div className="error-box" role="alert" data-error-status={error.status}>
      <strong>Could not load {what ?? 'this data'}.</strong>
      <span>{reason}</span>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
