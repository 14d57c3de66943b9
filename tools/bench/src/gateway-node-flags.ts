import { readFileSync } from 'node:fs';

/**
 * The node flags of the gateway's start script (`node --flag … dist/server.js`
 * in apps/gateway/package.json; why in apps/gateway/README.md, "Node flags"),
 * read from there so that every benchmark runs the gateway as production does.
 */
function gatewayNodeFlags(): readonly string[] {
  const manifest = JSON.parse(readFileSync(new URL('../../../apps/gateway/package.json', import.meta.url), 'utf8')) as { scripts?: { start?: string } };
  return (manifest.scripts?.start ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

export const GATEWAY_NODE_FLAGS = gatewayNodeFlags();

/** The node arguments before a built service's entry file. */
export function nodeFlagsFor(script: string): readonly string[] {
  return script.includes('apps/gateway/') ? GATEWAY_NODE_FLAGS : [];
}
