/**
 * Request validation: parses params, query and bodies with zod and turns failures into a 422
 * INVALID_ARGUMENT whose `details.issues` lists the fields.
 */
import type { Request } from 'express';
import { ErrorCode } from '@hvm/engine';
import type { z } from 'zod';
import { HttpError } from './errors.js';

export type InputLocation = 'params' | 'query' | 'body';

export interface ValidationIssue {
  location: InputLocation;
  /** Dotted path of the field, e.g. `integrationServices.backup`; empty for the whole input. */
  field: string;
  code: string;
  message: string;
}

function toIssues(location: InputLocation, error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    location,
    field: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

function describe(issue: ValidationIssue): string {
  return issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`;
}

export function validate<S extends z.ZodType>(
  schema: S,
  location: InputLocation,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = toIssues(location, result.error);
  const [first] = issues;
  const message =
    issues.length === 1 && first !== undefined
      ? first.message
      : `The request is invalid: ${issues.map(describe).join('; ')}`;
  throw new HttpError(ErrorCode.InvalidArgument, message, { issues });
}

export function validateParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return validate(schema, 'params', req.params);
}

export function validateQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return validate(schema, 'query', req.query);
}

/** A missing body counts as `{}`, so optional-body routes accept an empty POST. */
export function validateBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const body: unknown = req.body;
  return validate(schema, 'body', body ?? {});
}
