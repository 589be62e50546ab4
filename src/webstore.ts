/**
 * JSON in localStorage or sessionStorage. Both can be missing or throw (sandboxed iframes,
 * disabled cookies, quota): then nothing is kept and nothing is thrown.
 */
export function load<T>(key: string, session?: boolean): T | undefined {
  try {
    return JSON.parse((session ? sessionStorage : localStorage).getItem(key) || 'null') ?? undefined;
  } catch {}
}

export function save(key: string, value: unknown, session?: boolean): void {
  try {
    const area = session ? sessionStorage : localStorage;
    value === undefined ? area.removeItem(key) : area.setItem(key, JSON.stringify(value));
  } catch {}
}
