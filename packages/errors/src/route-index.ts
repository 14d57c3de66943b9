import FindMyWay, { type HTTPMethod } from 'find-my-way';

const noop = () => undefined;

/**
 * A second router holding only which methods exist for which path patterns,
 * so that a request Fastify did not match can be told apart: 404 (no such
 * path) or 405 (path exists, method does not) with an Allow header.
 */
export class RouteIndex {
  private readonly router = FindMyWay({ ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, caseSensitive: true });
  private readonly methods = new Set<HTTPMethod>();

  add(method: string | string[], url: string): void {
    // A catch-all route (@fastify/cors registers `OPTIONS *` so that
    // preflights of any path reach its hook) says nothing about which methods
    // a path has; counting it would turn every 404 into a 405.
    if (url === '*') return;
    for (const m of Array.isArray(method) ? method : [method]) {
      const upper = m.toUpperCase() as HTTPMethod;
      if (this.router.hasRoute(upper, url)) continue;
      this.router.on(upper, url, noop);
      this.methods.add(upper);
    }
  }

  /** Methods that would have matched this concrete path, sorted. */
  allowedMethods(path: string): string[] {
    const pathOnly = path.split('?')[0] ?? path;
    const allowed: string[] = [];
    for (const method of this.methods) {
      try {
        if (this.router.find(method, pathOnly)) allowed.push(method);
      } catch {
        // A path the router cannot decode has no allowed methods.
      }
    }
    return allowed.sort();
  }
}
