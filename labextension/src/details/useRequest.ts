import * as React from 'react';

/**
 * Ask the server whenever `deps` change: `request` starts the call (or returns null when there
 * is nothing to ask), `onAnswer` takes its answer and `onFailure` its error, unless `deps`
 * changed or the component went away meanwhile (the answer to an older question is dropped).
 */
export function useRequest<T>(
  request: () => Promise<T> | null,
  onAnswer: (answer: T) => void,
  onFailure: (error: unknown) => void,
  deps: React.DependencyList
): void {
  React.useEffect(() => {
    const pending = request();
    if (pending === null) {
      return;
    }
    let cancelled = false;
    pending
      .then(answer => !cancelled && onAnswer(answer))
      .catch(error => !cancelled && onFailure(error));
    return () => {
      cancelled = true;
    };
  }, deps);
}
