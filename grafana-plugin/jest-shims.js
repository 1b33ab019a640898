/**
 * Browser APIs jsdom lacks but @grafana/ui touches at import or render time (create-plugin's
 * .config/jest-setup does the same): matchMedia, a no-op 2D canvas, ResizeObserver, TextEncoder.
 */
const { TextEncoder, TextDecoder } = require('node:util');
Object.assign(global, { TextEncoder, TextDecoder });

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  }),
});

HTMLCanvasElement.prototype.getContext = function getContext() {
  return new Proxy({}, { get: (_t, prop) => (prop === 'measureText' ? () => ({ width: 10 }) : () => {}) });
};

global.ResizeObserver = class ResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
};
