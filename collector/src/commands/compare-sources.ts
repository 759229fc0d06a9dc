/**
 * The two runs `threshold compare` reads: a file of recorded OTLP spans (read and analysed as
 * `threshold check --file` does) or a window of a running collector. Either way a run becomes the
 * task durations of each task class, which is all the comparison needs.
 */
import { basename } from 'node:path';
import { DEFAULT_TASK_CLASS_CONFIG } from '@threshold/core';
import { CollectorClient } from './collector-client.js';
import { readRecordedSpans, summariseTraces } from './recorded-spans-file.js';

export type RunSource =
  | { kind: 'file'; path: string }
  | {
      kind: 'collector';
      url: string;
      /** The window on task start time, [fromMs, toMs). */
      fromMs: number;
      toMs: number;
      apiKey?: string;
    };

export interface RecordedRun {
  /** Where the run came from, for the header: the file's name, or the collector and window. */
  label: string;
  /** Task durations (ms) of each task class. */
  durationsMs: Map<string, number[]>;
  tasks: number;
}

/** Reads a run; throws RecordedSpansError or CollectorRequestError with a one-line message. */
export async function readRun(source: RunSource, service: string | undefined): Promise<RecordedRun> {
  const durationsMs = new Map<string, number[]>();
  let tasks = 0;
  const add = (taskClass: string, durationMs: number) => {
    const durations = durationsMs.get(taskClass);
    if (durations) durations.push(durationMs);
    else durationsMs.set(taskClass, [durationMs]);
    tasks++;
  };
  if (source.kind === 'file') {
    for (const summary of summariseTraces(await readRecordedSpans(source.path), DEFAULT_TASK_CLASS_CONFIG)) {
      if (service === undefined || summary.service === service) add(summary.taskClass, summary.durationMs);
    }
    return { label: basename(source.path), durationsMs, tasks };
  }
  const client = new CollectorClient(source.url, source.apiKey);
  for await (const page of client.tracePages({ fromMs: source.fromMs, toMs: source.toMs, service })) {
    for (const summary of page) add(summary.taskClass, summary.durationMs);
  }
  const window = `${new Date(source.fromMs).toISOString()} to ${new Date(source.toMs).toISOString()}`;
  return { label: `${source.url.replace(/\/+$/, '')}, ${window}`, durationsMs, tasks };
}
