import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { FastifyInstance } from 'fastify';
import { wellFormedTextTree } from '../validation';

/**
 * Every argument of every GraphQL field — literals and variables alike, input objects and lists at any depth —
 * passes `wellFormedText` before its resolver runs: a bad string is BAD_USER_INPUT naming its field, and the
 * resolver never runs (so nothing is written); an accepted string reaches the resolver in NFC. Only the resolvers
 * (and subscription sources) of fields that take arguments are wrapped: every other field resolves untouched, so a
 * large answer pays nothing per field for the rule.
 */
export function applyTextRule(schema: GraphQLSchema): GraphQLSchema {
  const checked = <S, C>(fn: GraphQLFieldResolver<S, C>): GraphQLFieldResolver<S, C> => (source, args, ctx, info) => {
    for (const name in args) args[name] = wellFormedTextTree(name, args[name]);
    return fn(source, args, ctx, info);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.length) continue;
      field.resolve = checked(field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = checked(field.subscribe);
    }
  }
  return schema;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A body that is not UTF-8: refused rather than read with replacement characters that would change the text. */
class InvalidUtf8Body extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_INVALID_UTF8_BODY';
  constructor() {
    super('The request body is not valid UTF-8');
  }
}

/**
 * JSON and plain-text bodies are decoded strictly as UTF-8 (an invalid byte sequence is a 400), then parsed as
 * fastify parses them (the same prototype-poisoning protection and empty-body answer).
 */
export function registerStrictUtf8Bodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'ignore');
  const decode = (body: Buffer): string | InvalidUtf8Body => {
    try {
      return UTF8.decode(body);
    } catch {
      return new InvalidUtf8Body();
    }
  };
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const text = decode(body as Buffer);
    if (typeof text !== 'string') return done(text, undefined);
    parseJson(request, text, done);
  });
  fastify.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_request, body, done) => {
    const text = decode(body as Buffer);
    if (typeof text !== 'string') return done(text, undefined);
    done(null, text);
  });
}
