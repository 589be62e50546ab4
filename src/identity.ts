import { FIELDS } from './attributes';
import { guard } from './guard';
import { readCookie, writeCookie } from './cookie';
import { randomId } from './ids';
import type { Identity, Ids } from './types';
import { load, save } from './webstore';

const IDS_KEY = 'klite:ids';
const KX_KEY = 'klite:kx';
/** Profile identifiers (email, phone_number, external_id: attributes.ts's first three fields); `_kx` (an email link's) too, though `identify()` never gives one. */
const ID_FIELDS = [...FIELDS.slice(0, 3), '_kx'] as (keyof Ids)[];

export interface Visitor {
  /** Client id, shared with klaviyo.js through the `__kla_id` cookie. */
  _cid: string;
  _ids: Ids;
}

export const isIdentified = (ids: Ids): boolean => ID_FIELDS.some((k) => ids[k]);

/** What `identify()` resolves to: the identifiers, never the internal ids (`cid`, `_kx`). */
export function publicIdentity({ _kx, ...ids }: Ids): Identity {
  return ids;
}

/**
 * The visitor: a client id in the `__kla_id` cookie (base64 JSON, as klaviyo.js writes it, so
 * both scripts see one visitor), the identifiers in localStorage (never email or phone in a
 * cookie), and an email link's `_kx` in sessionStorage for this session.
 */
export function createIdentity(companyId: string, url: URL, domain?: string) {
  const cid: unknown = guard(() => JSON.parse(atob(decodeURIComponent(readCookie('__kla_id')))).cid);
  // `_kx=<token>.<COMPANY_ID>` from an email link; a token for another account is ignored.
  const kx = url.searchParams.get('_kx');
  if (kx?.endsWith('.' + companyId)) save(KX_KEY, kx, true);
  const visitor: Visitor = {
    _cid: typeof cid == 'string' && cid ? cid : randomId(),
    _ids: { ...load<Ids>(IDS_KEY), _kx: load(KX_KEY, true) },
  };

  const writeId = () => writeCookie(btoa('{"cid":"' + visitor._cid + '"}'), domain);
  writeId();

  // The visitor, and what changes it.
  return [
    visitor,
    /** Adds identifiers; an identifier that contradicts a known one means another person. */
    (ids: Ids): void => {
      const known = visitor._ids;
      const other = ID_FIELDS.some((k) => ids[k] && known[k] && ids[k] !== known[k]);
      visitor._ids = other ? ids : { ...known, ...ids };
      // `_kx` is for this session only (sessionStorage).
      save(IDS_KEY, publicIdentity(visitor._ids));
      if (other) save(KX_KEY, undefined, true);
    },
    /** The cookie's domain; a string sets it (empty: none) and rewrites the cookie. */
    (d?: unknown): string | undefined => {
      if (typeof d == 'string') {
        domain = d || undefined;
        writeId();
      }
      return domain;
    },
    /** Forgets this visitor: new client id, no identifiers. */
    (): void => {
      visitor._cid = randomId();
      visitor._ids = {};
      save(IDS_KEY);
      save(KX_KEY, undefined, true);
      writeId();
    },
  ] as const;
}

export type IdentityStore = ReturnType<typeof createIdentity>;
