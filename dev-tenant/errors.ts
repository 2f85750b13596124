import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

/** Writes an error in the shape the Management API v2 uses (`error` is the status's reason phrase). */
export function sendApiError(res: Response, statusCode: number, message: string, errorCode?: string): void {
  const body: Record<string, unknown> = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (errorCode) body.errorCode = errorCode;
  res.status(statusCode).json(body);
}
