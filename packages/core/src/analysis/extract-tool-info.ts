import type { SpanRecord } from '../span-record.js';
import type { ToolInfo } from '../trace-span.js';
import { readBoolean, readString } from './read-attribute.js';

const NAME_KEYS = ['gen_ai.tool.name', 'ai.toolCall.name', 'tool.name', 'mastra.tool.id', 'traceloop.entity.name'];
const CALL_ID_KEYS = ['gen_ai.tool.call.id', 'ai.toolCall.id', 'tool_call.id'];
const ARGUMENT_KEYS = [
  'gen_ai.tool.call.arguments',
  'ai.toolCall.args',
  'ai.toolCall.input',
  'tool.parameters',
  'traceloop.entity.input',
  'input.value',
];

/**
 * Tool facts: name, call id, whether the SDK saw a cache hit or cold start, and a hash of the
 * arguments (`threshold.tool.args_hash`, else computed from the recorded arguments) so repeated
 * identical calls can be found without storing the arguments themselves.
 */
export function extractToolInfo(record: SpanRecord): ToolInfo {
  const attributes = record.attributes;
  const name = readString(attributes, ...NAME_KEYS) ?? toolNameFromSpanName(record.name);
  const info: ToolInfo = { name };
  const callId = readString(attributes, ...CALL_ID_KEYS);
  if (callId !== undefined) info.callId = callId;
  const argsHash = readString(attributes, 'threshold.tool.args_hash') ?? hashArguments(name, readString(attributes, ...ARGUMENT_KEYS));
  if (argsHash !== undefined) info.argsHash = argsHash;
  const cacheHit = readBoolean(attributes, 'threshold.tool.cache_hit');
  if (cacheHit !== undefined) info.cacheHit = cacheHit;
  const coldStart = readBoolean(attributes, 'threshold.tool.cold_start');
  if (coldStart !== undefined) info.coldStart = coldStart;
  return info;
}

/** `execute_tool get_weather` → `get_weather`; `get_weather.tool` → `get_weather`. */
function toolNameFromSpanName(spanName: string): string {
  const semconv = /^execute_tool\s+(.+)$/.exec(spanName);
  if (semconv) return semconv[1];
  return spanName.replace(/\.tool$/, '');
}

/**
 * A 64-bit hash of name + arguments as 16 hex characters: two independent 32-bit FNV-1a lanes
 * (different offset bases) over the UTF-16 code units. Not cryptographic; it only has to tell
 * repeated identical calls apart from different ones, and runs once per tool span on ingest.
 */
export function hashArguments(name: string, args: string | undefined): string | undefined {
  if (args === undefined) return undefined;
  const text = `${name}\u0000${args}`;
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x01000193) ^ (high >>> 15);
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}
