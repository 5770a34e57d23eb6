/**
 * A zod error as a list of bad fields, each named by its dotted path ("risk.maxDrawdown",
 * "pools.0.fee"; "(root)" for the object itself, e.g. an unknown key): the form a bad
 * configuration and a bad API body are both reported in.
 */
import type { z } from 'zod';

/** One bad field: its dotted path and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Every issue of `err`, by dotted path. */
export function fieldIssues(err: z.ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ path: i.path.length === 0 ? '(root)' : i.path.map(String).join('.'), message: i.message }));
}
