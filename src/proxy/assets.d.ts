/** klite.js, the stub and debug mode's view as texts, built into the Worker (rollup.config.mjs). */
declare module 'klite:assets' {
  export const script: string;
  export const stub: string;
  export const debug: string;
}
