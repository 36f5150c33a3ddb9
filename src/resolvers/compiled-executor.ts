import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, type DocumentNode, type GraphQLSchema } from 'graphql';
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
 * Executes operations Apollo has parsed and validated, compiling each hot document with graphql-jit: the compiled
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
    const query = compiledFor(key, rc.document, rc.operationName ?? undefined);
    if (query) return query.query(undefined, rc.context, variables) as Awaited<ReturnType<GatewayExecutor>>;
    return execute({ schema, document: rc.document, contextValue: rc.context, variableValues: variables, operationName: rc.operationName });
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
