/**
 * Talks to the collector's HTTP API (docs/DESIGN.md's contract). Every failure becomes an `ApiError`
 * carrying the HTTP status and the server's message, so views can show it rather than swallow it.
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer (collector down, network). */
    readonly status: number,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

/** `/api/x` plus the defined, non-empty parameters, in the order given. */
export function apiPath(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    params.set(key, typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function fetchJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiError(0, `Cannot reach the collector (${(error as Error)?.message ?? 'network error'})`, path);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, errorMessage(response, text), path);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, `The collector answered ${path} with something that is not JSON`, path);
  }
}

export function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return fetchJson<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });
}

function errorMessage(response: Response, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : null;
    if (message) return `${response.status} ${message}`;
    if (body.error && typeof body.error === 'object' && typeof (body.error as { message?: unknown }).message === 'string') {
      return `${response.status} ${(body.error as { message: string }).message}`;
    }
  } catch {
    /* not JSON: fall through to the status text */
  }
  const snippet = text.trim().slice(0, 200);
  return `${response.status} ${response.statusText || 'error'}${snippet && !snippet.startsWith('<') ? `: ${snippet}` : ''}`;
}
