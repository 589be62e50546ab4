/** klite.js and the stub as texts, built into the Worker (rollup.config.mjs). */
declare module 'klite:assets' {
  export const script: string;
  export const stub: string;
}
