// Compiled by `npm run typecheck` against the published declarations (dist/types): the public
// API types what users write, and refuses what they must not.
import { init, type Identity, type Klaviyo } from '../../dist/types/index';

const klaviyo: Klaviyo = init({ companyId: 'AbC123', endpoint: 'https://a.klaviyo.com' });
const { track, identify } = klaviyo;

const accepted: Promise<boolean> = track('Viewed Category', { Category: 'Shoes' });
const who: Promise<Identity> = identify({ email: 'sarah@example.com' }, (identity) => identity.email?.toLowerCase());
klaviyo.track('Clicked', {}, (ok: boolean) => ok);
klaviyo.push(['track', 'Queued'], (k: unknown) => k);
const left: Promise<number> = klaviyo.flush();
const known: Promise<boolean> = klaviyo.isIdentified();
void [accepted, who, left, known, init()];

// @ts-expect-error: a metric name is required
klaviyo.track();
// @ts-expect-error: isIdentified resolves a boolean, not a string
const wrong: Promise<string> = klaviyo.isIdentified();
// @ts-expect-error: unknown option
init({ companyID: 'AbC123' });
void wrong;
