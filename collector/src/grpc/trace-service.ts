import type { sendUnaryData, ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/** The OTLP/gRPC trace method, as exporters call it. */
export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const passThrough = (bytes: Buffer): Buffer => bytes;

/**
 * `opentelemetry.proto.collector.trace.v1.TraceService` with no generated code: the request's
 * bytes go through untouched to the collector's own protobuf scan and decoder (the ones OTLP/HTTP
 * uses, with the same caps and rejections), and the answer is the ExportTraceServiceResponse the
 * HTTP route sends, already encoded. One decoder for both transports.
 */
export const TRACE_SERVICE: ServiceDefinition = {
  Export: {
    path: TRACE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  },
};

/** The unary handler of Export. */
export type ExportHandler = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => void;

export function traceServiceImplementation(exportHandler: ExportHandler): UntypedServiceImplementation {
  return { Export: exportHandler };
}
