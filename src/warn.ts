import { guard } from './guard';

const said: Record<string, 1> = {};

/** One console line per distinct message, prefixed and never throwing (a page may break console). */
export const warn = (message: string, error?: boolean): void => {
  if (said[message]) return;
  said[message] = 1;
  guard(() => console[error ? 'error' : 'warn']('klite: ' + message));
};

/** Runs `f` and answers what it returns; what it throws is warned about (`error`: as an error) after `what`, never thrown into the page. */
export const attempt = <T>(what: string, f: () => T, error?: boolean) => {
  try {
    return f();
  } catch (e) {
    warn(what + e, error);
  }
};
