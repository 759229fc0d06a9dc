/**
 * A parser for the Prometheus text exposition format 0.0.4, strict enough to catch what a real
 * scraper would refuse: every sample must belong to a family declared by `# TYPE` before it (with
 * the `_bucket`/`_sum`/`_count` suffixes for histograms), names and label names must be valid,
 * label values must use only the format's escapes, values must be numbers, and no series may
 * repeat. Histogram buckets must be cumulative and end with `le="+Inf"` equal to `_count`.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  const seenSeries = new Set<string>();
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // plain comment
      const [, keyword, name, rest] = match;
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: invalid metric name ${name}`);
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (keyword === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`${where}: unknown type ${rest}`);
        if (family.samples.length > 0) throw new Error(`${where}: TYPE after samples of ${name}`);
        family.type = rest;
      } else family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      families.set(name, family);
      return;
    }
    const sample = parseSampleLine(line, where);
    const family = familyOf(families, sample.name);
    if (!family) throw new Error(`${where}: sample ${sample.name} has no # TYPE before it`);
    const seriesKey = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seenSeries.has(seriesKey)) throw new Error(`${where}: duplicate series ${seriesKey}`);
    seenSeries.add(seriesKey);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function familyOf(families: Map<string, ParsedFamily>, sampleName: string): ParsedFamily | undefined {
  const direct = families.get(sampleName);
  if (direct) return direct;
  const match = /^(.*)_(bucket|sum|count)$/.exec(sampleName);
  const base = match ? families.get(match[1]) : undefined;
  return base && (base.type === 'histogram' || base.type === 'summary') ? base : undefined;
}

function parseSampleLine(line: string, where: string): ParsedSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`${where}: no metric name in "${line}"`);
  const name = nameMatch[0];
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    while (line[at] !== '}') {
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
      if (!labelMatch || !LABEL_NAME.test(labelMatch[1])) throw new Error(`${where}: bad label at column ${at + 1}`);
      at += labelMatch[0].length;
      let value = '';
      for (;;) {
        const char = line[at];
        if (char === undefined) throw new Error(`${where}: unterminated label value`);
        if (char === '"') break;
        if (char === '\\') {
          const next = line[at + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else throw new Error(`${where}: invalid escape \\${next}`);
          at += 2;
          continue;
        }
        value += char;
        at++;
      }
      at++;
      if (Object.prototype.hasOwnProperty.call(labels, labelMatch[1])) throw new Error(`${where}: repeated label ${labelMatch[1]}`);
      labels[labelMatch[1]] = value;
      if (line[at] === ',') at++;
      else if (line[at] !== '}') throw new Error(`${where}: expected , or } at column ${at + 1}`);
    }
    at++;
  }
  const rest = line.slice(at);
  const valueMatch = /^ (\S+)( -?\d+)?$/.exec(rest);
  if (!valueMatch) throw new Error(`${where}: expected " value [timestamp]" after the labels, got "${rest}"`);
  return { name, labels, value: parseValue(valueMatch[1], where) };
}

function parseValue(text: string, where: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: invalid value ${text}`);
  return Number(text);
}

function checkHistogram(family: ParsedFamily): void {
  const bySeries = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = bySeries.get(key) ?? { buckets: [] };
    if (sample.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push([parseValue(le, family.name), sample.value]);
    } else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    bySeries.set(key, entry);
  }
  for (const [key, entry] of bySeries) {
    const last = entry.buckets[entry.buckets.length - 1];
    if (!last || last[0] !== Infinity) throw new Error(`${family.name}${key}: buckets must end with le="+Inf"`);
    if (last[1] !== entry.count) throw new Error(`${family.name}${key}: +Inf bucket ${last[1]} differs from _count ${entry.count}`);
    for (let i = 1; i < entry.buckets.length; i++) {
      if (entry.buckets[i][0] <= entry.buckets[i - 1][0] || entry.buckets[i][1] < entry.buckets[i - 1][1]) {
        throw new Error(`${family.name}${key}: buckets must rise in le and be cumulative`);
      }
    }
  }
}

/** The value of the one sample with exactly these labels (undefined if none). */
export function sampleValue(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const familyName = families.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(familyName);
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return family?.samples.find((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted)?.value;
}
