/**
 * What a benchmark needs to tell when acknowledged traces become visible, without loading the
 * collector it measures: the first arrival of each trace on `/api/live` (one stream, no polling),
 * a trace served whole by `/api/traces/:id`, the number of traces `/api/stats` counts, and the
 * collector's resident memory and reported analysis lag sampled per phase of a run.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { residentBytes } from './_loopback.mjs';

/**
 * Watches `/api/live` and keeps, for every trace id `wanted(id)` accepts, the performance.now()
 * time its summary first arrived (a re-analysis after late spans arrives again; the first counts).
 * A stream that ends while watching (the collector drops a reader more than 1 MiB behind) is
 * counted in `drops` and opened again; traces analysed meanwhile are never seen.
 */
export class LiveArrivals {
  firstSeenAt = new Map();
  drops = 0;
  #url;
  #wanted;
  #onArrival;
  #request;
  #watching = false;

  constructor(url, wanted, onArrival = () => {}) {
    this.#url = url;
    this.#wanted = wanted;
    this.#onArrival = onArrival;
  }

  /** Resolves once the stream is open. */
  start() {
    this.#watching = true;
    return this.#connect();
  }

  stop() {
    this.#watching = false;
    this.#request?.destroy();
  }

  #connect() {
    return new Promise((resolve, reject) => {
      let ended = false;
      const lost = () => {
        if (ended) return;
        ended = true;
        if (!this.#watching) return;
        this.drops++;
        setTimeout(() => this.#connect().catch(() => {}), 100);
      };
      const request = http.get(`${this.#url}/api/live`, (response) => {
        if (response.statusCode !== 200) {
          ended = true;
          response.resume();
          reject(new Error(`GET /api/live answered ${response.statusCode}`));
          return;
        }
        resolve();
        response.setEncoding('utf8');
        let pending = '';
        response.on('data', (text) => {
          const at = performance.now();
          pending += text;
          const events = pending.split('\n\n');
          pending = events.pop();
          for (const event of events) {
            if (!event.startsWith('event: trace')) continue;
            const traceId = /"traceId":"([0-9a-f]{32})"/.exec(event)?.[1];
            if (traceId === undefined || this.firstSeenAt.has(traceId) || !this.#wanted(traceId)) continue;
            this.firstSeenAt.set(traceId, at);
            this.#onArrival(traceId, at);
          }
        });
        response.on('close', lost);
      });
      request.on('error', (error) => {
        reject(error);
        lost();
      });
      this.#request = request;
    });
  }
}

/** Reads of one collector's API that say what is visible. */
export function collectorProbes(url) {
  const json = async (path) => {
    const response = await fetch(url + path);
    return {
      status: response.status,
      body: response.status === 200 || response.status === 503 ? await response.json() : (await response.arrayBuffer(), undefined),
    };
  };
  return {
    /** Traces `/api/stats` counts (every group) among those started from `fromMs` on. */
    async statsCount(fromMs) {
      const { status, body } = await json(`/api/stats?from=${Math.floor(fromMs)}&to=${Date.now() + 3_600_000}`);
      if (status !== 200) throw new Error(`GET /api/stats answered ${status}`);
      return body.groups.reduce((sum, group) => sum + group.count, 0);
    },
    /** The status `/api/traces/:id` answers and how many spans it served. */
    async traceServed(traceId) {
      const { status, body } = await json(`/api/traces/${traceId}`);
      return { status, spans: body?.spans?.length ?? 0 };
    },
    /** `/api/health`'s analysis lag, ms. */
    async analysisLagMs() {
      return (await json('/api/health')).body?.analysisLagMs ?? 0;
    },
    /** `threshold_ingest_refusals_total` by reason, from `/metrics`. */
    async refusalsByReason() {
      const text = await (await fetch(`${url}/metrics`)).text();
      const counts = {};
      for (const [, reason, value] of text.matchAll(/^threshold_ingest_refusals_total\{reason="([^"]+)"\} (\S+)$/gm))
        counts[reason] = Number(value);
      return counts;
    },
  };
}

/**
 * CPU time in ms (Linux /proc, clock ticks of 10 ms) the process has used in all its threads, and
 * its main thread alone: for a collector, its event loop.
 */
export function cpuTimes(pid) {
  const ms = (path) => {
    const stat = readFileSync(path, 'utf8');
    // utime and stime: the 14th and 15th fields, the 12th and 13th after the command's closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { processMs: ms(`/proc/${pid}/stat`), eventLoopMs: ms(`/proc/${pid}/task/${pid}/stat`) };
}

/**
 * Samples the collector's RSS (every 250 ms, /proc) and the analysis lag it reports (every 1 s,
 * `/api/health`) for the whole run, keeping the highest of each per phase (`enter(name)`), and
 * the CPU time its process and its event loop used in each phase (`cpu`, set when the phase ends).
 */
export function phaseMonitor(pid, probes) {
  const phases = new Map();
  let current;
  let cpuAtStart;
  const closePhase = () => {
    let now;
    try {
      now = cpuTimes(pid);
    } catch {
      // The collector is gone: the phase has no CPU figure.
    }
    if (current && now && cpuAtStart) {
      current.cpu = { processMs: now.processMs - cpuAtStart.processMs, eventLoopMs: now.eventLoopMs - cpuAtStart.eventLoopMs };
    }
    cpuAtStart = now;
  };
  const enter = (name) => {
    closePhase();
    current = { peakRssBytes: residentBytes(pid), maxAnalysisLagMs: 0 };
    phases.set(name, current);
  };
  enter('start');
  const rssTimer = setInterval(() => (current.peakRssBytes = Math.max(current.peakRssBytes, residentBytes(pid))), 250);
  const lagTimer = setInterval(async () => {
    const phase = current;
    try {
      phase.maxAnalysisLagMs = Math.max(phase.maxAnalysisLagMs, await probes.analysisLagMs());
    } catch {
      // A health read that fails under load is skipped; the next one counts.
    }
  }, 1_000);
  return {
    enter,
    phases,
    stop: () => {
      clearInterval(rssTimer);
      clearInterval(lagTimer);
      closePhase();
    },
  };
}
