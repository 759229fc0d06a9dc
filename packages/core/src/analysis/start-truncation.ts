/**
 * How far a span's recorded start may sit before its true start. Third-party OTel JS
 * instrumentations pass `Date.now()`-style start times, whole milliseconds, while the SDK measures
 * the end at full precision; so a span that started just after its sibling ended can appear to
 * start up to 1 ms before that end, and a child up to 1 ms before its parent. Relations such as
 * "had ended by the time it started" allow this much, and no more: a real overlap under 1 ms is
 * not one a user could notice either.
 */
export const START_TRUNCATION_TOLERANCE_NS = 1_000_000;
