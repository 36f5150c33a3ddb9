import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { notePersonalRead } from '../audit/personal-reads';
import type { Context } from '../context';
import { fieldRulesOf } from '../schema/field-access';

/**
 * Enforces the field rules of `schema/field-access.ts` by wrapping the resolvers of the marked fields only (every
 * other field resolves untouched): an anonymous caller reads the public value or the public items of a
 * signed-in-only field; a personal-data field notes each read for the request's audit row.
 */
export function applyFieldRules(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rules = fieldRulesOf(field.extensions as Record<string, unknown>);
      if (!rules.anonymous && !rules.personalData) continue;
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
      const anonymous = rules.anonymous;
      field.resolve = async (source, args, ctx, info) => {
        if (anonymous && ctx.viewer.role === null) {
          if ('value' in anonymous) return anonymous.value;
          const items = await resolve(source, args, ctx, info);
          return Array.isArray(items) ? items.filter((x) => (anonymous.keep as (item: unknown) => boolean)(x)) : items;
        }
        const value = await resolve(source, args, ctx, info);
        if (rules.personalData) {
          const id = (source as { id?: unknown } | null)?.id;
          notePersonalRead(ctx, { type: type.name, field: field.name, id: typeof id === 'number' || typeof id === 'string' ? id : null });
        }
        return value;
      };
    }
  }
  return schema;
}
