import { base64Text, compressWhitespace, deepDecode, stripHighBit } from '../transforms/deep-decode.js';
import { charMask } from './char-mask.js';

/**
 * Where a value came from. Rules name the kinds they inspect (CRS "targets":
 * ARGS, ARGS_NAMES, REQUEST_COOKIES, REQUEST_HEADERS, REQUEST_FILENAME…).
 */
export const FIELD_KINDS = {
  /** The decoded path of the request target. */
  path: 'path',
  /** A query, form, multipart or XML argument value, or a JSON value. */
  arg: 'arg',
  /** An argument name or a JSON object key. */
  argName: 'arg-name',
  cookie: 'cookie',
  cookieName: 'cookie-name',
  /** A request header value that carries client-chosen text (User-Agent, Referer, custom headers). */
  header: 'header',
  /** A multipart file name, or a header naming an uploaded file (X-Filename). */
  fileName: 'file-name',
} as const;

export type FieldKind = (typeof FIELD_KINDS)[keyof typeof FIELD_KINDS];

/** Which part of the request a field belongs to, for exclusions and logs. */
export const FIELD_LOCATIONS = ['path', 'query', 'body', 'cookie', 'header'] as const;
export type FieldLocation = (typeof FIELD_LOCATIONS)[number];

/** Longest field name reported; pointers are built from client-chosen keys. */
const MAX_NAME = 96;
const HIGH_BYTES = /[\u0080-\u00ff]/;
const EVERY_CHAR_PLAIN = /^[A-Za-z0-9 _.,@:+-]*$/;

/**
 * One inspected value with its decoded views, each computed at most once
 * (CRS transformation pipelines, cached per target like ModSecurity does).
 */
export class Field {
  private decodedCache: string | undefined;
  private textCache: string | undefined;
  private lowerCache: string | undefined;
  private decodedLowerCache: string | undefined;
  private compactCache: string | undefined;
  private base64Cache: string | null | undefined;
  private strippedCache: string | null | undefined;
  private maskCache: number | undefined;
  /** Detector results, filled by detection-cache.ts: one tokenization per field however many rules read it. */
  readonly detections: { sqli?: ReadonlySet<string>; xss?: Set<string>; shell?: ReadonlySet<string> } = {};

  constructor(
    readonly kind: FieldKind,
    readonly location: FieldLocation,
    /** RFC 6901 pointer inside its location: `/password`, `/q`, `/user-agent`, `/items/0/name`. */
    readonly pointer: string,
    /** The value as parsed (query and form values are URL-decoded once). */
    readonly value: string,
  ) {}

  /**
   * `body:/password`, `query:/q`, `header:/user-agent`: what logs, metrics
   * and refusals show instead of the value. For an argument or cookie name
   * the name is the inspected value, so the last segment is `*` (`query:/*`):
   * an attack in a key must not reach the logs through its own pointer.
   * Client-chosen keys elsewhere in the pointer are cut at MAX_NAME.
   */
  get name(): string {
    const pointer = this.kind === FIELD_KINDS.argName || this.kind === FIELD_KINDS.cookieName ? `${this.pointer.slice(0, this.pointer.lastIndexOf('/'))}/*` : this.pointer || '/';
    const name = `${this.location}:${pointer}`;
    return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1)}…`;
  }

  /** Punctuation classes present in the decoded views (see char-mask.ts). */
  get mask(): number {
    this.maskCache ??= this.plain ? charMask(this.value) : charMask(this.decoded) | charMask(this.text);
    return this.maskCache;
  }

  /** Nothing but letters, digits and plain punctuation: no decoder can change it. */
  get plain(): boolean {
    return EVERY_CHAR_PLAIN.test(this.value);
  }

  /** URL, entity and compatibility decoding until stable, NUL bytes removed (no JS escapes: paths keep `\`). */
  get decoded(): string {
    this.decodedCache ??= this.plain ? this.value : deepDecode(this.value, false);
    return this.decodedCache;
  }

  /** `decoded` plus JavaScript/JSON escapes resolved. */
  get text(): string {
    if (this.textCache === undefined) {
      this.textCache = this.decoded.includes('\\') ? deepDecode(this.decoded, true) : this.decoded;
    }
    return this.textCache;
  }

  /** `decoded`, lower case: paths and file names, where a backslash is a separator, not an escape. */
  get decodedLower(): string {
    this.decodedLowerCache ??= this.decoded.toLowerCase();
    return this.decodedLowerCache;
  }

  get lower(): string {
    this.lowerCache ??= this.text.toLowerCase();
    return this.lowerCache;
  }

  /** Lowercase with whitespace runs folded to one space. */
  get compact(): string {
    this.compactCache ??= compressWhitespace(this.lower);
    return this.compactCache;
  }

  /** The value decoded from base64 and then decoded again, when it is base64 text. */
  get base64(): string | undefined {
    if (this.base64Cache === undefined) {
      const decoded = this.text.length < 16 || this.text.includes(' ') ? undefined : base64Text(this.text);
      this.base64Cache = decoded === undefined ? null : deepDecode(decoded, true);
    }
    return this.base64Cache ?? undefined;
  }

  /** The 7-bit folding of Latin-1 bytes, when any are present. */
  get highBitStripped(): string | undefined {
    if (this.strippedCache === undefined) {
      // Decoded without compatibility folding, which would already have rewritten `¼` as `1⁄4`.
      const unfolded = this.plain ? this.value : deepDecode(this.value, true, false);
      this.strippedCache = HIGH_BYTES.test(unfolded) ? stripHighBit(unfolded) : null;
    }
    return this.strippedCache ?? undefined;
  }
}
