import '@testing-library/jest-dom';

// i18next (inside @grafana/ui) advertises itself on every init; keep test output about our code.
const info = console.info;
console.info = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('i18next')) {
    return;
  }
  info(...args);
};

// Grafana's TimeSeries (uPlot) makes a first render of several charts take over a second in jsdom on a
// loaded machine: wait up to 5 s for what the agent's answers bring.
import { configure } from '@testing-library/react';
configure({ asyncUtilTimeout: 5000 });
