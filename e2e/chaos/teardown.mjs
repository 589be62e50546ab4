import { clear, summary } from './chaos.results.mjs';

export default function teardown() {
  console.log(summary());
  clear();
}
