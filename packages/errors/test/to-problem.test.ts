import { describe, expect, it } from 'vitest';
import { AppError, CommonErrors, defineErrors, toAppError, toProblem } from '../src/index.js';

describe('errors', () => {
  it('R-ERR-2: unknown errors become a generic 500 that says nothing of the cause', () => {
    const problem = toProblem(toAppError(new Error('duplicate key value violates unique constraint "users_email_key"')), 'req-1');
    expect(problem).toEqual({
      type: 'https://docs.bursary.dev/errors#INTERNAL_ERROR',
      title: 'Internal server error',
      status: 500,
      detail: expect.not.stringContaining('users_email_key'),
      code: 'INTERNAL_ERROR',
      instance: 'req-1',
    });
  });

  it('R-ERR-2: client mistakes reported by the framework keep their 4xx', () => {
    expect(toAppError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }).code).toBe('PAYLOAD_TOO_LARGE');
    expect(toAppError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(toAppError({ code: 'SOME_PLUGIN_ERROR', statusCode: 429 }).status).toBe(429);
    expect(toAppError({ statusCode: 418 }).status).toBe(418);
  });

  it('R-ERR-1: a deliberate 5xx keeps its extensions and detail; a 4xx carries field errors', () => {
    const notReady = toProblem(CommonErrors.NOT_READY({ detail: 'Unavailable: postgres.', extensions: { dependencies: ['postgres'] } }), 'r');
    expect(notReady).toMatchObject({ status: 503, detail: 'Unavailable: postgres.', dependencies: ['postgres'] });
    const invalid = toProblem(CommonErrors.VALIDATION_FAILED({ errors: [{ field: '/body/email', message: 'must match format "email"' }] }), 'r');
    expect(invalid.errors).toEqual([{ field: '/body/email', message: 'must match format "email"' }]);
  });

  it('refuses the same code declared twice with another meaning', () => {
    defineErrors('one', { TEST_SAME: { status: 409, title: 'Same', description: 'x' } });
    expect(() => defineErrors('two', { TEST_SAME: { status: 400, title: 'Other', description: 'y' } })).toThrow(/declared twice/);
    expect(() => defineErrors('bad', { 'not-upper': { status: 400, title: 'x', description: 'x' } })).toThrow(/UPPER_SNAKE_CASE/);
  });

  it('AppError carries status, code and headers', () => {
    const error = CommonErrors.RATE_LIMITED({ headers: { 'retry-after': '3' } });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', headers: { 'retry-after': '3' } });
  });
});
