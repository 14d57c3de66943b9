import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors } from './common-errors.js';
import { PROBLEM_CONTENT_TYPE } from './problem-schema.js';
import { sendProblem } from './send-problem.js';
import { toAppError, toProblem } from './to-problem.js';

/**
 * Fastify's `frameworkErrors` option: errors raised by the router before any
 * hook runs (`/%zz`, over-long params) still answer problem+json.
 */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(request, reply, toAppError(error));
}

const parserErrorStatus: Record<string, { status: number; make: () => ReturnType<typeof CommonErrors.BAD_REQUEST> }> = {
  HPE_HEADER_OVERFLOW: { status: 431, make: () => CommonErrors.HEADERS_TOO_LARGE() },
  HPE_URI_TOO_LONG: { status: 414, make: () => CommonErrors.URI_TOO_LONG() },
};

/**
 * Fastify's `clientErrorHandler`: the HTTP parser refused the bytes before a
 * request existed (bad request line, bad framing, oversized headers). We
 * still answer with problem+json and a fresh request id, then close.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy(error);
    return;
  }
  const requestId = randomUUID();
  const appError = (error.code && parserErrorStatus[error.code]?.make()) || CommonErrors.BAD_REQUEST({ detail: 'The HTTP request could not be parsed.' });
  const body = JSON.stringify(toProblem(appError, requestId));
  socket.end(
    `HTTP/1.1 ${appError.status} ${appError.title}\r\n` +
      `content-type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
