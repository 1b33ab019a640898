// Read at run time so the built agent and the tests report the same version as package.json.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../package.json').version;
