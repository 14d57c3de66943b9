import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from './app-error.js';
import { PROBLEM_CONTENT_TYPE } from './problem-schema.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { toProblem } from './to-problem.js';

/** Replies with problem+json for `error`; the only way error bodies are written. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  // The error code is kept on the reply so that the access log line can carry it (R-OPS-5).
  reply.errorCode = error.code;
  return reply
    .code(error.status)
    .headers(error.headers)
    .header(REQUEST_ID_HEADER, request.id)
    .type(PROBLEM_CONTENT_TYPE)
    .send(toProblem(error, request.id));
}

declare module 'fastify' {
  interface FastifyReply {
    errorCode?: string;
  }
}
