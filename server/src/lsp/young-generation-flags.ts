// The young-generation settings that the server's entry points share, without young-generation.ts's
// side effects: dist/server.js's loader (server-loader.ts) compiles the bundle under the same flag
// that young-generation.ts starts the server with, or V8 would reject the code cache.

/** Options on Node's command line that size the young generation: given, the server leaves it alone. */
const SIZED_BY_USER = /^--(max|min)-semi-space-size\b|^--semi-space-growth-factor\b/;

/** Whether the young generation was sized on the command line. */
export const youngGenerationSizedByUser = (): boolean => process.execArgv.some((a) => SIZED_BY_USER.test(a));

/** The growth factor the server's thread starts with (no growth until initialize's warm-up is done). */
export const STARTING_GROWTH_FACTOR = 1;
