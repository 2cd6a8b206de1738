import { useCallback, useState } from 'react';

/** Runs an action at a time: `busy` while it runs, its error's message as `problem` (cleared at the next). */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const act = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, setProblem, act };
}
