import { ConfigError } from '../config.js';

/** The OTLP/gRPC port exporters send to by default. */
export const DEFAULT_GRPC_PORT = 4317;

/**
 * The OTLP/gRPC port of `threshold start`: `--grpc-port`, else `THRESHOLD_GRPC_PORT`, else 4317.
 * `0` picks a free port; `off` serves no gRPC (undefined). It listens on the HTTP host, so the same
 * non-zero port as HTTP is refused here rather than failing to bind.
 */
export function grpcPortFromSettings(flag: string | undefined, env: string | undefined, httpPort: number): number | undefined {
  const text = (flag ?? env)?.trim();
  if (text === undefined) return httpPort === DEFAULT_GRPC_PORT ? refuseSame(httpPort) : DEFAULT_GRPC_PORT;
  if (text.toLowerCase() === 'off') return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 65_535)
    throw new ConfigError(`gRPC port must be a whole number between 0 and 65535, or off, got "${text}"`);
  const port = Number(text);
  return port !== 0 && port === httpPort ? refuseSame(httpPort) : port;
}

function refuseSame(port: number): never {
  throw new ConfigError(`gRPC port ${port} is also the HTTP port: give --grpc-port another port, or off`);
}
