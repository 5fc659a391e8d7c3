import { useCallback, useEffect, useState } from 'react';
import { describeError } from './api.js';

export type Resource<T> =
  | { state: 'loading'; data?: T }
  | { state: 'error'; error: string; data?: T }
  | { state: 'ready'; data: T };

/**
 * Loads something from the API and says whether it is loading, failed or ready; `reload`
 * fetches again (keeping the old data on screen meanwhile).
 *
 * @example
 * const [agents, reload] = useResource(() => operations.listAgents(), []);
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): [Resource<T>, () => void] {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `load` depends on.
  useEffect(() => {
    let current = true;
    setResource((previous) => ({
      state: 'loading',
      ...(previous.data === undefined ? {} : { data: previous.data }),
    }));
    load().then(
      (data) => current && setResource({ state: 'ready', data }),
      (error: unknown) =>
        current &&
        setResource((previous) => ({
          state: 'error',
          error: describeError(error),
          ...(previous.data === undefined ? {} : { data: previous.data }),
        })),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [resource, reload];
}
