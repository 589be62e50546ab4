import { clear } from './results.mjs';

export default function setup() {
  // Workers find the results file through this: they inherit what globalSetup sets.
  process.env.CHAOS_RUN ||= String(process.pid);
  clear();
}
