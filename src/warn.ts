const said: Record<string, 1> = {};

/** One console line per distinct message, prefixed and never throwing (a page may break console). */
export function warn(message: string, error?: boolean): void {
  if (said[message]) return;
  said[message] = 1;
  try {
    console[error ? 'error' : 'warn']('klite: ' + message);
  } catch {}
}
