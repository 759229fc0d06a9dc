/**
 * A `ReadableStream` that reads the source only when its own consumer pulls (high-water mark 0,
 * so nothing is read ahead), forwards every chunk untouched, and forwards `cancel` to the source.
 * The source is locked only once reading starts, so a stream that is never read is left alone.
 * `tee()`, `pipeTo()`, `getReader()` and `for await` all work on it as on any ReadableStream.
 */
import type { StreamRecording } from './stream-recording.js';

export function instrumentReadableStream<T>(source: ReadableStream<T>, recording: StreamRecording): ReadableStream<T> {
  let reader: ReadableStreamDefaultReader<T> | undefined;
  const sourceReader = () => {
    if (reader === undefined) {
      recording.consumed = true;
      reader = source.getReader();
    }
    return reader;
  };
  return new ReadableStream<T>(
    {
      async pull(controller) {
        let result: Awaited<ReturnType<ReadableStreamDefaultReader<T>['read']>>;
        try {
          result = await sourceReader().read();
        } catch (error) {
          recording.finish({ kind: 'error', error });
          controller.error(error);
          return;
        }
        if (result.done) {
          recording.finish({ kind: 'complete' });
          controller.close();
          return;
        }
        recording.observe(result.value);
        controller.enqueue(result.value);
      },
      cancel(reason) {
        recording.finish({ kind: 'cancel' });
        return sourceReader().cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
