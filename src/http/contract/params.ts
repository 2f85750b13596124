import { z } from './zod';

/**
 * A whole-number query parameter: a string on the wire, documented as an integer with its bounds, and
 * refused outside them with the same words. The document's minimum and maximum are the bounds enforced.
 */
export function wholeNumber(name: string, min: number, max: number, description = `A whole number from ${min} to ${max}.`) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, message)
    .refine((v) => Number(v) >= min && Number(v) <= max, message)
    .openapi({ type: 'integer', minimum: min, maximum: max, description });
}

/** `true` or `false`, as a query parameter. */
export const bool = (name: string) => z.enum(['true', 'false'], { errorMap: () => ({ message: `${name} must be true or false` }) });

/** `<field>:1` or `<field>:-1`. */
export const sortParam = z
  .string()
  .regex(/^[A-Za-z0-9_.]{1,128}:(1|-1)$/, 'sort must be <field>:1 or <field>:-1')
  .openapi({ description: '`<field>:1` or `<field>:-1`, on a readable field.', example: 'created_at:-1' });
