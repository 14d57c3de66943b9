import type { Upstream } from '../routing/route-table.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type UpstreamSpec =
  | { upstream: Upstream; available: true; document: JsonObject }
  | { upstream: Upstream; available: false; reason: string };

/** Answers whether the gateway forwards `method path` (a concrete path) to `upstream`. */
export type RoutedBy = (upstream: Upstream, method: string, path: string) => boolean;

const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON string with sorted keys, so that equal schemas compare equal whatever their key order. */
function canonical(value: Json | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Rewrites `$ref`s to renamed components inside one upstream's document. */
function rewriteRefs(value: Json, renames: ReadonlyMap<string, string>): Json {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof item === 'string' ? (renames.get(item) ?? item) : rewriteRefs(item, renames);
  }
  return out;
}

/** An OpenAPI path template as a concrete path the router can match: `/v1/x/{id}` → `/v1/x/id`. */
function concretePath(template: string): string {
  return template.replace(/\{([^}/]+)\}/g, (_match, name: string) => name.replace(/[^A-Za-z0-9_-]/g, '') || 'x');
}

/**
 * Merges the upstreams' OpenAPI documents into the one the gateway serves at
 * /docs. Only operations the gateway actually routes to that upstream are
 * kept (an upstream's internal or unrouted paths never appear); components
 * that two upstreams define differently under one name are renamed
 * `<name>_<upstream>` with their `$ref`s; an upstream that did not answer is
 * listed in `x-upstreams` as unavailable instead of failing the page.
 */
export function mergeOpenApi(specs: readonly UpstreamSpec[], routedBy: RoutedBy, info: { title: string; version: string }): JsonObject {
  const paths: JsonObject = {};
  const components: Record<string, JsonObject> = {};
  const upstreams: JsonObject = {};
  const tags: Json[] = [];

  for (const spec of specs) {
    if (!spec.available) {
      upstreams[spec.upstream] = { status: 'unavailable', reason: spec.reason };
      tags.push({ name: spec.upstream, description: `The ${spec.upstream} service did not serve its API description (${spec.reason}); its operations are missing here.` });
      continue;
    }
    upstreams[spec.upstream] = { status: 'available' };
    tags.push({ name: spec.upstream, description: `Operations served by the ${spec.upstream} service.` });

    const sourceComponents = isObject(spec.document['components']) ? spec.document['components'] : {};
    const renames = new Map<string, string>();
    for (const [kind, entries] of Object.entries(sourceComponents)) {
      if (!isObject(entries)) continue;
      const merged = (components[kind] ??= {});
      for (const [name, definition] of Object.entries(entries)) {
        const existing = merged[name];
        if (existing !== undefined && canonical(existing) !== canonical(definition)) {
          renames.set(`#/components/${kind}/${name}`, `#/components/${kind}/${name}_${spec.upstream}`);
        }
      }
    }
    const document = rewriteRefs(spec.document, renames) as JsonObject;
    const rewrittenComponents = isObject(document['components']) ? document['components'] : {};
    for (const [kind, entries] of Object.entries(rewrittenComponents)) {
      if (!isObject(entries)) continue;
      const merged = (components[kind] ??= {});
      for (const [name, definition] of Object.entries(entries)) {
        const target = renames.has(`#/components/${kind}/${name}`) ? `${name}_${spec.upstream}` : name;
        merged[target] = definition;
      }
    }

    const sourcePaths = isObject(document['paths']) ? document['paths'] : {};
    for (const [template, item] of Object.entries(sourcePaths)) {
      if (!isObject(item)) continue;
      const concrete = concretePath(template);
      const kept: JsonObject = {};
      let operations = 0;
      for (const [key, value] of Object.entries(item)) {
        if (!OPERATION_KEYS.has(key)) {
          kept[key] = value;
          continue;
        }
        if (!isObject(value) || !routedBy(spec.upstream, key.toUpperCase(), concrete)) continue;
        const ownTags = Array.isArray(value['tags']) && value['tags'].length > 0 ? value['tags'] : [spec.upstream];
        kept[key] = { ...value, tags: ownTags, 'x-upstream': spec.upstream };
        operations++;
      }
      if (operations > 0) paths[template] = kept;
    }
  }

  const unavailable = specs.filter((spec) => !spec.available).map((spec) => spec.upstream);
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'The public Bursary API, merged from the OpenAPI documents of the services behind the gateway.' +
        (unavailable.length > 0 ? ` Unavailable right now, so missing below: ${unavailable.join(', ')}.` : ''),
      'x-upstreams': upstreams,
    },
    servers: [{ url: '/' }],
    tags,
    paths,
    components,
  };
}
