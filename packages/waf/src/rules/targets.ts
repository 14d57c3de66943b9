import { FIELD_KINDS, type FieldKind } from '../request/field.js';

/** Arguments and cookies, names and values (CRS: ARGS|ARGS_NAMES|REQUEST_COOKIES|REQUEST_COOKIES_NAMES). */
export const ARGS: readonly FieldKind[] = [FIELD_KINDS.arg, FIELD_KINDS.argName, FIELD_KINDS.cookie, FIELD_KINDS.cookieName];

/** Arguments, cookies and the free-text headers (User-Agent, Referer, custom headers). */
export const ARGS_AND_HEADERS: readonly FieldKind[] = [...ARGS, FIELD_KINDS.header, FIELD_KINDS.fileName];

/** Everything a client chose, the path included (CRS adds REQUEST_FILENAME for these). */
export const EVERYWHERE: readonly FieldKind[] = [...ARGS_AND_HEADERS, FIELD_KINDS.path];

export const NAMES: readonly FieldKind[] = [FIELD_KINDS.argName, FIELD_KINDS.cookieName];

export const VALUES: readonly FieldKind[] = [FIELD_KINDS.arg, FIELD_KINDS.cookie];

export const FILE_NAMES: readonly FieldKind[] = [FIELD_KINDS.fileName];

export const PATH: readonly FieldKind[] = [FIELD_KINDS.path];
