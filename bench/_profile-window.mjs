/**
 * A profile of this thread over one window of a bench (`THRESHOLD_BENCH_PROFILE=<file>`):
 * `await profileWindow(() => work())` runs the work under the inspector's CPU profiler and writes
 * a `.cpuprofile`, or under its sampling heap profiler (what was allocated where) when the file
 * name ends in `.heapprofile`; open either in Chrome DevTools. Without the variable it only runs the work.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function profileWindow(work) {
  const file = process.env.THRESHOLD_BENCH_PROFILE;
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  const heap = file.endsWith('.heapprofile');
  if (heap)
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  else await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = heap ? await session.post('HeapProfiler.stopSampling') : await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.error(`profile of the timed window: ${file}`);
  }
}
