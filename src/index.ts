import { createApi } from './api';
import type { Klaviyo, Options } from './types';

export type { Identity, Klaviyo, Options, Properties } from './types';

/**
 * A tracker for npm users: `const klaviyo = init({ companyId: 'AbC123' })`. Never throws; a bad
 * or private key is refused with a console error and every call then resolves without sending.
 */
export function init(options?: Options | null): Klaviyo {
  let copy: Options = {};
  try {
    // A copy: a getter that throws, or a later change to the caller's object, cannot reach klite.
    copy = { ...options };
  } catch {}
  return createApi(copy)[0];
}
