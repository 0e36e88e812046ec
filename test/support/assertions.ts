/**
 * The two checks of node:assert that chai has no equal for: an error checked by a validator
 * function, and a promise that must reject. Built on chai's assert, so each one fails when the work
 * does not throw (or resolves) and when the error is not the expected one.
 *
 * A matcher is, as in node:assert: a RegExp tested against `String(err)` ("Name: message"), an
 * error class (`instanceof`), or a validator function that must return exactly `true`.
 */
import { inspect } from 'node:util';
import { assert } from 'chai';

/** any error class, whatever its constructor takes */
type ErrorClass = new (...args: never[]) => unknown;
export type ErrorMatcher = RegExp | ErrorClass | ((err: unknown) => boolean);

const isClass = (m: ErrorMatcher): m is ErrorClass => typeof m === 'function' && (m === Error || Object.prototype.isPrototypeOf.call(Error, m) || m.prototype instanceof Error);
const prefix = (message?: string) => (message ? `${message}: ` : '');

function check(err: unknown, matcher: ErrorMatcher | undefined, message?: string): void {
  if (matcher === undefined) return;
  if (matcher instanceof RegExp) assert.match(String(err), matcher, `${prefix(message)}the error does not match ${String(matcher)}`);
  else if (isClass(matcher)) assert.instanceOf(err, matcher, `${prefix(message)}the error is not a ${matcher.name}: ${inspect(err)}`);
  else assert.isTrue(matcher(err), `${prefix(message)}the error did not pass the validator: ${inspect(err)}`);
}

/** `fn()` must throw, and what it throws must satisfy `matcher`; returns the error. */
export function throws(fn: () => unknown, matcher?: ErrorMatcher, message?: string): unknown {
  let value: unknown;
  try {
    value = fn();
  } catch (err) {
    check(err, matcher, message);
    return err;
  }
  assert.fail(`${prefix(message)}expected the call to throw, but it returned ${inspect(value)}`);
}

/**
 * `work` (a promise, or a function returning one) must reject, and the reason must satisfy
 * `matcher`; resolves to the reason.
 */
export async function rejects(work: Promise<unknown> | (() => Promise<unknown>), matcher?: ErrorMatcher, message?: string): Promise<unknown> {
  const promise = typeof work === 'function' ? work() : work;
  assert.instanceOf(promise, Promise, `${prefix(message)}rejects() needs a promise`);
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    check(err, matcher, message);
    return err;
  }
  assert.fail(`${prefix(message)}expected a rejection, but it resolved with ${inspect(value)}`);
}
