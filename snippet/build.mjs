// Minifies snippet/stub.js into dist/stub.min.js: the text merchants paste (inside <script>).
import { minify } from 'terser';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('./stub.js', import.meta.url), 'utf8');
const { code } = await minify(source, { compress: { passes: 2 }, mangle: true, format: { comments: false } });
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/stub.min.js', import.meta.url), code + '\n');
console.log('dist/stub.min.js: ' + Buffer.byteLength(code) + ' bytes');
