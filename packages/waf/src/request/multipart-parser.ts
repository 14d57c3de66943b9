export interface MultipartPart {
  /** The `name` parameter of Content-Disposition, as sent. */
  name: string;
  /** The `filename` parameter, when the part is a file. */
  fileName: string | undefined;
  /** The part body as text (Latin-1 for bytes, so binary content stays one char per byte). */
  content: string;
}

export interface ParsedMultipart {
  parts: MultipartPart[];
  /** No boundary, no closing delimiter or a part without Content-Disposition (CRS 920120 family). */
  malformed: boolean;
}

const BOUNDARY = /(?:^|;)\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s]{1,200}))/i;

export function multipartBoundary(contentType: string): string | undefined {
  const match = BOUNDARY.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** One `param=value` or `param="value"` of Content-Disposition. Quoted values keep everything up to the closing quote. */
function dispositionParam(header: string, param: string): string | undefined {
  const lower = header.toLowerCase();
  let from = 0;
  while (from < lower.length) {
    const at = lower.indexOf(param, from);
    if (at < 0) return undefined;
    from = at + param.length;
    const before = lower[at - 1];
    if (before !== undefined && before !== ';' && before !== ' ' && before !== '\t') continue;
    let i = from;
    while (header[i] === ' ') i++;
    if (header[i] !== '=') continue;
    i++;
    while (header[i] === ' ') i++;
    if (header[i] === '"') {
      const close = header.indexOf('"', i + 1);
      return close < 0 ? header.slice(i + 1) : header.slice(i + 1, close);
    }
    const end = header.indexOf(';', i);
    return (end < 0 ? header.slice(i) : header.slice(i, end)).trim();
  }
  return undefined;
}

/**
 * A small, bounded multipart/form-data reader: part names, file names and
 * contents for inspection. It is not the parser the application uses, so it
 * is lenient and reports what looks malformed instead of failing.
 */
export function parseMultipart(body: string, boundary: string, maxParts: number): ParsedMultipart {
  const delimiter = `--${boundary}`;
  const parts: MultipartPart[] = [];
  let malformed = false;
  const sections = body.split(delimiter);
  if (sections.length < 2) return { parts, malformed: true };
  const last = sections[sections.length - 1] ?? '';
  if (!last.startsWith('--')) malformed = true;
  for (let index = 1; index < sections.length && parts.length < maxParts; index++) {
    const section = sections[index]!;
    if (section.startsWith('--')) break;
    const start = section.startsWith('\r\n') ? 2 : section.startsWith('\n') ? 1 : 0;
    let headerEnd = section.indexOf('\r\n\r\n', start);
    let separator = 4;
    if (headerEnd < 0) {
      headerEnd = section.indexOf('\n\n', start);
      separator = 2;
    }
    if (headerEnd < 0) {
      malformed = true;
      continue;
    }
    const headers = section.slice(start, headerEnd).split(/\r?\n/);
    const disposition = headers.find((line) => /^content-disposition\s*:/i.test(line));
    if (!disposition) {
      malformed = true;
      continue;
    }
    let content = section.slice(headerEnd + separator);
    if (content.endsWith('\r\n')) content = content.slice(0, -2);
    else if (content.endsWith('\n')) content = content.slice(0, -1);
    parts.push({ name: dispositionParam(disposition, 'name') ?? '', fileName: dispositionParam(disposition, 'filename'), content });
  }
  return { parts, malformed };
}
