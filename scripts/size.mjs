// Prints the bytes merchants download and fails when a budget is exceeded.
// Budgets: dist/klite.js 4,096 bytes gzip (issue #2); the stub 700 bytes minified.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const budgets = [
  { file: 'dist/klite.js', gzip: Number(process.env.KLITE_GZIP_BUDGET || 4096) },
  { file: 'dist/stub.min.js', raw: 700 },
];

let failed = false;
for (const { file, gzip, raw } of budgets) {
  const bytes = readFileSync(file);
  const sizes = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  const over = (gzip && sizes.gzip > gzip) || (raw && sizes.raw > raw);
  const budget = gzip ? `budget ${gzip} gzip` : `budget ${raw} raw`;
  console.log(`${file.padEnd(18)} raw ${String(sizes.raw).padStart(6)}  gzip ${String(sizes.gzip).padStart(5)}  brotli ${String(sizes.brotli).padStart(5)}  (${budget})${over ? '  OVER BUDGET' : ''}`);
  failed ||= over;
}
if (failed) {
  console.error('size: over budget');
  process.exit(1);
}
