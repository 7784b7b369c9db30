import { useEffect, useState } from 'react';

/**
 * The value of a promise once it resolves (undefined before, and if it rejects);
 * `known` is its value when the caller already has it, so the first render can use it.
 */
export function useResolved<T>(promise: Promise<T> | undefined, known?: T): T | undefined {
  const [value, setValue] = useState<T | undefined>(known);
  useEffect(() => {
    let live = true;
    promise?.then(
      (v) => {
        if (live) setValue(v);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [promise]);
  return value;
}

/** Becomes true once a frame has been painted after `ready` became true. */
export function useAfterPaint(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A frame callback runs before that frame is painted; a task queued from it runs after.
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setPainted(true))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, painted]);
  return painted;
}
