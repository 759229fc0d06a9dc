/**
 * A seeded source of uniform numbers for the statistics that must be reproducible: the same seed
 * gives the same sequence on every machine and Node version (Math.random cannot be seeded).
 * xoshiro128** (Blackman and Vigna), 32-bit integer arithmetic only, its state filled by
 * SplitMix32 from the seed as its authors recommend, so nearby seeds give unrelated sequences.
 */

/** A generator of numbers uniform in [0, 1), each a multiple of 2⁻³². */
export type UniformRandom = () => number;

const TWO_TO_32 = 4_294_967_296;

/** SplitMix32 step: spreads a 32-bit seed over the generator's 128-bit state. */
function splitMix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let z = state.value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The generator for `seed` (a whole number; only its low 32 bits count). */
export function seededRandom(seed: number): UniformRandom {
  const mixer = { value: seed | 0 };
  const state = [splitMix32(mixer), splitMix32(mixer), splitMix32(mixer), splitMix32(mixer)] as const;
  // The all-zero state is the one xoshiro cannot leave.
  return xoshiro128StarStar(state[0] | state[1] | state[2] | state[3] ? state[0] : 1, state[1], state[2], state[3]);
}

/** xoshiro128** from the state (a, b, c, d), exactly as its reference C code steps it. */
export function xoshiro128StarStar(a: number, b: number, c: number, d: number): UniformRandom {
  return () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotateLeft(d, 11);
    return result / TWO_TO_32;
  };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * A seed for one named stream drawn from a run's seed (FNV-1a of the name, mixed with it), so
 * each task class gets its own sequence: adding a class to a recording leaves the others' results
 * as they were.
 */
export function seedFor(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
