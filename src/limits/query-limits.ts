import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';

/**
 * Static limits on a GraphQL document, checked before anything executes.
 * Lineage and trace answers are flat lists, so no legitimate query is deep. Cost multiplies by
 * literal `first` arguments, so a full page of 100 nodes with ~50 fields fits and nested pages do not.
 */
export const QUERY_LIMITS = Object.freeze({
  maxDepth: 8,
  maxAliases: 10,
  maxDirectives: 20,
  maxTokens: 1000,
  maxCost: 20000,
});

export interface QueryLimitWiring {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/** graphql-armor's rules and plugins; field suggestions are masked in production. */
export function queryLimits(production: boolean): QueryLimitWiring {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: !production, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // armor's token plugin throws from a hook Apollo Server 5 answers with status 500; graphql-js's
    // own parser limit (the one armor's lexer wraps) answers 400 GRAPHQL_PARSE_FAILED instead
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: !production },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins, validationRules, parseOptions: { maxTokens: QUERY_LIMITS.maxTokens } };
}
