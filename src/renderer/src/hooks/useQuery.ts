import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { OperationName } from '../../../shared/contract';
import { useEvent } from './useEvent';

export interface Query<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `deps` change, and again whenever main reports a change to stored data
 * by an operation whose name starts with one of `refreshOn` (none given: no auto-refresh).
 * Stale answers (from an older deps set) are dropped.
 */
export function useQuery<T>(
  load: () => Promise<T>,
  deps: unknown[],
  refreshOn?: string[],
): Query<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loadRef = useRef(load);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  const run = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    loadRef.current().then(
      (d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, []);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(run, deps);

  useEvent('data.changed', (p: { operation: OperationName }) => {
    if (refreshOn?.some((prefix) => p.operation.startsWith(prefix))) run();
  });

  return { data, error, loading, reload: run };
}
