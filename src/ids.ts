const part = () => Math.random().toString(36).slice(2, 12);

/**
 * A random id of about 100 bits (two Math.random draws and the time), for client ids, page ids
 * and cart ids. They must be unique, not secret: crypto's first call costs several milliseconds
 * of main thread at start-up in Chromium, and Math.random none.
 */
export const randomId = (): string => part() + part() + Date.now().toString(36);
