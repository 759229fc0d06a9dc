import type { Metadata, MetadataValue, ServerInterceptingCallInterface, ServerInterceptor, StatusObject } from '@grpc/grpc-js';
import type { ExportOutcome } from '../ingest/export-traces.js';
import { encodeExportResponse } from '../otlp/index.js';
import { encodeRpcStatus, STATUS_DETAILS_TRAILER } from './rpc-status.js';
import { TRACE_SERVICE, traceServiceImplementation, type ExportHandler } from './trace-service.js';

/** Why a call is refused before its message is read (the transport-neutral reasons of the gateway). */
export type CallRefusal = 'unauthenticated' | 'permission-denied' | 'rate-limited' | 'unavailable';

/** The gateway's decision on a call, from its metadata: a project and an ingest slot, or a refusal. */
export type CallAdmission =
  | { admitted: true; project: string; release: () => void }
  | { admitted: false; refusal: CallRefusal; message: string; retryAfterSeconds?: number };

export interface GrpcIngestOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest message, on the wire and after decompression (the HTTP body limit). */
  maxMessageBytes: number;
  /**
   * An admitted call whose message has not arrived in full this long after its metadata is
   * answered DEADLINE_EXCEEDED, giving its ingest slot back (HTTP's request timeout, 408).
   */
  messageTimeoutMs: number;
  /** Decides on a call from its `authorization` metadata, before its message is read. */
  admit(authorization: string | undefined): CallAdmission;
  /** The export every transport shares, into the admitted project. */
  exportTraces(project: string, message: Buffer): Promise<ExportOutcome>;
}

export interface GrpcIngestServer {
  /** `host:port` as exporters are given it (`127.0.0.1:4317`, `[::1]:4317`). */
  address: string;
  port: number;
  /** Takes no more calls; those in progress may finish for `graceMs`, then every connection closes. */
  close(graceMs?: number): Promise<void>;
}

/** gRPC status codes the collector answers with (google.rpc.Code). */
const CODE = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** HTTP's 401, 403, 429 and 503 in gRPC's terms (the OTLP spec's mapping). */
const REFUSAL_CODES: Record<CallRefusal, number> = {
  unauthenticated: CODE.UNAUTHENTICATED,
  'permission-denied': CODE.PERMISSION_DENIED,
  'rate-limited': CODE.RESOURCE_EXHAUSTED,
  unavailable: CODE.UNAVAILABLE,
};

const textOf = (values: MetadataValue[]): string | undefined => (typeof values[0] === 'string' ? values[0] : undefined);

/**
 * OTLP/gRPC ingest: `TraceService/Export` on its own HTTP/2 port. A server interceptor decides on
 * each call from its metadata before the message is read — key, project, rate limit, ingest slot,
 * exactly as the gateway decides on an HTTP request before its body — and holds the slot until
 * the call's status is sent or the call is cancelled. The handler runs the export every transport
 * shares and answers once the spans are durable: OK with the partial success, INVALID_ARGUMENT for
 * a malformed message, UNAVAILABLE with a RetryInfo for load and store faults, never INTERNAL for
 * load. gRPC itself refuses a message over `maxMessageBytes`, compressed or once inflated, with
 * RESOURCE_EXHAUSTED (gzip and deflate are accepted).
 */
export async function startGrpcIngest(options: GrpcIngestOptions): Promise<GrpcIngestServer> {
  const grpc = await import('@grpc/grpc-js');
  // grpc-js's only error lines for a server are about a failed bind, which the CLI reports in one
  // line of its own; GRPC_VERBOSITY still turns them (and grpc-js's tracing) on for debugging.
  if (process.env.GRPC_VERBOSITY === undefined) grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  /** The project of each admitted call, by the metadata object the interceptor hands to the handler. */
  const admittedProjects = new WeakMap<Metadata, string>();

  const status = (code: number, details: string, retryAfterSeconds?: number): StatusObject => {
    const metadata = new grpc.Metadata();
    metadata.set(STATUS_DETAILS_TRAILER, encodeRpcStatus(code, details, retryAfterSeconds));
    return { code, details, metadata };
  };

  const gate: ServerInterceptor = (_method, call: ServerInterceptingCallInterface) => {
    let release: (() => void) | undefined;
    let messageTimer: NodeJS.Timeout | undefined;
    const releaseSlot = () => {
      clearTimeout(messageTimer);
      release?.();
      release = undefined;
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const admission = options.admit(textOf(metadata.get('authorization')));
            if (!admission.admitted) {
              call.sendStatus(status(REFUSAL_CODES[admission.refusal], admission.message, admission.retryAfterSeconds));
              return;
            }
            release = admission.release;
            admittedProjects.set(metadata, admission.project);
            // A stalled or trickled message must not hold its slot for ever.
            messageTimer = setTimeout(() => {
              releaseSlot();
              call.sendStatus(
                status(
                  CODE.DEADLINE_EXCEEDED,
                  `the message did not arrive in full within ${options.messageTimeoutMs / 1000} s: send it without pauses`,
                ),
              );
            }, options.messageTimeoutMs);
            nextMetadata(metadata);
          },
          // The request is in full once the client half-closes after its message.
          onReceiveHalfClose: (nextHalfClose) => {
            clearTimeout(messageTimer);
            nextHalfClose();
          },
          onCancel: releaseSlot,
        }),
      sendStatus: (answer, next) => {
        releaseSlot();
        next(answer);
      },
    });
  };

  const handleExport: ExportHandler = (call, callback) => {
    const project = admittedProjects.get(call.metadata);
    if (project === undefined) return callback(status(CODE.INTERNAL, 'the call was not admitted'));
    options.exportTraces(project, call.request).then(
      (outcome) => {
        if (outcome.kind === 'stored') return callback(null, Buffer.from(encodeExportResponse('protobuf', outcome.partialSuccess)));
        if (outcome.kind === 'malformed') return callback(status(CODE.INVALID_ARGUMENT, outcome.message));
        callback(status(CODE.UNAVAILABLE, outcome.message, outcome.retryAfterSeconds));
      },
      (error: unknown) => {
        console.error('threshold: an OTLP/gRPC export failed:', error);
        callback(status(CODE.INTERNAL, 'the export failed'));
      },
    );
  };

  const server = new grpc.Server({ 'grpc.max_receive_message_length': options.maxMessageBytes, interceptors: [gate] });
  server.addService(TRACE_SERVICE, traceServiceImplementation(handleExport));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (!error) return resolve(bound);
      server.forceShutdown();
      reject(new GrpcBindError(options.host, options.port, error));
    });
  });
  let closing: Promise<void> | undefined;
  return {
    address: `${host}:${port}`,
    port,
    close: (graceMs = 1_000) =>
      (closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      })),
  };
}

/** The gRPC port could not be bound; `code` is the errno code grpc-js only reports in words. */
export class GrpcBindError extends Error {
  override readonly name = 'GrpcBindError';
  readonly code: string | undefined;

  constructor(host: string, port: number, cause: Error) {
    super(`OTLP/gRPC cannot listen on ${host}:${port}: ${cause.message}`);
    this.code = /EADDRINUSE|EADDRNOTAVAIL|EACCES/.exec(cause.message)?.[0];
  }
}
