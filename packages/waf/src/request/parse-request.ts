import { isUtf8 } from 'node:buffer';
import { percentDecode } from '../transforms/url-decode.js';
import { Field, FIELD_KINDS, type FieldLocation } from './field.js';
import { parseCookies, parseForm } from './form-parser.js';
import { escapePointerToken, parseJson, walkJson } from './json-walker.js';
import { multipartBoundary, parseMultipart } from './multipart-parser.js';
import { headerValue, isStructuredHeader, type WafRequest } from './waf-request.js';
import { extractXml } from './xml-extractor.js';

export interface ParseLimits {
  /** Bytes of body that are inspected. */
  maxBodyBytes: number;
  /** Arguments (query, form, JSON entries, multipart parts, cookies) per location. */
  maxArgs: number;
  maxJsonDepth: number;
}

export const BODY_KINDS = ['none', 'json', 'form', 'multipart', 'xml', 'text', 'binary'] as const;

/**
 * Media types whose bytes no form, JSON or XML parser reads: uploads
 * (documents, images, archives). Like ModSecurity without a body processor,
 * their bytes are not split into arguments, where random binary would look
 * like NUL bytes, control characters and SQL. Any other declared or missing
 * type is still read as urlencoded, so a payload cannot hide behind it.
 */
const BINARY_TYPE = /^(?:application\/(?:octet-stream|pdf|zip|gzip|x-gzip|x-tar|x-7z-compressed|vnd\.[\w.+-]+)|(?:image|audio|video|font)\/[\w.+-]+)$/;
export type BodyKind = (typeof BODY_KINDS)[number];

/** Parser findings that protocol rules turn into matches. */
export interface ParseAnomalies {
  badEscape: boolean;
  malformedUtf8: boolean;
  multipartMalformed: boolean;
  /** Declared JSON that does not parse (the gateway answers 400 later; the WAF still inspects it as text). */
  invalidJson: boolean;
  /** More arguments or a deeper JSON document than the limits: the rest was not inspected. */
  truncated: boolean;
}

export interface ParsedRequest {
  request: WafRequest;
  method: string;
  rawPath: string;
  rawQuery: string | undefined;
  /** Header lookup by lower-case name (joined with `, ` when repeated). */
  header: (name: string) => string | undefined;
  /** The media type of Content-Type, lower case, without parameters. */
  mediaType: string | undefined;
  bodyKind: BodyKind;
  bodyLength: number;
  fields: Field[];
  anomalies: ParseAnomalies;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const XML_TYPE = /^(?:application|text)\/(?:[\w.+-]+\+)?xml$/;
const FILE_NAME_HEADER = /^x[-_.]?file[-_.]?name$/;

function bodyText(body: WafRequest['body'], maxBytes: number): { text: string; length: number } {
  if (body === undefined) return { text: '', length: 0 };
  if (typeof body === 'string') return { text: body.length > maxBytes ? body.slice(0, maxBytes) : body, length: Buffer.byteLength(body) };
  const bytes = body.byteLength > maxBytes ? body.subarray(0, maxBytes) : body;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Bytes that are not UTF-8 are kept one char per byte (Latin-1), so 8-bit
  // evasions stay visible instead of becoming U+FFFD.
  return { text: isUtf8(buffer) ? buffer.toString('utf8') : buffer.toString('latin1'), length: body.byteLength };
}

function splitTarget(url: string): { path: string; query: string | undefined } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: undefined } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/**
 * Turns a request into the fields the rules inspect (CRS collections: ARGS,
 * ARGS_NAMES, REQUEST_COOKIES(_NAMES), REQUEST_HEADERS, REQUEST_FILENAME,
 * FILES/FILES_NAMES, XML:/*), each addressed by a location and a pointer.
 */
export function parseRequest(request: WafRequest, limits: ParseLimits): ParsedRequest {
  const fields: Field[] = [];
  const anomalies: ParseAnomalies = { badEscape: false, malformedUtf8: false, multipartMalformed: false, invalidJson: false, truncated: false };
  const add = (kind: Field['kind'], location: FieldLocation, pointer: string, value: string) => {
    if (value.length > 0) fields.push(new Field(kind, location, pointer, value));
  };
  const addPairs = (location: FieldLocation, pairs: ReadonlyArray<{ name: string; value: string }>) => {
    for (const pair of pairs) {
      const pointer = `/${escapePointerToken(pair.name)}`;
      add(FIELD_KINDS.argName, location, pointer, pair.name);
      add(FIELD_KINDS.arg, location, pointer, pair.value);
    }
  };

  const { path, query } = splitTarget(request.url);
  add(FIELD_KINDS.path, 'path', '', path);
  const decodedPath = percentDecode(path, false);
  anomalies.badEscape ||= decodedPath.badEscape;
  anomalies.malformedUtf8 ||= decodedPath.malformedUtf8;
  // Matrix parameters (`/a;jsessionid=…`) are arguments too.
  const semicolon = path.indexOf(';');
  if (semicolon >= 0) {
    const params = parseForm(path.slice(semicolon + 1).replace(/;/g, '&'), limits.maxArgs);
    addPairs('path', params.pairs);
  }
  if (query !== undefined) {
    const form = parseForm(query, limits.maxArgs);
    anomalies.badEscape ||= form.badEscape;
    anomalies.malformedUtf8 ||= form.malformedUtf8;
    anomalies.truncated ||= form.truncated;
    addPairs('query', form.pairs);
  }

  const header = (name: string) => headerValue(request.headers, name);
  let cookieCount = 0;
  for (const [name, raw] of Object.entries(request.headers)) {
    if (raw === undefined) continue;
    const value = typeof raw === 'string' ? raw : raw.join(name === 'cookie' ? '; ' : ', ');
    if (name === 'cookie') {
      const cookies = parseCookies(value, limits.maxArgs - cookieCount);
      cookieCount += cookies.length;
      for (const cookie of cookies) {
        const pointer = `/${escapePointerToken(cookie.name)}`;
        add(FIELD_KINDS.cookieName, 'cookie', pointer, cookie.name);
        add(FIELD_KINDS.cookie, 'cookie', pointer, cookie.value);
      }
      continue;
    }
    if (isStructuredHeader(name)) continue;
    add(FILE_NAME_HEADER.test(name) ? FIELD_KINDS.fileName : FIELD_KINDS.header, 'header', `/${escapePointerToken(name)}`, value);
  }

  const contentType = header('content-type');
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase() || undefined;
  const { text, length } = bodyText(request.body, limits.maxBodyBytes);
  let bodyKind: BodyKind = 'none';
  if (text.length > 0) {
    if (mediaType !== undefined && JSON_TYPE.test(mediaType)) {
      const parsed = parseJson(text);
      if (parsed.ok) {
        bodyKind = 'json';
        const walked = walkJson(parsed.value, { maxDepth: limits.maxJsonDepth, maxEntries: limits.maxArgs });
        anomalies.truncated ||= walked.truncated;
        for (const entry of walked.entries) add(entry.role === 'key' ? FIELD_KINDS.argName : FIELD_KINDS.arg, 'body', entry.pointer, entry.text);
      } else {
        anomalies.invalidJson = true;
      }
    } else if (mediaType === 'multipart/form-data') {
      const boundary = multipartBoundary(contentType ?? '');
      const parsed = boundary ? parseMultipart(text, boundary, limits.maxArgs) : { parts: [], malformed: true };
      bodyKind = 'multipart';
      anomalies.multipartMalformed = parsed.malformed;
      for (const part of parsed.parts) {
        const pointer = `/${escapePointerToken(part.name)}`;
        add(FIELD_KINDS.argName, 'body', pointer, part.name);
        // File contents are the application's business (CRS does not read
        // FILES as ARGS either); their names are not.
        if (part.fileName !== undefined) add(FIELD_KINDS.fileName, 'body', pointer, part.fileName);
        else add(FIELD_KINDS.arg, 'body', pointer, part.content);
      }
    } else if (mediaType !== undefined && XML_TYPE.test(mediaType)) {
      bodyKind = 'xml';
      for (const value of extractXml(text, limits.maxArgs)) add(FIELD_KINDS.arg, 'body', value.path, value.text);
    }
    if (bodyKind === 'none' && mediaType !== undefined && BINARY_TYPE.test(mediaType)) {
      bodyKind = 'binary';
    } else if (bodyKind === 'none') {
      // Form bodies, and bodies of any other type: CRS (and PHP) read a body
      // without a known type as urlencoded, so a payload cannot hide behind a
      // missing or made-up Content-Type.
      bodyKind = mediaType === 'application/x-www-form-urlencoded' ? 'form' : 'text';
      const form = parseForm(text, limits.maxArgs);
      anomalies.badEscape ||= form.badEscape && bodyKind === 'form';
      anomalies.malformedUtf8 ||= form.malformedUtf8 && bodyKind === 'form' && !/charset=(?!"?utf-?8)/i.test(contentType ?? '');
      anomalies.truncated ||= form.truncated;
      addPairs('body', form.pairs);
    }
  }

  return {
    request,
    method: request.method,
    rawPath: path,
    rawQuery: query,
    header,
    mediaType,
    bodyKind,
    bodyLength: length,
    fields,
    anomalies,
  };
}
