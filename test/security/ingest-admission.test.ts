import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { IngestAdmission, perProjectLimits } from '../../collector/src/security/ingest-admission.js';

const request = (contentLength?: number) =>
  ({ headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) } }) as unknown as IncomingMessage;
const response = () => new EventEmitter() as unknown as ServerResponse & EventEmitter;

describe('ingest admission per project', () => {
  it('gives one project at most half the slots when there are several, all of them when there is one', () => {
    expect(perProjectLimits({ maxRequests: 64, maxBytes: 1_000 }, 1)).toEqual({ maxRequests: 64, maxBytes: 1_000 });
    expect(perProjectLimits({ maxRequests: 64, maxBytes: 1_000 }, 3)).toEqual({
      maxRequests: 64,
      maxBytes: 1_000,
      maxRequestsPerProject: 32,
      maxBytesPerProject: 500,
    });
    expect(perProjectLimits({ maxRequests: 64, maxBytes: 1_000, maxRequestsPerProject: 8 }, 3)).toEqual({
      maxRequests: 64,
      maxBytes: 1_000,
      maxRequestsPerProject: 8,
      maxBytesPerProject: 500,
    });
  });

  it('refuses a project past its share while admitting another, and within the global bound', () => {
    const admission = new IngestAdmission({ maxRequests: 4, maxBytes: 1_000_000, maxRequestsPerProject: 2 });
    const answers = Array.from({ length: 5 }, () => response());
    expect(admission.admit(request(10), answers[0], 'noisy')).toEqual({ admitted: true });
    expect(admission.admit(request(10), answers[1], 'noisy')).toEqual({ admitted: true });
    expect(admission.admit(request(10), response(), 'noisy')).toEqual({
      admitted: false,
      reason: 'project noisy has too many ingest requests in flight (its share is 2 requests, 1000000 bytes)',
    });
    expect(admission.admit(request(10), answers[2], 'quiet')).toEqual({ admitted: true });
    expect(admission.admit(request(10), answers[3], 'other')).toEqual({ admitted: true });
    expect(admission.admit(request(10), answers[4], 'fourth')).toEqual({
      admitted: false,
      reason: 'collector is overloaded: too many ingest requests in flight',
    });
    expect(admission.inFlight).toEqual({ requests: 4, bytes: 40 });
    expect(admission.refused).toBe(2);
    answers[0].emit('finish');
    answers[0].emit('close');
    expect(admission.inFlightOf('noisy')).toEqual({ requests: 1, bytes: 10 });
    expect(admission.admit(request(10), response(), 'noisy')).toEqual({ admitted: true });
  });

  it("bounds a project's bytes, counting a body of unknown length as 1 MiB", () => {
    const admission = new IngestAdmission({ maxRequests: 64, maxBytes: 4 * 1024 * 1024, maxBytesPerProject: 2 * 1024 * 1024 });
    expect(admission.admit(request(), response(), 'chunked')).toEqual({ admitted: true });
    expect(admission.admit(request(), response(), 'chunked')).toEqual({ admitted: true });
    expect(admission.admit(request(1), response(), 'chunked').admitted).toBe(false);
    expect(admission.inFlightOf('chunked')).toEqual({ requests: 2, bytes: 2 * 1024 * 1024 });
    expect(admission.admit(request(), response(), 'other')).toEqual({ admitted: true });
  });
});
