import type { PasswordPolicy } from './connections';

/**
 * Auth0's password strength levels (Auth0 docs, "Password Strength in Auth0 Database Connections"):
 * none: 1+ character; low: 6; fair: 8 with lower case, upper case and a digit; good: 8 with 3 of the
 * 4 classes (lower, upper, digit, special); excellent: 10 with 3 of 4 classes and no more than 2
 * identical characters in a row.
 */
export function isStrongEnough(password: string, policy: PasswordPolicy): boolean {
  const length = [...password].length;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].map((re) => re.test(password));
  const classCount = classes.filter(Boolean).length;
  switch (policy) {
    case 'none':
      return length >= 1;
    case 'low':
      return length >= 6;
    case 'fair':
      return length >= 8 && classes[0]! && classes[1]! && classes[2]!;
    case 'good':
      return length >= 8 && classCount >= 3;
    case 'excellent':
      return length >= 10 && classCount >= 3 && !/(.)\1\1/su.test(password);
  }
}

/** Auth0's answer to a weak password (sometimes without errorCode; the dev tenant sends `invalid_body`). */
export const WEAK_PASSWORD_MESSAGE = 'PasswordStrengthError: Password is too weak';
