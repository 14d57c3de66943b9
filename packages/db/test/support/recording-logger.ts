import type { DatabaseLogger } from '@bursary/db';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  object: Record<string, unknown>;
  message: string | undefined;
}

/** A DatabaseLogger that keeps what it was told, so tests can assert on warnings (certificate expiry, outages). */
export function recordingLogger(): DatabaseLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (object: object, message?: string) => void entries.push({ level, object: object as Record<string, unknown>, message });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
