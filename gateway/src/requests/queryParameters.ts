import { invalid } from '../http/HttpError.ts';

/**
 * The query's parameters as one object, for the body field parsers: a name the route does not
 * take, or one given twice, is a 400 naming it, not something silently ignored.
 */
export function queryParameters(query: URLSearchParams, allowed: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of query) {
    if (!allowed.includes(name)) throw invalid(name, `is not a parameter of this route (it takes ${allowed.join(', ') || 'none'})`);
    if (name in parameters) throw invalid(name, 'is given more than once');
    parameters[name] = value;
  }
  return parameters;
}
