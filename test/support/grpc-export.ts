import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

/** The OTLP/gRPC trace method. */
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const GZIP = 2;

/** What a raw OTLP/gRPC export was answered, with the status details decoded. */
export interface GrpcAnswer {
  /** gRPC status code (0 OK). */
  code: number;
  details: string;
  /** The ExportTraceServiceResponse bytes (OK only). */
  response?: Buffer;
  /** The google.rpc.Status of the `grpc-status-details-bin` trailer, when sent. */
  statusDetails?: { code: number; message: string; retryDelaySeconds?: number; typeUrls: string[] };
}

export interface GrpcExportOptions {
  /** `authorization` metadata value, e.g. `Bearer <key>`. */
  authorization?: string;
  gzip?: boolean;
}

/**
 * Sends `message` as it is (no serializer between: malformed bytes arrive malformed) to the
 * TraceService/Export method at `address` (`host:port`), the way any OTLP/gRPC exporter calls it.
 */
export async function grpcExport(
  address: string,
  message: Uint8Array,
  { authorization, gzip = false }: GrpcExportOptions = {},
): Promise<GrpcAnswer> {
  const client = new Client(address, credentials.createInsecure(), gzip ? { 'grpc.default_compression_algorithm': GZIP } : {});
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  try {
    return await new Promise<GrpcAnswer>((resolve) => {
      client.makeUnaryRequest(
        EXPORT_PATH,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        Buffer.from(message),
        metadata,
        { deadline: Date.now() + 20_000 },
        (error: ServiceError | null, response?: Buffer) => {
          if (!error) return resolve({ code: 0, details: 'OK', response: response! });
          const trailer = error.metadata?.get('grpc-status-details-bin')[0];
          resolve({
            code: error.code,
            details: error.details,
            ...(Buffer.isBuffer(trailer) ? { statusDetails: decodeRpcStatus(trailer) } : {}),
          });
        },
      );
    });
  } finally {
    client.close();
  }
}

/** A protobuf field as read: its number and either a varint or length-delimited bytes. */
type Field = { number: number; varint?: bigint; bytes?: Buffer };

function readFields(bytes: Buffer): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++];
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const tag = Number(varint());
    const wireType = tag & 7;
    if (wireType === 0) fields.push({ number: tag >> 3, varint: varint() });
    else if (wireType === 2) {
      const length = Number(varint());
      fields.push({ number: tag >> 3, bytes: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unexpected wire type ${wireType}`);
  }
  return fields;
}

/** google.rpc.Status with the delay of its google.rpc.RetryInfo detail, if any. */
export function decodeRpcStatus(bytes: Buffer): NonNullable<GrpcAnswer['statusDetails']> {
  const fields = readFields(bytes);
  const status: NonNullable<GrpcAnswer['statusDetails']> = {
    code: Number(fields.find((field) => field.number === 1)?.varint ?? 0n),
    message: fields.find((field) => field.number === 2)?.bytes?.toString('utf8') ?? '',
    typeUrls: [],
  };
  for (const detail of fields.filter((field) => field.number === 3)) {
    const any = readFields(detail.bytes!);
    const typeUrl = any.find((field) => field.number === 1)?.bytes?.toString('utf8') ?? '';
    status.typeUrls.push(typeUrl);
    if (typeUrl !== 'type.googleapis.com/google.rpc.RetryInfo') continue;
    const retryInfo = readFields(any.find((field) => field.number === 2)?.bytes ?? Buffer.alloc(0));
    const duration = readFields(retryInfo.find((field) => field.number === 1)?.bytes ?? Buffer.alloc(0));
    status.retryDelaySeconds = Number(duration.find((field) => field.number === 1)?.varint ?? 0n);
  }
  return status;
}

/** ExportTraceServiceResponse → its partial success (rejected spans, message); undefined for an empty response. */
export function decodeExportResponse(bytes: Buffer): { rejectedSpans: number; errorMessage: string } | undefined {
  const partial = readFields(bytes).find((field) => field.number === 1)?.bytes;
  if (partial === undefined) return undefined;
  const fields = readFields(partial);
  return {
    rejectedSpans: Number(fields.find((field) => field.number === 1)?.varint ?? 0n),
    errorMessage: fields.find((field) => field.number === 2)?.bytes?.toString('utf8') ?? '',
  };
}
