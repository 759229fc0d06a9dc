/**
 * The CLI's reading side of a running collector: `GET /api/stats`, `/api/traces` and
 * `/api/recommendations`, with errors turned into one line the user can act on.
 */
import type { RecommendationsResponse, StatsResponse, TraceList, TraceSummary } from '@threshold/core';

/** The collector could not be reached or answered with an error; the message is one line. */
export class CollectorRequestError extends Error {
  override readonly name = 'CollectorRequestError';
  constructor(
    message: string,
    /** HTTP status when the collector answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Most traces `/api/traces` returns per page (the collector's cap). */
const PAGE_SIZE = 1_000;
/** How many traces a percentile outside P50/P95/P99 may read before giving up (bounded memory). */
const MAX_TRACES_READ = 1_000_000;

/** Which traces to read: a window on start time [fromMs, toMs), optionally one service. */
export interface TraceWindow {
  fromMs?: number;
  toMs?: number;
  service?: string;
}

export class CollectorClient {
  private readonly baseUrl: string;

  /** @param apiKey a read key, sent as `Authorization: Bearer …` (a collector with keys needs one) */
  constructor(
    baseUrl: string,
    private readonly apiKey?: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async get<T>(path: string, query: Record<string, string | number | undefined>): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    let response: Response;
    try {
      const headers: Record<string, string> = this.apiKey === undefined ? {} : { authorization: `Bearer ${this.apiKey}` };
      response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new CollectorRequestError(`cannot reach the collector at ${this.baseUrl} (${reason})`);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      const detail = body.length > 0 && body.length < 300 ? `: ${body.trim()}` : '';
      throw new CollectorRequestError(`${url.pathname} answered ${response.status}${detail}`, response.status);
    }
    return (await response.json()) as T;
  }

  stats(fromMs: number | undefined): Promise<StatsResponse> {
    return this.get('/api/stats', { groupBy: 'taskClass', from: fromMs });
  }

  recommendations(fromMs: number | undefined): Promise<RecommendationsResponse> {
    return this.get('/api/recommendations', { from: fromMs });
  }

  /** Every trace summary since `fromMs`, page by page. */
  async allTraces(fromMs: number | undefined): Promise<TraceSummary[]> {
    const traces: TraceSummary[] = [];
    for await (const page of this.tracePages({ fromMs })) traces.push(...page);
    return traces;
  }

  /** The window's trace summaries a page at a time, so a caller keeps only what it needs of each. */
  async *tracePages(window: TraceWindow): AsyncGenerator<TraceSummary[]> {
    for (let offset = 0; offset < MAX_TRACES_READ; offset += PAGE_SIZE) {
      const page = await this.get<TraceList>('/api/traces', {
        limit: PAGE_SIZE,
        offset,
        from: window.fromMs,
        to: window.toMs,
        service: window.service,
      });
      yield page.traces;
      if (page.traces.length < PAGE_SIZE || offset + PAGE_SIZE >= page.total) break;
    }
  }
}
