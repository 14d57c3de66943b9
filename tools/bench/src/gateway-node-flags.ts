/**
 * The V8 flags of the gateway's start script (apps/gateway/package.json;
 * why in apps/gateway/README.md, "Node flags"), so that every benchmark runs
 * the gateway as production does.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The node arguments before a built service's entry file. */
export function nodeFlagsFor(script: string): readonly string[] {
  return script.includes('apps/gateway/') ? GATEWAY_NODE_FLAGS : [];
}
