import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { routePatterns, type RouteEntry, type Upstream } from './route-table.js';

export type RouteMatcher = (method: string, path: string) => RouteEntry | undefined;

/**
 * The route table as a lookup (method, concrete path) → entry, built with the
 * same router and options Fastify uses, so that /docs lists exactly what the
 * gateway forwards.
 */
export function createRouteMatcher(routes: readonly RouteEntry[]): RouteMatcher {
  const router = FindMyWay({ ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, caseSensitive: true });
  const noop = () => undefined;
  for (const entry of routes) {
    const methods: HTTPMethod[] = entry.methods.includes('GET') ? [...entry.methods, 'HEAD'] : [...entry.methods];
    for (const pattern of routePatterns(entry)) router.on(methods, pattern, noop, entry);
  }
  return (method, path) => {
    try {
      return (router.find(method.toUpperCase() as HTTPMethod, path)?.store as RouteEntry | undefined) ?? undefined;
    } catch {
      return undefined;
    }
  };
}

export function routesTo(matcher: RouteMatcher): (upstream: Upstream, method: string, path: string) => boolean {
  return (upstream, method, path) => matcher(method, path)?.upstream === upstream;
}
