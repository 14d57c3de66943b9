export { AppError, isAppError, type AppErrorOptions } from './app-error.js';
export { defineErrors, listDeclaredErrors, type ErrorCatalogue, type ErrorDefinition, type ErrorFactory } from './error-catalogue.js';
export { CommonErrors } from './common-errors.js';
export { ProblemDetails, ProblemFieldError, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem-schema.js';
export { toAppError, toProblem } from './to-problem.js';
export { sendProblem } from './send-problem.js';
export { errorBoundaryPlugin } from './error-boundary-plugin.js';
export { frameworkErrors, clientErrorHandler } from './framework-handlers.js';
export { requestIdFrom, REQUEST_ID_HEADER } from './request-id.js';
