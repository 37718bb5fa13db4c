'use strict';
// `node --require <this file> ...`: every require('electron') gets the fake next to it, even though
// node_modules/electron exists (its index.js only throws without the downloaded binary).
const Module = require('node:module');
const path = require('node:path');

const fake = path.join(__dirname, 'electron.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveElectron(request, ...rest) {
  return request === 'electron' ? fake : resolve.call(this, request, ...rest);
};
