// Preloaded into the Electronegativity process: see scripts/electronegativity.cjs.
const Module = require('node:module');
const path = require('node:path');
const ownTs = path.resolve(__dirname, '../node_modules/@doyensec/electronegativity/node_modules/typescript');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  return resolve.call(this, request === 'typescript' ? ownTs : request, parent, ...rest);
};
