import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface CompiledExecutorOptions {
  /** A document is compiled once it has run this many times (1: at once); until then graphql-js executes it. */
  compileAfter: number;
  /** Compiled documents kept (least recently used dropped first). */
  maxCompiled: number;
  /** Sees each compilation (tests count them). */
  onCompile?: (operationName: string | undefined) => void;
}

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;

export const COMPILED_EXECUTOR_DEFAULTS: CompiledExecutorOptions = Object.freeze({ compileAfter: 2, maxCompiled: 500 });

/**
 * Executes operations Apollo has parsed and validated, compiling each hot query with graphql-jit: the compiled
 * function resolves the same schema (the same resolvers, access checks and error mapping) without graphql-js's
 * per-field interpretation. Plugged into Apollo Server through its gateway interface, the one place Apollo lets
 * another executor run; parsing, validation, the query limits, plugins and error formatting stay Apollo's. A document
 * that graphql-jit cannot compile runs on graphql-js.
 */
export function compiledExecutor(schema: GraphQLSchema, options: CompiledExecutorOptions = COMPILED_EXECUTOR_DEFAULTS): GatewayInterface {
  const seen = new Map<string, number>();
  const compiled = new Map<string, Compiled | null>();

  const compiledFor = (key: string, document: DocumentNode, operationName: string | undefined): Compiled | null => {
    if (compiled.has(key)) {
      const hit = compiled.get(key)!;
      // most recently used last
      compiled.delete(key);
      compiled.set(key, hit);
      return hit;
    }
    const runs = (seen.get(key) ?? 0) + 1;
    if (runs < options.compileAfter) {
      if (seen.size >= options.maxCompiled * 4) seen.clear();
      seen.set(key, runs);
      return null;
    }
    seen.delete(key);
    options.onCompile?.(operationName);
    const result = compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, document, operationName);
    const entry = isCompiledQuery(result) ? result : null;
    if (compiled.size >= options.maxCompiled) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, entry);
    return entry;
  };

  const executor: GatewayExecutor = async (rc) => {
    const variables = rc.request.variables ?? {};
    const key = `${rc.queryHash}\u0000${rc.operationName ?? ''}`;
    // queries only: a mutation's writes keep graphql-js's well-trodden serial execution
    // (no operation: the name matches none, or several need one; graphql-js answers that as Apollo expects)
    const query = rc.operation?.operation === 'query' ? compiledFor(key, rc.document, rc.operationName ?? undefined) : null;
    if (query) {
      // variables are checked by graphql-js, so a bad one gets graphql-js's own error (BAD_USER_INPUT) on either path
      const coerced = getVariableValues(schema, rc.operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
      const result = (await query.query(undefined, rc.context, variables)) as Awaited<ReturnType<GatewayExecutor>>;
      // graphql-jit's errors are its own kind (a read-only message, which plugins may rewrite): handed on as graphql-js's
      if (result.errors) return { ...result, errors: result.errors.map(asGraphqlJsError) };
      return result;
    }
    // the name the client asked for: when it names no operation, graphql-js says so and runs nothing
    return execute({ schema, document: rc.document, contextValue: rc.context, variableValues: variables, operationName: rc.request.operationName });
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
}

function asGraphqlJsError(e: GraphQLError): GraphQLError {
  const error = new GraphQLError(e.message, {
    nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions,
  });
  // graphql-jit gives the locations themselves, not the nodes they come from
  if (!error.locations && e.locations) (error as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return error;
}
