/** A random id of about 124 bits, for client ids and event `unique_id`s. */
export const randomId = (): string => Array.from(crypto.getRandomValues(new Uint32Array(4)), (w) => w.toString(36)).join('');
