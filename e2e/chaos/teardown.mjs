import { clear, summary } from './results.mjs';

export default function teardown() {
  console.log(summary());
  clear();
}
