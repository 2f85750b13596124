import type { Response } from 'express';

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Writes an error in the shape the Management API v2 uses. */
export function sendApiError(res: Response, statusCode: number, message: string, errorCode?: string): void {
  const body: Record<string, unknown> = { statusCode, error: reasons[statusCode] ?? 'Error', message };
  if (errorCode) body.errorCode = errorCode;
  res.status(statusCode).json(body);
}
