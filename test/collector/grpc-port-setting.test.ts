import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../collector/src/config.js';
import { DEFAULT_GRPC_PORT, grpcPortFromSettings } from '../../collector/src/grpc/grpc-port-setting.js';

describe('the OTLP/gRPC port setting', () => {
  test.each([
    [undefined, undefined, 4318, DEFAULT_GRPC_PORT],
    ['0', undefined, 4318, 0],
    [undefined, '14317', 4318, 14317],
    ['24317', '14317', 4318, 24317],
    [' 5317 ', undefined, 4318, 5317],
    ['off', '14317', 4318, undefined],
    [undefined, 'OFF', 4318, undefined],
    ['0', undefined, 0, 0],
    [undefined, undefined, 0, DEFAULT_GRPC_PORT],
  ])('flag %o, env %o with HTTP on %i gives %o', (flag, env, httpPort, expected) => {
    expect(grpcPortFromSettings(flag, env, httpPort)).toBe(expected);
  });

  test('4317 is the port OTLP/gRPC exporters send to by default', () => {
    expect(DEFAULT_GRPC_PORT).toBe(4317);
  });

  test.each([
    ['abc', undefined, 4318, 'gRPC port must be a whole number between 0 and 65535, or off, got "abc"'],
    [undefined, '-1', 4318, 'gRPC port must be a whole number between 0 and 65535, or off, got "-1"'],
    ['65536', undefined, 4318, 'gRPC port must be a whole number between 0 and 65535, or off, got "65536"'],
    ['4317.5', undefined, 4318, 'gRPC port must be a whole number between 0 and 65535, or off, got "4317.5"'],
    ['4318', undefined, 4318, 'gRPC port 4318 is also the HTTP port: give --grpc-port another port, or off'],
    [undefined, undefined, 4317, 'gRPC port 4317 is also the HTTP port: give --grpc-port another port, or off'],
  ])('flag %o, env %o with HTTP on %i is refused', (flag, env, httpPort, message) => {
    expect(() => grpcPortFromSettings(flag, env, httpPort)).toThrow(new ConfigError(message));
  });
});
