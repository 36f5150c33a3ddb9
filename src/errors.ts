import { GraphQLError } from 'graphql';

export type ErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'CONFLICT' | 'UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';

/** The few exceptions a client may see; everything else is masked by `formatError`. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const notFound = (what: string, id?: string | number) =>
  new AppError('NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${id} not found`);

export const forbidden = (message = 'Not allowed') => new AppError('FORBIDDEN', message);

export const unauthenticated = (message = 'A valid bearer token is required') => new AppError('UNAUTHENTICATED', message);

/** Bad input, naming the field so a form can show it. */
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });

export const conflict = (message: string) => new AppError('CONFLICT', message);
