/** @grafana/ui fetches icon SVGs over HTTP through react-inlinesvg; in jsdom an empty <svg> stands in. */
import React from 'react';

export default function InlineSVG({ src, ...rest }: { src: string; [k: string]: unknown }) {
  const { innerRef: _innerRef, cacheRequests: _c, ...props } = rest as Record<string, unknown>;
  return <svg data-src={src} {...(props as React.SVGProps<SVGSVGElement>)} />;
}
