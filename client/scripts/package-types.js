// Marks each build output with its module kind, so that Node and bundlers read dist/esm as ESM and dist/cjs as CommonJS.
const { writeFileSync } = require('node:fs');
writeFileSync('dist/esm/package.json', '{ "type": "module" }\n');
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
