/**
 * The engine's ids as the API accepts them: opaque strings (engine/port.ts), checked only for a
 * sane alphabet and length so that garbage is a clear 400, never a query.
 */
import { z } from 'zod';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export const isTaskKey = (s: string): boolean => s.length <= 64 && ID.test(s);
export const taskKey = z.string().max(64, 'a task key has at most 64 characters').regex(ID, 'not a task key (letters, digits, . _ : -)');
export const definitionKey = z.string().max(255, 'a definition key has at most 255 characters').regex(ID, 'not a definition key (letters, digits, . _ : -)');
