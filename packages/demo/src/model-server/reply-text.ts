/**
 * The text a simulated model writes: a deterministic sequence of words, one word per token, so
 * a test can predict every chunk and the number of output tokens equals the number of chunks.
 */

const WORDS = [
  'Sure',
  'here',
  'is',
  'what',
  'I',
  'found',
  'about',
  'your',
  'request',
  'the',
  'answer',
  'depends',
  'on',
  'a',
  'few',
  'details',
  'that',
  'matter',
  'most',
  'for',
  'latency',
  'and',
  'cost',
  'today',
];

/** `count` tokens: the first word bare, the following ones with a leading space. */
export function replyTokens(count: number): string[] {
  const tokens: string[] = [];
  for (let index = 0; index < count; index++) {
    const word = WORDS[index % WORDS.length]!;
    tokens.push(index === 0 ? word : ` ${word}`);
  }
  return tokens;
}

/** Splits a JSON text into `count` roughly equal fragments (fewer when the text is shorter). */
export function splitIntoTokens(text: string, count: number): string[] {
  const pieces = Math.max(1, Math.min(count, text.length));
  const size = Math.ceil(text.length / pieces);
  const tokens: string[] = [];
  for (let start = 0; start < text.length; start += size) tokens.push(text.slice(start, start + size));
  return tokens.length > 0 ? tokens : [''];
}
