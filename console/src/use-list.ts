import { useEffect, useState } from 'preact/hooks';

/** Loads a list on mount and again on `reload()`; keeps the error to show. */
export function useList<T>(load: () => Promise<T[]>) {
  const [items, setItems] = useState<T[]>();
  const [error, setError] = useState<unknown>();
  const reload = (): void => {
    setError(undefined);
    load().then(setItems, (err: unknown) => {
      setError(err);
      setItems(undefined);
    });
  };
  useEffect(reload, []);
  return { items, error, reload };
}
