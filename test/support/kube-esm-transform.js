/**
 * Jest transform for the ESM-only packages behind @kubernetes/client-node (RECIPES.md): Jest's CommonJS
 * runtime cannot load them, so they are transpiled to CommonJS here with TypeScript's transpileModule
 * (syntax only, no type checking: fast, and cached by Jest). Used only by the `test` project's config.
 */
const ts = require('typescript');
const crypto = require('node:crypto');

module.exports = {
  process(source, filename) {
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true, sourceMap: false },
    });
    return { code: out.outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha256').update(`kube-esm-transform-1\0${ts.version}\0${filename}\0${source}`).digest('hex');
  },
};
