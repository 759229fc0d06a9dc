/**
 * The research agent's web: a search API (300 ms–1.2 s) and page fetches (100–900 ms). The same
 * query costs the same again — which is why repeating it is a finding, not a necessity.
 */
import type { SimulatedLatency } from './simulated-latency.js';

export interface SearchResult {
  url: string;
  title: string;
}

export class Web {
  constructor(private readonly latency: SimulatedLatency) {}

  async search(query: string, sessionId: string): Promise<SearchResult[]> {
    await this.latency.wait(600, 0.4, 'web-search', query, sessionId);
    const slug = query.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return [1, 2, 3, 4].map((rank) => ({ url: `https://example.org/${slug}/${rank}`, title: `${query} — source ${rank}` }));
  }

  async fetchPage(url: string, sessionId: string): Promise<string> {
    await this.latency.wait(320, 0.5, 'fetch-page', url, sessionId);
    return `Contents of ${url}. `.repeat(40);
  }
}
