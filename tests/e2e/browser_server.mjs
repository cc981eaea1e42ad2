// One browser for the whole suite: run.sh starts this before the test files and stops it
// after them; each file connects (lib.mjs launch() with SHOUHOU_BROWSER_WS) instead of
// starting a browser of its own (about a core-second each). Every page still gets a fresh
// context. Prints the endpoint on its first line, then waits until killed.
import { chromium } from 'playwright-core';
import { browserOptions } from './lib.mjs';

const server = await chromium.launchServer(browserOptions());
console.log(server.wsEndpoint());
const stop = async () => { await server.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
